"""Train the error classifier from ``datasets/errors``, evaluate it and save it with skops.

Run ``python -m nova.errors.train [--quick] [--models-dir DIR]``; the CLI command
``synctoscale nova train errors`` and the retraining notebook call train_and_save.
"""

from __future__ import annotations

import argparse
import datetime
import json
import logging
import time
from collections import Counter
from pathlib import Path
from typing import Any

from nova.errors.dataset import ErrorExample, load_examples, provider_group
from nova.errors.evaluation import choose_threshold, grouped_predictions, score
from nova.errors.pipeline import build_pipeline
from nova.errors.storage import METRICS_FILENAME, save_model
from nova.errors.storage import models_dir as default_models_dir

__all__ = ["train_and_save"]

logger = logging.getLogger(__name__)

# The quick setting (CI, notebooks) evaluates with 5 grouped folds instead of holding out
# one provider group at a time; the full setting takes a few minutes on 2 cores.
QUICK_FOLDS = 5


def _dataset_summary(examples: list[ErrorExample]) -> dict[str, Any]:
    return {
        "examples": len(examples),
        "providers": len({example.provider for example in examples}),
        "provider_groups": len({provider_group(example) for example in examples}),
        "per_category": dict(sorted(Counter(example.category for example in examples).items())),
    }


def train_and_save(models_dir: Path | None = None, *, quick: bool = False) -> dict[str, Any]:
    """Evaluate with provider-grouped cross-validation, fit on all data, save, return metrics.

    The ``unknown`` threshold is the one that maximises macro-F1 on the held-out groups.
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
