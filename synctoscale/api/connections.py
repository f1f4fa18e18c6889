"""``/connections``: store provider credentials encrypted, read, check and delete connections.

No response ever contains credentials: they are written once, encrypted, and read back only
by the engine and ``/actions/run`` when they call the provider.
"""

from __future__ import annotations

import difflib
import logging
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field, StrictBool, ValidationError
from sqlalchemy.orm import Session

from synctoscale.api.dependencies import DatabaseDep, PageRequestDep
from synctoscale.api.pagination import Page, next_cursor
from synctoscale.auth import Principal, current_principal
from synctoscale.connectors import ConnectionStatus, Connector, connector_class, provider_actions
from synctoscale.credentials import CredentialsUnavailable, CredentialVault
from synctoscale.errors import ApiError, invalid_request
from synctoscale.ids import new_id
from synctoscale.jsonbody import StrictJSONRoute
from synctoscale.problems import join_words, problem_text
from synctoscale.settings import Settings
from synctoscale.store import connections as connection_store
from synctoscale.store.db import Database
from synctoscale.store.models import Connection
from synctoscale.store.types import utcnow

logger = logging.getLogger(__name__)

router = APIRouter(route_class=StrictJSONRoute, tags=["connections"])

PrincipalDep = Annotated[Principal, Depends(current_principal)]

# Seconds one connection check may wait for the provider.
CHECK_TIMEOUT_SECONDS = 10.0
Scope = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^\S+$")]


class ConnectionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    provider: str = Field(min_length=1, max_length=100, examples=["slack"])
    auth_type: str = Field(min_length=1, max_length=40, examples=["oauth"])
    scopes: list[Scope] = Field(
        default_factory=list,
        max_length=100,
        description="Scopes the credentials must carry; a check reports any that are missing.",
        examples=[["chat:write", "users:read"]],
    )
    credentials: dict[str, Any] | None = Field(
        None,
        description="The provider's credentials, such as {'access_token': ...}. Without them "
        "the connection is 'pending' until PUT /connections/{id}/credentials.",
    )
    name: str | None = Field(None, min_length=1, max_length=200)
    validate_now: StrictBool = Field(
        False,
        alias="validate",
        description="Check the credentials against the provider before responding.",
    )


class CredentialsUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    credentials: dict[str, Any]


class ConnectionOut(BaseModel):
    """A connection as the API shows it: everything but the credentials."""

    id: str = Field(examples=["conn_1f0c2a9b7d3e4a51"])
    provider: str = Field(examples=["slack"])
    status: ConnectionStatus = Field(examples=["healthy"])
    last_validated: datetime | None = Field(description="When the credentials were last checked.")
    name: str | None
    auth_type: str = Field(examples=["oauth"])
    scopes: list[str]
    status_message: str | None = Field(description="What the last check found, in words.")
    account: dict[str, Any] | None = Field(description="Who the credentials act as.")
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, connection: Connection) -> ConnectionOut:
        return cls(
            id=connection.id,
            provider=connection.provider,
            status=ConnectionStatus(connection.status),
            last_validated=connection.last_validated,
            name=connection.name,
            auth_type=connection.auth_type,
            scopes=connection.scopes,
            status_message=connection.status_message,
            account=connection.account,
            created_at=connection.created_at,
            updated_at=connection.updated_at,
        )


def _vault(request: Request) -> CredentialVault:
    vault: CredentialVault = request.app.state.vault
    return vault


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


VaultDep = Annotated[CredentialVault, Depends(_vault)]
SettingsDep = Annotated[Settings, Depends(_settings)]


def connection_not_found(connection_id: str) -> ApiError:
    return ApiError(
        404,
        "connection_not_found",
        f"No connection {connection_id!r} in this project; list connections with GET /connections.",
        {"connection_id": connection_id},
    )


def unavailable_error(exc: CredentialsUnavailable) -> ApiError:
    """Return the API error for credentials that cannot be sealed or opened."""
    status = 503 if exc.code == "encryption_key_missing" else 409
    return ApiError(status, exc.code, exc.message)


