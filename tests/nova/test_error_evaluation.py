"""The grouped interval for macro-F1 and the labels from before adjudication."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from nova.errors.dataset import ErrorExample, first_labels
from nova.errors.evaluation import GroupedPredictions, macro_f1_interval
from nova.errors.taxonomy import CATEGORIES


def _predictions(labels: list[str], predicted: list[str], groups: list[str]) -> GroupedPredictions:
    probabilities = np.zeros((len(labels), len(CATEGORIES)))
    for row, label in enumerate(predicted):
        probabilities[row, CATEGORIES.index(label)] = 1.0
    return GroupedPredictions(labels, groups, probabilities, folds=len(set(groups)))


def test_interval_collapses_when_all_right() -> None:
    labels = ["not_found", "timeout", "conflict", "not_found"]
    predictions = _predictions(labels, labels, ["a", "b", "c", "d"])

    assert macro_f1_interval(predictions, 0.0, resamples=200) == (1.0, 1.0)


def test_interval_spans_group_spread() -> None:
    # Group "good" is always right, group "bad" always wrong: a draw of only one of them
    # gives 1.0 or 0.0, so the interval must reach from near 0 to 1.
    labels = ["not_found", "timeout", "not_found", "timeout"]
    predicted = ["not_found", "timeout", "timeout", "not_found"]
    predictions = _predictions(labels, predicted, ["good", "good", "bad", "bad"])

    low, high = macro_f1_interval(predictions, 0.0, resamples=400, seed=3)

    assert low == 0.0
    assert high == 1.0


def test_interval_repeats_with_seed() -> None:
    labels = ["not_found", "timeout", "conflict", "not_found", "timeout", "conflict"]
    predicted = ["not_found", "conflict", "conflict", "timeout", "timeout", "conflict"]
    predictions = _predictions(labels, predicted, ["a", "a", "b", "c", "d", "d"])

    first = macro_f1_interval(predictions, 0.0, resamples=300, seed=7)

    assert macro_f1_interval(predictions, 0.0, resamples=300, seed=7) == first
    assert 0.0 <= first[0] <= first[1] <= 1.0


def _example(identifier: str, category: str) -> ErrorExample:
    return ErrorExample(
        id=identifier,
        provider="acme",
        http_status=404,
        error_code=None,
        message="No such record.",
        category=category,
        provenance="written for this test",
    )


def test_first_labels_undo_adjudication_only(tmp_path: Path) -> None:
    log = [
        {"id": "acme-1", "old": "conflict", "new": "not_found", "rule": "r", "by": "adjudication"},
        {"id": "acme-2", "old": "unknown", "new": "not_found", "rule": "r", "by": "audit"},
    ]
    (tmp_path / "relabels.jsonl").write_text(
        "".join(json.dumps(entry) + "\n" for entry in log), encoding="utf-8"
    )
    examples = [_example("acme-1", "not_found"), _example("acme-2", "not_found")]

    assert first_labels(examples, tmp_path) == ["conflict", "not_found"]
