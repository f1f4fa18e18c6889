"""``POST /triggers/event`` through a real server."""

from __future__ import annotations

from typing import Any

import pytest

from synctoscale.store.projects import create_project, create_token
from tests.synctoscale.conftest import LiveServer
from tests.synctoscale.workflows import create_workflow, echo_workflow, wait_for_run

SEED_EVENT = {
    "provider": "bamboohr",
    "event_type": "employee.updated",
    "payload": {"id": "9981", "email": "updated@example.com"},
}


def _event_workflow(workflow_id: str, event_type: str = "employee.updated") -> dict[str, Any]:
    definition = echo_workflow(workflow_id)
    definition["trigger"] = {"type": "event", "provider": "bamboohr", "event_type": event_type}
    return definition


def test_event_returns_seed_shape(live_server_any_db: LiveServer) -> None:
    with live_server_any_db.client() as client:
        create_workflow(client, _event_workflow("sync_to_hr"))
        create_workflow(client, _event_workflow("other_event", "employee.created"))
        response = client.post("/triggers/event", json=SEED_EVENT)
        run = wait_for_run(client, response.json()["run_id"])

    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "queued"
    assert body["workflow"] == "sync_to_hr"
    assert body["triggered_at"]
    assert [item["workflow"] for item in body["runs"]] == ["sync_to_hr"]
    assert run["status"] == "succeeded"
    assert run["trigger"] == {
        "type": "event",
        "provider": "bamboohr",
        "event_type": "employee.updated",
    }
    assert run["steps"][0]["output"] == SEED_EVENT["payload"]


def test_event_runs_every_matching_workflow(live_server: LiveServer) -> None:
    with live_server.client() as client:
        for workflow_id in ("b_second", "a_first"):
            create_workflow(client, _event_workflow(workflow_id))
        body = client.post("/triggers/event", json=SEED_EVENT).json()

    assert body["workflow"] == "a_first"
    assert [item["workflow"] for item in body["runs"]] == ["a_first", "b_second"]
    assert body["run_id"] == body["runs"][0]["run_id"]
    assert len({item["run_id"] for item in body["runs"]}) == 2


def test_manual_workflow_ignores_events(live_server: LiveServer) -> None:
    with live_server.client() as client:
        create_workflow(client, echo_workflow("manual_only"))
        response = client.post("/triggers/event", json=SEED_EVENT)

    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "no_matching_workflow"
    assert "'bamboohr'" in error["message"]
    assert "'employee.updated'" in error["message"]


def test_event_does_not_reach_other_project(live_server: LiveServer) -> None:
    with live_server.database.session() as session:
        _, other_token = create_token(session, create_project(session, "other"))

    with live_server.client() as client:
        create_workflow(client, _event_workflow("sync_to_hr"))
    with live_server.client(other_token) as other:
        response = other.post("/triggers/event", json=SEED_EVENT)

    assert response.status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {"provider": "bamboohr", "event_type": "employee.updated"},
        {"provider": "", "event_type": "x", "payload": {}},
        {"provider": "bamboohr", "payload": {}},
        {**SEED_EVENT, "payload": ["not", "an", "object"]},
    ],
)
def test_bad_event_is_422(live_server: LiveServer, body: dict[str, Any]) -> None:
    with live_server.client() as client:
        response = client.post("/triggers/event", json=body)

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"


def test_event_provider_is_free_form(live_server: LiveServer) -> None:
    definition = echo_workflow("from_workday")
    definition["trigger"] = {"type": "event", "provider": "workday", "event_type": "hire"}
    event = {"provider": "workday", "event_type": "hire", "payload": {"id": "1"}}
    with live_server.client() as client:
        create_workflow(client, definition)
        started = client.post("/triggers/event", json=event)
        misspelt = client.post("/triggers/event", json={**event, "provider": "wokday"})

    assert started.status_code == 202
    assert started.json()["workflow"] == "from_workday"
    assert misspelt.status_code == 404
    error = misspelt.json()["error"]
    assert error["code"] == "no_matching_workflow"
    assert error["details"] == {"provider": "wokday", "event_type": "hire"}
    assert error["message"].startswith(
        "No workflow in this project has an event trigger for provider 'wokday' "
        "and event type 'hire';"
    )
