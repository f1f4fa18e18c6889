"""SyncToScale's own error codes: classified by table, with a fix that names what to change."""

from __future__ import annotations

from typing import Any

import pytest

import mapkit
import nova
from mapkit.issues import ISSUE_CODES
from nova.errors.service_codes import SERVICE_CODES, service_code

# A payload with one issue of every mapkit code, against this schema.
SCHEMA: dict[str, Any] = {
    "start_date": "date",
    "email": "email",
    "name": "string",
    "hired_on": "date",
    "status": {"type": "string", "enum": ["active", "terminated"]},
    "zip": {"type": "string", "pattern": "^[0-9]{5}$"},
    "manager": "string",
    "age": {"type": "integer", "minimum": 18},
    "code": {"type": "string", "min_length": 3},
    "tag": {"type": "string", "max_length": 3},
    "left_on": {"type": "date", "format": "DD/MM/YYYY"},
    "count": "integer",
}
PAYLOAD: dict[str, Any] = {
    "start_date": "2025-02-30",
    "email": "ada.example.com",
    "hired_on": "12/01/2025",
    "status": "on_leave",
    "extra": 1,
    "zip": "12",
    "manager": None,
    "age": 3,
    "code": "a",
    "tag": "abcdef",
    "left_on": "2025-13-45",
    "count": [1],
}
ISSUES = mapkit.validate(PAYLOAD, SCHEMA).to_dict()["issues"]
VALIDATION_FAILED = "The payload does not match the expected schema (12 issue(s), in: {fields})."

