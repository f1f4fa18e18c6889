"""Out-of-pair evaluation: no system pair is ever scored by a model that saw it in training.

``out_of_pair_scores`` trains one booster per fold of system pairs. ``nested_predictions``
then fits the calibrator and chooses thresholds on the other pairs' scores only, before it maps
the held-out pair. The metrics therefore describe pairs the matcher has never met.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.model_selection import GroupKFold

from nova.mapping.assignment import assign
from nova.mapping.dataset import MappingCase
from nova.mapping.model import booster_scores, fit_booster, fit_calibrator

__all__ = [
    "CaseRows",
    "MappingMetrics",
    "choose_thresholds",
    "isotonic_calibration",
    "mapping_metrics",
    "nested_predictions",
    "out_of_pair_scores",
    "predict_mapping",
]

CaseRows = tuple[np.ndarray, np.ndarray]

# Thresholds are searched on these grids. The auto-accept threshold must keep this precision on
# the pairs it was chosen from, which leaves a margin for the 0.95 goal on unseen pairs.
_SUGGEST_GRID = np.round(np.arange(0.20, 0.81, 0.05), 2)
_AUTO_GRID = np.round(np.arange(0.50, 0.991, 0.01), 2)
_AUTO_PRECISION = 0.97


@dataclass(frozen=True)
class MappingMetrics:
    """Scores of predicted mappings against labelled ones."""

    precision: float
    recall: float
    f1: float
    top1_accuracy: float
    auto_accept_precision: float
    auto_accept_share: float
    targets: int

    def as_dict(self) -> dict[str, float | int]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def out_of_pair_scores(
    cases: Sequence[MappingCase], rows: Sequence[CaseRows], *, quick: bool = False
) -> list[np.ndarray]:
    """Return each case's raw booster scores from a booster trained without that case.

    Every system pair is its own fold (leave one system pair out) unless ``quick``, which
    uses five folds of whole system pairs.
    """
    groups = np.concatenate([np.full(len(labels), case.system_pair, dtype=object)
                             for case, (_, labels) in zip(cases, rows, strict=True)])
    features = np.vstack([x for x, _ in rows])
    labels = np.concatenate([y for _, y in rows])
    folds = GroupKFold(n_splits=5 if quick else len(set(groups)))

    raw = np.zeros(len(labels))
    for train, test in folds.split(features, labels, groups):
        booster = fit_booster(features[train], labels[train], quick=quick)
        raw[test] = booster_scores(booster, features[test])

    return _split_by_case(raw, cases)


def _split_by_case(values: np.ndarray, cases: Sequence[MappingCase]) -> list[np.ndarray]:
    matrices, start = [], 0
    for case in cases:
        size = len(case.target) * len(case.source)
        matrices.append(values[start:start + size].reshape(len(case.target), len(case.source)))
        start += size
    return matrices


def predict_mapping(case: MappingCase, scores: np.ndarray, threshold: float
                    ) -> dict[str, tuple[str | None, float]]:
    """Map a case's targets with ``assign``: ``{target: (source or None, score)}``."""
    chosen = assign(scores, threshold)
    result: dict[str, tuple[str | None, float]] = {}
    for index, target in enumerate(case.target):
        if index in chosen:
            result[target.name] = (case.source[chosen[index]].name,
                                   float(scores[index, chosen[index]]))
        else:
            result[target.name] = (None, 0.0)
    return result


