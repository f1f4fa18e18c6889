"""``validate`` steps run mapkit inside a run, through a real server."""

from __future__ import annotations

from typing import Any

from tests.synctoscale.conftest import LiveServer
from tests.synctoscale.workflows import create_workflow, start_run, wait_for_run


def _checked_workflow(coerce: bool) -> dict[str, Any]:
    return {
        "id": "checked",
        "steps": [
            {
                "id": "check",
                "type": "validate",
                "expected_schema": {"email": "email", "start_date": "date"},
                "coerce": coerce,
            },
            {
                "id": "send",
                "type": "action",
                "provider": "echo",
                "action": "echo",
                "mapping": {"start": "steps.check.output.start_date", "email": "email"},
            },
        ],
    }


def test_valid_payload_passes_canonical_data_on(live_server: LiveServer) -> None:
    payload = {"email": "jordan@example.com", "start_date": "2025-01-12T00:00:00Z"}
    with live_server.client() as client:
        create_workflow(client, _checked_workflow(coerce=True))
        run = wait_for_run(client, start_run(client, "checked", payload))

    assert run["status"] == "succeeded"
    assert run["steps"][0]["output"]["start_date"] == "2025-01-12"
    assert run["steps"][1]["output"] == {"start": "2025-01-12", "email": "jordan@example.com"}


def test_invalid_payload_fails_step_with_issues(live_server: LiveServer) -> None:
    payload = {"email": "jordan@example.com", "start_date": "12/01/2025"}
    with live_server.client() as client:
        create_workflow(client, _checked_workflow(coerce=False))
        run_id = start_run(client, "checked", payload)
        run = wait_for_run(client, run_id)
        error = client.get(f"/errors/{run_id}").json()

    assert run["status"] == "failed"
    assert run["steps"][0]["attempts"] == 1
    assert run["steps"][1]["status"] == "pending"
    assert error["step"] == "check"
    assert error["error_code"] == "validation_failed"
    assert "start_date" in error["message"]
    issues = error["raw_response"]["issues"]
    assert [issue["field"] for issue in issues] == ["start_date"]


# A payload, how many issues mapkit reports for it, and the message of the failed step.
FAILURE_MESSAGES = [
    (
        {"email": "jordan@example.com", "start_date": "12/01/2025", "nickname": "J", "team": "HR"},
        3,
        "The payload does not match the expected schema (1 error, in: start_date). "
        "It also has 2 warnings, which do not fail the step.",
    ),
    (
        {"email": "jordan@example.com", "start_date": "12/01/2025", "nickname": "J"},
        2,
        "The payload does not match the expected schema (1 error, in: start_date). "
        "It also has 1 warning, which does not fail the step.",
    ),
    (
        {"email": "not-an-email", "start_date": "12/01/2025"},
        2,
        "The payload does not match the expected schema (2 errors, in: email, start_date).",
    ),
]


def test_failure_message_counts_errors_only(live_server: LiveServer) -> None:
    """Unexpected fields are warnings, which the message counts apart from the errors."""
    with live_server.client() as client:
        create_workflow(client, _checked_workflow(coerce=False))
        for payload, issue_count, expected in FAILURE_MESSAGES:
            run_id = start_run(client, "checked", payload)
            run = wait_for_run(client, run_id)
            error = client.get(f"/errors/{run_id}").json()

            assert run["status"] == "failed"
            assert run["error"]["message"] == expected
            assert run["steps"][0]["error"]["message"] == expected
            assert error["message"] == expected
            assert len(error["raw_response"]["issues"]) == issue_count


def test_invalid_expected_schema_is_422(live_server: LiveServer) -> None:
    definition = {
        "id": "bad_schema",
        "steps": [{"id": "check", "type": "validate", "expected_schema": {"a": "bogus"}}],
    }
    with live_server.client() as client:
        response = client.post("/workflows", json=definition)

    assert response.status_code == 422
    message = response.json()["error"]["message"]
    assert "'check'" in message
    assert "bogus" in message
