"""``GET /errors/{run_id}``: the latest error of a run, with the provider's response."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from synctoscale.api.dependencies import DatabaseDep
from synctoscale.api.runs import run_not_found
from synctoscale.auth import Principal, current_principal
from synctoscale.errors import ApiError
from synctoscale.jsonbody import StrictJSONRoute
from synctoscale.store import runs as run_store
from synctoscale.store.models import Run, RunError

router = APIRouter(route_class=StrictJSONRoute, tags=["errors"])


def run_errors(session: Session, project_id: str, run_id: str) -> tuple[Run, list[RunError]]:
    """Return a run of the project and its errors, newest first; a 404 if either is missing."""
    run = run_store.get_run(session, project_id, run_id)
    if run is None:
        raise run_not_found(run_id)

    errors = run_store.list_errors(session, run_id)
    if not errors:
        raise ApiError(
            404,
            "no_error",
            f"Run {run_id!r} has no recorded error; its status is {run.status}.",
            {"run_id": run_id, "status": run.status},
        )
    return run, errors


class ErrorRecord(BaseModel):
    step: str | None = Field(examples=["create_user"])
    error_code: str = Field(examples=["invalid_permission"])
    message: str = Field(examples=["User lacks write access to directory"])
    attempt: int
    retryable: bool
    provider: str | None
    provider_status: int | None = Field(description="The provider's HTTP status, if any.")
    raw_response: Any = Field(description="The provider's response body, as received.")
    category: str | None = Field(description="Nova's error category, when classified.")
    recommended_fix: str | None = Field(description="Nova's suggested fix, when classified.")
    occurred_at: datetime

    @classmethod
    def of(cls, error: RunError) -> ErrorRecord:
        return cls(
            step=error.step_id,
            error_code=error.error_code,
            message=error.message,
            attempt=error.attempt,
            retryable=error.retryable,
            provider=error.provider,
            provider_status=error.provider_status,
            raw_response=error.raw_response,
            category=error.category,
            recommended_fix=error.recommended_fix,
            occurred_at=error.created_at,
        )


class ErrorLookup(ErrorRecord):
    """The run's latest error at the top level, and every error of the run in ``errors``."""

    run_id: str = Field(examples=["run_456"])
    run_status: str
    errors: list[ErrorRecord] = Field(description="All of the run's errors, newest first.")


@router.get(
    "/errors/{run_id}",
    response_model=ErrorLookup,
    summary="Look up why a run failed",
    responses={404: {"description": "No such run in this project, or it has no error."}},
)
def get_error(
    run_id: str,
    principal: Annotated[Principal, Depends(current_principal)],
    database: DatabaseDep,
) -> ErrorLookup:
    with database.session() as session:
        run, errors = run_errors(session, principal.project_id, run_id)
        records = [ErrorRecord.of(error) for error in errors]
        status = run.status

    latest = records[0]
    return ErrorLookup(**latest.model_dump(), run_id=run_id, run_status=status, errors=records)
