"""``POST /actions/run``: call one provider action now and return its result.

The request names the provider and action, the payload, and optionally a connection,
a ``mapping`` and ``constants`` that build the action's input the way a workflow step does.
A failure keeps the provider's meaning where HTTP has one (a duplicate is 409, a record
that does not exist 404, input the provider rejects 422) and is a 5xx when the provider, or
the way to it, failed. The table is in ``FAILURE_STATUS``.
"""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from synctoscale.api.connections import (
    SettingsDep,
    VaultDep,
    connection_not_found,
    unavailable_error,
)
from synctoscale.api.dependencies import DatabaseDep
from synctoscale.auth import Principal, current_principal
from synctoscale.connectors import (
    ActionRequest,
    Connector,
    ConnectorError,
    FailureKind,
    connector_class,
)
from synctoscale.credentials import CredentialsUnavailable, CredentialVault
from synctoscale.engine.classify import diagnose
from synctoscale.engine.definitions import ActionStep
from synctoscale.engine.steps import StepContext, StepFailure, action_input
from synctoscale.errors import ApiError, error_body, invalid_request
from synctoscale.ids import new_id
from synctoscale.jsonbody import StrictJSONRoute
from synctoscale.problems import describe_errors
from synctoscale.store import connections as connection_store
from synctoscale.store.db import Database
from synctoscale.store.models import Connection

logger = logging.getLogger(__name__)

router = APIRouter(route_class=StrictJSONRoute, tags=["actions"])

DEFAULT_TIMEOUT_SECONDS = 20.0
MAX_TIMEOUT_SECONDS = 60.0

# Failure kind -> (HTTP status, error code). A provider rate limit is a 503 with
# Retry-After rather than a 429, because a 429 would be stored for its Idempotency-Key and
# replayed to the retry that Retry-After invites.
FAILURE_STATUS: dict[FailureKind, tuple[int, str]] = {
    FailureKind.INVALID_INPUT: (422, "invalid_action_input"),
    FailureKind.INVALID_REQUEST: (422, "provider_rejected_input"),
    FailureKind.NOT_FOUND: (404, "provider_record_not_found"),
    FailureKind.CONFLICT: (409, "provider_conflict"),
    FailureKind.INVALID_CREDENTIALS: (502, "provider_auth_failed"),
    FailureKind.INSUFFICIENT_SCOPES: (502, "provider_insufficient_scopes"),
    FailureKind.FORBIDDEN: (502, "provider_forbidden"),
    FailureKind.RATE_LIMITED: (503, "provider_rate_limited"),
    FailureKind.UNAVAILABLE: (502, "provider_unavailable"),
    FailureKind.NETWORK: (502, "provider_unreachable"),
    FailureKind.TIMEOUT: (504, "provider_timeout"),
    FailureKind.PROVIDER_ERROR: (502, "provider_error"),
}


class ActionRunRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    provider: str = Field(min_length=1, max_length=100, examples=["hubspot"])
    action: str = Field(min_length=1, max_length=100, examples=["create_contact"])
    payload: dict[str, Any] = Field(
        examples=[{"email": "new@example.com", "first_name": "Jordan", "last_name": "Lee"}]
    )
    connection_id: str | None = Field(
        None,
        description="The connection whose credentials to use. Left out, the project's only "
        "connection to the provider is used.",
    )
    mapping: dict[str, str | None] | None = Field(
        None,
        description="Target field -> source path into the payload, as in a workflow step. "
        "Left out, the action receives the whole payload.",
    )
    constants: dict[str, Any] = Field(
        default_factory=dict, description="Fixed input fields; they override mapped ones."
    )
    timeout_seconds: float = Field(
        DEFAULT_TIMEOUT_SECONDS,
        gt=0,
        le=MAX_TIMEOUT_SECONDS,
        description="Timeout of each provider call, in seconds.",
    )


class ActionRunResult(BaseModel):
    status: str = Field(examples=["success"])
    record_id: str | None = Field(
        examples=["88171"],
        description="The id of the record the action created, changed or read, when it "
        "names one record.",
    )
    output: Any = Field(description="The action's output, with credentials removed.")
    provider: str
    action: str
    connection_id: str | None


@router.post(
    "/actions/run",
    response_model=ActionRunResult,
    summary="Run one provider action now",
    responses={
        404: {
            "description": "No connection_id in this project, or the provider has no record "
            "the action names."
        },
        409: {"description": "The provider reports a duplicate or a conflicting state."},
        422: {"description": "Invalid request, input, or connection choice."},
        502: {"description": "The provider failed, or rejected the connection's credentials."},
        503: {"description": "Rate-limited by the provider; retry after Retry-After seconds."},
        504: {"description": "The provider did not respond within timeout_seconds."},
    },
)
def run_action(
    body: ActionRunRequest,
    principal: Annotated[Principal, Depends(current_principal)],
    database: DatabaseDep,
    vault: VaultDep,
    settings: SettingsDep,
) -> JSONResponse:
    step = _step(body)
    connector = connector_class(body.provider)
    connection, credentials = _credentials(database, vault, principal.project_id, body, connector)
    values = _input(step, principal.project_id, body.payload)

    action = ActionRequest(
        action=body.action,
        input=values,
        run_id=new_id("act"),
        step_id="action",
        attempt=1,
    )
    client = connector(
        credentials=credentials,
        base_url=settings.provider_base_urls.get(body.provider),
        timeout_seconds=body.timeout_seconds,
    )
    connection_id = connection.id if connection is not None else None
    log_ids = {
        "project_id": principal.project_id,
        "provider": body.provider,
        "action": body.action,
        "connection_id": connection_id,
    }
    try:
        result = client.run(action)
    except ConnectorError as exc:
        return _failure(exc, body, connection_id, log_ids)

    output = result.output
    record_id = output.get("record_id") if isinstance(output, dict) else None
    logger.info("action %s.%s succeeded", body.provider, body.action, extra=log_ids)
    response = ActionRunResult(
        status="success",
        record_id=None if record_id is None else str(record_id),
        output=output,
        provider=body.provider,
        action=body.action,
        connection_id=connection_id,
    )
    return JSONResponse(response.model_dump(mode="json"))


