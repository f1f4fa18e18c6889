"""The ``sync_to_hr`` example of docs/workflows.md, run as documented against the sandbox.

The definition and requests are copied here, and a second test checks that the page still
shows exactly these, so the page cannot drift from what runs.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import httpx

from tests.synctoscale.conftest import LiveServer
from tests.synctoscale.workflows import wait_for_run

DOCS_PAGE = Path(__file__).parents[3] / "docs" / "workflows.md"

# The connection id in the documented definition, which users replace with their own.
DOCUMENTED_CONNECTION_ID = "conn_1f0c2a9b7d3e4a51"

DEFINITION: dict[str, Any] = {
    "id": "sync_to_hr",
    "description": "Copy updated BambooHR employees to HubSpot contacts.",
    "trigger": {"type": "event", "provider": "bamboohr", "event_type": "employee.updated"},
    "steps": [
        {"id": "check", "type": "validate", "expected_schema": {"email": "email"}},
        {
            "id": "create_contact",
            "type": "action",
            "provider": "hubspot",
            "action": "create_contact",
            "connection_id": DOCUMENTED_CONNECTION_ID,
            "mapping": {"email": "steps.check.output.email", "phone": None},
            "constants": {"lifecyclestage": "lead"},
            "retry": {"max_attempts": 5, "initial_delay_seconds": 1, "max_delay_seconds": 300},
            "timeout_seconds": 30,
        },
    ],
}
CONNECTION_REQUEST: dict[str, Any] = {
    "provider": "hubspot",
    "auth_type": "private_app",
    "credentials": {"access_token": "demo-token"},
}
RUN_REQUEST: dict[str, Any] = {"payload": {"employee_id": "12345", "email": "test@example.com"}}
EVENT_REQUEST: dict[str, Any] = {
    "provider": "bamboohr",
    "event_type": "employee.updated",
    "payload": {"id": "9981", "email": "updated@example.com"},
}


def test_documented_example_succeeds(sandbox_server: LiveServer) -> None:
    with sandbox_server.client() as client:
        connection = client.post("/connections", json=CONNECTION_REQUEST)
        assert connection.status_code == 201, connection.text
        created = client.post("/workflows", json=_with_connection(connection.json()["id"]))
        run = client.post("/workflows/sync_to_hr/run", json=RUN_REQUEST)
        event = client.post("/triggers/event", json=EVENT_REQUEST)
        finished = [wait_for_run(client, _run_id(response)) for response in (run, event)]
        listing = client.get("/runs", params={"workflow": "sync_to_hr"}).json()

    assert created.status_code == 201, created.text
    assert run.status_code == 202, run.text
    assert run.json()["status"] == "queued"
    assert run.json()["workflow"] == "sync_to_hr"
    assert event.status_code == 202, event.text
    assert event.json()["status"] == "queued"
    assert event.json()["workflow"] == "sync_to_hr"
    assert len(event.json()["runs"]) == 1
    assert [summary["status"] for summary in listing["data"]] == ["succeeded", "succeeded"]
    assert listing["next_cursor"] is None

    payloads = (RUN_REQUEST["payload"], EVENT_REQUEST["payload"])
    for result, payload in zip(finished, payloads, strict=True):
        check, create_contact = result["steps"]
        assert result["status"] == "succeeded", result["error"]
        assert check["status"] == "succeeded"
        assert check["output"] == payload
        assert create_contact["status"] == "succeeded"
        assert create_contact["output"]["record_id"]
        properties = create_contact["output"]["properties"]
        assert properties["email"] == payload["email"]
        assert properties["lifecyclestage"] == "lead"
        assert "phone" not in properties


def test_docs_show_tested_example() -> None:
    page = DOCS_PAGE.read_text(encoding="utf-8")
    documented_definition = json.loads(re.findall(r"```json\n(.*?)```", page, re.DOTALL)[0])
    request_bodies = [json.loads(body) for body in re.findall(r"--json '(.*?)'", page, re.DOTALL)]

    assert documented_definition == DEFINITION
    assert CONNECTION_REQUEST in request_bodies
    assert RUN_REQUEST in request_bodies
    assert EVENT_REQUEST in request_bodies
    assert f'sed "s/{DOCUMENTED_CONNECTION_ID}/$CONNECTION_ID/" sync_to_hr.json' in page


def _with_connection(connection_id: str) -> dict[str, Any]:
    definition = copy.deepcopy(DEFINITION)
    definition["steps"][1]["connection_id"] = connection_id
    return definition


def _run_id(response: httpx.Response) -> str:
    assert response.status_code == 202, response.text
    return str(response.json()["run_id"])
