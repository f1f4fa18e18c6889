"""Values found in error messages to fill the recommended fix."""

from __future__ import annotations

import json

import pytest

from nova.errors.parameters import extract_parameters, provider_display_name, scope_for

HUBSPOT_EMAIL_RULE = "Email address jordan.example.com is invalid"
# HubSpot's 400 for an invalid email, whose property errors are a JSON array in "message".
HUBSPOT_INVALID_EMAIL = {
    "status": "error",
    "message": "Property values were not valid: "
    + json.dumps(
        [
            {
                "isValid": False,
                "message": HUBSPOT_EMAIL_RULE,
                "error": "INVALID_EMAIL",
                "name": "email",
                "localizedErrorMessage": HUBSPOT_EMAIL_RULE,
            }
        ],
        separators=(",", ":"),
    ),
    "correlationId": "3f5a3b1e-7c59-4ae1-9d8e-2b2f0a4f6c11",
    "category": "VALIDATION_ERROR",
}


@pytest.mark.parametrize(
    ("message", "provider", "expected_scope", "expected_resource"),
    [
        (
            "User lacks write access to directory",
            "google_directory",
            "directory.write",
            "directory",
        ),
        (
            "User lacks write access to users",
            "google_directory",
            "https://www.googleapis.com/auth/admin.directory.user",
            "users",
        ),
        (
            "The app has no read access to groups",
            "google_directory",
            "https://www.googleapis.com/auth/admin.directory.group.readonly",
            "groups",
        ),
        (
            "Google Directory returned 403 to POST /users: "
            "Request had insufficient authentication scopes.",
            "google_directory",
            "https://www.googleapis.com/auth/admin.directory.user",
            "users",
        ),
        (
            "Google Directory returned 403 to PUT /users/lin@example.com: "
            "Request had insufficient authentication scopes.",
            "google_directory",
            "https://www.googleapis.com/auth/admin.directory.user",
            "users",
        ),
        (
            "Google Directory returned 403 to GET /admin/directory/v1/users/lin@example.com: "
            "Request had insufficient authentication scopes.",
            "google_directory",
            "https://www.googleapis.com/auth/admin.directory.user.readonly",
            "users",
        ),
        ("Bot lacks write access to channels", "slack", "channels:manage", "channels"),
        (
            "Token lacks write permission on contacts",
            "hubspot",
            "crm.objects.contacts.write",
            "contacts",
        ),
        ("The caller lacks read access to user", "microsoft_graph", "User.Read.All", "user"),
        ("You are not allowed to create a ticket", "zendesk", "ticket.write", "ticket"),
        (
            "This action requires crm.objects.contacts.write scope",
            "hubspot",
            "crm.objects.contacts.write",
            None,
        ),
        ("missing_scope: needed chat:write, have users:read", "slack", "chat:write", None),
        (
            "missing_scope: needed chat:write:bot, provided users:read",
            "slack",
            "chat:write:bot",
            None,
        ),
        (
            "The server responded with: {'ok': False, 'error': 'missing_scope', "
            "'needed': 'chat:write', 'provided': 'users:read,channels:read'}",
            "slack",
            "chat:write",
            None,
        ),
        ("The provided token lacks the scope chat:write", "slack", "chat:write", None),
        (
            (
                "Request had insufficient authentication scopes: "
                "https://www.googleapis.com/auth/admin.directory.user"
            ),
            "google_directory",
            "https://www.googleapis.com/auth/admin.directory.user",
            None,
        ),
    ],
)
def test_missing_permission_names_scope(
    message: str, provider: str, expected_scope: str, expected_resource: str | None
) -> None:
    parameters = extract_parameters("insufficient_permissions", message, provider=provider)

    assert parameters["missing_permission"] == expected_scope
    assert parameters.get("resource") == expected_resource


