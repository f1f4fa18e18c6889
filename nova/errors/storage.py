"""Find, save and load the trained error classifier with skops (never pickle)."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path
from typing import Any

import skops.io

__all__ = [
    "MODEL_FILENAME",
    "TRUSTED_TYPES",
    "ModelNotFoundError",
    "load_model",
    "model_path",
    "models_dir",
    "save_model",
]

MODEL_FILENAME = "error_classifier.skops"
METRICS_FILENAME = "error_classifier.metrics.json"

# The types of the saved artefact that skops does not trust by default (skops trusts the
# scikit-learn estimators and numpy types it supports). skops refuses to load a file holding
# any other untrusted type, so a tampered file cannot run arbitrary code.
TRUSTED_TYPES = [
    "nova.errors.features.prepare_records",
    "nova.errors.word_vectors.MeanWordVectors",
]


class ModelNotFoundError(FileNotFoundError):
    """The trained error classifier is not where Nova looks for it."""


def models_dir() -> Path:
    """Return the folder that contains trained models.

    ``NOVA_MODELS_DIR`` overrides the default, the ``models/`` folder at the repository root.
    """
    override = os.environ.get("NOVA_MODELS_DIR")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2] / "models"


def model_path(directory: Path | None = None) -> Path:
    """Return the path of the error classifier in ``directory`` (default: models_dir())."""
    return (directory or models_dir()) / MODEL_FILENAME


def save_model(artefact: dict[str, Any], directory: Path) -> Path:
    """Write the artefact (pipeline plus metadata) to ``directory`` and return its path."""
    directory.mkdir(parents=True, exist_ok=True)
    path = model_path(directory)
    skops.io.dump(artefact, path, compression=zipfile.ZIP_DEFLATED, compresslevel=9)
    return path


def load_model(path: Path) -> dict[str, Any]:
    """Load an artefact written by save_model, trusting only TRUSTED_TYPES.

    Raises ModelNotFoundError with the training command when the file is missing, and
    skops' UntrustedTypesFoundException when it contains a type outside TRUSTED_TYPES.
    """
    if not path.is_file():
        raise ModelNotFoundError(
            f"no trained error classifier at {path}. Train it with "
            "`synctoscale nova train errors` or `python -m nova.errors.train`, or set "
            "NOVA_MODELS_DIR to the folder that holds error_classifier.skops."
        )
    artefact: dict[str, Any] = skops.io.load(path, trusted=TRUSTED_TYPES)
    return artefact
