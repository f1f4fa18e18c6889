"""``POST /nova/v1/errors/classify`` through a real uvicorn server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

import nova.errors.classifier
from synctoscale.api.nova_errors import MAX_BATCH_ERRORS
from tests.synctoscale.conftest import LiveServer
from tests.synctoscale.connections import create_connection

PATH = "/nova/v1/errors/classify"


def _rejected(live_server: LiveServer, body: dict[str, object]) -> dict[str, Any]:
    """Post ``body``, check that it is a 422 validation error, and return the error object."""
    with live_server.client() as client:
        response = client.post(PATH, json=body)

    assert response.status_code == 422
    error: dict[str, Any] = response.json()["error"]
    assert error["code"] == "validation_error"
    return error
EXAMPLE_ERROR = {
    "message": "User lacks write access to directory",
    "error_code": "invalid_permission",
    "provider": "google_directory",
    "http_status": 403,
}


def test_single_error_is_classified(live_server: LiveServer) -> None:
    with live_server.client() as client:
        response = client.post(PATH, json=EXAMPLE_ERROR)

    assert response.status_code == 200
    body = response.json()
    assert body["category"] == "insufficient_permissions"
    assert "directory.write" in body["recommended_fix"]
    assert body["parameters"]["missing_permission"] == "directory.write"
    assert body["retryable"] is False
    assert 0.0 < body["confidence"] <= 1.0
    assert set(body["runner_up"]) == {"category", "probability"}


def test_message_only_is_accepted(live_server: LiveServer) -> None:
    with live_server.client() as client:
        response = client.post(PATH, json={"message": "httpx.ReadTimeout: timed out"})

    assert response.status_code == 200
    assert response.json()["category"] == "timeout"


def test_batch_returns_one_result_per_error(live_server: LiveServer) -> None:
    errors = [
        EXAMPLE_ERROR,
        {
            "message": "The request has been ratelimited. Retry-After: 30",
            "provider": "slack",
            "http_status": 429,
        },
        {"message": "asdf qwerty"},
    ]

    with live_server.client() as client:
        response = client.post(PATH, json={"errors": errors})

    assert response.status_code == 200
    results = response.json()["results"]
    assert [result["category"] for result in results] == [
        "insufficient_permissions",
        "rate_limited",
        "unknown",
    ]
    assert "30s" in results[1]["recommended_fix"]


def test_empty_batch_returns_no_results(live_server: LiveServer) -> None:
    with live_server.client() as client:
        response = client.post(PATH, json={"errors": []})

    assert response.status_code == 200
    assert response.json() == {"results": []}


@pytest.mark.parametrize(
    ("body", "field_part"),
    [
        ({}, "message"),
        ({"error_code": "invalid_permission"}, "message"),
        ({"message": 42}, "message"),
        ({"message": "x", "http_status": 42}, "http_status"),
        ({"message": "x", "http_status": "forbidden"}, "http_status"),
        ({"message": "x", "http_status": "403"}, "http_status"),
        ({"message": "x", "http_status": True}, "http_status"),
        ({"errors": [{"message": "x", "http_status": "429"}]}, "errors[0].http_status"),
        ({"message": "x", "colour": "red"}, "colour"),
        ({"message": "x", "errors": [{"message": "y"}]}, "errors"),
        ({"errors": [{"error_code": "x"}]}, "errors[0].message"),
        ({"errors": "not a list"}, "errors"),
        ({"errors": None}, "errors"),
        ({"message": "x" * 20_001}, "message"),
    ],
)
def test_malformed_body_is_422_naming_field(
    live_server: LiveServer, body: dict[str, object], field_part: str
) -> None:
    error = _rejected(live_server, body)

    assert field_part in error["message"] or any(field_part in d["field"] for d in error["details"])


LONG_MESSAGE_FIX = (
    "characters is over the limit of 20000; send the provider's error text, not its whole "
    "response body, and cut it to 20000 characters if it is still longer"
)


@pytest.mark.parametrize(
    ("body", "field", "length"),
    [
        ({"message": "x" * 900_000}, "message", 900_000),
        ({"errors": [{"message": "ok"}, {"message": "x" * 20_001}]}, "errors[1].message", 20_001),
    ],
)
def test_long_message_is_422_with_fix(
    live_server: LiveServer, body: dict[str, object], field: str, length: int
) -> None:
    with live_server.client() as client:
        response = client.post(PATH, json=body)

    problem = f"{length} {LONG_MESSAGE_FIX}"
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["message"] == f"Invalid request: {field}: {problem}"
    assert error["details"] == [{"field": field, "problem": problem, "type": "string_too_long"}]


def test_message_at_limit_is_accepted(live_server: LiveServer) -> None:
    message = "Channel has been archived. " + "x" * (20_000 - 27)

    with live_server.client() as client:
        response = client.post(PATH, json={"message": message})

    assert len(message) == 20_000
    assert response.status_code == 200
    assert response.json()["category"]


def test_batch_over_limit_is_422(live_server: LiveServer) -> None:
    errors = [{"message": "timeout"}] * (MAX_BATCH_ERRORS + 1)

    with live_server.client() as client:
        response = client.post(PATH, json={"errors": errors})

    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "errors"


def test_batch_at_limit_is_accepted(live_server: LiveServer) -> None:
    errors = [
        {"message": "Channel has been archived.", "error_code": "is_archived"}
    ] * MAX_BATCH_ERRORS

    with live_server.client() as client:
        response = client.post(PATH, json={"errors": errors})

    assert response.status_code == 200
    assert len(response.json()["results"]) == MAX_BATCH_ERRORS


@pytest.mark.parametrize(
    ("body", "field", "problem"),
    [
        ({"run_id": "r" * 5000}, "run_id", "at most 100 characters are allowed, not 5000"),
        (
            {"errors": [{"message": "timeout"}] * (MAX_BATCH_ERRORS + 1)},
            "errors",
            f"at most {MAX_BATCH_ERRORS} errors are allowed, not {MAX_BATCH_ERRORS + 1}",
        ),
    ],
)
def test_length_limit_names_unit(
    live_server: LiveServer, body: dict[str, object], field: str, problem: str
) -> None:
    error = _rejected(live_server, body)

    assert error["message"] == f"Invalid request: {field}: {problem}"
    assert error["details"] == [{"field": field, "problem": problem, "type": "too_long"}]


def test_invalid_json_is_400(live_server: LiveServer) -> None:
    with live_server.client() as client:
        response = client.post(
            PATH, content=b'{"message": ', headers={"Content-Type": "application/json"}
        )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_json"


def test_request_without_token_is_401(live_server: LiveServer) -> None:
    response = httpx.post(f"{live_server.base_url}{PATH}", json=EXAMPLE_ERROR, timeout=30.0)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"


def test_missing_model_is_503_without_path(
    live_server: LiveServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("NOVA_MODELS_DIR", str(tmp_path))
    monkeypatch.setattr(nova.errors.classifier, "_default", None)

    with live_server.client() as client:
        response = client.post(PATH, json=EXAMPLE_ERROR)

    assert response.status_code == 503
    error = response.json()["error"]
    assert error["code"] == "model_unavailable"
    assert str(tmp_path) not in error["message"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"message": ""}, "message"),
        ({"message": "   ", "provider": "slack"}, "message"),
        ({"message": "", "error_code": "  "}, "message"),
        ({"errors": [{"message": "ok"}, {"message": ""}]}, "errors[1].message"),
    ],
)
def test_empty_message_is_422(live_server: LiveServer, body: dict, field: str) -> None:
    with live_server.client() as client:
        response = client.post("/nova/v1/errors/classify", json=body)

    problem = (
        "empty or only whitespace; send the provider's error text, or its error_code or "
        "http_status if the provider sent no text"
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["message"] == f"Invalid request: {field}: {problem}"
    assert error["details"] == [{"field": field, "problem": problem, "type": "string_blank"}]


def test_empty_message_with_code_is_classified(live_server: LiveServer) -> None:
    single = {"message": "", "error_code": "invalid_auth", "provider": "slack"}
    batch = {"errors": [single, {"message": " ", "http_status": 429}]}

    with live_server.client() as client:
        single_response = client.post("/nova/v1/errors/classify", json=single)
        batch_response = client.post("/nova/v1/errors/classify", json=batch)

    results = batch_response.json()["results"]
    assert single_response.status_code == 200
    assert single_response.json()["category"] == "invalid_credentials"
    assert batch_response.status_code == 200
    assert len(results) == 2
    assert results[0]["category"] == "invalid_credentials"
    # A bare 429 sits near the unknown threshold, so rate_limited is the category or the runner-up.
    bare_status = results[1]
    assert "rate_limited" in {bare_status["category"], bare_status["runner_up"]["category"]}


@pytest.mark.parametrize(
    ("body", "category", "field"),
    [
        (
            {"provider": "slack", "action": "post_message", "payload": {"text": "hi"}},
            "validation_error",
            "'channel'",
        ),
        (
            {
                "provider": "hubspot",
                "action": "create_contact",
                "payload": {"email": "ada@example.com"},
                "mapping": {"email": "work_email"},
            },
            "mapping_error",
            "'work_email'",
        ),
        (
            {
                "provider": "hubspot",
                "action": "create_contact",
                "payload": {},
                "connection_id": "x",
            },
            "configuration_error",
            "'x'",
        ),
    ],
)
def test_action_error_code_is_classified(
    sandbox_server: LiveServer, body: dict[str, Any], category: str, field: str
) -> None:
    with sandbox_server.client() as client:
        create_connection(client, body["provider"])
        error = client.post("/actions/run", json=body).json()["error"]
        request = {"message": error["message"], "error_code": error["code"]}
        response = client.post(PATH, json={**request, "provider": body["provider"]})

    result = response.json()
    assert response.status_code == 200
    assert result["category"] == category
    assert result["confidence"] == 1.0
    assert field in result["recommended_fix"]


@pytest.mark.parametrize("body", [{}, {"error_code": "invalid_permission"}])
def test_missing_message_names_field(live_server: LiveServer, body: dict[str, object]) -> None:
    with live_server.client() as client:
        response = client.post(PATH, json=body)

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["details"][0]["field"] == "message"
    assert "a batch as 'errors', or a 'run_id'" in error["message"]


@pytest.mark.parametrize("body", [{"message": None}, {"message": None, "http_status": 403}])
def test_null_message_says_null(live_server: LiveServer, body: dict[str, object]) -> None:
    with live_server.client() as client:
        response = client.post(PATH, json=body)

    problem = "is null: send the provider's error text as a string"
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["message"] == f"Invalid request: message: {problem}"
    assert error["details"] == [{"field": "message", "problem": problem, "type": "string_type"}]


@pytest.mark.parametrize(
    ("body", "details"),
    [
        (
            {"errors": [{}]},
            [{"field": "errors[0].message", "type": "missing",
              "problem": "is missing: send the provider's error text"}],
        ),
        (
            {"errors": [{"message": "ok"}, {"http_status": "403"}]},
            [
                {"field": "errors[1].message", "type": "missing",
                 "problem": "is missing: send the provider's error text"},
                {"field": "errors[1].http_status", "type": "int_type",
                 "problem": "Input should be an integer, not a string. "
                            "Send it as a JSON number, without quotes"},
            ],
        ),
        (
            {"errors": [{"message": None}]},
            [{"field": "errors[0].message", "type": "string_type",
              "problem": "is null: send the provider's error text as a string"}],
        ),
        (
            {"errors": [{"message": 5}]},
            [{"field": "errors[0].message", "type": "string_type",
              "problem": "is not a string: send the provider's error text as a string"}],
        ),
        (
            {"message": 5},
            [{"field": "message", "type": "string_type",
              "problem": "is not a string: send the provider's error text as a string"}],
        ),
        (
            {"run_id": None},
            [{"field": "run_id", "type": "string_type",
              "problem": "is null: send the id of a run from GET /runs, or leave it out"}],
        ),
        (
            {"errors": [{"error_code": "x" * 201}]},
            [
                {"field": "errors[0].message", "type": "missing",
                 "problem": "is missing: send the provider's error text"},
                {"field": "errors[0].error_code", "type": "string_too_long",
                 "problem": "String should have at most 200 characters"},
            ],
        ),
    ],
)
def test_batch_missing_message_wording(
    live_server: LiveServer, body: dict[str, object], details: list[dict[str, str]]
) -> None:
    error = _rejected(live_server, body)

    assert error["details"] == details
    assert error["message"].startswith(
        f"Invalid request: {details[0]['field']}: {details[0]['problem']}"
    )


@pytest.mark.parametrize(
    "body",
    [
        {"message": "Rate limit exceeded", "http_status": 429, "errors": None, "run_id": None},
        {"errors": [{"message": "Rate limit exceeded", "http_status": 429}], "run_id": None},
    ],
)
def test_null_other_forms_are_ignored(live_server: LiveServer, body: dict[str, object]) -> None:
    with live_server.client() as client:
        response = client.post(PATH, json=body)

    assert response.status_code == 200
    result = response.json()
    first = result["results"][0] if "results" in result else result
    assert first["category"] == "rate_limited"


def test_empty_body_names_forms(live_server: LiveServer) -> None:
    with live_server.client() as client:
        response = client.post(PATH, content=b"", headers={"Content-Type": "application/json"})

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["message"].startswith("Invalid request: body: is empty; send a JSON object with ")
    assert "'message'" in error["message"]
    assert "'errors'" in error["message"]
    assert "'run_id'" in error["message"]
    assert error["details"][0]["field"] == ""


@pytest.mark.parametrize("run_id", ["", "   "])
def test_blank_run_id_is_422(live_server: LiveServer, run_id: str) -> None:
    with live_server.client() as client:
        response = client.post(PATH, json={"run_id": run_id})

    problem = "empty or only whitespace; send the id of a run, as listed by GET /runs"
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["details"] == [{"field": "run_id", "problem": problem, "type": "string_blank"}]


def test_non_utf8_body_names_byte(live_server: LiveServer) -> None:
    body = '{"message": "Zugriff verweigert für Benutzer"}'.encode("latin-1")
    with live_server.client() as client:
        response = client.post(PATH, content=body, headers={"Content-Type": "application/json"})

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_json"
    assert error["message"] == (
        "The request body is not UTF-8 text: the byte 0xfc at offset 33 (counting from 0) is "
        "invalid in UTF-8; encode the JSON as UTF-8."
    )
    assert error["details"] == {"position": 33}


@pytest.mark.parametrize(
    ("content", "field"),
    [
        (b'{"message": "x", "http_status": 1' + b"0" * 5000 + b"}", "http_status"),
        (b'{"errors": [{"message": "x", "http_status": 4' + b"0" * 5000 + b"}]}",
         "errors[0].http_status"),
    ],
)
def test_overlong_integer_names_field(live_server: LiveServer, content: bytes, field: str) -> None:
    with live_server.client() as client:
        response = client.post(PATH, content=content, headers={"Content-Type": "application/json"})

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_number"
    assert error["details"]["field"] == field
    assert error["message"].startswith(f"{field}: the integer ")
    assert "5001 digits" in error["message"]
    assert "set_int_max_str_digits" not in error["message"]
