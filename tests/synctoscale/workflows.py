"""Workflow definitions and polling helpers shared by the engine and API tests."""

from __future__ import annotations

import time
from typing import Any

import httpx

FINISHED = frozenset({"succeeded", "failed", "cancelled"})


def echo_workflow(workflow_id: str = "echo_flow", **step_fields: Any) -> dict[str, Any]:
    """Return a one-step workflow that sends the whole payload to the echo provider."""
    step = {"id": "say", "type": "action", "provider": "echo", "action": "echo", **step_fields}
    return {"id": workflow_id, "trigger": {"type": "manual"}, "steps": [step]}


def create_workflow(client: httpx.Client, definition: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/workflows", json=definition)
    assert response.status_code == 201, response.text
    return dict(response.json())


def start_run(client: httpx.Client, workflow_id: str, payload: dict[str, Any]) -> str:
    response = client.post(f"/workflows/{workflow_id}/run", json={"payload": payload})
    assert response.status_code == 202, response.text
    return str(response.json()["run_id"])


def wait_for_run(
    client: httpx.Client,
    run_id: str,
    statuses: frozenset[str] = FINISHED,
    timeout: float = 60.0,
) -> dict[str, Any]:
    """Poll ``GET /runs/{run_id}`` until its status is in ``statuses``; return the run."""
    deadline = time.monotonic() + timeout
    while True:
        response = client.get(f"/runs/{run_id}")
        assert response.status_code == 200, response.text
        run = dict(response.json())
        if run["status"] in statuses:
            return run
        if time.monotonic() > deadline:
            raise AssertionError(f"run {run_id} still {run['status']} after {timeout} s: {run}")
        time.sleep(0.1)
