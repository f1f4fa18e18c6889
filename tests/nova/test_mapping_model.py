"""The committed mapping model: trusted types only, and the metrics it records."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import skops.io

from nova.mapping.dataset import case_rows, load_cases
from nova.mapping.evaluation import mapping_metrics, predict_mapping
from nova.mapping.lexicon import load_lexicon
from nova.mapping.model import (
    METRICS_FILE,
    MODEL_FILE,
    MODELS_DIR_VARIABLE,
    TRUSTED_TYPES,
    load_model,
    models_dir,
)

REPOSITORY_MODELS = Path(__file__).resolve().parents[2] / "models"


@pytest.fixture(scope="module")
def recorded() -> dict:
    return json.loads((REPOSITORY_MODELS / METRICS_FILE).read_text(encoding="utf-8"))


def test_model_needs_only_listed_types() -> None:
    untrusted = skops.io.get_untrusted_types(file=REPOSITORY_MODELS / MODEL_FILE)

    assert sorted(untrusted) == sorted(TRUSTED_TYPES)


def test_model_refuses_unlisted_types() -> None:
    with pytest.raises(skops.io.exceptions.UntrustedTypesFoundException):
        skops.io.load(REPOSITORY_MODELS / MODEL_FILE, trusted=[])


def test_recorded_metrics_meet_targets(recorded: dict) -> None:
    assert recorded["evaluation"] == "leave one system pair out"
    assert recorded["quick"] is False
    assert recorded["f1"] >= 0.90
    assert recorded["auto_accept_precision"] >= 0.95


def test_model_thresholds_match_metrics(recorded: dict) -> None:
    model = load_model(REPOSITORY_MODELS / MODEL_FILE)

    assert model.suggest_threshold == recorded["suggest_threshold"]
    assert model.auto_accept_threshold == recorded["auto_accept_threshold"]


def test_model_meets_recorded_metrics_on_its_data(recorded: dict) -> None:
    # On the pairs it was trained on the model must do at least as well as on unseen pairs.
    model = load_model(REPOSITORY_MODELS / MODEL_FILE)
    lexicon = load_lexicon()
    cases = load_cases()

    predictions = []
    for case in cases:
        features, _ = case_rows(case, lexicon)
        scores = model.score(features).reshape(len(case.target), len(case.source))
        predictions.append(predict_mapping(case, scores, model.suggest_threshold))
    metrics = mapping_metrics(cases, predictions, model.auto_accept_threshold)

    assert metrics.targets == recorded["targets"]
    assert metrics.f1 >= recorded["f1"]
    assert metrics.auto_accept_precision >= recorded["auto_accept_precision"]


def test_scores_are_probabilities() -> None:
    model = load_model(REPOSITORY_MODELS / MODEL_FILE)
    features, _ = case_rows(load_cases()[0], load_lexicon())

    scores = model.score(features)

    assert np.all((scores >= 0.0) & (scores <= 1.0))


def test_models_dir_honours_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(MODELS_DIR_VARIABLE, str(tmp_path))

    assert models_dir() == tmp_path


def test_models_dir_defaults_to_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(MODELS_DIR_VARIABLE, raising=False)

    assert models_dir() == REPOSITORY_MODELS