# (error code, provider, message as SyncToScale writes it, category, recommended fix)
SERVICE_ERRORS = [
    (
        "validation_failed",
        None,
        VALIDATION_FAILED.format(fields="start_date, email"),
        "validation_error",
        "Correct start_date, email (raw_response.issues of the run's error gives the expected "
        "value of each) in the payload, or change the validate step's expected_schema, then "
        "re-run.",
    ),
    (
        "mapping_error",
        None,
        "Source path 'person.mail' was not found: person has no key 'mail'. Send the field in "
        "the payload or fix the step's mapping.",
        "mapping_error",
        "Source path 'person.mail' is not in the run payload (person has no key 'mail'). Fix the "
        "payload or the step's mapping, then re-run.",
    ),
    (
        "mapping_error",
        None,
        "The payload is not an object; add a mapping.",
        "mapping_error",
        "The run payload is not a JSON object, so the step needs a mapping. Fix the payload or "
        "the step's mapping, then re-run.",
    ),
    (
        "internal_error",
        None,
        "The step failed unexpectedly: KeyError('email').",
        "unknown",
        "SyncToScale failed unexpectedly (KeyError('email')), which is a bug in SyncToScale "
        "rather than a problem with the payload or the provider. Re-run once, and if it fails "
        "again, report the run id with the server log.",
    ),
    (
        "worker_lost",
        None,
        "The worker running attempt 2 stopped sending heartbeats for more than 300 s, so it is "
        "taken as dead; the step may or may not have reached the provider.",
        "timeout",
        "The worker running the step stopped sending heartbeats for more than 300 s, so the step "
        "may or may not have reached the provider. Check that the workers are running, and "
        "check the provider for the step's change before you re-run.",
    ),
    (
        "connection_required",
        "hubspot",
        "Step 'create_contact' calls hubspot, which needs credentials; give the step a "
        "connection_id.",
        "configuration_error",
        "Step 'create_contact' calls HubSpot, which needs credentials. Create a connection with "
        "POST /connections if the project has none, then set its id as the connection_id of "
        "the step or request.",
    ),
    (
        "connection_ambiguous",
        "hubspot",
        "Invalid request: connection_id: this project has 2 hubspot connections (conn_a, "
        "conn_b); send connection_id to choose one",
        "configuration_error",
        "Send connection_id to choose one of the project's HubSpot connections (conn_a, conn_b).",
    ),
    (
        "connection_not_found",
        "hubspot",
        "Connection 'conn_123' does not exist in this project; it may have been deleted. Point "
        "the step at another connection.",
        "configuration_error",
        "Connection 'conn_123' does not exist in this project, or was deleted. Set the "
        "connection_id of the step or request to a connection that GET /connections lists.",
    ),
    (
        "connection_provider_mismatch",
        "hubspot",
        "Connection 'conn_9' is a slack connection, but the step calls hubspot.",
        "configuration_error",
        "Connection 'conn_9' is a slack connection, not a HubSpot one. Choose a HubSpot "
        "connection from GET /connections for the step or request.",
    ),
    (
        "connection_missing_credentials",
        "hubspot",
        "Connection 'conn_1' has no credentials yet; send them with "
        "PUT /connections/conn_1/credentials.",
        "invalid_credentials",
        "Connection 'conn_1' has no credentials yet. Send them with "
        "PUT /connections/conn_1/credentials, then re-run.",
    ),
    (
        "credentials_unreadable",
        "hubspot",
        "The stored credentials of connection 'conn_1' cannot be decrypted: authentication tag "
        "mismatch. Restore the key, or send the credentials again with "
        "PUT /connections/conn_1/credentials.",
        "invalid_credentials",
        "The stored credentials of connection 'conn_1' cannot be decrypted. Restore the "
        "encryption key that sealed them, or send them again with "
        "PUT /connections/conn_1/credentials.",
    ),
    (
        "encryption_key_missing",
        "hubspot",
        "No encryption key is configured in this process; set SYNCTOSCALE_ENCRYPTION_KEYS to "
        "the same keys the API uses.",
        "configuration_error",
        "This SyncToScale process has no encryption key to open connection credentials. Set "
        "SYNCTOSCALE_ENCRYPTION_KEYS to the same keys the API uses, then re-run.",
    ),
    (
        "invalid_input",
        "hubspot",
        "Invalid input for create_contact: email: send email, firstname or lastname; email is "
        "best.",
        "validation_error",
        "Correct input field 'email' of create_contact: send email, firstname or lastname; email "
        "is best. The provider was not called, so change the payload, mapping or constants and "
        "run the action again.",
    ),
    (
        "invalid_action_input",
        "slack",
        "Invalid input for post_message: channel: Field required; text: Field required.",
        "validation_error",
        "Correct input field 'channel' of post_message: Field required. The provider was not "
        "called, so change the payload, mapping or constants and run the action again.",
    ),
    (
        "unknown_action",
        "hubspot",
        "The HubSpot connector has no action 'delete_contact'; its actions: create_contact, "
        "get_contact.",
        "configuration_error",
        "The HubSpot connector has no action 'delete_contact'. Set the action to one of "
        "create_contact, get_contact.",
    ),
    (
        "invalid_subdomain",
        "bamboohr",
        "The BambooHR subdomain in the connection's credentials is missing or not a host name "
        "label; store the company's subdomain, such as acme for acme.bamboohr.com.",
        "configuration_error",
        "Store the company's BambooHR subdomain, such as acme for acme.bamboohr.com, in the "
        "connection's credentials, then re-run.",
    ),
    (
        "timeout",
        "hubspot",
        "The HubSpot API did not answer POST /crm/v3/objects/contacts within 20 s.",
        "timeout",
        "The HubSpot call timed out after 20s; retry with backoff, reduce page/batch size, or "
        "raise the step timeout.",
    ),
    (
        "network_error",
        "hubspot",
        "Could not reach the HubSpot API at https://api.hubapi.com: [Errno 111] Connection "
        "refused.",
        "network_error",
        "Could not reach api.hubapi.com: connection refused. Check DNS, firewall/IP "
        "allow-lists, proxy and TLS certificates for the connection, then retry.",
    ),
    (
        "invalid_response",
        "slack",
        "Slack returned a body that is not JSON to chat.postMessage.",
        "provider_unavailable",
        "Slack returned a body that is not JSON, which points to a failure on its side or "
        "in a proxy on the way. Retry with backoff and check the Slack status page before "
        "changing the workflow.",
    ),
    (
        "validation_error",
        None,
        "Invalid request: timeout_seconds: Input should be less than or equal to 60",
        "validation_error",
        "Correct field 'timeout_seconds' of the request: Input should be less than or equal to "
        "60, then send it again.",
    ),
    (
        "provider_record_not_found",
        "google_directory",
        "Google Directory returned 404 to GET /users/nobody@example.com: Resource Not Found: "
        "userKey",
        "not_found",
        None,
    ),
    (
        "provider_insufficient_scopes",
        "hubspot",
        "HubSpot returned 403: This app hasn't been granted all required scopes to make this "
        "call. Required scopes: crm.objects.contacts.write.",
        "insufficient_permissions",
        "Grant crm.objects.contacts.write to the HubSpot connection, then re-authenticate so the "
        "new grant is in the token.",
    ),
    (
        "provider_forbidden",
        "bamboohr",
        "BambooHR returned 403: Forbidden",
        "insufficient_permissions",
        None,
    ),
    (
        "provider_rate_limited",
        "hubspot",
        "HubSpot returned 429: You have reached your secondly limit.",
        "rate_limited",
        None,
    ),
    (
        "provider_unavailable",
        "hubspot",
        "HubSpot returned 503: The service is temporarily unavailable.",
        "provider_unavailable",
        None,
    ),
    (
        "provider_unreachable",
        "hubspot",
        "Could not reach the HubSpot API at https://api.hubapi.com: [Errno -2] Name or service "
        "not known.",
        "network_error",
        None,
    ),
    (
        "provider_timeout",
        "hubspot",
        "The HubSpot API did not answer POST /crm/v3/objects/contacts within 0.3 s.",
        "timeout",
        None,
    ),
]


