"""Evaluate error classifiers with cross-validation grouped by provider family."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.base import clone
from sklearn.metrics import accuracy_score, brier_score_loss, confusion_matrix, f1_score
from sklearn.model_selection import GroupKFold, LeaveOneGroupOut
from sklearn.pipeline import Pipeline
from sklearn.utils.parallel import Parallel, delayed

from nova.errors.dataset import ErrorExample, provider_group
from nova.errors.taxonomy import CATEGORIES

__all__ = [
    "GroupedPredictions",
    "apply_threshold",
    "choose_threshold",
    "expected_calibration_error",
    "grouped_predictions",
    "held_out_predictions",
    "macro_f1_interval",
    "score",
]

UNKNOWN = "unknown"


@dataclass
class GroupedPredictions:
    """Out-of-fold probabilities for every example, each from a model that never saw its group."""

    labels: list[str]
    groups: list[str]
    probabilities: np.ndarray
    """Shape (n_examples, len(CATEGORIES)), columns in CATEGORIES order."""
    folds: int
    """Cross-validation folds behind the predictions; 0 for one model scored on held-out data."""

    @property
    def predicted(self) -> list[str]:
        return [CATEGORIES[index] for index in self.probabilities.argmax(axis=1)]

    @property
    def confidence(self) -> np.ndarray:
        return self.probabilities.max(axis=1)


def _aligned(model: Pipeline, probabilities: np.ndarray) -> np.ndarray:
    """Reorder predict_proba columns to CATEGORIES; a class absent from training gets 0."""
    aligned = np.zeros((probabilities.shape[0], len(CATEGORIES)))
    for column, label in enumerate(model.classes_):
        aligned[:, CATEGORIES.index(label)] = probabilities[:, column]
    return aligned


def _fit_and_predict(
    model: Pipeline,
    records: Sequence[dict[str, Any]],
    labels: Sequence[str],
    train_index: np.ndarray,
    test_index: np.ndarray,
) -> np.ndarray:
    model.fit([records[i] for i in train_index], [labels[i] for i in train_index])
    return _aligned(model, model.predict_proba([records[i] for i in test_index]))


def grouped_predictions(
    make_model: Callable[[], Pipeline],
    examples: Sequence[ErrorExample],
    *,
    folds: int | None = None,
    n_jobs: int | None = None,
) -> GroupedPredictions:
    """Fit one model per fold and predict the held-out provider groups.

    ``folds=None`` holds out one group at a time; an integer uses GroupKFold with that many
    folds. A provider group is never in a fold's training and test data at once. ``n_jobs``
    fits folds in parallel processes (joblib's meaning; None runs them one after another).
    """
    records = [example.as_record() for example in examples]
    labels = [example.category for example in examples]
    groups = [provider_group(example) for example in examples]
    splitter = LeaveOneGroupOut() if folds is None else GroupKFold(n_splits=folds)
    splits = list(splitter.split(records, labels, groups))

    fold_probabilities = Parallel(n_jobs=n_jobs)(
        delayed(_fit_and_predict)(clone(make_model()), records, labels, train, test)
        for train, test in splits
    )
    probabilities = np.zeros((len(examples), len(CATEGORIES)))
    for (_, test_index), predicted in zip(splits, fold_probabilities, strict=True):
        probabilities[test_index] = predicted
    return GroupedPredictions(labels, groups, probabilities, len(splits))


def held_out_predictions(model: Pipeline, examples: Sequence[ErrorExample]) -> GroupedPredictions:
    """Predict examples that a fitted model never saw, such as the frozen test groups."""
    probabilities = model.predict_proba([example.as_record() for example in examples])
    return GroupedPredictions(
        labels=[example.category for example in examples],
        groups=[provider_group(example) for example in examples],
        probabilities=_aligned(model, probabilities),
        folds=0,
    )


def apply_threshold(
    predicted: Sequence[str], confidence: np.ndarray, threshold: float
) -> list[str]:
    """Replace predictions whose confidence is below ``threshold`` by ``unknown``."""
    return [
        UNKNOWN if value < threshold else label
        for label, value in zip(predicted, confidence, strict=True)
    ]


def choose_threshold(predictions: GroupedPredictions, *, minimum_per_bin: int = 5) -> float:
    """Pick the confidence below which ``unknown`` is returned, from held-out predictions.

    Predictions are binned by confidence in steps of 0.1. The threshold is the lowest bin
    edge above which every bin with at least ``minimum_per_bin`` predictions was right at
    least half the time, so ``unknown`` replaces predictions from the confidence range where
    held-out predictions were more often wrong than right.
    """
    confidence = predictions.confidence
    correct = np.array(predictions.predicted) == np.array(predictions.labels)
    edges = np.round(np.arange(0.0, 1.0, 0.1), 1)
    threshold = 0.0
    for low in edges:
        in_bin = (confidence >= low) & (confidence < low + 0.1)
        if in_bin.sum() >= minimum_per_bin and correct[in_bin].mean() < 0.5:
            threshold = float(round(low + 0.1, 1))
    return threshold


def macro_f1_interval(
    predictions: GroupedPredictions,
    threshold: float,
    *,
    resamples: int = 1000,
    seed: int = 0,
) -> tuple[float, float]:
    """Return a 95% interval for macro-F1 by resampling provider groups with replacement.

    Errors from one provider resemble each other, so whole groups are drawn, not rows. Each
    draw is scored over the categories it contains. The interval shows how much the figure
    would move with another draw of providers.
    """
    predicted = np.array(apply_threshold(predictions.predicted, predictions.confidence, threshold))
    labels = np.array(predictions.labels)
    groups = np.array(predictions.groups)
    rows_of = [np.flatnonzero(groups == group) for group in np.unique(groups)]
    generator = np.random.default_rng(seed)

    values = []
    for _ in range(resamples):
        drawn = generator.integers(0, len(rows_of), size=len(rows_of))
        rows = np.concatenate([rows_of[index] for index in drawn])
        present = sorted(set(labels[rows]))
        value = f1_score(
            labels[rows], predicted[rows], labels=present, average="macro", zero_division=0
        )
        values.append(value)
    low, high = np.percentile(values, [2.5, 97.5])
    return round(float(low), 4), round(float(high), 4)


def expected_calibration_error(predictions: GroupedPredictions, bins: int = 10) -> float:
    """Weighted mean gap between confidence and accuracy over equal-width confidence bins."""
    confidence = predictions.confidence
    correct = np.array(predictions.predicted) == np.array(predictions.labels)
    edges = np.linspace(0.0, 1.0, bins + 1)
    error = 0.0
    for low, high in itertools.pairwise(edges):
        in_bin = (confidence > low) & (confidence <= high)
        if in_bin.any():
            error += in_bin.mean() * abs(correct[in_bin].mean() - confidence[in_bin].mean())
    return float(error)


def _multiclass_brier(predictions: GroupedPredictions) -> float:
    scores = []
    for column, category in enumerate(CATEGORIES):
        truth = np.array([label == category for label in predictions.labels], dtype=float)
        if truth.any():
            scores.append(brier_score_loss(truth, predictions.probabilities[:, column]))
    return float(np.mean(scores))


def score(predictions: GroupedPredictions, threshold: float) -> dict[str, Any]:
    """Return accuracy, macro-F1, per-category F1, calibration and the confusion matrix."""
    predicted = apply_threshold(predictions.predicted, predictions.confidence, threshold)
    labels = list(CATEGORIES)
    per_category = f1_score(
        predictions.labels, predicted, labels=labels, average=None, zero_division=0
    )
    present = sorted(set(predictions.labels), key=labels.index)
    answered = predictions.confidence >= threshold
    correct = np.array(predictions.predicted) == np.array(predictions.labels)
    return {
        "answered_share": round(float(answered.mean()), 4),
        "accuracy_when_answered": round(
            float(correct[answered].mean()) if answered.any() else 0.0, 4
        ),
        "accuracy": round(float(accuracy_score(predictions.labels, predicted)), 4),
        "macro_f1": round(
            float(
                f1_score(
                    predictions.labels, predicted, labels=labels, average="macro", zero_division=0
                )
            ),
            4,
        ),
        # Macro-F1 over the categories that occur in the scored rows: a held-out set that
        # lacks a category would otherwise count it as F1 0 ("macro_f1" above does).
        "macro_f1_present_categories": round(
            float(np.mean([per_category[labels.index(label)] for label in present])), 4
        ),
        "f1_per_category": {
            label: round(float(value), 4) for label, value in zip(labels, per_category, strict=True)
        },
        "expected_calibration_error": round(expected_calibration_error(predictions), 4),
        "brier_score": round(_multiclass_brier(predictions), 4),
        "confusion_matrix": {
            "labels": labels,
            "rows_true_columns_predicted": confusion_matrix(
                predictions.labels, predicted, labels=labels
            ).tolist(),
        },
    }
