"""The HubSpot connector against the sandbox: contacts, and every error format mapped."""

from __future__ import annotations

from typing import Any

import pytest

from synctoscale.connectors import ActionRequest, ConnectionStatus, FailureKind
from tests.synctoscale.conftest import Sandbox
from tests.synctoscale.connectors.actions import action_error, connector, run_action

TOKEN = {"access_token": "pat-na1-sandbox-secret"}
JORDAN = {"email": "jordan@example.com", "first_name": "Jordan", "last_name": "Lee"}


def test_create_contact_maps_aliases(sandbox: Sandbox) -> None:
    output = run_action(sandbox, "hubspot", "create_contact", JORDAN, TOKEN)

    assert output["record_id"] == output["id"]
    assert output["id"].isdigit()
    assert output["properties"]["firstname"] == "Jordan"
    assert output["properties"]["lastname"] == "Lee"
    assert "first_name" not in output["properties"]


def test_create_contact_properties_object(sandbox: Sandbox) -> None:
    values = {"email": "p@example.com", "properties": {"lifecyclestage": "lead", "phone": 123}}
    output = run_action(sandbox, "hubspot", "create_contact", values, TOKEN)

    assert output["properties"]["lifecyclestage"] == "lead"
    assert output["properties"]["phone"] == "123"


def test_duplicate_contact_is_conflict(sandbox: Sandbox) -> None:
    first = run_action(sandbox, "hubspot", "create_contact", JORDAN, TOKEN)
    error = action_error(sandbox, "hubspot", "create_contact", JORDAN, TOKEN)

    assert error.error_code == "CONFLICT"
    assert error.kind is FailureKind.CONFLICT
    assert error.provider_status == 409
    assert error.retryable is False
    assert error.details["existing_id"] == first["id"]
    assert f"Existing ID: {first['id']}" in error.message
    assert error.raw_response["category"] == "CONFLICT"
    assert error.details["correlation_id"] == error.raw_response["correlationId"]


def test_update_contact_by_email_and_id(sandbox: Sandbox) -> None:
    created = run_action(sandbox, "hubspot", "create_contact", JORDAN, TOKEN)
    by_email = run_action(
        sandbox, "hubspot", "update_contact", {"email": JORDAN["email"], "jobtitle": "CTO"}, TOKEN
    )
    by_id = run_action(
        sandbox,
        "hubspot",
        "update_contact",
        {"contact_id": created["id"], "email": "jordan.lee@example.com"},
        TOKEN,
    )

    assert by_email["record_id"] == created["id"]
    assert by_email["properties"]["jobtitle"] == "CTO"
    assert by_id["properties"]["email"] == "jordan.lee@example.com"


def test_get_and_search_contacts(sandbox: Sandbox) -> None:
    created = run_action(sandbox, "hubspot", "create_contact", JORDAN, TOKEN)
    fetched = run_action(sandbox, "hubspot", "get_contact", {"contact_id": created["id"]}, TOKEN)
    found = run_action(sandbox, "hubspot", "search_contacts", {"email": JORDAN["email"]}, TOKEN)
    none = run_action(sandbox, "hubspot", "search_contacts", {"email": "x@example.com"}, TOKEN)

    assert fetched["record_id"] == created["id"]
    assert found["total"] == 1
    assert found["contact_ids"] == [created["id"]]
    assert none["total"] == 0
    assert none["results"] == []


