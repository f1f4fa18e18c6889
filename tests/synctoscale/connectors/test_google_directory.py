"""The Google Directory connector against the sandbox: users, and Google's error body."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

import nova
from synctoscale.connectors import ConnectionStatus, FailureKind
from synctoscale.connectors.google_directory import GoogleDirectoryConnector
from tests.synctoscale.conftest import Sandbox
from tests.synctoscale.connectors.actions import action_error, connector, run_action

TOKEN = {"access_token": "ya29.sandbox-secret-token"}
LIN = {"primaryEmail": "lin@example.com", "givenName": "Lin", "familyName": "Qiu"}


def test_create_user_sets_password(sandbox: Sandbox) -> None:
    output = run_action(sandbox, "google_directory", "create_user", LIN, TOKEN)

    assert output["record_id"] == output["id"]
    assert output["primaryEmail"] == "lin@example.com"
    assert output["name"]["fullName"] == "Lin Qiu"
    assert output["changePasswordAtNextLogin"] is True
    assert "password" not in output


def test_create_user_keeps_given_password(sandbox: Sandbox) -> None:
    values = {**LIN, "password": "correct-horse-battery"}
    output = run_action(sandbox, "google_directory", "create_user", values, TOKEN)

    assert "changePasswordAtNextLogin" not in output
    assert "correct-horse-battery" not in json.dumps(output)


def test_update_and_get_user(sandbox: Sandbox) -> None:
    created = run_action(sandbox, "google_directory", "create_user", LIN, TOKEN)
    updated = run_action(
        sandbox,
        "google_directory",
        "update_user",
        {"user_key": "lin@example.com", "suspended": True, "orgUnitPath": "/Leavers"},
        TOKEN,
    )
    fetched = run_action(
        sandbox, "google_directory", "get_user", {"user_key": created["id"]}, TOKEN
    )

    assert updated["record_id"] == created["id"]
    assert fetched["suspended"] is True
    assert fetched["orgUnitPath"] == "/Leavers"


@pytest.mark.parametrize(
    ("action", "values", "token", "code", "kind", "retryable", "status"),
    [
        ("create_user", {**LIN, "primaryEmail": "ada@example.com"}, None, "duplicate",
         FailureKind.CONFLICT, False, 409),
        ("get_user", {"user_key": "nobody@example.com"}, None, "notFound",
         FailureKind.NOT_FOUND, False, 404),
        ("get_user", {"user_key": "ada@example.com"}, "ya29.invalid", "authError",
         FailureKind.INVALID_CREDENTIALS, False, 401),
        ("get_user", {"user_key": "ada@example.com"}, "ya29.noscope",
         "insufficientPermissions", FailureKind.INSUFFICIENT_SCOPES, False, 403),
        ("create_user", LIN, "ya29.readonly", "insufficientPermissions",
         FailureKind.INSUFFICIENT_SCOPES, False, 403),
        ("create_user", {**LIN, "primaryEmail": "l@invalid.example.com"}, None, "invalid",
         FailureKind.INVALID_REQUEST, False, 400),
        ("create_user", {**LIN, "primaryEmail": "l@ratelimited.example.com"}, None,
         "rateLimitExceeded", FailureKind.RATE_LIMITED, True, 429),
        ("create_user", {**LIN, "primaryEmail": "l@outage.example.com"}, None, "backendError",
         FailureKind.UNAVAILABLE, True, 503),
    ],
)  # fmt: skip
def test_google_errors_map(
    sandbox: Sandbox,
    action: str,
    values: dict[str, Any],
    token: str | None,
    code: str,
    kind: FailureKind,
    retryable: bool,
    status: int,
) -> None:
    credentials = TOKEN if token is None else {"access_token": token}
    error = action_error(sandbox, "google_directory", action, values, credentials)

    assert error.error_code == code
    assert error.kind is kind
    assert error.retryable is retryable
    assert error.provider_status == status
    assert error.raw_response["error"]["errors"][0]["reason"] == code


@pytest.mark.parametrize(
    ("action", "values", "operation"),
    [
        ("create_user", LIN, "POST /users"),
        ("update_user", {"user_key": "lin@example.com", "suspended": True}, "PUT /users/"),
    ],
)
def test_scope_error_names_operation(
    sandbox: Sandbox, action: str, values: dict[str, Any], operation: str
) -> None:
    readonly = {"access_token": "ya29.readonly"}
    error = action_error(sandbox, "google_directory", action, values, readonly)

    assert error.kind is FailureKind.INSUFFICIENT_SCOPES
    assert f"returned 403 to {operation}" in error.message
    assert error.message.endswith("Request had insufficient authentication scopes.")


def test_scope_error_fix_names_scope() -> None:
    message = "Request had insufficient authentication scopes."
    reason = {"message": message, "domain": "global", "reason": "insufficientPermissions"}
    body = {
        "error": {
            "code": 403,
            "message": message,
            "errors": [reason],
            "status": "PERMISSION_DENIED",
        }
    }
    request = httpx.Request("POST", "https://admin.googleapis.com/admin/directory/v1/users")
    response = httpx.Response(403, json=body, request=request)
    error = GoogleDirectoryConnector(credentials=TOKEN).error_from(response)

    result = nova.classify_error(
        error.message, error_code=error.error_code, provider="google_directory", http_status=403
    )

    assert result.category == "insufficient_permissions"
    assert result.parameters["missing_permission"] == (
        "https://www.googleapis.com/auth/admin.directory.user"
    )
    assert "https://www.googleapis.com/auth/admin.directory.user " in result.recommended_fix


def test_rate_limit_keeps_retry_after(sandbox: Sandbox) -> None:
    values = {**LIN, "primaryEmail": "l@ratelimited.example.com"}
    error = action_error(sandbox, "google_directory", "create_user", values, TOKEN)

    assert error.retry_after == 1.0
    assert error.details["status"] == "RESOURCE_EXHAUSTED"


@pytest.mark.parametrize(
    ("action", "values", "field"),
    [
        ("create_user", {"primaryEmail": "a@example.com"}, "name"),
        ("create_user", {"primaryEmail": "a@example.com", "givenName": "A"}, "familyName"),
        ("create_user", {**LIN, "password": "short"}, "password"),
        ("update_user", {"user_key": "a@example.com"}, "field to change"),
        ("get_user", {}, "user_key"),
        ("get_user", {"user_key": "a@example.com", "projection": "all"}, "projection"),
    ],
)
def test_bad_input_names_field(
    sandbox: Sandbox, action: str, values: dict[str, Any], field: str
) -> None:
    error = action_error(sandbox, "google_directory", action, values, TOKEN)

    assert error.kind is FailureKind.INVALID_INPUT
    assert field in error.message


@pytest.mark.parametrize(
    ("token", "status"),
    [
        ("ya29.good", ConnectionStatus.HEALTHY),
        ("ya29.noscope", ConnectionStatus.INSUFFICIENT_SCOPES),
        ("ya29.invalid", ConnectionStatus.INVALID_CREDENTIALS),
    ],
)
def test_google_check_status(sandbox: Sandbox, token: str, status: ConnectionStatus) -> None:
    check = connector(sandbox, "google_directory", {"access_token": token}).check()

    assert check.status is status