@pytest.mark.parametrize(("code", "provider", "message", "category", "fix"), SERVICE_ERRORS)
def test_service_code_category_and_fix(
    code: str, provider: str | None, message: str, category: str, fix: str | None
) -> None:
    result = nova.classify_error(message, error_code=code, provider=provider)

    assert result.category == category
    assert result.confidence == 1.0
    assert result.runner_up is None
    if fix is not None:
        assert result.recommended_fix == fix


def test_service_codes_are_all_tested() -> None:
    tested = {row[0] for row in SERVICE_ERRORS} | {
        "provider_rejected_input",
        "provider_conflict",
        "provider_auth_failed",
    }

    assert set(SERVICE_CODES) - ISSUE_CODES == tested


def test_every_mapkit_code_in_payload() -> None:
    assert {issue["code"] for issue in ISSUES} == ISSUE_CODES


@pytest.mark.parametrize("issue", ISSUES, ids=[issue["code"] for issue in ISSUES])
def test_payload_issue_names_field(issue: dict[str, Any]) -> None:
    result = nova.classify_error(issue["message"], error_code=issue["code"])

    assert result.category == "validation_error"
    assert result.confidence == 1.0
    assert f"field '{issue['field']}'" in result.recommended_fix
    if issue["code"] not in ("unexpected_field", "ambiguous_date"):
        assert f"(expected {issue['expected']})" in result.recommended_fix


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (
            "ambiguous_date",
            "Send field 'hired_on' as YYYY-MM-DD, with the month and day the source meant, or "
            "declare the source's date format, such as MM/DD/YYYY, in the expected_schema.",
        ),
        (
            "unexpected_field",
            "Remove field 'extra' from the payload, or add it to the expected_schema.",
        ),
        (
            "missing",
            "Add field 'name' to the payload (expected string), or make it optional in the "
            "expected_schema with a trailing '?'.",
        ),
        (
            "null_not_allowed",
            "Give field 'manager' a value (expected string) instead of null, or make it "
            "nullable in the expected_schema with a trailing '?'.",
        ),
        (
            "invalid_date",
            "Correct field 'start_date' in the payload (expected YYYY-MM-DD), or change the "
            "expected_schema, then re-run.",
        ),
    ],
)
def test_payload_issue_fix(code: str, expected: str) -> None:
    issue = next(issue for issue in ISSUES if issue["code"] == code)

    result = nova.classify_error(issue["message"], error_code=code)

    assert result.recommended_fix == expected


def test_validation_failed_names_expected_values() -> None:
    report = mapkit.validate(PAYLOAD, SCHEMA).to_dict()
    fields = ", ".join(issue["field"] for issue in report["issues"][:5])

    result = nova.classify_error(
        VALIDATION_FAILED.format(fields=fields), error_code="validation_failed", raw_response=report
    )

    assert result.category == "validation_error"
    assert result.parameters["changes"] == (
        "start_date (expected YYYY-MM-DD), email (expected email address), hired_on (expected "
        "YYYY-MM-DD), status (expected one of: active, terminated), zip (expected text matching "
        "^[0-9]{5}$) and 7 more field(s)"
    )
    assert result.recommended_fix.startswith(f"Correct {result.parameters['changes']} in the ")


