"""Run transitions and caught errors are logged with run and project ids, never with a token."""

from __future__ import annotations

import logging

import pytest

from tests.synctoscale.conftest import LiveServer
from tests.synctoscale.workflows import create_workflow, echo_workflow, start_run, wait_for_run


def test_transitions_logged_with_ids(
    live_server: LiveServer, caplog: pytest.LogCaptureFixture
) -> None:
    retry = {"max_attempts": 2, "initial_delay_seconds": 0.1, "max_delay_seconds": 0.1}
    with caplog.at_level(logging.INFO, logger="synctoscale"), live_server.client() as client:
        create_workflow(client, echo_workflow("logged", retry=retry))
        run_id = start_run(client, "logged", {"_echo_fail": "retryable"})
        wait_for_run(client, run_id)

    records = [record for record in caplog.records if getattr(record, "run_id", None) == run_id]
    messages = [record.getMessage() for record in records]
    assert any("queued" in message for message in messages)
    assert sum("started" in message for message in messages) == 2
    assert any("will retry" in message for message in messages)
    assert any("failed at step say" in message for message in messages)
    assert all(getattr(record, "project_id", "").startswith("proj_") for record in records)
    assert live_server.token not in caplog.text