@pytest.mark.parametrize(
    ("action", "values", "token", "code", "kind", "retryable", "status"),
    [
        ("create_contact", {"email": "a@example.com", "favourite": "x"}, None,
         "VALIDATION_ERROR", FailureKind.INVALID_REQUEST, False, 400),
        ("create_contact", {"email": "a@invalid.example.com"}, None, "VALIDATION_ERROR",
         FailureKind.INVALID_REQUEST, False, 400),
        ("create_contact", {"email": "a@example.com", "lifecyclestage": "friend"}, None,
         "VALIDATION_ERROR", FailureKind.INVALID_REQUEST, False, 400),
        ("create_contact", {"email": "a@example.com"}, "pat-invalid", "INVALID_AUTHENTICATION",
         FailureKind.INVALID_CREDENTIALS, False, 401),
        ("create_contact", {"email": "a@example.com"}, "pat-readonly", "MISSING_SCOPES",
         FailureKind.INSUFFICIENT_SCOPES, False, 403),
        ("create_contact", {"email": "a@ratelimited.example.com"}, None, "RATE_LIMIT",
         FailureKind.RATE_LIMITED, True, 429),
        ("create_contact", {"email": "a@outage.example.com"}, None, "SERVICE_UNAVAILABLE",
         FailureKind.UNAVAILABLE, True, 503),
        ("get_contact", {"contact_id": "424242"}, None, "OBJECT_NOT_FOUND",
         FailureKind.NOT_FOUND, False, 404),
        ("update_contact", {"email": "nobody@example.com", "phone": "1"}, None,
         "OBJECT_NOT_FOUND", FailureKind.NOT_FOUND, False, 404),
    ],
)  # fmt: skip
def test_hubspot_errors_map(
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
    error = action_error(sandbox, "hubspot", action, values, credentials)

    assert error.error_code == code
    assert error.kind is kind
    assert error.retryable is retryable
    assert error.provider_status == status
    assert error.raw_response["status"] == "error"


def test_missing_scope_lists_scopes(sandbox: Sandbox) -> None:
    values = {"email": "a@example.com"}
    error = action_error(
        sandbox, "hubspot", "create_contact", values, {"access_token": "pat-readonly"}
    )

    assert error.details["required_scopes"] == ["crm.objects.contacts.write"]
    assert "crm.objects.contacts.write" in error.message


def test_rate_limit_details(sandbox: Sandbox) -> None:
    values = {"email": "a@ratelimited.example.com"}
    error = action_error(sandbox, "hubspot", "create_contact", values, TOKEN)

    assert error.retry_after == 1.0
    assert error.details["policy_name"] == "SECONDLY"


@pytest.mark.parametrize(
    ("action", "values", "field"),
    [
        ("create_contact", {"phone": "1"}, "email"),
        ("create_contact", {"email": "a@example.com", "address": {"zip": "1"}}, "address"),
        ("update_contact", {"phone": "1"}, "contact_id or email"),
        ("update_contact", {"contact_id": "12"}, "properties"),
        ("update_contact", {"contact_id": "12x", "phone": "1"}, "contact_id"),
        ("search_contacts", {}, "email or filters"),
        ("search_contacts", {"email": "a@example.com", "limit": 500}, "limit"),
    ],
)
def test_bad_input_names_field(
    sandbox: Sandbox, action: str, values: dict[str, Any], field: str
) -> None:
    error = action_error(sandbox, "hubspot", action, values, TOKEN)

    assert error.kind is FailureKind.INVALID_INPUT
    assert field in error.message


@pytest.mark.parametrize(
    ("token", "status"),
    [
        ("pat-good", ConnectionStatus.HEALTHY),
        ("pat-readonly", ConnectionStatus.HEALTHY),
        ("pat-noscope", ConnectionStatus.INSUFFICIENT_SCOPES),
        ("pat-invalid", ConnectionStatus.INVALID_CREDENTIALS),
    ],
)
def test_hubspot_check_status(sandbox: Sandbox, token: str, status: ConnectionStatus) -> None:
    check = connector(sandbox, "hubspot", {"access_token": token}).check()

    assert check.status is status


def test_check_reads_account(sandbox: Sandbox) -> None:
    check = connector(sandbox, "hubspot", TOKEN).check()

    assert check.account["portalId"] == 8675309


def test_create_reports_provider_status(sandbox: Sandbox) -> None:
    request = ActionRequest("create_contact", JORDAN, run_id="run_1", step_id="s", attempt=1)

    result = connector(sandbox, "hubspot", TOKEN).run(request)

    assert result.provider_status == 201