def test_validation_failed_skips_warnings() -> None:
    report = {
        "valid": False,
        "issues": [
            {"field": "extra", "code": "unexpected_field", "severity": "warning"},
            {"field": "name", "code": "missing", "expected": "string", "severity": "error"},
        ],
    }

    result = nova.classify_error(
        VALIDATION_FAILED.format(fields="extra, name"),
        error_code="validation_failed",
        raw_response=report,
    )

    assert result.parameters["changes"] == "name (missing, expected string)"


@pytest.mark.parametrize(
    ("code", "provider", "message", "expected"),
    [
        (
            "provider_conflict",
            "hubspot",
            "HubSpot returned 409: Contact already exists. Existing ID: 37765128953",
            "duplicate_record",
        ),
        (
            "provider_rejected_input",
            "hubspot",
            'HubSpot returned 400: Property values were not valid: [{"isValid":false,'
            '"message":"Property \\"colour\\" does not exist","error":"PROPERTY_DOESNT_EXIST",'
            '"name":"colour"}]',
            "mapping_error",
        ),
        (
            "provider_rejected_input",
            "google_directory",
            "Google Directory returned 400 to POST /users: Invalid Input: primary_user_email",
            "validation_error",
        ),
        (
            "provider_auth_failed",
            "hubspot",
            "HubSpot returned 401: The OAuth token used to make this call expired 12 second(s) "
            "ago.",
            "token_expired",
        ),
        (
            "provider_auth_failed",
            "slack",
            "Slack rejected the call to auth.test: invalid_auth.",
            "invalid_credentials",
        ),
    ],
)
def test_wrapped_provider_code_picks_among_allowed(
    code: str, provider: str, message: str, expected: str
) -> None:
    allowed = SERVICE_CODES[code].categories

    result = nova.classify_error(message, error_code=code, provider=provider)

    assert result.category == expected
    assert result.runner_up is not None
    assert {result.category, result.runner_up.category} == set(allowed)
    assert result.confidence + result.runner_up.probability == pytest.approx(1.0, abs=1e-3)


@pytest.mark.parametrize(
    ("code", "provider", "message"),
    [
        ("internal_error", "slack", "internal_error"),
        ("missing", "github", "Not Found"),
        ("validation_error", "notion", "body failed validation: body.parent should be defined"),
    ],
)
def test_shared_code_with_provider_uses_model(code: str, provider: str, message: str) -> None:
    result = nova.classify_error(message, error_code=code, provider=provider)

    assert service_code(code, provider) is None
    assert service_code(code, None) is not None
    assert result.confidence < 1.0


def test_batch_mixes_service_codes_and_model() -> None:
    records = [
        {
            "message": "Rate limited. Retry-After: 20",
            "error_code": "ratelimited",
            "http_status": 429,
        },
        {"message": "The payload is not an object; add a mapping.", "error_code": "mapping_error"},
        {"message": "Contact already exists.", "error_code": "provider_conflict"},
    ]

    batch = nova.classify_errors(records)

    assert [result.category for result in batch] == [
        "rate_limited",
        "mapping_error",
        "duplicate_record",
    ]
    assert batch == [nova.classify_error(**record) for record in records]


@pytest.mark.parametrize(
    ("provider", "message", "expected"),
    [
        ("slack", "Slack rejected the call to users.list: token_revoked.", "invalid_credentials"),
        ("google_directory", "Token refresh failed: invalid_grant", "token_expired"),
    ],
)
def test_wrapped_anchored_provider_code(
    provider: str, message: str, expected: str
) -> None:
    # The taxonomy anchors slack:token_revoked and google:invalid_grant; a Google product
    # shares the family's anchors.
    result = nova.classify_error(message, error_code="provider_auth_failed", provider=provider)

    assert result.category == expected
    assert result.confidence == 1.0
    assert result.runner_up is not None
    assert result.runner_up.probability == 0.0