@router.post(
    "/connections",
    response_model=ConnectionOut,
    status_code=201,
    summary="Create a connection",
    responses={422: {"description": "Unknown provider or auth type, or invalid credentials."}},
)
def create_connection(
    body: ConnectionCreate,
    principal: PrincipalDep,
    database: DatabaseDep,
    vault: VaultDep,
    settings: SettingsDep,
) -> ConnectionOut:
    connector = _connector_for(body.provider)
    if body.auth_type not in connector.auth_types:
        raise _invalid("auth_type", _auth_type_problem(connector, body.auth_type))
    credentials = None
    if body.credentials is not None:
        credentials = checked_credentials(connector, body.credentials)

    connection_id = new_id("conn")
    try:
        sealed = None
        if credentials is not None:
            sealed = vault.seal(principal.project_id, connection_id, credentials)
    except CredentialsUnavailable as exc:
        raise unavailable_error(exc) from None
    new = connection_store.NewConnection(
        id=connection_id,
        project_id=principal.project_id,
        provider=body.provider,
        auth_type=body.auth_type,
        scopes=body.scopes,
        name=body.name,
    )
    with database.session() as session:
        connection = connection_store.create_connection(session, new, sealed)
        result = ConnectionOut.of(connection)
    _log(principal, connection_id, "created")

    if body.validate_now and sealed is not None:
        return _check(database, vault, settings, principal.project_id, connection_id)
    return result


@router.get(
    "/connections", response_model=Page[ConnectionOut], summary="List connections, newest first"
)
def list_connections(
    principal: PrincipalDep,
    database: DatabaseDep,
    page: PageRequestDep,
    provider: Annotated[str | None, Query(description="Only connections to this provider.")] = None,
) -> Page[ConnectionOut]:
    if provider is not None:
        _connector_for(provider)
    with database.session() as session:
        rows = connection_store.list_connections(
            session, principal.project_id, limit=page.limit, after=page.after, provider=provider
        )
        data = [ConnectionOut.of(row) for row in rows[: page.limit]]
    return Page[ConnectionOut](data=data, next_cursor=next_cursor(rows, page.limit))


@router.get(
    "/connections/{connection_id}", response_model=ConnectionOut, summary="Read a connection"
)
def get_connection(
    connection_id: str, principal: PrincipalDep, database: DatabaseDep
) -> ConnectionOut:
    with database.session() as session:
        return ConnectionOut.of(_load(session, principal.project_id, connection_id))


@router.put(
    "/connections/{connection_id}/credentials",
    response_model=ConnectionOut,
    summary="Replace a connection's credentials",
    description="The connection is 'unvalidated' until the next check.",
)
def replace_credentials(
    connection_id: str,
    body: CredentialsUpdate,
    principal: PrincipalDep,
    database: DatabaseDep,
    vault: VaultDep,
) -> ConnectionOut:
    with database.session() as session:
        connection = _load(session, principal.project_id, connection_id)
        credentials = checked_credentials(connector_class(connection.provider), body.credentials)
        try:
            sealed = vault.seal(principal.project_id, connection_id, credentials)
        except CredentialsUnavailable as exc:
            raise unavailable_error(exc) from None
        connection_store.set_credentials(session, connection, sealed)
        result = ConnectionOut.of(connection)
    _log(principal, connection_id, "given new credentials")
    return result


@router.post(
    "/connections/{connection_id}/validate",
    response_model=ConnectionOut,
    summary="Check a connection's credentials against its provider",
    description="Calls the provider's cheapest authenticated endpoint and records the status: "
    "healthy, invalid_credentials, insufficient_scopes or unreachable.",
    responses={409: {"description": "The connection has no credentials, or they do not decrypt."}},
)
def validate_connection(
    connection_id: str,
    principal: PrincipalDep,
    database: DatabaseDep,
    vault: VaultDep,
    settings: SettingsDep,
) -> ConnectionOut:
    return _check(database, vault, settings, principal.project_id, connection_id)


