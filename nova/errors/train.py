"""Train the error classifier from ``datasets/errors``, evaluate it and save it with skops.

Run ``python -m nova.errors.train [--quick] [--models-dir DIR]``; the CLI command
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

from nova.errors.dataset import ErrorExample, load_examples, provider_group
from nova.errors.evaluation import apply_threshold, choose_threshold, grouped_predictions, score
from nova.errors.pipeline import build_pipeline
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


def _dataset_summary(examples: list[ErrorExample]) -> dict[str, Any]:
    return {
        "sha256": dataset_fingerprint(examples),
        "examples": len(examples),
        "providers": len({example.provider for example in examples}),
        "provider_groups": len({provider_group(example) for example in examples}),
        "per_category": dict(sorted(Counter(example.category for example in examples).items())),
    }


def train_and_save(models_dir: Path | None = None, *, quick: bool = False) -> dict[str, Any]:
    """Evaluate with provider-grouped cross-validation, fit on all data, save, return metrics.

    The ``unknown`` threshold comes from the held-out predictions (see choose_threshold).
    Writes ``error_classifier.skops`` and ``error_classifier.metrics.json`` to
    ``models_dir`` (default: storage.models_dir()).
    """
    directory = models_dir if models_dir is not None else default_models_dir()
    examples = load_examples()
    logger.debug("training the error classifier on %d examples", len(examples))

    started = time.perf_counter()
    folds = QUICK_FOLDS if quick else None
    predictions = grouped_predictions(lambda: build_pipeline(quick=quick), examples, folds=folds)
    threshold = choose_threshold(predictions)
    evaluation = score(predictions, threshold)

    pipeline = build_pipeline(quick=quick)
    pipeline.fit(
        [example.as_record() for example in examples], [example.category for example in examples]
    )
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
        "split": (
            f"GroupKFold({QUICK_FOLDS}) over provider groups"
            if quick
            else "leave one provider group out"
        ),
        "folds": predictions.folds,
        "unknown_threshold": threshold,
        "dataset": _dataset_summary(examples),
        "grouped_cv": evaluation,
        "grouped_cv_without_threshold": {
            key: value
            for key, value in score(predictions, 0.0).items()
            if key in ("accuracy", "macro_f1")
        },
        # Figures on the training data itself: not an estimate of quality, but a check that
        # a loaded model is this model and still sees the committed data the same way.
        "training_set": training_fit(pipeline, examples, threshold),
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
    arguments = parser.parse_args(argv)

    metrics = train_and_save(arguments.models_dir, quick=arguments.quick)
    grouped = metrics["grouped_cv"]
    print(
        f"{metrics['split']}: accuracy {grouped['accuracy']:.3f}, "
        f"macro-F1 {grouped['macro_f1']:.3f}, unknown threshold {metrics['unknown_threshold']}"
    )


if __name__ == "__main__":
    main()
