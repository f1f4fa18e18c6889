"""Execute a run: claim it, run its steps in order, and record every outcome.

The executor is what a queue task calls with a run id. Everything it needs is read from
the run row, so a duplicate or stale queue message only ever finds the run unclaimable.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from pydantic import ValidationError

from synctoscale.engine.backoff import retry_delay
from synctoscale.engine.classify import diagnose
from synctoscale.engine.definitions import (
    ActionStep,
    RetryPolicy,
    ValidateStep,
    WorkflowDefinition,
    load_stored,
)
from synctoscale.engine.heartbeat import Heartbeat
from synctoscale.engine.states import RunStatus, StepStatus
from synctoscale.engine.steps import (
    INTERNAL_ERROR,
    CredentialsLookup,
    StepContext,
    StepFailure,
    run_step,
)
from synctoscale.ids import new_id
from synctoscale.store import runs
from synctoscale.store.db import Database
from synctoscale.store.models import Run, StepResult
from synctoscale.store.types import utcnow

logger = logging.getLogger(__name__)

__all__ = ["Executor", "retry_policy"]

# Schedules run id for another attempt after the given delay in seconds.
RetryScheduler = Callable[[str, float], None]


def retry_policy(step: ValidateStep | ActionStep) -> RetryPolicy:
    """Return the step's retry policy; validate steps use the defaults."""
    return step.retry if isinstance(step, ActionStep) else RetryPolicy()


@dataclass
class _Claim:
    run: Run
    claim_id: str
    definition: WorkflowDefinition
    outputs: dict[str, Any] = field(default_factory=dict)

    @property
    def log_ids(self) -> dict[str, str]:
        return {
            "run_id": self.run.id,
            "project_id": self.run.project_id,
            "workflow_id": self.run.workflow_id,
        }


class Executor:
    """Run workflow runs against the database, one call per queue message."""

    def __init__(
        self,
        database: Database,
        *,
        schedule_retry: RetryScheduler,
        heartbeat_seconds: float,
        base_urls: Mapping[str, str] | None = None,
        credentials: CredentialsLookup | None = None,
    ) -> None:
        self.database = database
        self.schedule_retry = schedule_retry
        self.heartbeat_seconds = heartbeat_seconds
        self.base_urls = dict(base_urls or {})
        self.credentials = credentials

    def execute(self, run_id: str) -> None:
        """Claim ``run_id`` and run it; do nothing if the run is not due or not claimable."""
        claim = self._claim(run_id)
        if claim is None:
            logger.debug("run %s is not claimable; skipping the message", run_id)
            return

        with Heartbeat(self.database, run_id, claim.claim_id, self.heartbeat_seconds):
            try:
                self._run_steps(claim)
            except runs.LostClaimError:
                logger.info(
                    "run %s was cancelled or taken over while running; stopping",
                    run_id,
                    extra=claim.log_ids,
                )

    def _claim(self, run_id: str) -> _Claim | None:
        claim_id = new_id("claim")
        with self.database.session() as session:
            if not runs.claim_run(session, run_id, claim_id, utcnow()):
                return None
            run = session.get(Run, run_id)
            assert run is not None
            done = {
                step_id: result.output
                for step_id, result in runs.step_results(session, run_id).items()
                if result.status == StepStatus.SUCCEEDED
            }
            session.expunge(run)

        try:
            definition = load_stored(run.definition)
        except ValidationError as exc:
            _fail_unreadable(self.database, run, exc)
            return None
        claim = _Claim(run, claim_id, definition, done)
        logger.info(
            "run %s started, attempt %d",
            run_id,
            run.attempt,
            extra={**claim.log_ids, "status": RunStatus.RUNNING, "attempt": run.attempt},
        )
        return claim

    def _run_steps(self, claim: _Claim) -> None:
        context = StepContext(
            run_id=claim.run.id,
            project_id=claim.run.project_id,
            payload=claim.run.payload,
            outputs=claim.outputs,
            base_urls=self.base_urls,
            credentials=self.credentials,
        )
        for step in claim.definition.steps:
            if step.id in claim.outputs:
                continue  # it succeeded in an earlier attempt

            attempt = self._start_step(claim, step)
            started = time.monotonic()
            try:
                output = run_step(step, context, attempt)
            except StepFailure as failure:
                self._fail_step(claim, step, attempt, failure, _elapsed_ms(started))
                return
            except Exception as exc:  # a bug in a connector or the engine
                logger.exception("step %s raised unexpectedly", step.id, extra=claim.log_ids)
                unexpected = StepFailure(INTERNAL_ERROR, f"The step failed unexpectedly: {exc!r}.")
                self._fail_step(claim, step, attempt, unexpected, _elapsed_ms(started))
                return

            self._finish_step(claim, step, output, _elapsed_ms(started))
            claim.outputs[step.id] = output

        self._finish_run(claim)

    def _start_step(self, claim: _Claim, step: ValidateStep | ActionStep) -> int:
        now = utcnow()
        with self.database.session() as session:
            runs.fence(session, claim.run.id, claim.claim_id, now, {"current_step": step.id})
            result = session.get(StepResult, (claim.run.id, step.id))
            if result is None:
                result = StepResult(run_id=claim.run.id, step_id=step.id, attempts=0)
                session.add(result)
            result.status = StepStatus.RUNNING
            result.attempts += 1
            result.started_at = now
            result.finished_at = None
            return result.attempts

    def _finish_step(
        self, claim: _Claim, step: ValidateStep | ActionStep, output: Any, duration_ms: float
    ) -> None:
        now = utcnow()
        with self.database.session() as session:
            runs.fence(session, claim.run.id, claim.claim_id, now)
            result = session.get(StepResult, (claim.run.id, step.id))
            assert result is not None
            result.status = StepStatus.SUCCEEDED
            result.output = output
            result.error_code = None
            result.error_message = None
            result.finished_at = now
            result.duration_ms = duration_ms
        logger.info("step %s succeeded", step.id, extra={**claim.log_ids, "step": step.id})

    def _finish_run(self, claim: _Claim) -> None:
        now = utcnow()
        with self.database.session() as session:
            runs.fence(
                session,
                claim.run.id,
                claim.claim_id,
                now,
                {
                    "status": RunStatus.SUCCEEDED,
                    "claim_id": None,
                    "current_step": None,
                    "finished_at": now,
                    "error_step": None,
                    "error_code": None,
                    "error_message": None,
                },
            )
        logger.info(
            "run %s succeeded",
            claim.run.id,
            extra={**claim.log_ids, "status": RunStatus.SUCCEEDED},
        )

    def _fail_step(
        self,
        claim: _Claim,
        step: ValidateStep | ActionStep,
        attempt: int,
        failure: StepFailure,
        duration_ms: float,
    ) -> None:
        policy = retry_policy(step)
        retry_in = None
        if failure.retryable and attempt < policy.max_attempts:
            retry_in = retry_delay(
                attempt,
                initial_seconds=policy.initial_delay_seconds,
                max_seconds=policy.max_delay_seconds,
                retry_after=failure.retry_after,
            )

        diagnosis = diagnose(
            failure.message,
            error_code=failure.error_code,
            provider=failure.provider,
            http_status=failure.provider_status,
            raw_response=failure.raw_response,
        )
        now = utcnow()
        status = RunStatus.FAILED if retry_in is None else RunStatus.RETRYING
        with self.database.session() as session:
            runs.fence(
                session,
                claim.run.id,
                claim.claim_id,
                now,
                _failure_values(status, step.id, failure, now, retry_in),
            )
            result = session.get(StepResult, (claim.run.id, step.id))
            assert result is not None
            result.status = StepStatus.FAILED
            result.error_code = failure.error_code
            result.error_message = failure.message
            result.finished_at = now
            result.duration_ms = duration_ms
            runs.record_error(
                session,
                created_at=now,
                run_id=claim.run.id,
                step_id=step.id,
                attempt=attempt,
                error_code=failure.error_code,
                message=failure.message,
                retryable=failure.retryable,
                provider=failure.provider,
                provider_status=failure.provider_status,
                raw_response=failure.raw_response,
                category=diagnosis.category,
                recommended_fix=diagnosis.recommended_fix,
            )

        _log_failure(claim, step.id, attempt, failure, status, retry_in)
        if retry_in is not None:
            self.schedule_retry(claim.run.id, retry_in)