@router.delete(
    "/connections/{connection_id}",
    status_code=204,
    response_class=Response,
    summary="Delete a connection and its credentials",
    responses={409: {"description": "A workflow still uses the connection."}},
)
def delete_connection(
    connection_id: str, principal: PrincipalDep, database: DatabaseDep
) -> Response:
    with database.session() as session:
        connection = _load(session, principal.project_id, connection_id)
        users = connection_store.workflows_using(session, principal.project_id, connection_id)
        if users:
            raise ApiError(
                409,
                "connection_in_use",
                f"Connection {connection_id!r} is used by workflow(s) {', '.join(users)}; point "
                "their steps at another connection or delete them first.",
                {"connection_id": connection_id, "workflows": users},
            )
        connection_store.delete_connection(session, connection)
    _log(principal, connection_id, "deleted")
    return Response(status_code=204)


def checked_credentials(connector: type[Connector], values: dict[str, Any]) -> dict[str, Any]:
    """Validate credentials against the provider's model and return them as JSON values.

    Invalid credentials raise a 422 that names each invalid field and rule. The messages
    never contain the values, because they are secrets.
    """
    try:
        model = connector.credentials_model.model_validate(values)
    except ValidationError as exc:
        details = [
            {
                "field": ".".join(["credentials", *(str(part) for part in error["loc"])]),
                "problem": _credential_problem(error),
                "type": error["type"],
            }
            for error in exc.errors()
        ]
        first = details[0]
        message = f"Invalid {connector.label()} credentials: {first['field']}: {first['problem']}"
        raise ApiError(422, "invalid_credentials", message, details) from None
    return model.model_dump(mode="json")


def _auth_type_problem(connector: type[Connector], auth_type: str) -> str:
    allowed = join_words(list(connector.auth_types), "or")
    problem = f"provider '{connector.provider}' takes auth_type {allowed}, not '{auth_type}'"
    close = difflib.get_close_matches(auth_type, connector.auth_types, n=1)
    return f"{problem}. Did you mean '{close[0]}'?" if close else problem


def _credential_problem(error: Any) -> str:
    if error["type"] == "missing":
        return "missing; this provider needs it"
    if error["type"] == "extra_forbidden":
        return "not a credential this provider takes"
    return problem_text(error)


def _connector_for(provider: str) -> type[Connector]:
    try:
        return connector_class(provider)
    except KeyError:
        known = ", ".join(provider_actions())
        raise _invalid(
            "provider", f"unknown provider '{provider}'; known providers: {known}"
        ) from None


def _invalid(field: str, problem: str) -> ApiError:
    return invalid_request([{"field": field, "problem": problem, "type": "value_error"}])


def _load(session: Session, project_id: str, connection_id: str) -> Connection:
    connection = connection_store.get_connection(session, project_id, connection_id)
    if connection is None:
        raise connection_not_found(connection_id)
    return connection


def _check(
    database: Database,
    vault: CredentialVault,
    settings: Settings,
    project_id: str,
    connection_id: str,
) -> ConnectionOut:
    """Check the connection against its provider and record the outcome on the row.

    No database session stays open during the provider call. The outcome is recorded only if
    the credentials did not change meanwhile.
    """
    with database.session() as session:
        connection = _load(session, project_id, connection_id)
        session.expunge(connection)
    try:
        credentials = vault.open(connection)
    except CredentialsUnavailable as exc:
        raise unavailable_error(exc) from None

    connector = connector_class(connection.provider)(
        credentials=credentials,
        base_url=settings.provider_base_urls.get(connection.provider),
        timeout_seconds=CHECK_TIMEOUT_SECONDS,
    )
    check = connector.check(connection.scopes)

    with database.session() as session:
        current = _load(session, project_id, connection_id)
        if current.credentials_ciphertext == connection.credentials_ciphertext:
            connection_store.record_check(session, current, check, utcnow())
        result = ConnectionOut.of(current)
    logger.info(
        "connection %s checked: %s",
        connection_id,
        check.status,
        extra={"connection_id": connection_id, "project_id": project_id, "status": check.status},
    )
    return result


def _log(principal: Principal, connection_id: str, action: str) -> None:
    logger.info(
        "connection %s %s",
        connection_id,
        action,
        extra={"project_id": principal.project_id, "connection_id": connection_id},
    )
