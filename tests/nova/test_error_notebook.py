"""The retraining notebook runs end to end on the small setting and writes a usable model."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from nova.errors import ErrorClassifier
from nova.errors.storage import METRICS_FILENAME, model_path

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "retrain_error_classifier.ipynb"


@pytest.mark.notebook
def test_retraining_notebook_writes_loadable_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NOVA_QUICK", "1")
    monkeypatch.setenv("NOVA_MODELS_DIR", str(tmp_path))
    notebook = nbformat.read(NOTEBOOK, as_version=4)

    client = NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()

    metrics = json.loads((tmp_path / METRICS_FILENAME).read_text())
    assert metrics["setting"] == "quick"
    assert metrics["grouped_cv"]["macro_f1"] > 0.5
    assert (tmp_path / "error_classifier.confusion.png").stat().st_size > 0
    classifier = ErrorClassifier.load(model_path(tmp_path))
    result = classifier.classify(
        [
            {
                "message": "User lacks write access to directory",
                "error_code": "invalid_permission",
                "provider": "google_directory",
                "http_status": 403,
            }
        ]
    )[0]
    assert result.category == "insufficient_permissions"
    assert "directory.write" in result.recommended_fix