def _failure_values(
    status: RunStatus, step_id: str, failure: StepFailure, now: Any, retry_in: float | None
) -> dict[str, Any]:
    values: dict[str, Any] = {
        "status": status,
        "claim_id": None,
        "current_step": None,
        "error_step": step_id,
        "error_code": failure.error_code,
        "error_message": failure.message,
    }
    if retry_in is None:
        values["finished_at"] = now
    else:
        values["next_attempt_at"] = now + timedelta(seconds=retry_in)
    return values


def _log_failure(
    claim: _Claim,
    step_id: str,
    attempt: int,
    failure: StepFailure,
    status: RunStatus,
    retry_in: float | None,
) -> None:
    extra = {
        **claim.log_ids,
        "step": step_id,
        "attempt": attempt,
        "error_code": failure.error_code,
        "status": status,
    }
    if retry_in is None:
        logger.warning(
            "run %s failed at step %s: %s", claim.run.id, step_id, failure.message, extra=extra
        )
    else:
        logger.info(
            "run %s will retry step %s in %.1f s after: %s",
            claim.run.id,
            step_id,
            retry_in,
            failure.message,
            extra={**extra, "retry_in_seconds": round(retry_in, 3)},
        )


def _fail_unreadable(database: Database, run: Run, exc: ValidationError) -> None:
    """Fail a run whose stored definition no longer parses, so it cannot stay running."""
    problem = str(exc.errors()[0]["msg"])
    with database.session() as session:
        runs.fail_unreadable_run(session, run.id, problem, utcnow())
    logger.error(
        "run %s failed: its stored definition is invalid: %s",
        run.id,
        problem,
        extra={"run_id": run.id, "project_id": run.project_id, "status": RunStatus.FAILED},
    )


def _elapsed_ms(started: float) -> float:
    return round((time.monotonic() - started) * 1000, 3)
