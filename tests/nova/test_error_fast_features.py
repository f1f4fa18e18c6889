"""The compiled feature step builds exactly the rows of the fitted pipeline's features step."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nova.errors import ErrorClassifier
from nova.errors.fast_features import CompiledFeatures
from nova.errors.storage import load_model, model_path

RECORDS: list[dict[str, Any]] = [
    {
        "message": "User lacks write access to directory",
        "error_code": "invalid_permission",
        "provider": "google_directory",
        "http_status": 403,
    },
    {
        "message": "httpx.ReadTimeout: timed out",
        "error_code": "ReadTimeout",
        "provider": "bamboohr",
        "http_status": None,
    },
    {"message": "", "error_code": None, "provider": None, "http_status": None},
    {
        "message": "Ünïcödé façade — 東京 rate limit",
        "error_code": "E0000047",
        "provider": "okta",
        "http_status": 429,
    },
    {
        "message": "No such customer: cus_FAKE0000000042",
        "error_code": "resource_missing",
        "provider": "stripe",
        "http_status": 404,
    },
    {"message": "zzzz qqqq", "error_code": "", "provider": "", "http_status": 500},
]


@pytest.fixture(scope="module")
def pipeline() -> Any:
    return load_model(model_path())["pipeline"]


@pytest.fixture(scope="module")
def compiled(pipeline: Any) -> CompiledFeatures:
    return CompiledFeatures(pipeline)


def _assert_same_rows(pipeline: Any, compiled: CompiledFeatures, records: list[Any]) -> None:
    expected = pipeline[:-1].transform(records).toarray()
    actual = compiled.transform(records).toarray()

    assert actual.shape == expected.shape
    np.testing.assert_allclose(actual, expected, rtol=1e-12, atol=1e-12)


def test_compiled_rows_equal_pipeline(pipeline: Any, compiled: CompiledFeatures) -> None:
    _assert_same_rows(pipeline, compiled, RECORDS)


@pytest.mark.parametrize("record", RECORDS, ids=lambda record: repr(record["message"])[:30])
def test_compiled_single_row_equals_pipeline(
    pipeline: Any, compiled: CompiledFeatures, record: dict[str, Any]
) -> None:
    _assert_same_rows(pipeline, compiled, [record])


def test_compiled_empty_batch(compiled: CompiledFeatures) -> None:
    assert compiled.transform([]).shape == (0, compiled.n_features)


@settings(max_examples=40, deadline=None)
@given(
    message=st.text(max_size=120),
    code=st.one_of(st.none(), st.text(max_size=30)),
    status=st.one_of(st.none(), st.integers(min_value=100, max_value=599)),
)
def test_compiled_rows_match_for_any_text(
    pipeline: Any, compiled: CompiledFeatures, message: str, code: str | None, status: int | None
) -> None:
    record = {"message": message, "error_code": code, "provider": "x", "http_status": status}

    _assert_same_rows(pipeline, compiled, [record])


def test_batch_probabilities_equal_pipeline(pipeline: Any) -> None:
    classifier = ErrorClassifier.load()

    results = classifier.classify(RECORDS)
    expected = pipeline.predict_proba(RECORDS).max(axis=1)

    answered = [
        (result, probability)
        for result, probability in zip(results, expected, strict=True)
        if result.category != "unknown"
    ]
    assert len(answered) >= 3
    for result, probability in answered:
        assert result.confidence == pytest.approx(round(float(probability), 4))
