"""``POST /nova/v1/mapping/suggest`` over real HTTP: the seed's shape, errors naming fields."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from nova.mapping.model import MODELS_DIR_VARIABLE
from tests.synctoscale.conftest import LiveServer

PATH = "/nova/v1/mapping/suggest"


def test_seed_example_over_http(live_server: LiveServer) -> None:
    body = {"source_fields": ["fname", "workEmail"], "target_fields": ["first_name", "email"]}

    with live_server.client() as client:
        response = client.post(PATH, json=body)

    assert response.status_code == 200
    result = response.json()
    assert result["suggested_mapping"] == {"first_name": "fname", "email": "workEmail"}
    assert result["unmapped_targets"] == []
    assert result["unmapped_sources"] == []
    assert result["candidates"]["email"][0]["source"] == "workEmail"
    assert result["suggestions"]["email"]["explanation"]
    assert set(result["thresholds"]) == {"suggest", "auto_accept"}


def test_payload_and_schema_over_http(live_server: LiveServer) -> None:
    body = {
        "source_payload": {
            "name": {"givenName": "Avery", "familyName": "Quill"},
            "email_consent": True,
            "hireDate": "2021-03-15",
        },
        "target_schema": {
            "first_name": "string",
            "last_name": "string",
            "email": "email",
            "start_date": "date",
        },
    }

    with live_server.client() as client:
        response = client.post(PATH, json=body)

    assert response.status_code == 200
    assert response.json()["suggested_mapping"] == {
        "first_name": "name.givenName",
        "last_name": "name.familyName",
        "email": None,
        "start_date": "hireDate",
    }
    assert response.json()["unmapped_sources"] == ["email_consent"]


def test_field_objects_and_samples_over_http(live_server: LiveServer) -> None:
    body = {
        "source_fields": [{"name": "contact", "type": "string"}, {"name": "optin"}],
        "target_fields": [{"name": "email", "type": "email"}],
        "samples": {
            "contact": ["avery.quill@example.com", "jordan.vale@example.com"],
            "optin": [True, False],
        },
    }

    with live_server.client() as client:
        response = client.post(PATH, json=body)

    assert response.status_code == 200
    assert response.json()["suggested_mapping"]["email"] != "optin"


@pytest.mark.parametrize(
    ("body", "fields", "message_part"),
    [
        ({"target_fields": ["email"]}, ["source_fields", "source_payload"], "is required"),
        (
            {"source_fields": ["a"], "source_payload": {"a": 1}, "target_fields": ["email"]},
            ["source_fields", "source_payload"],
            "not both",
        ),
        ({"source_fields": ["a"]}, ["target_fields", "target_schema"], "is required"),
        ({"source_fields": [], "target_fields": ["email"]}, ["source_fields"], "at least 1"),
        ({"source_fields": ["a"], "target_fields": []}, ["target_fields"], "at least 1"),
        ({"source_fields": [""], "target_fields": ["email"]}, ["source_fields[0]"], "at least 1"),
        (
            {"source_fields": ["a"], "target_schema": {"start": "day"}},
            ["target_schema"],
            "unknown type 'day'",
        ),
        ({"source_payload": {}, "target_fields": ["email"]}, ["source_payload"], "no fields"),
        ({"source_fields": ["a", "a"], "target_fields": ["email"]}, ["source_fields"], "twice"),
        ({"source_fields": ["a"], "target_fields": ["b"], "samples": "x"}, ["samples"], ""),
        ({"source_fields": ["a"], "target_fields": ["b"], "extra": 1}, ["extra"], "extra"),
    ],
)
def test_bad_body_is_422_naming_field(
    live_server: LiveServer, body: dict[str, Any], fields: list[str], message_part: str
) -> None:
    with live_server.client() as client:
        response = client.post(PATH, json=body)

    assert response.status_code == 422
    error = response.json()["error"]
    assert message_part in error["message"]
    named = [detail["field"] for detail in error["details"]]
    for field in fields:
        assert any(name.startswith(field) for name in named), (field, named)


def test_problem_names_request_field(live_server: LiveServer) -> None:
    body = {"source_fields": [{"name": "a", "type": "strng"}], "target_fields": ["b"]}
    with live_server.client() as client:
        response = client.post(PATH, json=body)

    error = response.json()["error"]
    assert response.status_code == 422
    assert error["message"].startswith(
        "Invalid source_fields: source_fields[0].type: unknown type 'strng'; use one of any,"
    )
    assert error["details"][0]["field"] == "source_fields"
    assert error["details"][0]["type"] == "invalid_fields"


FIELD_FORMS = "Input should be a field name or an object with 'name'"
SAMPLE_FORMS = (
    "Input should be an object of sample values per source field or a list of sample records"
)


@pytest.mark.parametrize(
    ("body", "field", "problem", "error_type"),
    [
        (
            {"source_fields": [{"type": "string"}], "target_fields": ["a"]},
            "source_fields[0].name",
            "Field required",
            "missing",
        ),
        (
            {"source_fields": ["a"], "target_fields": [5]},
            "target_fields[0]",
            f"{FIELD_FORMS}, not a number",
            "union_type",
        ),
        (
            {"source_fields": ["a"], "target_fields": ["a"], "samples": 5},
            "samples",
            f"{SAMPLE_FORMS}, not a number",
            "union_type",
        ),
        (
            {"source_fields": ["a"], "target_fields": ["a"], "samples": {"a": 5}},
            "samples.a",
            "Input should be a JSON array, not a number",
            "list_type",
        ),
        (
            {"source_fields": ["a"], "target_fields": ["a"], "samples": [{"a": 1}, "x"]},
            "samples[1]",
            "Input should be a JSON object, not a string",
            "dict_type",
        ),
        (
            {"source_fields": ["a"], "target_fields": ["a"], "source_payload": None,
             "samples": {"a.b": "x"}},
            'samples["a.b"]',
            "Input should be a JSON array, not a string",
            "list_type",
        ),
    ],
)  # fmt: skip
def test_union_field_gets_one_problem(
    live_server: LiveServer, body: dict[str, Any], field: str, problem: str, error_type: str
) -> None:
    with live_server.client() as client:
        response = client.post(PATH, json=body)

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["message"] == f"Invalid request: {field}: {problem}"
    assert error["details"] == [{"field": field, "problem": problem, "type": error_type}]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (
            {"source_fields": [f"field_{i}" for i in range(501)], "target_fields": ["email"]},
            "source_fields",
        ),
        (
            {"source_payload": {f"field_{i}": i for i in range(501)}, "target_fields": ["email"]},
            "source_payload",
        ),
        (
            {"source_fields": ["a"], "target_fields": [f"field_{i}" for i in range(201)]},
            "target_fields",
        ),
    ],
)
def test_too_many_fields_is_422(live_server: LiveServer, body: dict[str, Any], field: str) -> None:
    with live_server.client() as client:
        response = client.post(PATH, json=body)

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "too_many_fields"
    assert error["details"][0]["field"] == field


def test_suggest_needs_token(live_server: LiveServer) -> None:
    with live_server.client(token="sts_bad_token") as client:
        response = client.post(PATH, json={"source_fields": ["a"], "target_fields": ["b"]})

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"


def test_missing_model_is_503(
    live_server: LiveServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(MODELS_DIR_VARIABLE, str(tmp_path))

    with live_server.client() as client:
        response = client.post(PATH, json={"source_fields": ["a"], "target_fields": ["b"]})

    assert response.status_code == 503
    error = response.json()["error"]
    assert error["code"] == "model_unavailable"
    assert "synctoscale nova train mapping" in error["message"]