@pytest.mark.parametrize(
    ("message", "provider"),
    [
        ("Forbidden", "bamboohr"),
        ("BambooHR returned 403 to POST /acme/v1/employees: Forbidden", "bamboohr"),
        ("Google Directory returned 403 to POST /chromeos: Forbidden", "google_directory"),
    ],
)
def test_permission_without_scope_is_left_out(message: str, provider: str) -> None:
    parameters = extract_parameters("insufficient_permissions", message, provider=provider)

    assert "missing_permission" not in parameters
    assert parameters["provider"] == provider_display_name(provider)


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("The request has been ratelimited. Refer to the Retry-After header: 30", "30"),
        ("HTTP 429 Too Many Requests; Retry-After: 120", "120"),
        ('{"message": "Rate limit exceeded", "retryAfter": 5}', "5"),
        ("Slow down and try again in 12 seconds.", "12"),
        ("Too many requests hit the API too quickly.", None),
    ],
)
def test_retry_after_seconds(message: str, expected: str | None) -> None:
    parameters = extract_parameters("rate_limited", message, provider="slack")

    assert parameters.get("retry_after_seconds") == expected


@pytest.mark.parametrize(
    ("message", "expected_field", "expected_constraint"),
    [
        ("Value passed for channel was invalid.", "channel", None),
        (
            "Api validation failed: email. email: Does not match required pattern",
            "email",
            "Does not match required pattern",
        ),
        ("Invalid value for field 'start_date'", "start_date", None),
        ("Parameter 'limit' must be between 1 and 1000", "limit", None),
        (
            '{"category":"VALIDATION_ERROR","errors":[{"context":{"propertyName":["email"]}}]}',
            "email",
            None,
        ),
        ("The request was unacceptable.", None, None),
        ("Property values were not valid", None, None),
        (f"HubSpot returned 400: {HUBSPOT_INVALID_EMAIL['message']}", "email", HUBSPOT_EMAIL_RULE),
        (json.dumps(HUBSPOT_INVALID_EMAIL), "email", HUBSPOT_EMAIL_RULE),
        (json.dumps(HUBSPOT_INVALID_EMAIL, separators=(",", ":")), "email", HUBSPOT_EMAIL_RULE),
    ],
)
def test_validation_field(
    message: str, expected_field: str | None, expected_constraint: str | None
) -> None:
    parameters = extract_parameters("validation_error", message)

    assert parameters.get("field") == expected_field
    assert parameters.get("constraint") == expected_constraint


@pytest.mark.parametrize(
    ("category", "message", "key", "expected"),
    [
        ("timeout", "AxiosError: timeout of 60000ms exceeded", "timeout_seconds", "60"),
        ("timeout", "The call timed out after 30 seconds", "timeout_seconds", "30"),
        (
            "network_error",
            "Error: getaddrinfo ENOTFOUND api.example.invalid",
            "host",
            "api.example.invalid",
        ),
        (
            "network_error",
            "Error: getaddrinfo ENOTFOUND api.example.invalid",
            "network_cause",
            "DNS lookup failed",
        ),
        (
            "network_error",
            "httpx.ConnectError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed",
            "network_cause",
            "TLS certificate verification failed",
        ),
        ("network_error", "connect ECONNREFUSED 10.1.2.3:443", "host", "10.1.2.3:443"),
        ("not_found", "No such customer: cus_FAKE0000000001", "resource_id", "cus_FAKE0000000001"),
        ("not_found", "No such customer: cus_FAKE0000000001", "resource_type", "customer"),
        (
            "duplicate_record",
            "Another object with the same value for property userPrincipalName already exists.",
            "unique_field",
            "userPrincipalName",
        ),
        (
            "duplicate_record",
            "Contact already exists. Existing ID: 37765128953",
            "existing_id",
            "37765128953",
        ),
        ("conflict", "Channel has been archived.", "state", "archived"),
        (
            "payload_too_large",
            "Too many attachments. A maximum of 100 attachments are allowed on a message.",
            "max_items",
            "100",
        ),
        (
            "mapping_error",
            (
                "Step create_contact: mapping 'first_name' -> 'firstname' failed: "
                "source path 'first_name' is missing."
            ),
            "target_field",
            "firstname",
        ),
        (
            "mapping_error",
            "INVALID_FIELD: No such column 'Region__c' on entity 'Account'.",
            "target_field",
            "Region__c",
        ),
        (
            "token_expired",
            "The OAuth token used to make this call expired 7 second(s) ago.",
            "expired_ago",
            "7 seconds ago",
        ),
        (
            "invalid_credentials",
            "Invalid API Key provided: sk_test_****",
            "credential_type",
            "API key",
        ),
        (
            "unknown",
            "Error with request-id 15038357-2dee-45b7 occurred",
            "request_id",
            "15038357-2dee-45b7",
        ),
        ("provider_unavailable", "Internal Server Error", "status", "503"),
    ],
)
def test_parameter_found(category: str, message: str, key: str, expected: str) -> None:
    parameters = extract_parameters(category, message, http_status=503)

    assert parameters[key] == expected


