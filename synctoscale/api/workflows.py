"""``/workflows``: create, list, read, replace and delete workflows, and run one."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel, ConfigDict, Field

from synctoscale.api.dependencies import DatabaseDep, EngineDep, PageRequestDep
from synctoscale.api.pagination import Page, next_cursor
from synctoscale.api.runs import RunQueued
from synctoscale.auth import Principal, current_principal
from synctoscale.engine.definitions import WorkflowDefinition
from synctoscale.errors import ApiError, invalid_request
from synctoscale.jsonbody import StrictJSONRoute
from synctoscale.store import connections as connection_store
from synctoscale.store import workflows as workflow_store
from synctoscale.store.db import Database
from synctoscale.store.models import Workflow

logger = logging.getLogger(__name__)

router = APIRouter(route_class=StrictJSONRoute, tags=["workflows"])

PrincipalDep = Annotated[Principal, Depends(current_principal)]


class WorkflowOut(WorkflowDefinition):
    """A stored workflow: its definition, with every default filled in, and its timestamps."""

    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, workflow: Workflow) -> WorkflowOut:
        return cls.model_validate(
            {
                **workflow.definition,
                "created_at": workflow.created_at,
                "updated_at": workflow.updated_at,
            }
        )


class RunRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    payload: dict[str, Any] = Field(
        description="The run's input, a JSON object.",
        examples=[{"employee_id": "12345", "email": "test@example.com"}],
    )


def workflow_not_found(workflow_id: str) -> ApiError:
    return ApiError(
        404,
        "workflow_not_found",
        f"No workflow {workflow_id!r} in this project; list workflows with GET /workflows.",
        {"workflow": workflow_id},
    )


def _load(database: Database, project_id: str, workflow_id: str) -> Workflow:
    with database.session() as session:
        workflow = workflow_store.get_workflow(session, project_id, workflow_id)
        if workflow is None:
            raise workflow_not_found(workflow_id)
        return workflow


@router.post(
    "/workflows",
    response_model=WorkflowOut,
    status_code=201,
    summary="Create a workflow",
    responses={409: {"description": "A workflow with this id already exists."}},
)
def create_workflow(
    definition: WorkflowDefinition, principal: PrincipalDep, database: DatabaseDep
) -> WorkflowOut:
    with database.session() as session:
        _check_connections(session, principal.project_id, definition)
        try:
            workflow = workflow_store.create_workflow(session, principal.project_id, definition)
        except workflow_store.WorkflowExistsError as exc:
            raise ApiError(409, "workflow_exists", str(exc), {"workflow": definition.id}) from None
        result = WorkflowOut.of(workflow)
    _log(principal, definition.id, "created")
    return result


@router.get("/workflows", response_model=Page[WorkflowOut], summary="List workflows, newest first")
def list_workflows(
    principal: PrincipalDep, database: DatabaseDep, page: PageRequestDep
) -> Page[WorkflowOut]:
    with database.session() as session:
        rows = workflow_store.list_workflows(
            session, principal.project_id, limit=page.limit, after=page.after
        )
        data = [WorkflowOut.of(row) for row in rows[: page.limit]]
    return Page[WorkflowOut](data=data, next_cursor=next_cursor(rows, page.limit))


@router.get("/workflows/{workflow_id}", response_model=WorkflowOut, summary="Read a workflow")
def get_workflow(workflow_id: str, principal: PrincipalDep, database: DatabaseDep) -> WorkflowOut:
    return WorkflowOut.of(_load(database, principal.project_id, workflow_id))


@router.put(
    "/workflows/{workflow_id}",
    response_model=WorkflowOut,
    summary="Replace a workflow's definition",
    description="Runs already queued keep the definition they were triggered with.",
)
def replace_workflow(
    workflow_id: str,
    definition: WorkflowDefinition,
    principal: PrincipalDep,
    database: DatabaseDep,
) -> WorkflowOut:
    if definition.id != workflow_id:
        raise ApiError(
            422,
            "validation_error",
            f"The body's id {definition.id!r} differs from the id {workflow_id!r} in the path; "
            "a workflow cannot be renamed, so create a new one and delete the old one.",
            [{"field": "id", "problem": "differs from the path"}],
        )

    with database.session() as session:
        workflow = workflow_store.get_workflow(session, principal.project_id, workflow_id)
        if workflow is None:
            raise workflow_not_found(workflow_id)
        _check_connections(session, principal.project_id, definition)
        workflow_store.replace_workflow(session, workflow, definition)
        result = WorkflowOut.of(workflow)
    _log(principal, workflow_id, "replaced")
    return result


@router.delete(
    "/workflows/{workflow_id}",
    status_code=204,
    response_class=Response,
    summary="Delete a workflow",
    description="Its runs stay readable under /runs.",
)
def delete_workflow(workflow_id: str, principal: PrincipalDep, database: DatabaseDep) -> Response:
    with database.session() as session:
        workflow = workflow_store.get_workflow(session, principal.project_id, workflow_id)
        if workflow is None:
            raise workflow_not_found(workflow_id)
        workflow_store.delete_workflow(session, workflow)
    _log(principal, workflow_id, "deleted")
    return Response(status_code=204)


@router.post(
    "/workflows/{workflow_id}/run",
    response_model=RunQueued,
    status_code=202,
    summary="Run a workflow with a payload",
)
def run_workflow(
    workflow_id: str,
    request: RunRequest,
    principal: PrincipalDep,
    database: DatabaseDep,
    engine: EngineDep,
) -> RunQueued:
    workflow = _load(database, principal.project_id, workflow_id)
    (run,) = engine.trigger(principal.project_id, [workflow], {"type": "manual"}, request.payload)
    return RunQueued.of(run)


def _check_connections(session: Any, project_id: str, definition: WorkflowDefinition) -> None:
    """Raise a 422 naming each step whose connection is missing or of another provider."""
    problems = connection_store.step_connection_problems(session, project_id, definition)
    if not problems:
        return
    raise invalid_request(
        [
            {
                "field": f"steps[{index}].connection_id",
                "problem": problem,
                "type": "invalid_connection",
            }
            for index, problem in problems
        ]
    )


def _log(principal: Principal, workflow_id: str, action: str) -> None:
    logger.info(
        "workflow %s %s",
        workflow_id,
        action,
        extra={"project_id": principal.project_id, "workflow_id": workflow_id},
    )
