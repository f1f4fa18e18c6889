"""``Idempotency-Key`` on ``POST /workflows/{id}/run``: a retried request starts no second run."""

from __future__ import annotations

from tests.synctoscale.conftest import LiveServer
from tests.synctoscale.workflows import create_workflow, echo_workflow


def test_replayed_run_request_starts_one_run(live_server_any_db: LiveServer) -> None:
    headers = {"Idempotency-Key": "order-7781"}
    body = {"payload": {"employee_id": "12345"}}
    with live_server_any_db.client() as client:
        create_workflow(client, echo_workflow("sync_to_hr"))
        first = client.post("/workflows/sync_to_hr/run", json=body, headers=headers)
        second = client.post("/workflows/sync_to_hr/run", json=body, headers=headers)
        runs = client.get("/runs").json()["data"]

    assert first.status_code == second.status_code == 202
    assert second.json() == first.json()
    assert second.headers["idempotent-replayed"] == "true"
    assert [run["run_id"] for run in runs] == [first.json()["run_id"]]


def test_reused_key_with_other_payload_is_409(live_server: LiveServer) -> None:
    headers = {"Idempotency-Key": "order-7782"}
    with live_server.client() as client:
        create_workflow(client, echo_workflow("sync_to_hr"))
        client.post("/workflows/sync_to_hr/run", json={"payload": {"n": 1}}, headers=headers)
        reused = client.post(
            "/workflows/sync_to_hr/run", json={"payload": {"n": 2}}, headers=headers
        )
        runs = client.get("/runs").json()["data"]

    assert reused.status_code == 409
    assert reused.json()["error"]["code"] == "idempotency_key_reused"
    assert len(runs) == 1
