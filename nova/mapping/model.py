"""Build, save and load the pair-scoring model: gradient boosting plus isotonic calibration.

The artefact is a skops file holding a dict: the fitted booster, the isotonic calibrator fitted
on out-of-pair booster scores, the feature names and the two thresholds. It is loaded with an
explicit list of trusted types, never with ``trusted=True`` and never with pickle.
"""

from __future__ import annotations

import os
from contextlib import AbstractContextManager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import skops.io
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.isotonic import IsotonicRegression
from threadpoolctl import ThreadpoolController

from nova.mapping.features import FEATURE_NAMES

__all__ = [
    "METRICS_FILE",
    "MODEL_FILE",
    "TRUSTED_TYPES",
    "VETO_CAP",
    "ModelNotFoundError",
    "PairModel",
    "apply_vetoes",
    "booster_scores",
    "candidate_mask",
    "fit_booster",
    "fit_calibrator",
    "load_model",
    "models_dir",
    "one_thread",
    "save_model",
]

MODEL_FILE = "mapping_model.skops"
METRICS_FILE = "mapping_model.metrics.json"
MODELS_DIR_VARIABLE = "NOVA_MODELS_DIR"

# Every type in the saved artefact that skops does not trust by default (skops 0.16 trusts
# builtins, numpy arrays and public scikit-learn estimators). A test checks this list against
# skops.io.get_untrusted_types() of the committed file.
TRUSTED_TYPES = [
    "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
]


# Evidence that can only raise (+1) or only lower (-1) a pair's score. Fixing the direction keeps
# the model from learning accidents of a small data set, such as a conflict that happened to
# occur in correct pairs.
MONOTONIC = {
    "name_ratio": 1, "name_token_set": 1, "leaf_token_sort": 1, "raw_prefix": 1,
    "token_jaccard": 1,
    "exact_name": 1, "canonical_jaccard": 1, "concept_match": 1, "concept_conflict": -1,
    "qualifier_match": 1, "qualifier_conflict": -1, "modifier_one_side": -1, "value_match": 1,
    "value_conflict": -1,
}


VETO_CAP = 0.05
REVIEW_CAP = 0.5
CANDIDATE_MIN_TOKEN_SET = 0.5
CANDIDATE_MIN_JARO_WINKLER = 0.8
_COLUMNS = {name: index for index, name in enumerate(FEATURE_NAMES)}
# Created after scikit-learn's extensions are imported, so it finds their OpenMP runtime.
_THREADS = ThreadpoolController()


class ModelNotFoundError(FileNotFoundError):
    """No trained mapping model file exists in the models folder."""


@dataclass(frozen=True)
class PairModel:
    """The trained pair scorer with the thresholds that go with it."""

    booster: HistGradientBoostingClassifier
    calibrator: IsotonicRegression
    suggest_threshold: float
    auto_accept_threshold: float

    def score(self, features: np.ndarray) -> np.ndarray:
        """Return the calibrated probability that each row's pair is a correct mapping."""
        if len(features) == 0:
            return np.zeros(0)
        raw = booster_scores(self.booster, features)
        return np.asarray(self.calibrator.predict(raw), dtype=float)


def candidate_mask(features: np.ndarray) -> np.ndarray:
    """Mark the pairs worth scoring: some name, lexicon or value evidence links them.

    About three in four pairs of a real schema pair have none, and skipping them keeps a 60 by
    40 request fast. On the training data these rules drop 7 of 538 correct pairs.
    """
    return (
        (features[:, _COLUMNS["name_token_set"]] >= CANDIDATE_MIN_TOKEN_SET)
        | (features[:, _COLUMNS["raw_jaro_winkler"]] >= CANDIDATE_MIN_JARO_WINKLER)
        | (features[:, _COLUMNS["token_overlap"]] > 0)
        | (features[:, _COLUMNS["concept_match"]] > 0)
        | (features[:, _COLUMNS["value_match"]] >= 1)
    )


def booster_scores(booster: HistGradientBoostingClassifier, features: np.ndarray) -> np.ndarray:
    """Score candidate pairs with the booster, others 0, then apply the vetoes.

    Prediction runs on one thread (see ``one_thread``).
    """
    raw = np.zeros(len(features))
    mask = candidate_mask(features)
    if mask.any():
        with one_thread():
            raw[mask] = booster.predict_proba(features[mask])[:, 1]
    return apply_vetoes(raw, features)


