"""Train the mapping model from ``datasets/mapping`` and save it with its metrics."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import sklearn

from nova.mapping.dataset import case_rows, load_cases
from nova.mapping.evaluation import (
    choose_thresholds,
    isotonic_calibration,
    mapping_metrics,
    nested_predictions,
    out_of_pair_scores,
)
from nova.mapping.features import FEATURE_NAMES
from nova.mapping.lexicon import load_lexicon
from nova.mapping.model import (
    METRICS_FILE,
    MODEL_FILE,
    PairModel,
    fit_booster,
    fit_calibrator,
    save_model,
)
from nova.mapping.model import models_dir as default_models_dir

__all__ = ["train_and_save"]

logger = logging.getLogger(__name__)


def train_and_save(models_dir: Path | None = None, *, quick: bool = False) -> dict[str, Any]:
    """Evaluate on unseen system pairs, train on all pairs, save the model and its metrics.

    The metrics come from leave-one-system-pair-out evaluation (five folds of whole pairs when
    ``quick``, which also uses fewer trees). Returns the metrics written to
    ``mapping_model.metrics.json`` beside the model.
    """
    folder = models_dir or default_models_dir()
    cases = load_cases()
    lexicon = load_lexicon()
    rows = [case_rows(case, lexicon) for case in cases]
    logger.debug("training on %d system pairs", len(cases))

    raw = out_of_pair_scores(cases, rows, quick=quick)
    predictions, auto_thresholds = nested_predictions(cases, raw, isotonic_calibration)
    unseen = mapping_metrics(cases, predictions, auto_thresholds)

    labels = np.concatenate([y for _, y in rows])
    calibrator = fit_calibrator(np.concatenate([r.ravel() for r in raw]), labels)
    calibrated = [np.asarray(calibrator.predict(r.ravel())).reshape(r.shape) for r in raw]
    suggest_threshold, auto_accept_threshold = choose_thresholds(cases, calibrated)
    booster = fit_booster(np.vstack([x for x, _ in rows]), labels, quick=quick)

    model = PairModel(booster, calibrator, suggest_threshold, auto_accept_threshold)
    save_model(model, folder / MODEL_FILE)

    metrics = {
        "model": "nova mapping pair scorer",
        "evaluation": "grouped 5-fold over system pairs (quick)" if quick
        else "leave one system pair out",
        "quick": quick,
        "system_pairs": len({case.system_pair for case in cases}),
        "cases": len(cases),
        **unseen.as_dict(),
        "suggest_threshold": suggest_threshold,
        "auto_accept_threshold": auto_accept_threshold,
        "features": list(FEATURE_NAMES),
        "scikit_learn": sklearn.__version__,
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    (folder / METRICS_FILE).write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    return metrics