def _step(body: ActionRunRequest) -> ActionStep:
    """Check provider, action and mapping with the same rules as a workflow's action step."""
    fields = {
        "id": "action",
        "type": "action",
        "provider": body.provider,
        "action": body.action,
        "connection_id": body.connection_id,
        "mapping": body.mapping,
        "constants": body.constants,
        "timeout_seconds": body.timeout_seconds,
    }
    try:
        step = ActionStep.model_validate(fields)
    except ValidationError as exc:
        raise invalid_request(describe_errors(exc.errors(), fields)) from None

    for target, source in (body.mapping or {}).items():
        if source is not None and source.startswith("steps."):
            problem = "an action run has no earlier steps; map from the payload"
            raise invalid_request([_field(f"mapping.{target}", problem)])
    return step


def _credentials(
    database: Database,
    vault: CredentialVault,
    project_id: str,
    body: ActionRunRequest,
    connector: type[Connector],
) -> tuple[Connection | None, dict[str, str] | None]:
    """Choose the connection and decrypt its credentials.

    The credentials are None when there is no connection or the provider needs none.
    """
    with database.session() as session:
        connection = _choose_connection(session, project_id, body, connector)
        if connection is not None:
            session.expunge(connection)
    if connection is None or not connector.requires_credentials():
        return connection, None

    try:
        return connection, vault.open(connection)
    except CredentialsUnavailable as exc:
        raise unavailable_error(exc) from None


def _choose_connection(
    session: Any, project_id: str, body: ActionRunRequest, connector: type[Connector]
) -> Connection | None:
    if body.connection_id is not None:
        # Another project's connection is reported exactly like one that does not exist,
        # so the response does not reveal that the id exists.
        connection = connection_store.get_connection(session, project_id, body.connection_id)
        if connection is None:
            raise connection_not_found(body.connection_id)
        if connection.provider != body.provider:
            problem = (
                f"connection '{connection.id}' is a {connection.provider} connection, "
                f"not {body.provider}"
            )
            raise invalid_request(
                [_field("connection_id", problem)], "connection_provider_mismatch"
            )
        return connection

    if not connector.requires_credentials():
        return None
    connections = connection_store.provider_connections(session, project_id, body.provider)
    if len(connections) == 1:
        return connections[0]
    if not connections:
        problem = (
            f"this project has no {body.provider} connection; create one with "
            "POST /connections, then send its id as connection_id"
        )
        code = "connection_required"
    else:
        ids = ", ".join(connection.id for connection in connections)
        problem = (
            f"this project has {len(connections)} {body.provider} connections ({ids}); "
            "send connection_id to choose one"
        )
        code = "connection_ambiguous"
    raise invalid_request([_field("connection_id", problem)], code)


def _input(step: ActionStep, project_id: str, payload: dict[str, Any]) -> dict[str, Any]:
    context = StepContext(run_id="action", project_id=project_id, payload=payload)
    try:
        return action_input(step, context)
    except StepFailure as failure:
        raise ApiError(
            422,
            failure.error_code,
            failure.message,
            [_field("mapping", failure.message)],
        ) from None


def _failure(
    exc: ConnectorError, body: ActionRunRequest, connection_id: str | None, log_ids: dict[str, Any]
) -> JSONResponse:
    status, code = FAILURE_STATUS.get(exc.kind, (502, "provider_error"))
    diagnosis = diagnose(
        exc.message,
        error_code=exc.error_code,
        provider=body.provider,
        http_status=exc.provider_status,
        raw_response=exc.raw_response,
    )
    details: dict[str, Any] = {
        "provider": body.provider,
        "action": body.action,
        "connection_id": connection_id,
        "error_code": exc.error_code,
        "kind": str(exc.kind),
        "provider_status": exc.provider_status,
        "retryable": exc.retryable,
        "retry_after": exc.retry_after,
        "raw_response": exc.raw_response,
        "category": diagnosis.category,
        "recommended_fix": diagnosis.recommended_fix,
        **exc.details,
    }
    headers = {}
    if exc.retry_after is not None:
        headers["Retry-After"] = str(max(1, round(exc.retry_after)))

    log = logger.info if exc.kind is FailureKind.INVALID_INPUT else logger.warning
    log(
        "action %s.%s failed: %s",
        body.provider,
        body.action,
        exc.message,
        extra={**log_ids, "error_code": exc.error_code, "status": status},
    )
    return JSONResponse(error_body(code, exc.message, details), status_code=status, headers=headers)


def _field(field: str, problem: str) -> dict[str, str]:
    return {"field": field, "problem": problem, "type": "value_error"}
