"""``POST /triggers/event``: run every workflow whose event trigger matches."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field

from synctoscale.api.dependencies import DatabaseDep, EngineDep
from synctoscale.api.runs import RunQueued
from synctoscale.auth import Principal, current_principal
from synctoscale.engine.states import RunStatus
from synctoscale.errors import ApiError
from synctoscale.jsonbody import StrictJSONRoute
from synctoscale.store import workflows as workflow_store

router = APIRouter(route_class=StrictJSONRoute, tags=["triggers"])


class EventRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    provider: str = Field(min_length=1, max_length=100, examples=["bamboohr"])
    event_type: str = Field(min_length=1, max_length=200, examples=["employee.updated"])
    payload: dict[str, Any] = Field(examples=[{"id": "9981", "email": "updated@example.com"}])


class EventQueued(BaseModel):
    """The runs an event started. ``workflow`` and ``run_id`` name the first, by workflow id."""

    status: RunStatus = Field(examples=["queued"])
    workflow: str = Field(examples=["sync_to_hr"])
    run_id: str
    triggered_at: datetime
    runs: list[RunQueued] = Field(description="Every run the event started, one per workflow.")


@router.post(
    "/triggers/event",
    response_model=EventQueued,
    status_code=202,
    summary="Send a provider event",
    responses={404: {"description": "No workflow in the project has a matching trigger."}},
)
def send_event(
    event: EventRequest,
    principal: Annotated[Principal, Depends(current_principal)],
    database: DatabaseDep,
    engine: EngineDep,
) -> EventQueued:
    with database.session() as session:
        workflows = workflow_store.find_event_workflows(
            session, principal.project_id, event.provider, event.event_type
        )
    if not workflows:
        raise ApiError(
            404,
            "no_matching_workflow",
            f"No workflow in this project has an event trigger for provider {event.provider!r} "
            f"and event type {event.event_type!r}; create one with a trigger of "
            '{"type": "event", "provider": ..., "event_type": ...}.',
            {"provider": event.provider, "event_type": event.event_type},
        )

    trigger = {"type": "event", "provider": event.provider, "event_type": event.event_type}
    runs = engine.trigger(principal.project_id, workflows, trigger, event.payload)
    first = runs[0]
    return EventQueued(
        status=RunStatus.QUEUED,
        workflow=first.workflow_id,
        run_id=first.id,
        triggered_at=first.created_at,
        runs=[RunQueued.of(run) for run in runs],
    )
