"""The mapping notebook runs end to end on its small setting, writing only into a temp dir."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from nova.mapping.model import METRICS_FILE, MODEL_FILE

REPOSITORY = Path(__file__).resolve().parents[2]
NOTEBOOK = REPOSITORY / "notebooks" / "mapping_model.ipynb"


@pytest.mark.notebook
def test_notebook_trains_into_temp_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    committed = REPOSITORY / "models" / MODEL_FILE
    committed_bytes = committed.read_bytes()
    monkeypatch.setenv("NOVA_QUICK", "1")
    monkeypatch.setenv("NOVA_MODELS_DIR", str(tmp_path))

    notebook = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(
        notebook,
        timeout=900,
        kernel_name="python3",
        resources={"metadata": {"path": str(REPOSITORY)}},
    ).execute()

    assert (tmp_path / MODEL_FILE).is_file()
    metrics = json.loads((tmp_path / METRICS_FILE).read_text(encoding="utf-8"))
    assert metrics["quick"] is True
    assert (tmp_path / "figures" / "calibration_and_threshold.png").is_file()
    assert committed.read_bytes() == committed_bytes
