"""Runs through a real server: run requests, run detail, list, retry and cancel."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from synctoscale.store.projects import create_project, create_token
from tests.synctoscale.conftest import LiveServer
from tests.synctoscale.connections import create_connection
from tests.synctoscale.workflows import create_workflow, echo_workflow, start_run, wait_for_run

EXAMPLE_PAYLOAD = {"employee_id": "12345", "email": "test@example.com"}

TWO_STEPS = {
    "id": "copy_email",
    "steps": [
        {"id": "first", "type": "action", "provider": "echo", "action": "echo"},
        {
            "id": "second",
            "type": "action",
            "provider": "echo",
            "action": "echo",
            "mapping": {"contact_email": "steps.first.output.email", "id": "employee_id"},
            "constants": {"source": "hr"},
        },
    ],
}


def test_run_request_returns_queued_run(live_server_any_db: LiveServer) -> None:
    with live_server_any_db.client() as client:
        create_workflow(client, echo_workflow("sync_to_hr"))
        response = client.post("/workflows/sync_to_hr/run", json={"payload": EXAMPLE_PAYLOAD})

    assert response.status_code == 202
    body = response.json()
    assert body["run_id"].startswith("run_")
    assert body["status"] == "queued"
    assert datetime.fromisoformat(body["triggered_at"]).tzinfo is not None
    assert body["workflow"] == "sync_to_hr"


def test_run_passes_outputs_between_steps(live_server_any_db: LiveServer) -> None:
    with live_server_any_db.client() as client:
        create_workflow(client, TWO_STEPS)
        run = wait_for_run(client, start_run(client, "copy_email", EXAMPLE_PAYLOAD))

    assert run["status"] == "succeeded"
    first, second = run["steps"]
    assert first["output"] == EXAMPLE_PAYLOAD
    assert second["output"] == {
        "contact_email": "test@example.com",
        "id": "12345",
        "source": "hr",
    }
    assert second["status"] == "succeeded"
    assert second["attempts"] == 1
    assert second["duration_ms"] >= 0
    assert second["started_at"] <= second["finished_at"]
    assert run["payload"] == EXAMPLE_PAYLOAD
    assert run["error"] is None
    assert run["attempt"] == 1


def test_missing_source_path_fails_step(live_server: LiveServer) -> None:
    with live_server.client() as client:
        create_workflow(client, TWO_STEPS)
        run = wait_for_run(client, start_run(client, "copy_email", {"email": "a@example.com"}))

    assert run["status"] == "failed"
    assert run["error"]["step"] == "second"
    assert run["error"]["error_code"] == "mapping_error"
    assert "'employee_id'" in run["error"]["message"]
    assert run["steps"][1]["status"] == "failed"
    assert run["steps"][1]["output"] is None


def test_run_of_unknown_workflow_is_404(live_server: LiveServer) -> None:
    with live_server.client() as client:
        response = client.post("/workflows/nope/run", json={"payload": {}})

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "workflow_not_found"


@pytest.mark.parametrize(
    "body",
    [{}, {"payload": [1]}, {"payload": "x"}, {"payload": {}, "extra": 1}],
)
def test_bad_run_request_is_422(live_server: LiveServer, body: dict[str, Any]) -> None:
    with live_server.client() as client:
        create_workflow(client, echo_workflow("flow"))
        response = client.post("/workflows/flow/run", json=body)

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"


def test_unknown_run_is_404(live_server: LiveServer) -> None:
    with live_server.client() as client:
        response = client.get("/runs/run_0000000000000000")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "run_not_found"


def test_other_project_run_is_404(live_server: LiveServer) -> None:
    with live_server.database.session() as session:
        _, other_token = create_token(session, create_project(session, "other"))

    with live_server.client() as client:
        create_workflow(client, echo_workflow("flow"))
        run_id = start_run(client, "flow", {"secret": 1})
        wait_for_run(client, run_id)
    with live_server.client(other_token) as other:
        responses = [
            other.get(f"/runs/{run_id}"),
            other.post(f"/runs/{run_id}/retry"),
            other.post(f"/runs/{run_id}/cancel"),
            other.get(f"/errors/{run_id}"),
        ]
        listing = other.get("/runs").json()

    assert [response.status_code for response in responses] == [404, 404, 404, 404]
    assert all(r.json()["error"]["code"] == "run_not_found" for r in responses)
    assert listing["data"] == []


def test_cancel_queued_run_then_retry(live_server: LiveServer) -> None:
    with live_server.client() as client:
        create_workflow(client, echo_workflow("slow"))
        run_id = start_run(client, "slow", {"_echo_sleep_seconds": 3, "_echo_until_attempt": 1})
        cancelled = client.post(f"/runs/{run_id}/cancel")
        again = client.post(f"/runs/{run_id}/cancel")
        retried = client.post(f"/runs/{run_id}/retry")
        run = wait_for_run(client, run_id, timeout=90)

    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "invalid_run_state"
    assert retried.status_code == 202
    assert retried.json()["status"] == "queued"
    assert run["status"] == "succeeded"


def test_retry_of_succeeded_run_is_409(live_server: LiveServer) -> None:
    with live_server.client() as client:
        create_workflow(client, echo_workflow("flow"))
        run_id = start_run(client, "flow", {})
        wait_for_run(client, run_id)
        response = client.post(f"/runs/{run_id}/retry")

    assert response.status_code == 409
    assert "succeeded" in response.json()["error"]["message"]


def test_retry_resumes_at_failed_step(live_server: LiveServer) -> None:
    definition = {
        "id": "two",
        "steps": [
            {"id": "a", "type": "action", "provider": "echo", "action": "echo"},
            {
                "id": "b",
                "type": "action",
                "provider": "echo",
                "action": "echo",
                "mapping": {"n": "n"},
                "constants": {"_echo_fail": "permanent", "_echo_until_attempt": 1},
            },
        ],
    }
    with live_server.client() as client:
        create_workflow(client, definition)
        run_id = start_run(client, "two", {"n": 1})
        failed = wait_for_run(client, run_id)
        assert client.post(f"/runs/{run_id}/retry").status_code == 202
        # The failed step starts over, so _echo_until_attempt applies again.
        refailed = wait_for_run(client, run_id)

    assert failed["status"] == "failed"
    assert failed["steps"][0]["attempts"] == 1
    assert refailed["status"] == "failed"
    assert refailed["steps"][0]["attempts"] == 1  # step a was not run again
    assert refailed["attempt"] == 2


def test_cancel_running_run_stops_it(live_server: LiveServer) -> None:
    definition = {
        "id": "cancel_me",
        "steps": [
            {"id": "wait", "type": "action", "provider": "echo", "action": "echo"},
            {"id": "after", "type": "action", "provider": "echo", "action": "echo"},
        ],
    }
    with live_server.client() as client:
        create_workflow(client, definition)
        run_id = start_run(client, "cancel_me", {"_echo_sleep_seconds": 5})
        wait_for_run(client, run_id, frozenset({"running"}))
        assert client.post(f"/runs/{run_id}/cancel").status_code == 200
        run = wait_for_run(client, run_id)
        _wait_until_queue_idle(live_server)
        final = client.get(f"/runs/{run_id}").json()

    assert run["status"] == "cancelled"
    assert final["status"] == "cancelled"
    assert final["steps"][1]["status"] == "cancelled"
    assert final["steps"][1]["attempts"] == 0


def test_cancel_finishes_unfinished_steps(sandbox_server_any_db: LiveServer) -> None:
    """Cancel while a slow HubSpot call runs. That step and the next end as cancelled."""
    with sandbox_server_any_db.client() as client:
        connection = create_connection(client, "hubspot")
        create_workflow(client, _slow_contact_workflow(connection["id"]))
        run_id = start_run(client, "slow_contact", {"email": "jordan@slow.example.com"})
        _wait_for_step(client, run_id, "create_contact", "running")
        cancelled = client.post(f"/runs/{run_id}/cancel")
        run = client.get(f"/runs/{run_id}").json()
        _wait_until_queue_idle(sandbox_server_any_db)
        final = client.get(f"/runs/{run_id}").json()

    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    assert run["status"] == "cancelled"
    assert run["finished_at"] is not None
    steps = {step["step"]: step for step in run["steps"]}
    assert steps["check"]["status"] == "succeeded"
    assert steps["create_contact"]["status"] == "cancelled"
    assert steps["create_contact"]["attempts"] == 1
    assert steps["create_contact"]["started_at"] is not None
    assert steps["create_contact"]["finished_at"] == run["finished_at"]
    assert steps["notify"]["status"] == "cancelled"
    assert steps["notify"]["attempts"] == 0
    assert steps["notify"]["started_at"] is None
    assert steps["notify"]["finished_at"] == run["finished_at"]
    # The HubSpot call returned after the cancel, so its result was discarded.
    assert final["status"] == "cancelled"
    assert final["steps"] == run["steps"]


def _slow_contact_workflow(connection_id: str) -> dict[str, Any]:
    """Return a workflow whose HubSpot step waits on the sandbox for an address at slow.*."""
    return {
        "id": "slow_contact",
        "steps": [
            {"id": "check", "type": "validate", "expected_schema": {"email": "email"}},
            {
                "id": "create_contact",
                "type": "action",
                "provider": "hubspot",
                "action": "create_contact",
                "connection_id": connection_id,
                "mapping": {"email": "steps.check.output.email"},
            },
            {"id": "notify", "type": "action", "provider": "echo", "action": "echo"},
        ],
    }


def _wait_for_step(
    client: httpx.Client, run_id: str, step_id: str, status: str, timeout: float = 30.0
) -> None:
    deadline = time.monotonic() + timeout
    while True:
        run = client.get(f"/runs/{run_id}").json()
        step = next(step for step in run["steps"] if step["step"] == step_id)
        if step["status"] == status:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"step {step_id} still {step['status']} after {timeout} s: {run}")
        time.sleep(0.05)


def _wait_until_queue_idle(server: LiveServer, timeout: float = 30.0) -> None:
    """Wait until the in-process workers run no task, so the cancelled step has returned."""
    in_flight = server.app.state.engine.queue._tasks_in_flight
    deadline = time.monotonic() + timeout
    while in_flight and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not in_flight, "the worker is still running the cancelled run"


def test_list_runs_filters(live_server: LiveServer) -> None:
    with live_server.client() as client:
        create_workflow(client, echo_workflow("ok"))
        create_workflow(client, echo_workflow("bad", constants={"_echo_fail": "permanent"}))
        ok = [start_run(client, "ok", {}) for _ in range(3)]
        bad = [start_run(client, "bad", {}) for _ in range(2)]
        for run_id in ok + bad:
            wait_for_run(client, run_id)

        by_status = client.get("/runs", params={"status": "failed"}).json()
        by_workflow = client.get("/runs", params={"workflow": "ok"}).json()
        both = client.get("/runs", params=[("status", "failed"), ("status", "succeeded")]).json()
        future = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
        after_now = client.get("/runs", params={"triggered_after": future}).json()
        before_now = client.get("/runs", params={"triggered_before": future}).json()

    assert {run["run_id"] for run in by_status["data"]} == set(bad)
    assert {run["run_id"] for run in by_workflow["data"]} == set(ok)
    assert len(both["data"]) == 5
    assert after_now["data"] == []
    assert len(before_now["data"]) == 5


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"limit": "x"}, "limit"),
        ({"status": "sleeping"}, "status"),
        ({"triggered_after": "yesterday"}, "triggered_after"),
        ({"triggered_after": "2025-01-20T14:00:00"}, "triggered_after"),
    ],
)
def test_bad_list_query_is_422(live_server: LiveServer, params: dict[str, Any], field: str) -> None:
    with live_server.client() as client:
        response = client.get("/runs", params=params)

    assert response.status_code == 422
    assert field in response.json()["error"]["message"]


def test_repeated_query_named_without_index(live_server: LiveServer) -> None:
    with live_server.client() as client:
        response = client.get("/runs", params=[("status", "failed"), ("status", "done")])

    detail = response.json()["error"]["details"][0]
    assert response.status_code == 422
    assert detail["field"] == "status"
    assert detail["type"] == "enum"


def test_bad_date_query_names_format(live_server: LiveServer) -> None:
    with live_server.client() as client:
        response = client.get("/runs", params={"triggered_after": "yesterday"})

    detail = response.json()["error"]["details"][0]
    assert response.status_code == 422
    assert detail["field"] == "triggered_after"
    assert detail["problem"] == (
        "is not a valid date or date-time (input is too short); "
        "send an ISO 8601 date-time such as 2025-12-01T09:00:00Z"
    )


def test_misspelled_query_suggests_name(live_server: LiveServer) -> None:
    with live_server.client() as client:
        response = client.get("/runs", params={"stats": "failed", "limit": 5})

    error = response.json()["error"]
    assert response.status_code == 422
    assert error["message"].startswith("Invalid request: stats: unknown query parameter")
    assert error["details"] == [
        {
            "field": "stats",
            "problem": "unknown query parameter; did you mean 'status'? This endpoint takes "
            "cursor, limit, status, triggered_after, triggered_before, workflow",
            "type": "unknown_query_parameter",
        }
    ]


def test_query_without_parameters_is_422(live_server: LiveServer) -> None:
    with live_server.client() as client:
        create_workflow(client, echo_workflow("flow"))
        response = client.get("/workflows/flow", params={"verbose": "1"})

    detail = response.json()["error"]["details"][0]
    assert response.status_code == 422
    assert detail["field"] == "verbose"
    assert detail["problem"] == "unknown query parameter; this endpoint takes none, so remove it"


def test_tampered_cursor_is_422(live_server: LiveServer) -> None:
    with live_server.client() as client:
        create_workflow(client, echo_workflow("flow"))
        for _ in range(3):
            start_run(client, "flow", {})
        cursor = client.get("/runs", params={"limit": 1}).json()["next_cursor"]
        flipped = cursor[:-2] + ("A" if cursor[-2] != "A" else "B") + cursor[-1]
        responses = [
            client.get("/runs", params={"cursor": value})
            for value in (flipped, cursor[:-4], "abc123", "%%%", cursor + "x")
        ]

    for response in responses:
        assert response.status_code == 422
        assert response.json()["error"]["code"] == "invalid_cursor"


def test_pagination_while_runs_arrive(live_server_any_db: LiveServer) -> None:
    """Walk 250 runs page by page while new runs are inserted: no repeats, no gaps.

    Three runs are started between every two page requests, and a second client keeps
    starting runs concurrently for the whole walk.
    """
    with live_server_any_db.client() as client:
        create_workflow(client, echo_workflow("bulk"))
        existing = {start_run(client, "bulk", {"n": n}) for n in range(250)}

        stop = threading.Event()
        writer = threading.Thread(target=_keep_starting_runs, args=(live_server_any_db, stop))
        writer.start()
        try:
            seen, inserted = _walk_pages(client, limit=20)
        finally:
            stop.set()
            writer.join()

    assert len(seen) == len(set(seen)), "a run appeared on two pages"
    assert existing <= set(seen), f"missing runs: {sorted(existing - set(seen))[:5]}"
    assert not set(inserted) & set(seen), "a run started between pages showed up in the walk"


def _keep_starting_runs(server: LiveServer, stop: threading.Event) -> None:
    with server.client() as client:
        while not stop.is_set():
            start_run(client, "bulk", {"late": True})


def _walk_pages(client: httpx.Client, limit: int) -> tuple[list[str], list[str]]:
    seen: list[str] = []
    inserted: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": limit}
        if cursor:
            params["cursor"] = cursor
        page = client.get("/runs", params=params).json()
        seen.extend(run["run_id"] for run in page["data"])
        assert len(page["data"]) <= limit
        cursor = page["next_cursor"]
        if cursor is None:
            return seen, inserted
        inserted.extend(start_run(client, "bulk", {"between_pages": True}) for _ in range(3))


def test_run_state_conflicts_list_allowed_states(live_server: LiveServer) -> None:
    with live_server.client() as client:
        create_workflow(client, echo_workflow("flow"))
        run_id = start_run(client, "flow", {})
        wait_for_run(client, run_id)
        retried = client.post(f"/runs/{run_id}/retry")
        cancelled = client.post(f"/runs/{run_id}/cancel")

    assert retried.status_code == 409
    assert retried.json()["error"]["code"] == "invalid_run_state"
    assert retried.json()["error"]["message"] == (
        f"Run {run_id!r} is succeeded; only a run that is cancelled or failed can be retried."
    )
    assert cancelled.status_code == 409
    assert cancelled.json()["error"]["code"] == "invalid_run_state"
    assert cancelled.json()["error"]["message"] == (
        f"Run {run_id!r} is succeeded; only a run that is queued, retrying or running can be "
        "cancelled."
    )