def mapping_metrics(
    cases: Sequence[MappingCase],
    predictions: Sequence[dict[str, tuple[str | None, float]]],
    auto_accept_threshold: float | Sequence[float],
) -> MappingMetrics:
    """Score predictions: a correct ``None`` counts for top-1 accuracy, not for precision.

    ``auto_accept_threshold`` is one threshold for all cases or one per case.
    """
    thresholds = (
        [float(auto_accept_threshold)] * len(cases)
        if isinstance(auto_accept_threshold, float | int)
        else list(auto_accept_threshold)
    )
    true_positive = false_positive = false_negative = correct = total = 0
    auto_right = auto_wrong = 0
    for case, predicted, auto_threshold in zip(cases, predictions, thresholds, strict=True):
        for target, gold in case.mapping.items():
            source, score = predicted.get(target, (None, 0.0))
            total += 1
            correct += source == gold
            if source is not None:
                true_positive += source == gold
                false_positive += source != gold
                if score >= auto_threshold:
                    auto_right += source == gold
                    auto_wrong += source != gold
            if gold is not None and source != gold:
                false_negative += 1

    precision = _ratio(true_positive, true_positive + false_positive)
    recall = _ratio(true_positive, true_positive + false_negative)
    return MappingMetrics(
        precision=precision,
        recall=recall,
        f1=_ratio(2 * precision * recall, precision + recall),
        top1_accuracy=_ratio(correct, total),
        auto_accept_precision=_ratio(auto_right, auto_right + auto_wrong),
        auto_accept_share=_ratio(auto_right + auto_wrong, total),
        targets=total,
    )


def _ratio(numerator: float, denominator: float) -> float:
    return round(numerator / denominator, 4) if denominator else 0.0


def choose_thresholds(
    cases: Sequence[MappingCase], scores: Sequence[np.ndarray]
) -> tuple[float, float]:
    """Return (suggest threshold with the best F1, lowest auto-accept threshold that is safe)."""
    best_f1, suggest = -1.0, 0.5
    for threshold in _SUGGEST_GRID:
        predictions = [predict_mapping(c, s, threshold) for c, s in zip(cases, scores,
                                                                         strict=True)]
        f1 = mapping_metrics(cases, predictions, 1.0).f1
        if f1 > best_f1:
            best_f1, suggest = f1, float(threshold)

    predictions = [predict_mapping(c, s, suggest) for c, s in zip(cases, scores, strict=True)]
    auto = 0.99
    for threshold in _AUTO_GRID:
        metrics = mapping_metrics(cases, predictions, float(threshold))
        if threshold >= suggest and metrics.auto_accept_precision >= _AUTO_PRECISION:
            auto = float(threshold)
            break
    return suggest, auto


def nested_predictions(
    cases: Sequence[MappingCase],
    raw_scores: Sequence[np.ndarray],
    calibrate: Callable[[np.ndarray, np.ndarray], Callable[[np.ndarray], np.ndarray]] | None,
) -> tuple[list[dict[str, tuple[str | None, float]]], list[float]]:
    """Map each case with calibration and thresholds fitted on the other cases only.

    ``calibrate(raw, labels)`` returns a function from raw scores to probabilities; ``None``
    keeps the raw scores (for baselines that already score in [0, 1]). Returns the predictions
    and, per case, the auto-accept threshold that applied to it.
    """
    labels = [_label_matrix(case) for case in cases]
    predictions, auto_thresholds = [], []
    for held_out, case in enumerate(cases):
        others = [i for i, other in enumerate(cases) if other.system_pair != case.system_pair]
        transform: Callable[[np.ndarray], np.ndarray] = _identity
        if calibrate is not None:
            transform = calibrate(np.concatenate([raw_scores[i].ravel() for i in others]),
                                  np.concatenate([labels[i].ravel() for i in others]))
        calibrated = [transform(raw_scores[i].ravel()).reshape(raw_scores[i].shape)
                      for i in others]
        suggest, auto = choose_thresholds([cases[i] for i in others], calibrated)

        scores = transform(raw_scores[held_out].ravel()).reshape(raw_scores[held_out].shape)
        predictions.append(predict_mapping(case, scores, suggest))
        auto_thresholds.append(auto)
    return predictions, auto_thresholds


def isotonic_calibration(raw: np.ndarray, labels: np.ndarray
                         ) -> Callable[[np.ndarray], np.ndarray]:
    """Fit the production calibrator and return its transform."""
    calibrator = fit_calibrator(raw, labels)
    return lambda scores: np.asarray(calibrator.predict(scores), dtype=float)


def _identity(scores: np.ndarray) -> np.ndarray:
    return scores


def _label_matrix(case: MappingCase) -> np.ndarray:
    return np.array([[case.mapping.get(t.name) == s.name for s in case.source]
                     for t in case.target], dtype=float)
