"""Separate ``synctoscale worker`` processes: scale-out runs, and a killed worker's recovery.

Each case runs twice: on SQLite with the SQLite queue, and on PostgreSQL with Redis.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest

from synctoscale.engine.queue import build_queue
from synctoscale.settings import Settings
from tests.synctoscale.conftest import LiveServer, running_sandbox, serve
from tests.synctoscale.connections import create_connection
from tests.synctoscale.databases import redis_url, scratch_postgres_database
from tests.synctoscale.workflows import create_workflow, echo_workflow, start_run, wait_for_run

REDIS_DB = 5

FAST_RECOVERY = {
    "worker_threads": 0,
    "heartbeat_seconds": 0.2,
    "stale_run_seconds": 1.5,
    "sweep_seconds": 0.5,
    "requeue_seconds": 10.0,
}


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("postgres+redis", marks=[pytest.mark.postgres, pytest.mark.redis]),
    ]
)
def scaled_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    """Settings with no in-process workers and fast heartbeats, on each pair of backends."""
    settings = Settings(data_dir=tmp_path / "data", **FAST_RECOVERY)  # type: ignore[arg-type]
    if request.param == "sqlite":
        yield settings
        return

    queue_url = redis_url().rsplit("/", 1)[0] + f"/{REDIS_DB}"
    with scratch_postgres_database() as database_url:
        settings = replace(
            settings,
            database_url=database_url,
            queue_url=queue_url,
            queue_name=f"test_{secrets.token_hex(4)}",
        )
        yield settings
        build_queue(settings).flush()


@pytest.fixture
def api(scaled_settings: Settings) -> Iterator[LiveServer]:
    yield from serve(scaled_settings)


@contextmanager
def worker_process(
    settings: Settings, log: Path, extra_environment: dict[str, str] | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """Run ``synctoscale worker`` with ``settings`` as a child process; stop it with SIGINT."""
    with log.open("ab") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "synctoscale.cli", "worker", "--threads", "2"],
            env={**os.environ, **_environment(settings), **(extra_environment or {})},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _environment(settings: Settings) -> dict[str, str]:
    environment = {
        "SYNCTOSCALE_DATA_DIR": str(settings.data_dir),
        "SYNCTOSCALE_QUEUE_NAME": settings.queue_name,
        "SYNCTOSCALE_HEARTBEAT_SECONDS": str(settings.heartbeat_seconds),
        "SYNCTOSCALE_STALE_RUN_SECONDS": str(settings.stale_run_seconds),
        "SYNCTOSCALE_SWEEP_SECONDS": str(settings.sweep_seconds),
        "SYNCTOSCALE_REQUEUE_SECONDS": str(settings.requeue_seconds),
        "SYNCTOSCALE_DATABASE_URL": settings.database_url or "",
        "SYNCTOSCALE_QUEUE_URL": settings.queue_url or "",
    }
    return environment


def _wait_for_step_start(client: httpx.Client, run_id: str, step: str) -> dict[str, Any]:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        run = wait_for_run(client, run_id, frozenset({"running"}), timeout=90)
        if run["current_step"] == step:
            return run
        time.sleep(0.05)
    raise AssertionError(f"step {step} of run {run_id} did not start")


def test_worker_process_runs_queued_runs(api: LiveServer, tmp_path: Path) -> None:
    with api.client() as client:
        create_workflow(client, echo_workflow("scaled"))
        run_ids = [start_run(client, "scaled", {"n": n}) for n in range(5)]
        queued = client.get(f"/runs/{run_ids[0]}").json()

        with worker_process(api.settings, tmp_path / "worker.log"):
            finished = [wait_for_run(client, run_id, timeout=90) for run_id in run_ids]

    assert queued["status"] == "queued"  # the API process itself runs nothing
    assert [run["status"] for run in finished] == ["succeeded"] * 5
    assert [run["steps"][0]["output"] for run in finished] == [{"n": n} for n in range(5)]


def test_killed_worker_run_is_retried(api: LiveServer, tmp_path: Path) -> None:
    retry = {"max_attempts": 2, "initial_delay_seconds": 0.1, "max_delay_seconds": 0.2}
    payload = {"_echo_sleep_seconds": 60, "_echo_until_attempt": 1, "name": "x"}
    log = tmp_path / "worker.log"
    with api.client() as client:
        create_workflow(client, echo_workflow("long", retry=retry))
        run_id = start_run(client, "long", payload)

        with worker_process(api.settings, log) as first:
            running = _wait_for_step_start(client, run_id, "say")
            first.kill()  # SIGKILL: no shutdown code runs, as when a machine dies
            first.wait()

        with worker_process(api.settings, log):
            run = wait_for_run(client, run_id, timeout=120)
        errors = client.get(f"/errors/{run_id}").json()

    assert running["current_step"] == "say"
    assert run["status"] == "succeeded", log.read_text()[-3000:]
    assert run["attempt"] == 2
    assert run["steps"][0]["attempts"] == 2
    assert run["steps"][0]["output"] == {"name": "x"}
    assert [error["error_code"] for error in errors["errors"]] == ["worker_lost"]


def test_killed_worker_run_fails_without_attempts(api: LiveServer, tmp_path: Path) -> None:
    retry = {"max_attempts": 1}
    log = tmp_path / "worker.log"
    with api.client() as client:
        create_workflow(client, echo_workflow("once", retry=retry))
        run_id = start_run(client, "once", {"_echo_sleep_seconds": 60})

        with worker_process(api.settings, log) as first:
            _wait_for_step_start(client, run_id, "say")
            first.kill()
            first.wait()

        with worker_process(api.settings, log):
            run = wait_for_run(client, run_id, timeout=120)
        error = client.get(f"/errors/{run_id}").json()

    assert run["status"] == "failed", log.read_text()[-3000:]
    assert run["error"]["error_code"] == "worker_lost"
    assert error["step"] == "say"
    assert "heartbeats" in error["message"]


def test_worker_decrypts_connection_credentials(scaled_settings: Settings, tmp_path: Path) -> None:
    """A worker reads the key file the API created, and calls the provider with the token."""
    with running_sandbox() as sandbox:
        settings = replace(scaled_settings, provider_base_urls=sandbox.urls)
        for api in serve(settings):
            with api.client() as client:
                connection = create_connection(client, "hubspot")
                step = {
                    "id": "create_contact",
                    "type": "action",
                    "provider": "hubspot",
                    "action": "create_contact",
                    "connection_id": connection["id"],
                }
                create_workflow(client, {"id": "to_hubspot", "steps": [step]})
                run_id = start_run(client, "to_hubspot", {"email": "w@example.com"})
                environment = {"SYNCTOSCALE_PROVIDER_HUBSPOT_URL": sandbox.urls["hubspot"]}
                with worker_process(settings, tmp_path / "worker.log", environment):
                    run = wait_for_run(client, run_id, timeout=90)

    assert run["status"] == "succeeded", (tmp_path / "worker.log").read_text()
    assert run["steps"][0]["output"]["properties"]["email"] == "w@example.com"
