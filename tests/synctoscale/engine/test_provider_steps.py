"""Workflows that call real connectors: a BambooHR event into HubSpot, against the sandbox."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from synctoscale.engine import classify
from tests.synctoscale.conftest import LiveServer, Sandbox
from tests.synctoscale.connections import HUBSPOT_TOKEN, create_connection
from tests.synctoscale.workflows import create_workflow, wait_for_run

EVENT = {
    "provider": "bamboohr",
    "event_type": "employee.updated",
    "payload": {
        "id": "9981",
        "email": "updated@example.com",
        "first_name": "Jordan",
        "last_name": "Lee",
    },
}


def sync_to_hr(connection_id: str, **retry: float) -> dict[str, Any]:
    """Return the event workflow: validate the employee, then create a HubSpot contact."""
    return {
        "id": "sync_to_hr",
        "trigger": {"type": "event", "provider": "bamboohr", "event_type": "employee.updated"},
        "steps": [
            {
                "id": "check",
                "type": "validate",
                "expected_schema": {"email": "email", "id": "string"},
            },
            {
                "id": "create_contact",
                "type": "action",
                "provider": "hubspot",
                "action": "create_contact",
                "connection_id": connection_id,
                "mapping": {
                    "email": "steps.check.output.email",
                    "firstname": "first_name",
                    "lastname": "last_name",
                },
                "constants": {"lifecyclestage": "lead"},
                "retry": {"max_attempts": 3, **retry},
            },
        ],
    }


def _hubspot_contacts(sandbox: Sandbox, email: str) -> list[dict[str, Any]]:
    response = httpx.post(
        f"{sandbox.urls['hubspot']}/crm/v3/objects/contacts/search",
        json={
            "filterGroups": [
                {"filters": [{"propertyName": "email", "value": email, "operator": "EQ"}]}
            ]
        },
        headers={"Authorization": f"Bearer {HUBSPOT_TOKEN}"},
    )
    return list(response.json()["results"])


def _send(client: httpx.Client, payload: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/triggers/event", json={**EVENT, "payload": payload})
    assert response.status_code == 202, response.text
    return wait_for_run(client, response.json()["run_id"])


def test_event_creates_hubspot_contact(sandbox_server_any_db: LiveServer, sandbox: Sandbox) -> None:
    with sandbox_server_any_db.client() as client:
        connection = create_connection(client, "hubspot")
        create_workflow(client, sync_to_hr(connection["id"]))
        run = _send(client, EVENT["payload"])

    contacts = _hubspot_contacts(sandbox, "updated@example.com")
    output = run["steps"][1]["output"]
    assert run["status"] == "succeeded"
    assert [step["status"] for step in run["steps"]] == ["succeeded", "succeeded"]
    assert len(contacts) == 1
    assert output["record_id"] == contacts[0]["id"]
    assert contacts[0]["properties"]["firstname"] == "Jordan"
    assert contacts[0]["properties"]["lifecyclestage"] == "lead"


def test_duplicate_contact_error_lookup(
    sandbox_server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(classify._state, "available", True)
    with sandbox_server.client() as client:
        connection = create_connection(client, "hubspot")
        create_workflow(client, sync_to_hr(connection["id"]))
        first = _send(client, EVENT["payload"])
        second = _send(client, EVENT["payload"])
        lookup = client.get(f"/errors/{second['run_id']}")

    body = lookup.json()
    existing = first["steps"][1]["output"]["record_id"]
    assert second["status"] == "failed"
    assert lookup.status_code == 200
    assert body["step"] == "create_contact"
    assert body["error_code"] == "CONFLICT"
    assert body["provider"] == "hubspot"
    assert body["provider_status"] == 409
    assert body["retryable"] is False
    assert f"Existing ID: {existing}" in body["message"]
    assert body["raw_response"]["category"] == "CONFLICT"
    assert body["category"] == "duplicate_record"
    assert existing in body["recommended_fix"]
    assert HUBSPOT_TOKEN not in lookup.text


def test_invalid_email_stops_before_provider(sandbox_server: LiveServer, sandbox: Sandbox) -> None:
    with sandbox_server.client() as client:
        connection = create_connection(client, "hubspot")
        create_workflow(client, sync_to_hr(connection["id"]))
        run = _send(client, {**EVENT["payload"], "email": "not-an-email"})
        error = client.get(f"/errors/{run['run_id']}").json()

    assert run["status"] == "failed"
    assert error["step"] == "check"
    assert error["error_code"] == "validation_failed"
    assert _hubspot_contacts(sandbox, "not-an-email") == []


def test_outage_is_retried_then_succeeds(sandbox_server: LiveServer, sandbox: Sandbox) -> None:
    payload = {**EVENT["payload"], "email": "sam@flaky.example.com"}
    with sandbox_server.client() as client:
        connection = create_connection(client, "hubspot")
        workflow = sync_to_hr(connection["id"], initial_delay_seconds=0.1, max_delay_seconds=0.2)
        create_workflow(client, workflow)
        run = _send(client, payload)
        errors = client.get(f"/errors/{run['run_id']}").json()["errors"]

    assert run["status"] == "succeeded"
    assert run["steps"][1]["attempts"] == 2
    assert [error["error_code"] for error in errors] == ["SERVICE_UNAVAILABLE"]
    assert errors[0]["retryable"] is True
    assert errors[0]["provider_status"] == 503
    assert len(_hubspot_contacts(sandbox, "sam@flaky.example.com")) == 1


def test_missing_scope_fails_run(sandbox_server: LiveServer) -> None:
    with sandbox_server.client() as client:
        connection = create_connection(
            client, "hubspot", credentials={"access_token": "pat-readonly"}
        )
        create_workflow(client, sync_to_hr(connection["id"]))
        run = _send(client, EVENT["payload"])
        error = client.get(f"/errors/{run['run_id']}").json()

    assert run["status"] == "failed"
    assert error["error_code"] == "MISSING_SCOPES"
    assert error["provider_status"] == 403
    assert "crm.objects.contacts.write" in error["message"]


def test_pending_connection_fails_run(sandbox_server: LiveServer) -> None:
    with sandbox_server.client() as client:
        pending = client.post("/connections", json={"provider": "hubspot", "auth_type": "oauth"})
        create_workflow(client, sync_to_hr(pending.json()["id"]))
        run = _send(client, EVENT["payload"])
        error = client.get(f"/errors/{run['run_id']}").json()

    assert run["status"] == "failed"
    assert error["error_code"] == "connection_missing_credentials"
    assert pending.json()["id"] in error["message"]


@pytest.mark.parametrize(
    ("choice", "message_part"),
    [
        ("none", "needs a connection_id"),
        ("unknown", "does not exist in this project"),
        ("slack", "is a slack connection, but the step calls hubspot"),
    ],
)
def test_workflow_write_checks_connection(
    sandbox_server: LiveServer, choice: str, message_part: str
) -> None:
    with sandbox_server.client() as client:
        slack = create_connection(client, "slack")
        hubspot = create_connection(client, "hubspot")
        ids = {"none": None, "unknown": "conn_0000000000000000", "slack": slack["id"]}
        bad = sync_to_hr(hubspot["id"])
        bad["steps"][1]["connection_id"] = ids[choice]
        created = client.post("/workflows", json=bad)
        create_workflow(client, sync_to_hr(hubspot["id"]))
        replaced = client.put("/workflows/sync_to_hr", json=bad)

    for response in (created, replaced):
        error = response.json()["error"]
        assert response.status_code == 422
        assert error["details"][0]["field"] == "steps[1].connection_id"
        assert error["code"] == "validation_error"
        assert "step 'create_contact'" in error["message"]
        assert message_part in error["message"]
