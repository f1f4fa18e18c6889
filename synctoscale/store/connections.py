"""Create, read, check and delete provider connections, scoped to one project.

The rows hold credentials only as ciphertext; ``synctoscale.credentials`` seals and opens it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from synctoscale.connectors import ConnectionCheck, ConnectionStatus, connector_class
from synctoscale.crypto import Sealed
from synctoscale.engine.definitions import ActionStep, WorkflowDefinition
from synctoscale.store.models import Connection, Workflow
from synctoscale.store.pagination import Position, page_query
from synctoscale.store.types import utcnow

__all__ = [
    "NewConnection",
    "create_connection",
    "delete_connection",
    "get_connection",
    "iter_sealed_connections",
    "list_connections",
    "provider_connections",
    "record_check",
    "replace_ciphertext",
    "set_credentials",
    "step_connection_problems",
    "workflows_using",
]


@dataclass(frozen=True)
class NewConnection:
    id: str
    project_id: str
    provider: str
    auth_type: str
    scopes: list[str]
    name: str | None = None


def create_connection(session: Session, new: NewConnection, sealed: Sealed | None) -> Connection:
    """Insert a connection; without ``sealed`` credentials it starts as ``pending``."""
    now = utcnow()
    status = ConnectionStatus.PENDING if sealed is None else ConnectionStatus.UNVALIDATED
    connection = Connection(
        id=new.id,
        project_id=new.project_id,
        provider=new.provider,
        name=new.name,
        auth_type=new.auth_type,
        scopes=list(new.scopes),
        status=status,
        key_id=sealed.key_id if sealed else None,
        credentials_ciphertext=sealed.ciphertext if sealed else None,
        created_at=now,
        updated_at=now,
    )
    session.add(connection)
    session.flush()
    return connection


def get_connection(session: Session, project_id: str, connection_id: str) -> Connection | None:
    """Return the connection if it belongs to ``project_id``; another project's is None."""
    connection = session.get(Connection, connection_id)
    if connection is None or connection.project_id != project_id:
        return None
    return connection


def list_connections(
    session: Session,
    project_id: str,
    *,
    limit: int,
    after: Position | None,
    provider: str | None = None,
) -> list[Connection]:
    """Return up to ``limit + 1`` connections, newest first, after ``after``."""
    query = select(Connection).where(Connection.project_id == project_id)
    if provider is not None:
        query = query.where(Connection.provider == provider)
    query = page_query(query, Connection.created_at, Connection.id, after=after, limit=limit)
    return list(session.scalars(query))


def provider_connections(session: Session, project_id: str, provider: str) -> list[Connection]:
    """Return every connection of the project to ``provider``, oldest first."""
    query = (
        select(Connection)
        .where(Connection.project_id == project_id, Connection.provider == provider)
        .order_by(Connection.created_at, Connection.id)
    )
    return list(session.scalars(query))


def set_credentials(session: Session, connection: Connection, sealed: Sealed) -> None:
    """Replace the credentials; the connection is ``unvalidated`` until it is checked again."""
    connection.key_id = sealed.key_id
    connection.credentials_ciphertext = sealed.ciphertext
    connection.status = ConnectionStatus.UNVALIDATED
    connection.status_message = None
    connection.account = None
    connection.last_validated = None
    connection.updated_at = utcnow()
    session.flush()


def record_check(
    session: Session, connection: Connection, check: ConnectionCheck, checked_at: datetime
) -> None:
    connection.status = check.status
    connection.status_message = check.message
    connection.account = check.account or None
    connection.last_validated = checked_at
    connection.updated_at = checked_at
    session.flush()


def delete_connection(session: Session, connection: Connection) -> None:
    session.delete(connection)
    session.flush()


def iter_sealed_connections(session: Session, batch_size: int = 500) -> Iterator[Connection]:
    """Yield every connection that has credentials, in id order, ``batch_size`` at a time."""
    last_id = ""
    while True:
        query = (
            select(Connection)
            .where(Connection.credentials_ciphertext.is_not(None), Connection.id > last_id)
            .order_by(Connection.id)
            .limit(batch_size)
        )
        rows = list(session.scalars(query))
        if not rows:
            return
        yield from rows
        last_id = rows[-1].id


def replace_ciphertext(session: Session, connection: Connection, sealed: Sealed) -> bool:
    """Store ``sealed`` if the row still contains the ciphertext read; False if it changed since.

    The comparison keeps a rotation from overwriting credentials replaced meanwhile.
    """
    statement = (
        update(Connection)
        .where(
            Connection.id == connection.id,
            Connection.key_id == connection.key_id,
            Connection.credentials_ciphertext == connection.credentials_ciphertext,
        )
        .values(key_id=sealed.key_id, credentials_ciphertext=sealed.ciphertext)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(session.execute(statement), "rowcount", 0)) == 1


def step_connection_problems(
    session: Session, project_id: str, definition: WorkflowDefinition
) -> list[tuple[int, str]]:
    """Return ``(step index, problem)`` for every action step whose connection cannot work.

    A step needs a connection_id when its provider takes credentials, and the connection
    must exist in the project and belong to the step's provider.
    """
    problems = []
    for index, step in enumerate(definition.steps):
        if not isinstance(step, ActionStep):
            continue
        problem = _connection_problem(session, project_id, step)
        if problem is not None:
            problems.append((index, f"step '{step.id}': {problem}"))
    return problems


def _connection_problem(session: Session, project_id: str, step: ActionStep) -> str | None:
    if step.connection_id is None:
        if not connector_class(step.provider).requires_credentials():
            return None
        known = [row.id for row in provider_connections(session, project_id, step.provider)]
        if known:
            choices = f"this project's {step.provider} connections: {', '.join(known)}"
        else:
            choices = (
                f"this project has no {step.provider} connection yet; create one with "
                "POST /connections"
            )
        return f"connection_id: provider '{step.provider}' needs a connection_id; {choices}"

    connection = get_connection(session, project_id, step.connection_id)
    if connection is None:
        return (
            f"connection_id: connection '{step.connection_id}' does not exist in this project; "
            "list connections with GET /connections"
        )
    if connection.provider != step.provider:
        return (
            f"connection_id: connection '{step.connection_id}' is a {connection.provider} "
            f"connection, but the step calls {step.provider}"
        )
    return None


def workflows_using(session: Session, project_id: str, connection_id: str) -> list[str]:
    """Return the ids of the project's workflows with a step that uses the connection."""
    query = select(Workflow).where(Workflow.project_id == project_id).order_by(Workflow.id)
    return [
        workflow.id
        for workflow in session.scalars(query)
        if any(
            step.get("connection_id") == connection_id
            for step in workflow.definition.get("steps", [])
        )
    ]
