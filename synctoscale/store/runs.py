"""Read and change runs, their step results and their errors.

Writes by a worker are fenced: each one is a conditional UPDATE that matches only while the
run is ``running`` under the worker's ``claim_id``. A run that was cancelled, or taken over
by the sweeper, therefore rejects a late write from the worker that lost it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import CursorResult, delete, func, select, update
from sqlalchemy.orm import Session

from synctoscale.engine.states import (
    CANCELLABLE,
    CLAIMABLE,
    RETRIABLE_BY_CLIENT,
    UNFINISHED_STEPS,
    RunStatus,
    StepStatus,
)
from synctoscale.ids import new_id
from synctoscale.store.models import Run, RunError, StepResult
from synctoscale.store.pagination import Position, page_query
from synctoscale.store.types import utcnow

__all__ = [
    "LostClaimError",
    "cancel_run",
    "claim_run",
    "create_run",
    "fail_unreadable_run",
    "fence",
    "get_run",
    "heartbeat",
    "list_errors",
    "list_runs",
    "mark_enqueued",
    "record_error",
    "requeue_run",
    "step_results",
]


INVALID_DEFINITION = "invalid_definition"


class LostClaimError(RuntimeError):
    """The run is no longer ``running`` under this worker's claim."""


def create_run(
    session: Session,
    *,
    project_id: str,
    workflow_id: str,
    definition: dict[str, Any],
    trigger: dict[str, Any],
    payload: Any,
) -> Run:
    now = utcnow()
    run = Run(
        id=new_id("run"),
        project_id=project_id,
        workflow_id=workflow_id,
        definition=definition,
        trigger=trigger,
        payload=payload,
        status=RunStatus.QUEUED,
        attempt=0,
        created_at=now,
        updated_at=now,
        enqueued_at=now,
    )
    session.add(run)
    session.flush()
    return run


def get_run(session: Session, project_id: str, run_id: str) -> Run | None:
    """Return the run if it belongs to ``project_id``; another project's run is None."""
    run = session.get(Run, run_id)
    if run is None or run.project_id != project_id:
        return None
    return run


def list_runs(
    session: Session,
    project_id: str,
    *,
    limit: int,
    after: Position | None = None,
    statuses: Collection[str] = (),
    workflow_id: str | None = None,
    triggered_after: datetime | None = None,
    triggered_before: datetime | None = None,
) -> list[Run]:
    """Return up to ``limit + 1`` of the project's runs, newest first, after ``after``."""
    query = select(Run).where(Run.project_id == project_id)
    if statuses:
        query = query.where(Run.status.in_(statuses))
    if workflow_id is not None:
        query = query.where(Run.workflow_id == workflow_id)
    if triggered_after is not None:
        query = query.where(Run.created_at >= triggered_after)
    if triggered_before is not None:
        query = query.where(Run.created_at < triggered_before)
    return list(
        session.scalars(page_query(query, Run.created_at, Run.id, after=after, limit=limit))
    )


def step_results(session: Session, run_id: str) -> dict[str, StepResult]:
    rows = session.scalars(select(StepResult).where(StepResult.run_id == run_id))
    return {row.step_id: row for row in rows}


def list_errors(session: Session, run_id: str) -> list[RunError]:
    """Return the run's errors, newest first."""
    query = select(RunError).where(RunError.run_id == run_id).order_by(RunError.id.desc())
    return list(session.scalars(query))


def record_error(session: Session, **fields: Any) -> RunError:
    fields.setdefault("created_at", utcnow())
    error = RunError(**fields)
    session.add(error)
    session.flush()
    return error


def claim_run(session: Session, run_id: str, claim_id: str, now: datetime) -> bool:
    """Move a due ``queued`` or ``retrying`` run to ``running`` under ``claim_id``.

    One conditional UPDATE does it. Of two workers given the same run id only one matches
    the row, so the other gets False and leaves the run alone.
    """
    statement = (
        update(Run)
        .where(
            Run.id == run_id,
            Run.status.in_(CLAIMABLE),
            (Run.next_attempt_at.is_(None)) | (Run.next_attempt_at <= now),
        )
        .values(
            status=RunStatus.RUNNING,
            claim_id=claim_id,
            attempt=Run.attempt + 1,
            started_at=func.coalesce(Run.started_at, now),
            heartbeat_at=now,
            updated_at=now,
            next_attempt_at=None,
        )
    )
    return _rowcount(session.execute(statement)) == 1


