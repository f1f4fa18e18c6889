"""train_and_save: the entry point the CLI calls, on its small setting."""

from __future__ import annotations

import json
from pathlib import Path

from nova.mapping.model import METRICS_FILE, MODEL_FILE, load_model
from nova.mapping.train import train_and_save


def test_quick_training_writes_model_and_metrics(tmp_path: Path) -> None:
    metrics = train_and_save(tmp_path, quick=True)

    assert (tmp_path / MODEL_FILE).is_file()
    assert json.loads((tmp_path / METRICS_FILE).read_text(encoding="utf-8")) == metrics
    assert metrics["quick"] is True
    assert metrics["system_pairs"] >= 30
    assert 0.0 <= metrics["f1"] <= 1.0
    assert metrics["suggest_threshold"] <= metrics["auto_accept_threshold"]

    model = load_model(tmp_path / MODEL_FILE)
    assert model.suggest_threshold == metrics["suggest_threshold"]
