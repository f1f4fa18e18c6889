"""``synctoscale nova train errors`` trains, evaluates and saves the error classifier."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nova.errors import ErrorClassifier
from nova.errors.storage import METRICS_FILENAME, model_path
from synctoscale.cli import main


def test_train_errors_quick_writes_model(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    models = tmp_path / "models"

    status = main(
        [
            "--data-dir",
            str(tmp_path / "data"),
            "nova",
            "train",
            "errors",
            "--quick",
            "--models-dir",
            str(models),
        ]
    )

    assert status == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["setting"] == "quick"
    assert json.loads((models / METRICS_FILENAME).read_text()) == printed
    result = ErrorClassifier.load(model_path(models)).classify(
        [{"message": "httpx.ReadTimeout: timed out"}]
    )[0]
    assert result.category == "timeout"