def fence(
    session: Session,
    run_id: str,
    claim_id: str,
    now: datetime,
    values: dict[str, Any] | None = None,
) -> None:
    """Update the run with ``values`` if ``claim_id`` still owns it; else raise LostClaimError.

    Call it first in a transaction, so that the step-result writes after it are rolled back
    together with it when the claim is lost.
    """
    statement = (
        update(Run)
        .where(Run.id == run_id, Run.claim_id == claim_id, Run.status == RunStatus.RUNNING)
        .values({"updated_at": now, "heartbeat_at": now, **(values or {})})
    )
    if _rowcount(session.execute(statement)) != 1:
        raise LostClaimError(f"run {run_id} is no longer running under claim {claim_id}")


def heartbeat(session: Session, run_id: str, claim_id: str, now: datetime) -> bool:
    """Record that the worker holding ``claim_id`` is alive; False if it lost the run."""
    try:
        fence(session, run_id, claim_id, now)
    except LostClaimError:
        return False
    return True


def cancel_run(session: Session, run_id: str, now: datetime, step_ids: Iterable[str]) -> bool:
    """Cancel an unfinished run and its unfinished steps; False if it had already finished.

    ``step_ids`` are the ids of the run's steps. Each one that is pending or running,
    including one that never started and so has no result yet, gets status ``cancelled``.
    """
    cancelled = _move(
        session,
        run_id,
        CANCELLABLE,
        status=RunStatus.CANCELLED,
        claim_id=None,
        current_step=None,
        next_attempt_at=None,
        finished_at=now,
        updated_at=now,
    )
    if not cancelled:
        return False

    results = step_results(session, run_id)
    for step_id in step_ids:
        result = results.get(step_id)
        if result is None:
            result = StepResult(run_id=run_id, step_id=step_id, attempts=0)
            session.add(result)
        elif result.status not in UNFINISHED_STEPS:
            continue
        result.status = StepStatus.CANCELLED
        result.finished_at = now
    return True


def requeue_run(session: Session, run_id: str, now: datetime) -> bool:
    """Queue a failed or cancelled run again; False if it is in another state.

    Steps that succeeded keep their output and are not run again. The other steps start
    over with a fresh attempt budget.
    """
    queued = _move(
        session,
        run_id,
        RETRIABLE_BY_CLIENT,
        status=RunStatus.QUEUED,
        claim_id=None,
        current_step=None,
        next_attempt_at=None,
        finished_at=None,
        error_step=None,
        error_code=None,
        error_message=None,
        enqueued_at=now,
        updated_at=now,
    )
    if not queued:
        return False

    session.execute(
        delete(StepResult).where(StepResult.run_id == run_id, StepResult.status != "succeeded")
    )
    return True


def fail_unreadable_run(session: Session, run_id: str, problem: str, now: datetime) -> bool:
    """Fail a ``running`` run whose stored definition can no longer be read."""
    message = f"The run's stored workflow definition is invalid: {problem}."
    failed = _move(
        session,
        run_id,
        (RunStatus.RUNNING,),
        status=RunStatus.FAILED,
        claim_id=None,
        current_step=None,
        finished_at=now,
        updated_at=now,
        error_code=INVALID_DEFINITION,
        error_message=message,
    )
    if not failed:
        return False
    record_error(session, run_id=run_id, error_code=INVALID_DEFINITION, message=message)
    return True


def mark_enqueued(session: Session, run_id: str, status: str, now: datetime) -> bool:
    """Record a new enqueue of a run still in ``status``; False if its state moved on."""
    return _move(session, run_id, (status,), enqueued_at=now)


def _move(session: Session, run_id: str, allowed: Iterable[str], **values: Any) -> bool:
    """Update the run with ``values`` if its status is in ``allowed``; False if it is not.

    The status check and the update are one statement, so two callers cannot both move it.
    """
    statement = update(Run).where(Run.id == run_id, Run.status.in_(allowed)).values(**values)
    return _rowcount(session.execute(statement)) == 1


def _rowcount(result: Any) -> int:
    assert isinstance(result, CursorResult)
    return int(result.rowcount)
