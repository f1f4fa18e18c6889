"""``GET /errors/{run_id}`` through a real server, with and without Nova's classifier."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import pytest

import nova
from synctoscale.engine import classify
from tests.synctoscale.conftest import LiveServer
from tests.synctoscale.workflows import create_workflow, echo_workflow, start_run, wait_for_run

PERMISSION_DENIED = {
    "_echo_fail": "permanent",
    "_echo_message": "User lacks write access to directory",
}


def test_failed_step_error_lookup(live_server_any_db: LiveServer) -> None:
    definition = echo_workflow("create_user_flow")
    definition["steps"][0]["id"] = "create_user"
    with live_server_any_db.client() as client:
        create_workflow(client, definition)
        run_id = start_run(client, "create_user_flow", PERMISSION_DENIED)
        run = wait_for_run(client, run_id)
        response = client.get(f"/errors/{run_id}")

    assert run["status"] == "failed"
    assert response.status_code == 200
    body = response.json()
    assert body["run_id"] == run_id
    assert body["step"] == "create_user"
    assert body["error_code"] == "invalid_request"
    assert body["message"] == "User lacks write access to directory"
    assert body["provider"] == "echo"
    assert body["provider_status"] == 400
    assert body["raw_response"]["error"]["message"] == "User lacks write access to directory"
    assert body["retryable"] is False
    assert body["run_status"] == "failed"
    assert len(body["errors"]) == 1


def test_run_without_error_is_404(live_server: LiveServer) -> None:
    with live_server.client() as client:
        create_workflow(client, echo_workflow("fine"))
        run_id = start_run(client, "fine", {})
        wait_for_run(client, run_id)
        response = client.get(f"/errors/{run_id}")

    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "no_error"
    assert "succeeded" in error["message"]


def test_unknown_run_error_is_404(live_server: LiveServer) -> None:
    with live_server.client() as client:
        response = client.get("/errors/run_0000000000000000")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "run_not_found"


def test_error_without_classifier_has_no_category(
    live_server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(classify._state, "available", True)
    monkeypatch.delattr(nova, "classify_error", raising=False)

    with live_server.client() as client:
        create_workflow(client, echo_workflow("flow"))
        run_id = start_run(client, "flow", PERMISSION_DENIED)
        wait_for_run(client, run_id)
        body = client.get(f"/errors/{run_id}").json()

    assert body["category"] is None
    assert body["recommended_fix"] is None
    assert classify._state["available"] is False


@dataclass
class _Classification:
    category: str
    recommended_fix: str


def test_error_carries_nova_classification(
    live_server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[dict[str, Any]] = []

    def classify_error(message: str, **context: Any) -> _Classification:
        calls.append({"message": message, **context})
        return _Classification("insufficient_permissions", "Re-authenticate with directory.write")

    monkeypatch.setitem(classify._state, "available", True)
    monkeypatch.setattr(nova, "classify_error", classify_error, raising=False)

    with live_server.client() as client:
        create_workflow(client, echo_workflow("flow"))
        run_id = start_run(client, "flow", PERMISSION_DENIED)
        wait_for_run(client, run_id)
        body = client.get(f"/errors/{run_id}").json()

    assert body["category"] == "insufficient_permissions"
    assert body["recommended_fix"] == "Re-authenticate with directory.write"
    assert calls == [
        {
            "message": "User lacks write access to directory",
            "error_code": "invalid_request",
            "provider": "echo",
            "http_status": 400,
            "raw_response": {
                "error": {
                    "code": "invalid_request",
                    "message": "User lacks write access to directory",
                }
            },
        }
    ]


def test_missing_model_file_degrades(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def classify_error(message: str, **context: Any) -> Any:
        raise FileNotFoundError("models/error_classifier.skops is missing")

    monkeypatch.setitem(classify._state, "available", True)
    monkeypatch.setattr(nova, "classify_error", classify_error, raising=False)

    with caplog.at_level(logging.WARNING, logger=classify.__name__):
        first = classify.diagnose("boom", error_code="x", provider=None, http_status=None)
        second = classify.diagnose("boom", error_code="x", provider=None, http_status=None)

    warnings = [record for record in caplog.records if record.name == classify.__name__]
    assert len(warnings) == 1
    assert "unavailable" in warnings[0].getMessage()
    assert first == classify.Diagnosis()
    assert second == classify.Diagnosis()
    assert classify._state["available"] is False
