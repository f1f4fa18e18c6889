"""The Slack connector against the sandbox: each action's output and every error mapping."""

from __future__ import annotations

import json
from typing import Any

import pytest

from synctoscale.connectors import ConnectionStatus, FailureKind
from tests.synctoscale.conftest import Sandbox
from tests.synctoscale.connectors.actions import action_error, connector, run_action

TOKEN = {"access_token": "xoxb-sandbox-secret-1234"}
INVITE = {"team_id": "T0SANDBOX", "channel_ids": "C0GENERAL,C0ONBOARD"}


def test_post_message_returns_ts(sandbox: Sandbox) -> None:
    output = run_action(
        sandbox, "slack", "post_message", {"channel": "#general", "text": "Welcome!"}, TOKEN
    )

    assert output["channel"] == "C0GENERAL"
    assert output["record_id"] == output["ts"]
    assert output["message"]["text"] == "Welcome!"


def test_lookup_user_by_email(sandbox: Sandbox) -> None:
    output = run_action(
        sandbox, "slack", "lookup_user_by_email", {"email": "ada@example.com"}, TOKEN
    )

    assert output["user_id"] == "U0SEED0001"
    assert output["record_id"] == "U0SEED0001"
    assert output["real_name"] == "Ada Lovelace"
    assert output["email"] == "ada@example.com"


def test_invite_user_then_duplicate(sandbox: Sandbox) -> None:
    values = {**INVITE, "email": "new.hire@example.com", "real_name": "New Hire"}
    output = run_action(sandbox, "slack", "invite_user", values, TOKEN)
    again = action_error(sandbox, "slack", "invite_user", values, TOKEN)

    assert output == {"invited": True, "email": "new.hire@example.com", "team_id": "T0SANDBOX"}
    assert again.error_code == "already_in_team_invited_user"
    assert again.kind is FailureKind.CONFLICT


@pytest.mark.parametrize(
    ("action", "values", "token", "code", "kind", "retryable", "status"),
    [
        ("post_message", {"channel": "#nope", "text": "x"}, None, "channel_not_found",
         FailureKind.NOT_FOUND, False, 200),
        ("lookup_user_by_email", {"email": "ada@example.com"}, "xoxb-invalid", "invalid_auth",
         FailureKind.INVALID_CREDENTIALS, False, 200),
        ("lookup_user_by_email", {"email": "ada@example.com"}, "", "not_authed",
         FailureKind.INVALID_CREDENTIALS, False, 200),
        ("lookup_user_by_email", {"email": "nobody@example.com"}, None, "users_not_found",
         FailureKind.NOT_FOUND, False, 200),
        ("lookup_user_by_email", {"email": "a@ratelimited.example.com"}, None, "ratelimited",
         FailureKind.RATE_LIMITED, True, 429),
        ("lookup_user_by_email", {"email": "a@outage.example.com"}, None, "service_unavailable",
         FailureKind.UNAVAILABLE, True, 503),
        ("invite_user", {**INVITE, "email": "ada@example.com"}, None, "already_in_team",
         FailureKind.CONFLICT, False, 200),
        ("invite_user", {**INVITE, "email": "a@invalid.example.com"}, None, "invalid_email",
         FailureKind.INVALID_REQUEST, False, 200),
        ("invite_user", {**INVITE, "team_id": "T0OTHER", "email": "b@example.com"}, None,
         "team_not_found", FailureKind.NOT_FOUND, False, 200),
    ],
)  # fmt: skip
def test_slack_errors_map(
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
    error = action_error(sandbox, "slack", action, values, credentials)

    assert error.error_code == code
    assert error.kind is kind
    assert error.retryable is retryable
    assert error.provider_status == status
    assert error.raw_response["error"] == code


def test_rate_limit_keeps_retry_after(sandbox: Sandbox) -> None:
    values = {"email": "a@ratelimited.example.com"}
    error = action_error(sandbox, "slack", "lookup_user_by_email", values, TOKEN)

    assert error.retry_after == 1.0


def test_missing_scope_names_scopes(sandbox: Sandbox) -> None:
    values = {"channel": "#general", "text": "hi"}
    error = action_error(sandbox, "slack", "post_message", values, {"access_token": "xoxb-noscope"})

    assert error.error_code == "missing_scope"
    assert error.kind is FailureKind.INSUFFICIENT_SCOPES
    assert error.details == {"needed": "chat:write", "provided": "users:read"}
    assert "chat:write" in error.message


@pytest.mark.parametrize(
    ("action", "values", "field"),
    [
        ("post_message", {"channel": "#general"}, "text or blocks"),
        ("post_message", {"text": "hi"}, "channel"),
        ("post_message", {"channel": "#general", "text": "hi", "colour": "red"}, "colour"),
        ("invite_user", {"team_id": "T0SANDBOX", "email": "x@example.com"}, "channel_ids"),
        ("lookup_user_by_email", {}, "email"),
    ],
)
def test_bad_input_names_field(
    sandbox: Sandbox, action: str, values: dict[str, Any], field: str
) -> None:
    error = action_error(sandbox, "slack", action, values, TOKEN)

    assert error.kind is FailureKind.INVALID_INPUT
    assert error.provider_status is None
    assert field in error.message


def test_unknown_action_is_rejected(sandbox: Sandbox) -> None:
    error = action_error(sandbox, "slack", "delete_workspace", {}, TOKEN)

    assert error.error_code == "unknown_action"
    assert "post_message" in error.message


def test_token_never_in_error(sandbox: Sandbox) -> None:
    values = {"email": "a@outage.example.com"}
    error = action_error(sandbox, "slack", "lookup_user_by_email", values, TOKEN)

    assert TOKEN["access_token"] not in json.dumps(error.raw_response)
    assert TOKEN["access_token"] not in error.message


@pytest.mark.parametrize(
    ("token", "scopes", "status"),
    [
        ("xoxb-good", ["chat:write", "users:read"], ConnectionStatus.HEALTHY),
        ("xoxb-noscope", ["chat:write", "users:read"], ConnectionStatus.INSUFFICIENT_SCOPES),
        ("xoxb-noscope", [], ConnectionStatus.HEALTHY),
        ("xoxb-invalid", [], ConnectionStatus.INVALID_CREDENTIALS),
    ],
)
def test_slack_check_status(
    sandbox: Sandbox, token: str, scopes: list[str], status: ConnectionStatus
) -> None:
    check = connector(sandbox, "slack", {"access_token": token}).check(scopes)

    assert check.status is status


def test_check_names_missing_scope(sandbox: Sandbox) -> None:
    check = connector(sandbox, "slack", {"access_token": "xoxb-noscope"}).check(["chat:write"])

    assert "chat:write" in check.message
    assert check.account["team_id"] == "T0SANDBOX"
