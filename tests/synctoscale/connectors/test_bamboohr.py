"""The BambooHR connector against the sandbox: employees, changes, and header errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from synctoscale.connectors import ConnectionStatus, FailureKind
from tests.synctoscale.conftest import Sandbox
from tests.synctoscale.connectors.actions import action_error, connector, run_action

KEY = {"api_key": "bamboo-sandbox-secret-key", "subdomain": "acme"}


def test_get_employee_with_fields(sandbox: Sandbox) -> None:
    values = {"employee_id": 1, "fields": "firstName,workEmail"}
    output = run_action(sandbox, "bamboohr", "get_employee", values, KEY)

    assert output == {
        "record_id": "1",
        "id": "1",
        "firstName": "Ada",
        "workEmail": "ada@example.com",
    }


def test_add_employee_reads_location(sandbox: Sandbox) -> None:
    values = {"firstName": "Lin", "lastName": "Qiu", "workEmail": "lin@example.com"}
    added = run_action(sandbox, "bamboohr", "add_employee", values, KEY)
    fetched = run_action(
        sandbox, "bamboohr", "get_employee", {"employee_id": added["record_id"]}, KEY
    )

    assert added["record_id"] == added["id"]
    assert added["id"].isdigit()
    assert fetched["workEmail"] == "lin@example.com"


def test_update_employee_then_changed(sandbox: Sandbox) -> None:
    before = datetime.now(UTC) - timedelta(seconds=2)
    updated = run_action(
        sandbox, "bamboohr", "update_employee", {"employee_id": "2", "jobTitle": "Admiral"}, KEY
    )
    fetched = run_action(
        sandbox, "bamboohr", "get_employee", {"employee_id": "2", "fields": ["jobTitle"]}, KEY
    )
    changed = run_action(
        sandbox,
        "bamboohr",
        "list_changed_employees",
        {"since": before.isoformat(), "type": "updated"},
        KEY,
    )

    assert updated == {"record_id": "2", "updated_fields": ["jobTitle"]}
    assert fetched["jobTitle"] == "Admiral"
    assert changed["count"] == 1
    assert changed["employees"][0]["id"] == "2"
    assert changed["employees"][0]["action"] == "Updated"
    assert changed["latest"] == changed["employees"][0]["lastChanged"]


def test_changed_since_future_is_empty(sandbox: Sandbox) -> None:
    since = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    changed = run_action(sandbox, "bamboohr", "list_changed_employees", {"since": since}, KEY)

    assert changed == {"latest": None, "count": 0, "employees": []}


@pytest.mark.parametrize(
    ("action", "values", "key", "code", "kind", "retryable", "status", "reason"),
    [
        ("get_employee", {"employee_id": "999"}, None, "not_found", FailureKind.NOT_FOUND,
         False, 404, "Employee not found"),
        ("get_employee", {"employee_id": "1"}, "key-invalid", "unauthorized",
         FailureKind.INVALID_CREDENTIALS, False, 401, "Invalid API key"),
        ("update_employee", {"employee_id": "1", "jobTitle": "x"}, "key-readonly", "forbidden",
         FailureKind.FORBIDDEN, False, 403, "permission"),
        ("add_employee", {"firstName": "A", "lastName": "B", "workEmail": "ada@example.com"},
         None, "conflict", FailureKind.CONFLICT, False, 409, "already exists"),
        ("update_employee", {"employee_id": "1", "hireDate": "06/01/2020"}, None,
         "bad_request", FailureKind.INVALID_REQUEST, False, 400, "hireDate"),
        ("update_employee", {"employee_id": "1", "workEmail": "a@ratelimited.example.com"},
         None, "too_many_requests", FailureKind.RATE_LIMITED, True, 429, "Rate limit"),
        ("update_employee", {"employee_id": "1", "workEmail": "a@outage.example.com"}, None,
         "service_unavailable", FailureKind.UNAVAILABLE, True, 503, "unavailable"),
    ],
)  # fmt: skip
def test_bamboohr_errors_map(
    sandbox: Sandbox,
    action: str,
    values: dict[str, Any],
    key: str | None,
    code: str,
    kind: FailureKind,
    retryable: bool,
    status: int,
    reason: str,
) -> None:
    credentials = KEY if key is None else {**KEY, "api_key": key}
    error = action_error(sandbox, "bamboohr", action, values, credentials)

    assert error.error_code == code
    assert error.kind is kind
    assert error.retryable is retryable
    assert error.provider_status == status
    assert reason in error.details["error_message"]
    assert reason in error.message


def test_rate_limit_keeps_retry_after(sandbox: Sandbox) -> None:
    values = {"employee_id": "1", "workEmail": "a@ratelimited.example.com"}
    error = action_error(sandbox, "bamboohr", "update_employee", values, KEY)

    assert error.retry_after == 1.0


@pytest.mark.parametrize(
    ("action", "values", "field"),
    [
        ("get_employee", {"employee_id": "../1"}, "employee_id"),
        ("get_employee", {}, "employee_id"),
        ("update_employee", {"employee_id": "1"}, "fields"),
        ("add_employee", {"firstName": "Lin"}, "lastName"),
        ("list_changed_employees", {"since": "2025-01-20T14:00:00"}, "UTC offset"),
        ("list_changed_employees", {"since": "yesterday"}, "since"),
        ("list_changed_employees", {"since": "2025-01-20T14:00:00Z", "type": "x"}, "type"),
    ],
)
def test_bad_input_names_field(
    sandbox: Sandbox, action: str, values: dict[str, Any], field: str
) -> None:
    error = action_error(sandbox, "bamboohr", action, values, KEY)

    assert error.kind is FailureKind.INVALID_INPUT
    assert field in error.message


def test_bad_subdomain_is_credentials_error(sandbox: Sandbox) -> None:
    credentials = {**KEY, "subdomain": "acme/../../other"}
    error = action_error(sandbox, "bamboohr", "get_employee", {"employee_id": "1"}, credentials)

    assert error.kind is FailureKind.INVALID_CREDENTIALS
    assert error.error_code == "invalid_subdomain"


@pytest.mark.parametrize(
    ("key", "status"),
    [
        ("key-good", ConnectionStatus.HEALTHY),
        ("key-noscope", ConnectionStatus.INSUFFICIENT_SCOPES),
        ("key-invalid", ConnectionStatus.INVALID_CREDENTIALS),
    ],
)
def test_bamboohr_check_status(sandbox: Sandbox, key: str, status: ConnectionStatus) -> None:
    check = connector(sandbox, "bamboohr", {**KEY, "api_key": key}).check()

    assert check.status is status


def test_check_names_key_user(sandbox: Sandbox) -> None:
    check = connector(sandbox, "bamboohr", KEY).check()

    assert check.account == {"employee_id": "1", "name": "Ada Lovelace"}
