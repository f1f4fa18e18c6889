"""Create and look up projects and their API tokens."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from synctoscale.ids import new_id
from synctoscale.store.models import ApiToken, Project
from synctoscale.store.types import utcnow
from synctoscale.tokens import generate_token, token_digest

__all__ = [
    "ProjectExistsError",
    "ProjectNotFoundError",
    "TokenNotFoundError",
    "create_project",
    "create_token",
    "find_token",
    "get_project_by_name",
    "list_projects",
    "list_tokens",
    "revoke_token",
]


class ProjectExistsError(ValueError):
    pass


class ProjectNotFoundError(LookupError):
    pass


class TokenNotFoundError(LookupError):
    pass


def create_project(session: Session, name: str) -> Project:
    """Insert a project; raise ProjectExistsError if the name is taken."""
    project = Project(id=new_id("proj"), name=name)
    session.add(project)
    try:
        session.flush()
    except IntegrityError:
        raise ProjectExistsError(f"A project named {name!r} already exists.") from None
    return project


def get_project_by_name(session: Session, name: str) -> Project:
    project = session.scalar(select(Project).where(Project.name == name))
    if project is None:
        raise ProjectNotFoundError(
            f"No project named {name!r}; list projects with 'synctoscale projects list'."
        )
    return project


def list_projects(session: Session) -> list[Project]:
    return list(session.scalars(select(Project).order_by(Project.created_at, Project.name)))


def create_token(session: Session, project: Project, label: str = "") -> tuple[ApiToken, str]:
    """Insert a token for ``project`` and return the row with the one copy of the plain token."""
    token_id, token = generate_token()
    row = ApiToken(
        id=token_id, project_id=project.id, token_sha256=token_digest(token), label=label
    )
    session.add(row)
    session.flush()
    return row, token


def find_token(session: Session, token_id: str) -> ApiToken | None:
    """Return the token row if it exists and is not revoked."""
    row = session.get(ApiToken, token_id)
    if row is None or row.revoked_at is not None:
        return None
    return row


def list_tokens(session: Session, project: Project) -> list[ApiToken]:
    query = select(ApiToken).where(ApiToken.project_id == project.id).order_by(ApiToken.created_at)
    return list(session.scalars(query))


def revoke_token(session: Session, token_id: str) -> ApiToken:
    """Mark a token revoked; revoking twice keeps the first revocation time."""
    row = session.get(ApiToken, token_id)
    if row is None:
        raise TokenNotFoundError(f"No token with id {token_id!r}.")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
    return row
