"""Nova's real classifier on run errors: ``GET /errors/{run_id}`` and classify by ``run_id``."""

from __future__ import annotations

from typing import Any

import pytest

import nova
from synctoscale.engine import classify
from synctoscale.store.projects import create_project, create_token
from tests.synctoscale.conftest import LiveServer
from tests.synctoscale.workflows import create_workflow, echo_workflow, start_run, wait_for_run

PERMISSION_DENIED = {
    "_echo_fail": "permanent",
    "_echo_message": "User lacks write access to directory",
}


def expected_classification() -> nova.Classification:
    """What the installed model says of the error the echo provider stores (a 400)."""
    return nova.classify_error(
        "User lacks write access to directory",
        error_code="invalid_request",
        provider="echo",
        http_status=400,
    )


@pytest.fixture(autouse=True)
def classifier_available(monkeypatch: pytest.MonkeyPatch) -> None:
    """Undo an earlier test's 'unavailable' mark, so the real model is asked."""
    monkeypatch.setitem(classify._state, "available", True)


def failed_run(server: LiveServer) -> str:
    definition = echo_workflow("create_user_flow")
    definition["steps"][0]["id"] = "create_user"
    return run_to_failure(server, definition, PERMISSION_DENIED)


def run_to_failure(server: LiveServer, definition: dict[str, Any], payload: Any) -> str:
    """Create the workflow, run it with ``payload`` and return the id of the failed run."""
    with server.client() as client:
        create_workflow(client, definition)
        run_id = start_run(client, definition["id"], payload)
        assert wait_for_run(client, run_id)["status"] == "failed"
    return run_id


def test_error_lookup_has_real_category(live_server: LiveServer) -> None:
    run_id = failed_run(live_server)

    with live_server.client() as client:
        body = client.get(f"/errors/{run_id}").json()

    expected = expected_classification()
    assert body["category"] == expected.category
    assert body["recommended_fix"] == expected.recommended_fix


def test_classify_by_run_id(live_server: LiveServer) -> None:
    run_id = failed_run(live_server)

    with live_server.client() as client:
        response = client.post("/nova/v1/errors/classify", json={"run_id": run_id})

    assert response.status_code == 200
    body = response.json()
    assert body["run_id"] == run_id
    assert body["step"] == "create_user"
    assert body["error_code"] == "invalid_request"
    assert body["message"] == "User lacks write access to directory"
    expected = expected_classification()
    assert body["category"] == expected.category
    assert body["recommended_fix"] == expected.recommended_fix
    assert body["confidence"] == pytest.approx(expected.confidence)


def test_classify_run_of_other_project_is_404(live_server: LiveServer) -> None:
    run_id = failed_run(live_server)
    with live_server.database.session() as session:
        _row, other_token = create_token(session, create_project(session, "other"))

    with live_server.client(other_token) as client:
        response = client.post("/nova/v1/errors/classify", json={"run_id": run_id})

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "run_not_found"


def test_classify_run_without_error_is_404(live_server: LiveServer) -> None:
    with live_server.client() as client:
        create_workflow(client, echo_workflow("fine"))
        run_id = start_run(client, "fine", {})
        wait_for_run(client, run_id)
        response = client.post("/nova/v1/errors/classify", json={"run_id": run_id})

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "no_error"


def test_run_id_with_message_is_422(live_server: LiveServer) -> None:
    with live_server.client() as client:
        response = client.post(
            "/nova/v1/errors/classify", json={"run_id": "run_1", "message": "boom"}
        )

    assert response.status_code == 422
    assert "not several" in response.json()["error"]["message"]


def validate_workflow() -> dict[str, Any]:
    check = {
        "id": "check",
        "type": "validate",
        "expected_schema": {"email": "email", "start_date": "date", "employee_id": "string"},
    }
    return {"id": "hire_flow", "trigger": {"type": "manual"}, "steps": [check]}


def failed_validation_run(server: LiveServer) -> str:
    payload = {"email": "ada@example.com", "start_date": "2025-02-30"}
    return run_to_failure(server, validate_workflow(), payload)


def test_validate_step_error_is_classified(live_server: LiveServer) -> None:
    run_id = failed_validation_run(live_server)

    with live_server.client() as client:
        body = client.get(f"/errors/{run_id}").json()

    assert body["error_code"] == "validation_failed"
    assert body["category"] == "validation_error"
    assert body["recommended_fix"] == (
        "Correct start_date (expected YYYY-MM-DD) and employee_id (missing, expected string) "
        "in the payload, or change the validate step's expected_schema, then re-run."
    )


def test_classify_validate_step_by_run_id(live_server: LiveServer) -> None:
    run_id = failed_validation_run(live_server)

    with live_server.client() as client:
        response = client.post("/nova/v1/errors/classify", json={"run_id": run_id})

    body = response.json()
    assert response.status_code == 200
    assert body["step"] == "check"
    assert body["category"] == "validation_error"
    assert body["confidence"] == 1.0
    assert body["recommended_fix"] == (
        "Correct start_date (expected YYYY-MM-DD) and employee_id (missing, expected string) "
        "in the payload, or change the validate step's expected_schema, then re-run."
    )
