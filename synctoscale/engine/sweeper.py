"""Recover runs that a dead worker or a lost queue message left behind.

A ``running`` run whose heartbeat is older than ``stale_run_seconds`` lost its worker. It
becomes ``retrying``, or ``failed`` when its step has no attempts left. A ``queued`` run, or a
``retrying`` run long past its due time, that no worker claimed within ``requeue_seconds``
is enqueued again. Every change is a conditional UPDATE, so concurrent sweepers and a worker
that comes back to life cannot both win.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy import or_, select, update

from synctoscale.engine.backoff import retry_delay
from synctoscale.engine.definitions import WorkflowDefinition, load_stored
from synctoscale.engine.executor import retry_policy
from synctoscale.engine.states import RunStatus, StepStatus
from synctoscale.store import runs
from synctoscale.store.db import Database
from synctoscale.store.models import Run, StepResult
from synctoscale.store.types import utcnow

logger = logging.getLogger(__name__)

__all__ = ["WORKER_LOST", "SweepReport", "Sweeper"]

WORKER_LOST = "worker_lost"
BATCH_SIZE = 500

# Puts run id on the queue, after the given delay in seconds.
Enqueue = Callable[[str, float], None]


@dataclass
class SweepReport:
    retried: int = 0
    failed: int = 0
    requeued: int = 0


@dataclass
class Sweeper:
    database: Database
    enqueue: Enqueue
    stale_run_seconds: float
    requeue_seconds: float

    def sweep(self, now: datetime | None = None) -> SweepReport:
        """Recover stale and lost runs once; return what was changed."""
        now = now or utcnow()
        report = SweepReport()
        for run_id in self._stale_run_ids(now):
            outcome = self._recover(run_id, now)
            if outcome == RunStatus.RETRYING:
                report.retried += 1
            elif outcome == RunStatus.FAILED:
                report.failed += 1
        report.requeued = self._requeue_lost(now)

        if report.retried or report.failed or report.requeued:
            logger.info(
                "sweeper recovered runs: %d retried, %d failed, %d enqueued again",
                report.retried,
                report.failed,
                report.requeued,
            )
        return report

    def _stale_run_ids(self, now: datetime) -> list[str]:
        cutoff = now - timedelta(seconds=self.stale_run_seconds)
        query = (
            select(Run.id)
            .where(Run.status == RunStatus.RUNNING, Run.heartbeat_at < cutoff)
            .limit(BATCH_SIZE)
        )
        with self.database.session() as session:
            return list(session.scalars(query))

    def _recover(self, run_id: str, now: datetime) -> RunStatus | None:
        """Take a stale run from its dead worker and decide whether it gets another attempt."""
        try:
            return self._take_over(run_id, now)
        except _AlreadyTaken:
            return None
        except ValidationError as exc:
            problem = str(exc.errors()[0]["msg"])
            with self.database.session() as session:
                failed = runs.fail_unreadable_run(session, run_id, problem, now)
            logger.error(
                "run %s failed: its stored definition is invalid: %s",
                run_id,
                problem,
                extra={"run_id": run_id},
            )
            return RunStatus.FAILED if failed else None

    def _take_over(self, run_id: str, now: datetime) -> RunStatus | None:
        cutoff = now - timedelta(seconds=self.stale_run_seconds)
        with self.database.session() as session:
            run = session.get(Run, run_id)
            if run is None or run.status != RunStatus.RUNNING or run.claim_id is None:
                return None

            definition = load_stored(run.definition)
            step = _interrupted_step(session, run, definition)
            result = _step_result(session, run, step.id)
            if run.current_step != step.id:
                result.attempts += 1  # the worker died before it recorded the attempt

            status, retry_in, values = _decide(run, step, result.attempts, now)
            updated = session.execute(
                update(Run)
                .where(
                    Run.id == run.id,
                    Run.claim_id == run.claim_id,
                    Run.status == RunStatus.RUNNING,
                    Run.heartbeat_at < cutoff,
                )
                .values(**values)
            )
            if getattr(updated, "rowcount", 0) != 1:
                raise _AlreadyTaken  # rolls back the step-result changes too

            message = _lost_message(run, self.stale_run_seconds)
            result.status = StepStatus.FAILED
            result.error_code = WORKER_LOST
            result.error_message = message
            result.finished_at = now
            runs.record_error(
                session,
                run_id=run.id,
                step_id=step.id,
                attempt=result.attempts,
                error_code=WORKER_LOST,
                message=message,
                retryable=True,
            )
            log_ids = {"run_id": run.id, "project_id": run.project_id, "status": status}

        logger.warning(
            "run %s lost its worker at step %s; now %s", run_id, step.id, status, extra=log_ids
        )
        if retry_in is not None:
            self.enqueue(run_id, retry_in)
        return status

    def _requeue_lost(self, now: datetime) -> int:
        cutoff = now - timedelta(seconds=self.requeue_seconds)
        query = (
            select(Run.id, Run.status)
            .where(
                or_(
                    (Run.status == RunStatus.QUEUED) & (Run.enqueued_at < cutoff),
                    (Run.status == RunStatus.RETRYING)
                    & (Run.next_attempt_at < cutoff)
                    & (Run.enqueued_at < cutoff),
                )
            )
            .limit(BATCH_SIZE)
        )
        with self.database.session() as session:
            lost = list(session.execute(query))

        requeued = 0
        for run_id, status in lost:
            with self.database.session() as session:
                if not runs.mark_enqueued(session, run_id, status, now):
                    continue
            logger.info(
                "run %s was not picked up; enqueuing it again", run_id, extra={"run_id": run_id}
            )
            self.enqueue(run_id, 0.0)
            requeued += 1
        return requeued


class _AlreadyTaken(Exception):
    """Another sweeper, or the worker itself, changed the run first."""


def _interrupted_step(session: Any, run: Run, definition: WorkflowDefinition) -> Any:
    """Return the step the dead worker was running, or the first one not yet succeeded."""
    steps = {step.id: step for step in definition.steps}
    if run.current_step in steps:
        return steps[run.current_step]

    results = runs.step_results(session, run.id)
    for step in definition.steps:
        result = results.get(step.id)
        if result is None or result.status != StepStatus.SUCCEEDED:
            return step
    return definition.steps[-1]


def _step_result(session: Any, run: Run, step_id: str) -> StepResult:
    result = session.get(StepResult, (run.id, step_id))
    if result is None:
        result = StepResult(run_id=run.id, step_id=step_id, status=StepStatus.PENDING, attempts=0)
        session.add(result)
    return result


def _decide(
    run: Run, step: Any, attempts: int, now: datetime
) -> tuple[RunStatus, float | None, dict[str, Any]]:
    policy = retry_policy(step)
    values: dict[str, Any] = {
        "claim_id": None,
        "current_step": None,
        "updated_at": now,
        "error_step": step.id,
        "error_code": WORKER_LOST,
        "error_message": "The worker running this step stopped sending heartbeats.",
    }
    if attempts >= policy.max_attempts:
        return RunStatus.FAILED, None, {**values, "status": RunStatus.FAILED, "finished_at": now}

    retry_in = retry_delay(
        attempts,
        initial_seconds=policy.initial_delay_seconds,
        max_seconds=policy.max_delay_seconds,
    )
    values.update(
        status=RunStatus.RETRYING,
        next_attempt_at=now + timedelta(seconds=retry_in),
        enqueued_at=now,
    )
    return RunStatus.RETRYING, retry_in, values


def _lost_message(run: Run, stale_run_seconds: float) -> str:
    return (
        f"The worker running attempt {run.attempt} stopped sending heartbeats for more than "
        f"{stale_run_seconds:g} s, so it is taken as dead; the step may or may not have "
        "reached the provider."
    )
