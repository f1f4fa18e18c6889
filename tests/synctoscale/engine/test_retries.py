"""Retries through a real server: backoff, the attempt limit and the provider's Retry-After."""

from __future__ import annotations

from datetime import datetime

from tests.synctoscale.conftest import LiveServer
from tests.synctoscale.workflows import create_workflow, echo_workflow, start_run, wait_for_run

FAST_RETRY = {"max_attempts": 3, "initial_delay_seconds": 0.1, "max_delay_seconds": 0.2}


def test_retryable_failure_then_success(live_server_any_db: LiveServer) -> None:
    payload = {"_echo_fail": "retryable", "_echo_until_attempt": 2, "name": "x"}
    with live_server_any_db.client() as client:
        create_workflow(client, echo_workflow("flaky", retry=FAST_RETRY))
        run_id = start_run(client, "flaky", payload)
        run = wait_for_run(client, run_id)
        errors = client.get(f"/errors/{run_id}").json()

    assert run["status"] == "succeeded"
    assert run["steps"][0]["attempts"] == 3
    assert run["steps"][0]["output"] == {"name": "x"}
    assert run["attempt"] == 3
    assert run["error"] is None
    assert [error["attempt"] for error in errors["errors"]] == [2, 1]
    assert all(error["retryable"] for error in errors["errors"])
    assert errors["error_code"] == "provider_unavailable"
    assert errors["provider_status"] == 503


def test_retries_stop_at_max_attempts(live_server: LiveServer) -> None:
    retry = {**FAST_RETRY, "max_attempts": 2}
    with live_server.client() as client:
        create_workflow(client, echo_workflow("down", retry=retry))
        run_id = start_run(client, "down", {"_echo_fail": "retryable"})
        run = wait_for_run(client, run_id)
        errors = client.get(f"/errors/{run_id}").json()

    assert run["status"] == "failed"
    assert run["steps"][0]["attempts"] == 2
    assert run["error"]["error_code"] == "provider_unavailable"
    assert len(errors["errors"]) == 2
    assert run["finished_at"] is not None


def test_permanent_failure_is_not_retried(live_server: LiveServer) -> None:
    with live_server.client() as client:
        create_workflow(client, echo_workflow("rejected", retry=FAST_RETRY))
        run = wait_for_run(client, start_run(client, "rejected", {"_echo_fail": "permanent"}))

    assert run["status"] == "failed"
    assert run["steps"][0]["attempts"] == 1


def test_retry_after_is_honoured(live_server_any_db: LiveServer) -> None:
    """The next attempt is scheduled no earlier than the provider's Retry-After allows."""
    retry_after = 2.0
    payload = {
        "_echo_fail": "rate_limited",
        "_echo_retry_after": retry_after,
        "_echo_until_attempt": 1,
    }
    retry = {"max_attempts": 3, "initial_delay_seconds": 0.0, "max_delay_seconds": 0.0}
    with live_server_any_db.client() as client:
        create_workflow(client, echo_workflow("limited", retry=retry))
        run_id = start_run(client, "limited", payload)
        retrying = wait_for_run(client, run_id, frozenset({"retrying", "succeeded", "failed"}))
        run = wait_for_run(client, run_id)
        error = client.get(f"/errors/{run_id}").json()

    assert retrying["status"] == "retrying"
    failed_at = datetime.fromisoformat(error["occurred_at"])
    next_attempt_at = datetime.fromisoformat(retrying["next_attempt_at"])
    assert (next_attempt_at - failed_at).total_seconds() >= retry_after
    assert run["status"] == "succeeded"
    second_start = datetime.fromisoformat(run["steps"][0]["started_at"])
    assert second_start >= next_attempt_at
    assert error["error_code"] == "rate_limited"
    assert error["provider_status"] == 429