@pytest.mark.parametrize(
    ("provider", "expected"),
    [
        ("google_directory", "Google Directory"),
        ("hubspot", "HubSpot"),
        ("new_hr_tool", "new_hr_tool"),
        ("nosuchprovider", "nosuchprovider"),
        ("AcmeHR", "AcmeHR"),
        ("n8n", "n8n"),
        ("openai", "OpenAI"),
        ("bamboohr", "BambooHR"),
        ("synctoscale", "SyncToScale"),
        ("acme_n8n_bridge", "acme_n8n_bridge"),
        (None, None),
    ],
)
def test_provider_display_name(provider: str | None, expected: str | None) -> None:
    assert provider_display_name(provider) == expected


def test_scope_for_unknown_provider_is_generic() -> None:
    assert scope_for("acme", "Employees", "read") == "employees.read"


@pytest.mark.parametrize(
    ("error_code", "expected"),
    [
        ("users_not_found", "user"),
        ("channel_not_found", "channel"),
        ("status_not_found", "status"),
        ("address_not_found", "address"),
    ],
)
def test_not_found_code_names_one_resource(error_code: str, expected: str) -> None:
    parameters = extract_parameters("not_found", error_code, error_code=error_code)

    assert parameters["resource_type"] == expected


@pytest.mark.parametrize("category", ["network_error", "timeout", "configuration_error"])
def test_host_of_bracketed_placeholder_url(category: str) -> None:
    # urlsplit raises ValueError for a bracketed host that is not a valid IPv6 address.
    message = "Failed to reach organization 'https://[YOUR-ORG].api.crm4.dynamics.com': timed out"

    parameters = extract_parameters(category, message)

    assert "host" not in parameters


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("Additional properties are not allowed ('fname' was unexpected)", "fname"),
        ('column "fname" of relation "employees" does not exist', "fname"),
        ("Json deserialize error: unknown field `fname`, expected one of `first_name`", "fname"),
        ('strict decoding error: unknown field "spec.nfsPort"', "spec.nfsPort"),
        ('Unknown field name: "Project_Name"', "Project_Name"),
        ("ER_BAD_FIELD_ERROR: Unknown column 'hire_date' in 'field list'", "hire_date"),
        ("SQLITE_ERROR: table employees has no column named fname", "fname"),
        ("extra keys not allowed @ data['fname']. Got 'Jo'", "fname"),
        ('Cannot query field "fname" on type "Employee".', "fname"),
        ("Received unknown parameter: idempotency_key", "idempotency_key"),
    ],
)
def test_unknown_name_is_target_field(message: str, expected: str) -> None:
    parameters = extract_parameters("mapping_error", message)

    assert parameters["target_field"] == expected
    assert parameters["problem"] == "does not exist in the target"


def test_unknown_field_without_name_fills_nothing() -> None:
    message = "DB::Exception: Unknown field found while parsing JSONEachRow format"

    assert extract_parameters("mapping_error", message) == {}
