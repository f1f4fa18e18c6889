"""SQLAlchemy models for the service's state."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from synctoscale.store.types import UTCDateTime, utcnow


class Base(DeclarativeBase):
    pass


class Project(Base):
    """A tenant: every workflow, run, connection and error belongs to exactly one project."""

    __tablename__ = "projects"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    tokens: Mapped[list[ApiToken]] = relationship(back_populates="project")


class ApiToken(Base):
    """A bearer token for one project, stored as a SHA-256 digest, never in clear."""

    __tablename__ = "api_tokens"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    project_id: Mapped[str] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    token_sha256: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)

    project: Mapped[Project] = relationship(back_populates="tokens")


class IdempotencyKey(Base):
    """The first response to a POST sent with an ``Idempotency-Key`` header, kept for replay.

    A row with ``status_code`` None is a request still in progress under that key.
    """

    __tablename__ = "idempotency_keys"

    project_id: Mapped[str] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    method: Mapped[str] = mapped_column(String(10))
    path: Mapped[str] = mapped_column(String(2048))
    request_sha256: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int | None] = mapped_column(default=None)
    response_headers: Mapped[dict[str, str] | None] = mapped_column(JSON, default=None)
    response_body: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class Workflow(Base):
    """A workflow definition; ``id`` is chosen by the client and unique within a project.

    The trigger columns copy the definition's trigger so that ``POST /triggers/event`` finds
    matching workflows with an index instead of reading every definition.
    """

    __tablename__ = "workflows"
    __table_args__ = (
        Index("ix_workflows_event_trigger", "project_id", "trigger_provider", "trigger_event_type"),
        Index("ix_workflows_project_created", "project_id", "created_at", "id"),
    )

    project_id: Mapped[str] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True
    )
    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    trigger_type: Mapped[str] = mapped_column(String(20))
    trigger_provider: Mapped[str | None] = mapped_column(String(100), default=None)
    trigger_event_type: Mapped[str | None] = mapped_column(String(200), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Run(Base):
    """One execution of a workflow: the row is the truth about its state.

    ``definition`` is the workflow as it was when the run was triggered, so editing or
    deleting the workflow never changes a run already queued. ``claim_id`` names the worker
    attempt that owns a ``running`` run; every write by that worker is conditional on it.
    """

    __tablename__ = "runs"
    __table_args__ = (
        Index("ix_runs_project_created", "project_id", "created_at", "id"),
        Index("ix_runs_status_next_attempt", "status", "next_attempt_at"),
        Index("ix_runs_status_heartbeat", "status", "heartbeat_at"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    project_id: Mapped[str] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    workflow_id: Mapped[str] = mapped_column(String(100))
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    trigger: Mapped[dict[str, Any]] = mapped_column(JSON)
    payload: Mapped[Any] = mapped_column(JSON, nullable=False)
    status: Mapped[str] = mapped_column(String(20))
    attempt: Mapped[int] = mapped_column(default=0)
    claim_id: Mapped[str | None] = mapped_column(String(40), default=None)
    current_step: Mapped[str | None] = mapped_column(String(100), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    enqueued_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    error_step: Mapped[str | None] = mapped_column(String(100), default=None)
    error_code: Mapped[str | None] = mapped_column(String(100), default=None)
    error_message: Mapped[str | None] = mapped_column(Text, default=None)


class StepResult(Base):
    """The latest outcome of one step of one run, with its timings."""

    __tablename__ = "step_results"

    run_id: Mapped[str] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True)
    step_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    status: Mapped[str] = mapped_column(String(20))
    attempts: Mapped[int] = mapped_column(default=0)
    output: Mapped[Any] = mapped_column(JSON, nullable=True, default=None)
    error_code: Mapped[str | None] = mapped_column(String(100), default=None)
    error_message: Mapped[str | None] = mapped_column(Text, default=None)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    duration_ms: Mapped[float | None] = mapped_column(Float, default=None)


class RunError(Base):
    """One failure of a step attempt, kept for ``GET /errors/{run_id}``.

    ``category`` and ``recommended_fix`` come from Nova's error classifier and stay None
    when no classifier model is installed.
    """

    __tablename__ = "run_errors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    step_id: Mapped[str | None] = mapped_column(String(100), default=None)
    attempt: Mapped[int] = mapped_column(default=0)
    error_code: Mapped[str] = mapped_column(String(100))
    message: Mapped[str] = mapped_column(Text)
    retryable: Mapped[bool] = mapped_column(default=False)
    provider: Mapped[str | None] = mapped_column(String(100), default=None)
    provider_status: Mapped[int | None] = mapped_column(default=None)
    raw_response: Mapped[Any] = mapped_column(JSON, nullable=True, default=None)
    category: Mapped[str | None] = mapped_column(String(100), default=None)
    recommended_fix: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Connection(Base):
    """A project's account at a provider, with its credentials encrypted.

    ``credentials_ciphertext`` is AES-256-GCM output under the key named by ``key_id``, with
    the project and connection ids as associated data, so a row copied elsewhere does not
    decrypt. Both are None until credentials are stored.
    """

    __tablename__ = "connections"
    __table_args__ = (
        Index("ix_connections_project_created", "project_id", "created_at", "id"),
        Index("ix_connections_project_provider", "project_id", "provider"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    project_id: Mapped[str] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    provider: Mapped[str] = mapped_column(String(100))
    name: Mapped[str | None] = mapped_column(String(200), default=None)
    auth_type: Mapped[str] = mapped_column(String(40))
    scopes: Mapped[list[str]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(40))
    status_message: Mapped[str | None] = mapped_column(Text, default=None)
    account: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True, default=None)
    last_validated: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    key_id: Mapped[str | None] = mapped_column(String(40), default=None, index=True)
    credentials_ciphertext: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
