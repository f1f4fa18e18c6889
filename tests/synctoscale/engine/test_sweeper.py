"""The sweeper and the claim: stale runs recovered, lost runs enqueued again, one owner per run."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from synctoscale.engine.definitions import WorkflowDefinition
from synctoscale.engine.executor import Executor
from synctoscale.engine.sweeper import Sweeper
from synctoscale.store import runs
from synctoscale.store.db import Database
from synctoscale.store.models import Run, StepResult
from synctoscale.store.projects import create_project
from synctoscale.store.types import utcnow
from tests.synctoscale.workflows import echo_workflow


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    database.migrate()
    yield database
    database.dispose()


def _new_run(database: Database, max_attempts: int = 2) -> str:
    definition = WorkflowDefinition.model_validate(
        echo_workflow("flow", retry={"max_attempts": max_attempts, "initial_delay_seconds": 0.0})
    )
    with database.session() as session:
        project = create_project(session, f"p{utcnow().timestamp()}")
        run = runs.create_run(
            session,
            project_id=project.id,
            workflow_id="flow",
            definition=definition.model_dump(mode="json"),
            trigger={"type": "manual"},
            payload={},
        )
        return run.id


def _kill_mid_step(database: Database, run_id: str, seconds_ago: float) -> None:
    """Leave the run as a worker that died inside step ``say`` would leave it."""
    with database.session() as session:
        assert runs.claim_run(session, run_id, "claim_dead", utcnow())
        runs.fence(session, run_id, "claim_dead", utcnow(), {"current_step": "say"})
        session.add(StepResult(run_id=run_id, step_id="say", status="running", attempts=1))
    with database.session() as session:
        run = session.get(Run, run_id)
        assert run is not None
        run.heartbeat_at = utcnow() - timedelta(seconds=seconds_ago)


def _sweeper(database: Database, enqueued: list[tuple[str, float]]) -> Sweeper:
    return Sweeper(
        database,
        enqueue=lambda run_id, delay: enqueued.append((run_id, delay)),
        stale_run_seconds=30,
        requeue_seconds=60,
    )


def _read(database: Database, run_id: str) -> tuple[Run, StepResult | None, list[Any]]:
    with database.session() as session:
        run = session.get(Run, run_id)
        assert run is not None
        session.expunge(run)
        return run, runs.step_results(session, run_id).get("say"), runs.list_errors(session, run_id)


def test_stale_run_is_retried(database: Database) -> None:
    run_id = _new_run(database, max_attempts=2)
    _kill_mid_step(database, run_id, seconds_ago=31)
    enqueued: list[tuple[str, float]] = []

    report = _sweeper(database, enqueued).sweep()

    run, step, errors = _read(database, run_id)
    assert report.retried == 1
    assert run.status == "retrying"
    assert run.claim_id is None
    assert run.error_code == "worker_lost"
    assert step is not None and step.status == "failed"
    assert [error.error_code for error in errors] == ["worker_lost"]
    assert [queued[0] for queued in enqueued] == [run_id]


def test_stale_run_without_attempts_left_fails(database: Database) -> None:
    run_id = _new_run(database, max_attempts=1)
    _kill_mid_step(database, run_id, seconds_ago=31)
    enqueued: list[tuple[str, float]] = []

    report = _sweeper(database, enqueued).sweep()

    run, _, errors = _read(database, run_id)
    assert report.failed == 1
    assert run.status == "failed"
    assert run.finished_at is not None
    assert errors[0].error_code == "worker_lost"
    assert enqueued == []


def test_fresh_heartbeat_is_left_alone(database: Database) -> None:
    run_id = _new_run(database)
    _kill_mid_step(database, run_id, seconds_ago=5)

    report = _sweeper(database, []).sweep()

    run, _, _ = _read(database, run_id)
    assert report.retried == report.failed == 0
    assert run.status == "running"


def test_dead_worker_cannot_write_after_sweep(database: Database) -> None:
    run_id = _new_run(database)
    _kill_mid_step(database, run_id, seconds_ago=31)
    _sweeper(database, []).sweep()

    with database.session() as session:
        assert runs.heartbeat(session, run_id, "claim_dead", utcnow()) is False
        with pytest.raises(runs.LostClaimError):
            runs.fence(session, run_id, "claim_dead", utcnow(), {"status": "succeeded"})


def test_lost_queued_run_is_enqueued_again(database: Database) -> None:
    lost = _new_run(database)
    recent = _new_run(database)
    with database.session() as session:
        run = session.get(Run, lost)
        assert run is not None
        run.enqueued_at = utcnow() - timedelta(seconds=61)
    enqueued: list[tuple[str, float]] = []

    report = _sweeper(database, enqueued).sweep()
    second = _sweeper(database, enqueued).sweep()

    assert report.requeued == 1
    assert enqueued == [(lost, 0.0)]
    assert recent not in [run_id for run_id, _ in enqueued]
    assert second.requeued == 0


def test_only_one_claim_wins(database: Database) -> None:
    """Eight threads claim the same run at once; exactly one succeeds."""
    run_id = _new_run(database)
    barrier = threading.Barrier(8)
    results: list[bool] = []

    def claim(number: int) -> None:
        barrier.wait()
        with database.session() as session:
            results.append(runs.claim_run(session, run_id, f"claim_{number}", utcnow()))

    threads = [threading.Thread(target=claim, args=(number,)) for number in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == [False] * 7 + [True]
    run, _, _ = _read(database, run_id)
    assert run.attempt == 1


def test_retrying_run_not_claimed_before_due(database: Database) -> None:
    run_id = _new_run(database)
    with database.session() as session:
        run = session.get(Run, run_id)
        assert run is not None
        run.status = "retrying"
        run.next_attempt_at = utcnow() + timedelta(seconds=60)

    with database.session() as session:
        early = runs.claim_run(session, run_id, "claim_early", utcnow())
    with database.session() as session:
        due = runs.claim_run(session, run_id, "claim_due", utcnow() + timedelta(seconds=61))

    assert early is False
    assert due is True


def _corrupt_definition(database: Database, run_id: str) -> None:
    with database.session() as session:
        run = session.get(Run, run_id)
        assert run is not None
        run.definition = {"id": "flow", "steps": "not a list"}


def test_stale_run_with_unreadable_definition_fails(database: Database) -> None:
    run_id = _new_run(database)
    _kill_mid_step(database, run_id, seconds_ago=31)
    _corrupt_definition(database, run_id)

    report = _sweeper(database, []).sweep()

    run, _, errors = _read(database, run_id)
    assert report.failed == 1
    assert run.status == "failed"
    assert run.error_code == "invalid_definition"
    assert [error.error_code for error in errors] == ["invalid_definition"]


def test_executor_fails_unreadable_run(database: Database) -> None:
    run_id = _new_run(database)
    _corrupt_definition(database, run_id)
    executor = Executor(database, schedule_retry=lambda run_id, delay: None, heartbeat_seconds=1)

    executor.execute(run_id)

    run, _, _ = _read(database, run_id)
    assert run.status == "failed"
    assert run.error_code == "invalid_definition"
