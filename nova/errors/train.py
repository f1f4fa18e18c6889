"""Train the error classifier from ``datasets/errors``, evaluate it and save it with skops.

The model is evaluated with cross-validation grouped by provider over the development
groups, then fitted on all development rows and scored once on the frozen test groups of
``datasets/errors/splits.json``, which it never saw. Run
``python -m nova.errors.train [--quick] [--models-dir DIR]``; the CLI command
``synctoscale nova train errors`` and the retraining notebook call train_and_save.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import hashlib
import json
import logging
import time
from collections import Counter
from pathlib import Path
from typing import Any

from sklearn.metrics import accuracy_score, f1_score
from sklearn.pipeline import Pipeline

from nova.errors.dataset import ErrorExample, first_labels, load_examples, provider_group
from nova.errors.evaluation import (
    GroupedPredictions,
    apply_threshold,
    choose_threshold,
    grouped_predictions,
    held_out_predictions,
    macro_f1_interval,
    score,
)
from nova.errors.pipeline import (
    DEFAULT_SETTINGS,
    QUICK_SETTINGS,
    build_pipeline,
    compact_for_saving,
)
from nova.errors.split import load_split, split_examples
from nova.errors.storage import METRICS_FILENAME, save_model
from nova.errors.storage import models_dir as default_models_dir

__all__ = ["dataset_fingerprint", "train_and_save", "training_fit"]

logger = logging.getLogger(__name__)

# The quick setting (CI, notebooks) evaluates with 5 grouped folds. The full setting holds
# out one provider group at a time, which takes several minutes on 2 cores.
QUICK_FOLDS = 5


def dataset_fingerprint(examples: list[ErrorExample]) -> str:
    """Return a SHA-256 over the examples, so a model can be matched to the data it saw."""
    digest = hashlib.sha256()
    for example in examples:
        digest.update(json.dumps(dataclasses.astuple(example)).encode("utf-8"))
    return digest.hexdigest()


def training_fit(
    pipeline: Pipeline, examples: list[ErrorExample], threshold: float
) -> dict[str, float]:
    """Return accuracy and macro-F1 of a fitted pipeline on the examples it was trained on."""
    probabilities = pipeline.predict_proba([example.as_record() for example in examples])
    predicted = [str(pipeline.classes_[index]) for index in probabilities.argmax(axis=1)]
    labels = apply_threshold(predicted, probabilities.max(axis=1), threshold)
    truth = [example.category for example in examples]
    return {
        "accuracy": round(float(accuracy_score(truth, labels)), 4),
        "macro_f1": round(float(f1_score(truth, labels, average="macro", zero_division=0)), 4),
    }


def _dataset_summary(
    examples: list[ErrorExample], development: list[ErrorExample], frozen: list[ErrorExample]
) -> dict[str, Any]:
    def counts(rows: list[ErrorExample]) -> dict[str, Any]:
        return {
            "examples": len(rows),
            "providers": len({example.provider for example in rows}),
            "provider_groups": len({provider_group(example) for example in rows}),
            "per_category": dict(sorted(Counter(example.category for example in rows).items())),
        }

    return {
        "sha256": dataset_fingerprint(examples),
        **counts(examples),
        "development": counts(development),
        "frozen_test": counts(frozen),
    }


def _headline(predictions: GroupedPredictions) -> dict[str, Any]:
    """Return accuracy and macro-F1 without the ``unknown`` threshold and a grouped interval."""
    headline = ("accuracy", "macro_f1", "macro_f1_present_categories")
    figures = {key: value for key, value in score(predictions, 0.0).items() if key in headline}
    figures["macro_f1_present_categories_interval_95"] = list(macro_f1_interval(predictions, 0.0))
    return figures


def _first_labels_headline(
    predictions: GroupedPredictions, examples: list[ErrorExample]
) -> dict[str, Any]:
    """Return the _headline figures against the labels from before the blind adjudication."""
    return _headline(dataclasses.replace(predictions, labels=first_labels(examples)))


def train_and_save(
    models_dir: Path | None = None, *, quick: bool = False, jobs: int | None = None
) -> dict[str, Any]:
    """Evaluate, fit on the development groups, score the frozen groups, save, return metrics.

    ``jobs`` fits the cross-validation folds in that many processes. The figures do not
    depend on it.

    The ``unknown`` threshold comes from the grouped cross-validation predictions (see
    choose_threshold), never from the frozen groups. Writes ``error_classifier.skops`` and
    ``error_classifier.metrics.json`` to ``models_dir`` (default: storage.models_dir()).
    """
    directory = models_dir if models_dir is not None else default_models_dir()
    examples = load_examples()
    development, frozen = split_examples(examples, load_split())
    settings = QUICK_SETTINGS if quick else DEFAULT_SETTINGS
    logger.debug("training the error classifier on %d development examples", len(development))

    started = time.perf_counter()
    folds = QUICK_FOLDS if quick else None
    predictions = grouped_predictions(
        lambda: build_pipeline(settings), development, folds=folds, n_jobs=jobs
    )
    threshold = choose_threshold(predictions)
    evaluation = score(predictions, threshold)

    pipeline = build_pipeline(settings)
    pipeline.fit(
        [example.as_record() for example in development],
        [example.category for example in development],
    )
    compact_for_saving(pipeline)
    frozen_predictions = held_out_predictions(pipeline, frozen)
    artefact = {
        "pipeline": pipeline,
        "unknown_threshold": threshold,
        "trained_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "quick": quick,
    }
    path = save_model(artefact, directory)

    metrics = {
        "model": path.name,
        "setting": "quick" if quick else "full",
        "settings": dataclasses.asdict(settings),
        "split": (
            f"GroupKFold({QUICK_FOLDS}) over development provider groups"
            if quick
            else "leave one development provider group out"
        ),
        "folds": predictions.folds,
        "unknown_threshold": threshold,
        "dataset": _dataset_summary(examples, development, frozen),
        "grouped_cv": evaluation,
        "grouped_cv_without_threshold": _headline(predictions),
        "grouped_cv_first_labels": _first_labels_headline(predictions, development),
        # One score of the model trained on all development groups, on groups it never saw.
        "frozen_test": score(frozen_predictions, threshold),
        "frozen_test_without_threshold": _headline(frozen_predictions),
        "frozen_test_first_labels": _first_labels_headline(frozen_predictions, frozen),
        # Figures on the training data itself: not an estimate of quality, but a check that
        # a loaded model is this model and still sees the committed data the same way.
        "training_set": training_fit(pipeline, development, threshold),
        "training_seconds": round(time.perf_counter() - started, 1),
        "trained_at": artefact["trained_at"],
    }
    (directory / METRICS_FILENAME).write_text(
        json.dumps(metrics, indent=2) + "\n", encoding="utf-8"
    )
    return metrics


def main(argv: list[str] | None = None) -> None:
    """Train from the command line and print the grouped-split figures."""
    parser = argparse.ArgumentParser(description="Train Nova's error classifier.")
    parser.add_argument(
        "--quick", action="store_true", help="small setting: 5 grouped folds, fewer n-grams"
    )
    parser.add_argument(
        "--models-dir", type=Path, default=None, help="output folder (default: models/)"
    )
    parser.add_argument(
        "--jobs", type=int, default=None, help="processes for the cross-validation folds"
    )
    arguments = parser.parse_args(argv)
    if arguments.jobs is not None and arguments.jobs < 1:
        parser.error(f"--jobs must be 1 or more, not {arguments.jobs}")

    metrics = train_and_save(arguments.models_dir, quick=arguments.quick, jobs=arguments.jobs)
    grouped, frozen = metrics["grouped_cv"], metrics["frozen_test"]
    print(
        f"{metrics['split']}: accuracy {grouped['accuracy']:.3f}, "
        f"macro-F1 {grouped['macro_f1']:.3f}, unknown threshold {metrics['unknown_threshold']}"
    )
    print(
        f"frozen test groups: accuracy {frozen['accuracy']:.3f}, macro-F1 {frozen['macro_f1']:.3f}"
    )


if __name__ == "__main__":
    main()
