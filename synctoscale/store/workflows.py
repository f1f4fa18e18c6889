"""Create, read, replace and delete workflow definitions, scoped to one project."""

from __future__ import annotations

from typing import Literal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from synctoscale.engine.definitions import EventTrigger, WorkflowDefinition
from synctoscale.store.models import Workflow
from synctoscale.store.pagination import Position, page_query
from synctoscale.store.types import utcnow

__all__ = [
    "WorkflowExistsError",
    "create_workflow",
    "delete_workflow",
    "find_event_workflows",
    "get_workflow",
    "list_workflows",
    "replace_workflow",
    "save_workflow",
]

SaveOutcome = Literal["created", "updated", "unchanged"]


class WorkflowExistsError(ValueError):
    pass


def create_workflow(session: Session, project_id: str, definition: WorkflowDefinition) -> Workflow:
    """Insert a workflow; raise WorkflowExistsError if the project already has that id."""
    now = utcnow()
    workflow = Workflow(project_id=project_id, id=definition.id, created_at=now, updated_at=now)
    _apply(workflow, definition)
    session.add(workflow)
    try:
        session.flush()
    except IntegrityError:
        raise WorkflowExistsError(
            f"A workflow with id {definition.id!r} already exists; replace it with "
            f"PUT /workflows/{definition.id} or choose another id."
        ) from None
    return workflow


def get_workflow(session: Session, project_id: str, workflow_id: str) -> Workflow | None:
    return session.get(Workflow, (project_id, workflow_id))


def replace_workflow(session: Session, workflow: Workflow, definition: WorkflowDefinition) -> None:
    _apply(workflow, definition)
    workflow.updated_at = utcnow()
    session.flush()


def delete_workflow(session: Session, workflow: Workflow) -> None:
    session.delete(workflow)
    session.flush()


def list_workflows(
    session: Session, project_id: str, *, limit: int, after: Position | None
) -> list[Workflow]:
    """Return up to ``limit + 1`` workflows, newest first, after ``after``."""
    query = select(Workflow).where(Workflow.project_id == project_id)
    query = page_query(query, Workflow.created_at, Workflow.id, after=after, limit=limit)
    return list(session.scalars(query))


def find_event_workflows(
    session: Session, project_id: str, provider: str, event_type: str
) -> list[Workflow]:
    """Return the project's workflows triggered by this provider's event type, by id."""
    query = (
        select(Workflow)
        .where(
            Workflow.project_id == project_id,
            Workflow.trigger_type == "event",
            Workflow.trigger_provider == provider,
            Workflow.trigger_event_type == event_type,
        )
        .order_by(Workflow.id)
    )
    return list(session.scalars(query))


def save_workflow(session: Session, project_id: str, definition: WorkflowDefinition) -> SaveOutcome:
    """Create the workflow, or replace it when the stored definition differs."""
    workflow = get_workflow(session, project_id, definition.id)
    if workflow is None:
        create_workflow(session, project_id, definition)
        return "created"
    if workflow.definition == definition.model_dump(mode="json"):
        return "unchanged"
    replace_workflow(session, workflow, definition)
    return "updated"


def _apply(workflow: Workflow, definition: WorkflowDefinition) -> None:
    workflow.definition = definition.model_dump(mode="json")
    workflow.trigger_type = definition.trigger.type
    if isinstance(definition.trigger, EventTrigger):
        workflow.trigger_provider = definition.trigger.provider
        workflow.trigger_event_type = definition.trigger.event_type
    else:
        workflow.trigger_provider = None
        workflow.trigger_event_type = None
