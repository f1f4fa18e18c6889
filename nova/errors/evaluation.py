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

from nova.errors.dataset import ErrorExample, provider_group
from nova.errors.taxonomy import CATEGORIES

__all__ = [
    "GroupedPredictions",
    "apply_threshold",
    "choose_threshold",
    "expected_calibration_error",
    "grouped_predictions",
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


def grouped_predictions(
    make_model: Callable[[], Pipeline],
    examples: Sequence[ErrorExample],
    *,
    folds: int | None = None,
) -> GroupedPredictions:
    """Fit one model per fold and predict the held-out provider groups.

    ``folds=None`` holds out one group at a time; an integer uses GroupKFold with that many
    folds. A provider group is never in a fold's training and test data at once.
    """
    records = [example.as_record() for example in examples]
    labels = [example.category for example in examples]
    groups = [provider_group(example) for example in examples]
    splitter = LeaveOneGroupOut() if folds is None else GroupKFold(n_splits=folds)

    probabilities = np.zeros((len(examples), len(CATEGORIES)))
    fold_count = 0
    for train_index, test_index in splitter.split(records, labels, groups):
        model = clone(make_model())
        model.fit([records[i] for i in train_index], [labels[i] for i in train_index])
        predicted = model.predict_proba([records[i] for i in test_index])
        probabilities[test_index] = _aligned(model, predicted)
        fold_count += 1
    return GroupedPredictions(labels, groups, probabilities, fold_count)


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