def one_thread() -> AbstractContextManager[object]:
    """Limit OpenMP and BLAS to one thread for the duration of a request.

    A request works on a few hundred rows, too few to gain from threads, and on a busy machine
    the waiting threads of OpenMP and OpenBLAS cost more than the work itself.
    """
    return _THREADS.limit(limits=1)


def apply_vetoes(scores: np.ndarray, features: np.ndarray) -> np.ndarray:
    """Cap the booster scores of pairs that known rules rule out or leave to a reviewer.

    Booleans offered for an email, or dates for a phone number, are never a mapping however
    alike the names are, so such pairs are capped at ``VETO_CAP``. A word such as consent or
    opt on one side only (``email_consent`` for ``email``), without a shared lexicon concept,
    changes what the field holds, so such pairs are capped at ``REVIEW_CAP``. The training data
    has too few of either kind for the model to learn the rule firmly.
    """
    conflict = features[:, _COLUMNS["value_conflict"]] > 0
    modified = (features[:, _COLUMNS["modifier_one_side"]] > 0) & (
        features[:, _COLUMNS["concept_match"]] == 0)
    capped = np.where(modified, np.minimum(scores, REVIEW_CAP), scores)
    return np.where(conflict, np.minimum(capped, VETO_CAP), capped)


def models_dir() -> Path:
    """Return the folder holding trained models.

    ``NOVA_MODELS_DIR`` wins when set; otherwise the repository's ``models/`` folder (an editable
    install), or the copy packaged inside the wheel at ``nova/mapping/data``.
    """
    override = os.environ.get(MODELS_DIR_VARIABLE)
    if override:
        return Path(override)

    repository = Path(__file__).resolve().parents[2] / "models"
    if (repository / MODEL_FILE).is_file():
        return repository
    packaged = Path(__file__).resolve().parent / "data"
    return packaged if (packaged / MODEL_FILE).is_file() else repository


def fit_booster(
    features: np.ndarray, labels: np.ndarray, *, quick: bool = False
) -> HistGradientBoostingClassifier:
    """Fit the gradient-boosted pair classifier on candidate pairs (fewer trees when ``quick``)."""
    booster = HistGradientBoostingClassifier(
        monotonic_cst=[MONOTONIC.get(name, 0) for name in FEATURE_NAMES],
        max_iter=60 if quick else 150,
        early_stopping=True,
        validation_fraction=0.1,
        n_iter_no_change=10,
        learning_rate=0.1,
        max_leaf_nodes=15,
        min_samples_leaf=20,
        l2_regularization=1.0,
        random_state=0,
    )
    mask = candidate_mask(features)
    return booster.fit(features[mask], labels[mask])


def fit_calibrator(raw_scores: np.ndarray, labels: np.ndarray) -> IsotonicRegression:
    """Fit an isotonic map from booster scores to probabilities.

    ``raw_scores`` must come from boosters that did not see the pair being scored, so the
    probabilities hold for system pairs the model has never met.
    """
    calibrator = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip")
    return calibrator.fit(raw_scores, labels)


def save_model(model: PairModel, path: Path) -> None:
    """Write the model and its thresholds to a skops file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    skops.io.dump(
        {
            "booster": model.booster,
            "calibrator": model.calibrator,
            "feature_names": list(FEATURE_NAMES),
            "suggest_threshold": float(model.suggest_threshold),
            "auto_accept_threshold": float(model.auto_accept_threshold),
        },
        path,
    )


def load_model(path: Path | None = None) -> PairModel:
    """Load the model from ``path`` or the models folder, trusting only ``TRUSTED_TYPES``."""
    return _load(path or models_dir() / MODEL_FILE)


@lru_cache(maxsize=4)
def _load(path: Path) -> PairModel:
    if not path.is_file():
        raise ModelNotFoundError(
            f"no mapping model at {path}; run 'synctoscale nova train mapping' or set "
            f"{MODELS_DIR_VARIABLE} to the folder holding {MODEL_FILE}"
        )

    content = skops.io.load(path, trusted=TRUSTED_TYPES)
    if list(content["feature_names"]) != list(FEATURE_NAMES):
        raise ValueError(
            f"the mapping model at {path} was trained on other features; retrain it with "
            "'synctoscale nova train mapping'"
        )
    return PairModel(
        booster=content["booster"],
        calibrator=content["calibrator"],
        suggest_threshold=content["suggest_threshold"],
        auto_accept_threshold=content["auto_accept_threshold"],
    )
