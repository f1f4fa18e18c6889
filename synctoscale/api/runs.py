"""``/runs``: list runs, read one with its steps, retry or cancel it."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from synctoscale.api.dependencies import DatabaseDep, EngineDep, PageRequestDep
from synctoscale.api.pagination import Page, next_cursor
from synctoscale.auth import Principal, current_principal
from synctoscale.engine.definitions import load_stored
from synctoscale.engine.states import CANCELLABLE, RETRIABLE_BY_CLIENT, RunStatus, StepStatus
from synctoscale.errors import ApiError
from synctoscale.jsonbody import StrictJSONRoute
from synctoscale.problems import join_words
from synctoscale.store import runs as run_store
from synctoscale.store.models import Run, StepResult
from synctoscale.store.types import utcnow

logger = logging.getLogger(__name__)

router = APIRouter(route_class=StrictJSONRoute, tags=["runs"])

PrincipalDep = Annotated[Principal, Depends(current_principal)]


class RunQueued(BaseModel):
    """A run that was just queued."""

    run_id: str = Field(examples=["run_5f2c9a1be0d34c77"])
    status: RunStatus = Field(examples=["queued"])
    triggered_at: datetime
    workflow: str = Field(examples=["sync_to_hr"])

    @classmethod
    def of(cls, run: Run) -> RunQueued:
        return cls(
            run_id=run.id,
            status=RunStatus(run.status),
            triggered_at=run.created_at,
            workflow=run.workflow_id,
        )


class ErrorSummary(BaseModel):
    step: str | None
    error_code: str
    message: str


class RunSummary(BaseModel):
    run_id: str
    workflow: str
    status: RunStatus
    attempt: int = Field(description="How many times a worker has started the run.")
    trigger: dict[str, Any] = Field(examples=[{"type": "manual"}])
    triggered_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    next_attempt_at: datetime | None = Field(description="When a retrying run runs again.")
    error: ErrorSummary | None = Field(description="The failure that made the run fail or retry.")

    @classmethod
    def of(cls, run: Run) -> RunSummary:
        return cls(**_summary_fields(run))


class StepError(BaseModel):
    error_code: str
    message: str


class StepOut(BaseModel):
    step: str
    type: str
    status: StepStatus
    attempts: int
    output: Any = None
    error: StepError | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    duration_ms: float | None = Field(None, description="Duration of the latest attempt.")


class RunDetail(RunSummary):
    payload: Any
    current_step: str | None
    heartbeat_at: datetime | None
    steps: list[StepOut]


def _summary_fields(run: Run) -> dict[str, Any]:
    error = None
    if run.error_code is not None:
        error = ErrorSummary(
            step=run.error_step, error_code=run.error_code, message=run.error_message or ""
        )
    return {
        "run_id": run.id,
        "workflow": run.workflow_id,
        "status": RunStatus(run.status),
        "attempt": run.attempt,
        "trigger": run.trigger,
        "triggered_at": run.created_at,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "next_attempt_at": run.next_attempt_at,
        "error": error,
    }


def _detail(run: Run, results: dict[str, StepResult]) -> RunDetail:
    definition = load_stored(run.definition)
    steps = [_step_out(step.id, step.type, results.get(step.id)) for step in definition.steps]
    return RunDetail(
        **_summary_fields(run),
        payload=run.payload,
        current_step=run.current_step,
        heartbeat_at=run.heartbeat_at,
        steps=steps,
    )


def _step_out(step_id: str, step_type: str, result: StepResult | None) -> StepOut:
    if result is None:
        return StepOut(step=step_id, type=step_type, status=StepStatus.PENDING, attempts=0)

    error = None
    if result.error_code is not None:
        error = StepError(error_code=result.error_code, message=result.error_message or "")
    return StepOut(
        step=step_id,
        type=step_type,
        status=StepStatus(result.status),
        attempts=result.attempts,
        output=result.output,
        error=error,
        started_at=result.started_at,
        finished_at=result.finished_at,
        duration_ms=result.duration_ms,
    )


def run_not_found(run_id: str) -> ApiError:
    return ApiError(
        404,
        "run_not_found",
        f"No run {run_id!r} in this project; list runs with GET /runs.",
        {"run_id": run_id},
    )


@router.get("/runs", response_model=Page[RunSummary], summary="List runs, newest first")
def list_runs(
    principal: PrincipalDep,
    database: DatabaseDep,
    page: PageRequestDep,
    status: Annotated[
        list[RunStatus] | None, Query(description="Only runs in these states (repeatable).")
    ] = None,
    workflow: Annotated[str | None, Query(description="Only runs of this workflow id.")] = None,
    triggered_after: Annotated[
        datetime | None, Query(description="Only runs triggered at or after this time.")
    ] = None,
    triggered_before: Annotated[
        datetime | None, Query(description="Only runs triggered before this time.")
    ] = None,
) -> Page[RunSummary]:
    for name, value in (
        ("triggered_after", triggered_after),
        ("triggered_before", triggered_before),
    ):
        if value is not None and value.tzinfo is None:
            raise ApiError(
                422,
                "validation_error",
                f"{name} needs a UTC offset, such as 2025-01-20T14:00:00Z.",
                [{"field": name, "problem": "timestamp without a UTC offset"}],
            )

    with database.session() as session:
        rows = run_store.list_runs(
            session,
            principal.project_id,
            limit=page.limit,
            after=page.after,
            statuses=[str(item) for item in status or ()],
            workflow_id=workflow,
            triggered_after=triggered_after,
            triggered_before=triggered_before,
        )
        data = [RunSummary.of(run) for run in rows[: page.limit]]
    return Page[RunSummary](data=data, next_cursor=next_cursor(rows, page.limit))


@router.get("/runs/{run_id}", response_model=RunDetail, summary="Read a run and its steps")
def get_run(run_id: str, principal: PrincipalDep, database: DatabaseDep) -> RunDetail:
    with database.session() as session:
        run = run_store.get_run(session, principal.project_id, run_id)
        if run is None:
            raise run_not_found(run_id)
        return _detail(run, run_store.step_results(session, run_id))


@router.post(
    "/runs/{run_id}/retry",
    response_model=RunQueued,
    status_code=202,
    summary="Queue a failed or cancelled run again",
    responses={409: {"description": "The run is not failed or cancelled."}},
)
def retry_run(
    run_id: str, principal: PrincipalDep, database: DatabaseDep, engine: EngineDep
) -> RunQueued:
    with database.session() as session:
        run = run_store.get_run(session, principal.project_id, run_id)
        if run is None:
            raise run_not_found(run_id)
        if not run_store.requeue_run(session, run_id, utcnow()):
            raise _conflict(run, "retried", RETRIABLE_BY_CLIENT)

    _log_transition(run, RunStatus.QUEUED, "queued again by the client")
    engine.submit([run_id])
    return RunQueued(
        run_id=run.id,
        status=RunStatus.QUEUED,
        triggered_at=run.created_at,
        workflow=run.workflow_id,
    )


@router.post(
    "/runs/{run_id}/cancel",
    response_model=RunSummary,
    summary="Cancel a queued, retrying or running run",
    responses={409: {"description": "The run has already finished."}},
)
def cancel_run(run_id: str, principal: PrincipalDep, database: DatabaseDep) -> RunSummary:
    with database.session() as session:
        run = run_store.get_run(session, principal.project_id, run_id)
        if run is None:
            raise run_not_found(run_id)
        step_ids = [step.id for step in load_stored(run.definition).steps]
        if not run_store.cancel_run(session, run_id, utcnow(), step_ids):
            raise _conflict(run, "cancelled", CANCELLABLE)
        session.refresh(run)
        summary = RunSummary.of(run)

    _log_transition(run, RunStatus.CANCELLED, "cancelled by the client")
    return summary


def _conflict(run: Run, verb: str, allowed: frozenset[RunStatus]) -> ApiError:
    states = join_words(sorted(allowed), "or")
    return ApiError(
        409,
        "invalid_run_state",
        f"Run {run.id!r} is {run.status}; only a run that is {states} can be {verb}.",
        {"run_id": run.id, "status": run.status},
    )


def _log_transition(run: Run, status: RunStatus, reason: str) -> None:
    logger.info(
        "run %s %s",
        run.id,
        reason,
        extra={"run_id": run.id, "project_id": run.project_id, "status": status},
    )
