"""Fields, resources and scopes in recommended fixes are names from the message, never grammar."""

from __future__ import annotations

import pytest
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from nova.errors import classify_error
from nova.errors.dataset import load_examples
from nova.errors.parameters import extract_parameters, fix_values
from nova.errors.taxonomy import CATEGORIES, render_fix
from nova.errors.words import is_identifier, looks_like_value

# Stop words that providers also use as field names (Slack's "name", Stripe's "amount").
FIELD_NAMES = frozenset({"amount", "first", "last", "name"})
STOP_WORDS = frozenset(ENGLISH_STOP_WORDS) - FIELD_NAMES
NAME_KEYS = ("field", "resource", "resource_type", "unique_field", "source_field", "target_field")

# Provider errors whose fixes once named grammar, a value or a common word. Each case is
# (id, category the classifier gave, provider, HTTP status, message).
MISREAD_ERRORS = [
    ("slack-045", "not_found", "slack", 200, "team_id was not found."),
    (
        "google-003",
        "not_found",
        "google",
        404,
        "Some requested entity (e.g., file or directory) was not found.",
    ),
    (
        "merge-008",
        "not_found",
        "merge",
        404,
        "The resource was not found with the given identifier- the data does not exist.",
    ),
    (
        "merge-010",
        "not_found",
        "merge",
        404,
        "The resource was not found with the given identifier- the subdomain was entered "
        "incorrectly.",
    ),
    ("workday-011", "not_found", "workday", 404, "The Request Resource Could Not Found"),
    (
        "slack-020",
        "validation_error",
        "slack",
        200,
        "The method was passed an argument whose name falls outside the bounds of accepted or "
        "expected values. This includes very long names and names with non-alphanumeric "
        "characters other than _.",
    ),
    (
        "google-017",
        "validation_error",
        "google",
        400,
        "Indicates that a request parameter has an invalid value.",
    ),
    ("salesforce-010", "validation_error", "salesforce", 400, "A required field was not provided."),
    (
        "stripe-018",
        "validation_error",
        "stripe",
        400,
        "Unhandled rejection Error: Must provide source or customer.",
    ),
    (
        "workday-001",
        "validation_error",
        "workday",
        None,
        "Invalid ID value. 'ABC123' is not a valid ID value for type Organization_Reference_ID",
    ),
    (
        "google-005",
        "insufficient_permissions",
        "google",
        403,
        "The caller does not have permission to execute the specified operation.",
    ),
    (
        "google-015",
        "insufficient_permissions",
        "google",
        403,
        "User does not have sufficient permissions for this property.",
    ),
    (
        "stripe-003",
        "insufficient_permissions",
        "stripe",
        403,
        "The API key doesn't have permissions to perform the request.",
    ),
    (
        "merge-011",
        "insufficient_permissions",
        "merge",
        None,
        "Partially Synced: a specific endpoint is missing permissions for which the API "
        "credentials provided are missing.",
    ),
    (
        "google-040",
        "insufficient_permissions",
        "google",
        403,
        "Not Authorized to access this resource/api",
    ),
    (
        "slack-017",
        "provider_unavailable",
        "slack",
        200,
        "The workspace is undergoing an enterprise migration and will not be available until "
        "migration is complete.",
    ),
    (
        "slack-043",
        "provider_unavailable",
        "slack",
        200,
        "The service is temporarily unavailable.",
    ),
    (
        "google-006",
        "invalid_credentials",
        "google",
        401,
        "The request does not have valid authentication credentials for the operation.",
    ),
    (
        "github-016",
        "invalid_credentials",
        "github",
        401,
        "Octokit.AuthorizationException: Bad credentials",
    ),
    (
        "n8n-002",
        "invalid_credentials",
        "n8n",
        401,
        "Authorization failed - please check your credentials",
    ),
    (
        "zapier-010",
        "invalid_credentials",
        "zapier",
        401,
        "401 Unauthorized: missing or invalid credentials (e.g. missing client_id in query "
        "parameters, or an invalid/expired access token).",
    ),
    ("n8n-001", "validation_error", "n8n", 400, "Bad request - please check your parameters"),
    (
        "salesforce-032",
        "invalid_credentials",
        "salesforce",
        400,
        "INVALID_LOGIN: Invalid username, password, security token; or user locked out.",
    ),
    (
        "slack-051",
        "insufficient_permissions",
        "slack",
        200,
        "The token calling this method doesn't have permission to invite a user.",
    ),
    ("slack-003", "conflict", "slack", 200, "Channel has been archived."),
    ("slack-050", "conflict", "slack", 200, "The user is disabled."),
    (
        "zendesk-010",
        "conflict",
        "zendesk",
        422,
        'APIException: {"details": {"requester": [{"description": "Requester: Unknown '
        'username is suspended."}]}, "description": "Record validation errors", "error": '
        '"RecordInvalid"}',
    ),
    (
        "microsoft_graph-doc-059",
        "conflict",
        "microsoft_graph",
        423,
        "Locked: The resource that is being accessed is locked.",
    ),
    (
        "salesforce-024",
        "conflict",
        "salesforce",
        400,
        "unable to obtain exclusive access to this record or 1 records: 001FAKE00000000001",
    ),
    (
        "google-023",
        "quota_exceeded",
        "google",
        429,
        "Indicates that the Requests per day per project quota has been exhausted.",
    ),
    (
        "google-018",
        "quota_exceeded",
        "google",
        429,
        "Indicates that user has exceeded the daily quota (either per project or per view "
        "(profile)).",
    ),
    # POST /actions/run with an unknown HubSpot property, whose input may come from no workflow.
    (
        "hubspot-action-run",
        "mapping_error",
        "hubspot",
        400,
        'HubSpot returned 400: Property values were not valid: [{"isValid": false, '
        '"message": "Property \\"foo_bar\\" does not exist", "error": '
        '"PROPERTY_DOESNT_EXIST", "name": "foo_bar"}]',
    ),
]
MISREAD_BY_ID = {case[0]: case for case in MISREAD_ERRORS}


def _fix(case_id: str) -> tuple[dict[str, str], str]:
    """Return the parameters and fix for one case, as the classifier fills them."""
    _, category, provider, status, message = MISREAD_BY_ID[case_id]
    parameters = extract_parameters(category, message, provider=provider, http_status=status)
    return parameters, render_fix(category, fix_values(parameters, provider))


@pytest.mark.parametrize("case_id", MISREAD_BY_ID)
def test_misread_error_names_no_stop_word(case_id: str) -> None:
    parameters, fix = _fix(case_id)

    for key in NAME_KEYS:
        assert parameters.get(key, "").lower() not in STOP_WORDS, (key, parameters)
    scope = parameters.get("missing_permission", "")
    assert scope.split(".")[0].lower() not in STOP_WORDS, scope
    for word in STOP_WORDS:
        assert f"field '{word}'" not in fix.lower()
        assert f"membership in {word})" not in fix.lower()


@pytest.mark.parametrize(
    ("case_id", "key", "expected"),
    [
        ("slack-045", "resource_type", "team_id"),
        ("google-003", "resource_type", None),
        ("merge-008", "resource_type", None),
        ("merge-010", "resource_type", None),
        ("workday-011", "resource_type", None),
        ("slack-020", "field", None),
        ("google-017", "field", None),
        ("salesforce-010", "field", None),
        ("stripe-018", "field", None),
        ("stripe-018", "constraint", "Must provide source or customer"),
        ("workday-001", "field", "Organization_Reference_ID"),
        ("google-005", "resource", None),
        ("google-015", "resource", None),
        ("stripe-003", "resource", None),
        ("merge-011", "resource", None),
        ("google-040", "resource", None),
        ("google-040", "missing_permission", None),
        ("slack-017", "status", None),
        ("google-006", "credential_type", None),
        ("zapier-010", "credential_type", None),
        ("zapier-010", "reason", "missing or invalid"),
        ("n8n-001", "provider", "n8n"),
        ("salesforce-032", "credential_type", "password"),
        ("salesforce-032", "reason", None),
        ("salesforce-032", "account_state", "locked out"),
        ("slack-051", "resource", None),
        ("slack-051", "missing_permission", None),
        ("slack-003", "state", "archived"),
        ("slack-050", "state", "disabled"),
        ("zendesk-010", "state", "suspended"),
        ("microsoft_graph-doc-059", "state", "locked"),
        ("google-023", "quota_name", "Requests per day per project quota"),
        ("google-018", "quota_name", "daily quota"),
        ("hubspot-action-run", "unknown_property", "foo_bar"),
        ("hubspot-action-run", "target_field", None),
    ],
)
def test_misread_error_parameter(case_id: str, key: str, expected: str | None) -> None:
    parameters, _ = _fix(case_id)

    assert parameters.get(key) == expected


@pytest.mark.parametrize(
    ("case_id", "expected"),
    [
        (
            "slack-045",
            "The team_id was not found in Slack; check the ID/lookup value, whether it was "
            "deleted, and that the run targets the right account.",
        ),
        (
            "workday-011",
            "The record was not found in Workday; check the ID/lookup value, whether it was "
            "deleted, and that the run targets the right account.",
        ),
        ("google-017", "Google rejected the request. Correct the value and re-run."),
        (
            "stripe-018",
            "Stripe rejected the request: Must provide source or customer. Correct the value "
            "and re-run.",
        ),
        (
            "workday-001",
            "Workday rejected field 'Organization_Reference_ID'. Correct the value and re-run.",
        ),
        (
            "google-040",
            "Grant the missing permission to the Google connection, then re-authenticate so the "
            "new grant is in the token.",
        ),
        (
            "slack-043",
            "Slack returned a server-side error; retry with backoff and check the Slack status "
            "page before changing the workflow.",
        ),
        (
            "github-016",
            "Reconnect the GitHub connection with valid credentials; GitHub rejected the "
            "current credentials.",
        ),
        (
            "zapier-010",
            "Reconnect the Zapier connection with valid credentials; Zapier rejected the "
            "current credentials as missing or invalid.",
        ),
        ("n8n-001", "n8n rejected the request. Correct the value and re-run."),
        (
            "n8n-002",
            "Reconnect the n8n connection with valid credentials; n8n rejected the current "
            "credentials.",
        ),
        (
            "salesforce-032",
            "Reconnect the Salesforce connection with a valid password; Salesforce rejected the "
            "current password, or the user is locked out and an administrator must restore "
            "access.",
        ),
        (
            "slack-051",
            "Grant the missing permission to the Slack connection, then re-authenticate so the "
            "new grant is in the token.",
        ),
        (
            "slack-003",
            "The record is archived; unarchive or restore it, or choose another record, then "
            "re-run.",
        ),
        (
            "slack-050",
            "The record is disabled; re-enable it, or choose another record, then re-run.",
        ),
        (
            "zendesk-010",
            "The record is suspended; unsuspend or re-enable it, or choose another record, then "
            "re-run.",
        ),
        (
            "microsoft_graph-doc-059",
            "The record is locked; re-read its current state, serialise writes to it, and retry "
            "once it is unlocked.",
        ),
        (
            "salesforce-024",
            "The record is in a conflicting state; re-read its current state, serialise writes "
            "to it, and retry.",
        ),
        (
            "google-023",
            "The Google Requests per day per project quota is exhausted; wait for the reset, "
            "free capacity, or raise the limit / upgrade the plan.",
        ),
        (
            "google-018",
            "The Google daily quota is exhausted; wait for the reset, free capacity, or raise "
            "the limit / upgrade the plan.",
        ),
        (
            "hubspot-action-run",
            "HubSpot has no property 'foo_bar'; remove it from the input (or the step's "
            "mapping) or create the property in HubSpot.",
        ),
    ],
)
def test_misread_error_fix(case_id: str, expected: str) -> None:
    _, fix = _fix(case_id)

    assert fix == expected


def test_dataset_names_are_not_stop_words() -> None:
    """Fill every category's parameters from every dataset message, the misclassified too."""
    examples = load_examples()
    misread = []
    for example in examples:
        for category in CATEGORIES:
            parameters = extract_parameters(
                category,
                example.message,
                error_code=example.error_code,
                provider=example.provider,
                http_status=example.http_status,
            )
            for key in NAME_KEYS:
                if parameters.get(key, "").lower() in STOP_WORDS:
                    misread.append((example.id, category, key, parameters[key]))
            scope = parameters.get("missing_permission", "")
            if scope.split(".")[0].lower() in STOP_WORDS:
                misread.append((example.id, category, "missing_permission", scope))

    assert len(examples) > 1000
    assert misread == []


def test_dataset_parameters_are_plain_data() -> None:
    """Check that no parameter is fix wording (``*_suffix``, ``status_page``) or padded."""
    examples = load_examples()
    for example in examples:
        parameters = extract_parameters(
            example.category,
            example.message,
            error_code=example.error_code,
            provider=example.provider,
            http_status=example.http_status,
        )
        assert not [key for key in parameters if key.endswith("_suffix")], example.id
        assert "status_page" not in parameters
        for value in parameters.values():
            assert value == value.strip(), (example.id, parameters)


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("Value passed for name exceeded max length.", "name"),
        ("Invalid value for field start_date", "start_date"),
        ("Invalid value for field email", "email"),
        ("A required parameter for the specified action is not supplied.", None),
        ("Field email is required", "email"),
        ("The field is required", None),
        ("Parameter exceeds maximum length.", None),
        ("Parameter missing: param is missing or the value is empty: country_code", None),
        ("The parameter string is too long.", None),
        ("Invalid field name.", None),
        ('Unknown field name: "Project_Name"', "Project_Name"),
        ("Could not find a property named 'isJunk' on type 'microsoft.graph.message'.", "isJunk"),
        ("The as_user parameter does not function with workspace apps.", "as_user"),
        ("'emial' is not a valid field", "emial"),
        ("Twilio error 21211: 'To' is not a valid phone number.", None),
        ("'42' is not a valid choice", None),
        (
            'DESCRIBE ERROR , {"name":"API_DISABLED_FOR_ORG","errorCode":"API_DISABLED_FOR_ORG"}',
            None,
        ),
    ],
)
def test_validation_field_is_a_name(message: str, expected: str | None) -> None:
    parameters = extract_parameters("validation_error", message)

    assert parameters.get("field") == expected


@pytest.mark.parametrize(
    ("message", "provider", "expected_scope", "expected_resource"),
    [
        (
            "The app needs access to a service that your organization has not enabled.",
            None,
            None,
            None,
        ),
        ("You don't have sufficient access to perform this action.", "aws", None, None),
        (
            "This application is not allowed to access or delete your direct messages",
            "twitter",
            None,
            None,
        ),
        (
            "The token calling this method doesn't have permission to invite a user.",
            "slack",
            None,
            None,
        ),
        ("You are not allowed to create a ticket", "zendesk", "ticket.write", "ticket"),
        (
            "google.auth.exceptions.RefreshError: ('invalid_grant: Token has been expired or "
            "revoked.', {'error': 'invalid_grant'})",
            "google",
            None,
            None,
        ),
    ],
)
def test_permission_resource_is_a_name(
    message: str, provider: str | None, expected_scope: str | None, expected_resource: str | None
) -> None:
    parameters = extract_parameters("insufficient_permissions", message, provider=provider)

    assert parameters.get("missing_permission") == expected_scope
    assert parameters.get("resource") == expected_resource


@pytest.mark.parametrize(
    ("message", "error_code", "expected"),
    [
        ("User not found.", None, "user"),
        ("Org unit not found", None, "unit"),
        ("The provided customer id can't be found in the merchant's customers list.", None, "id"),
        ("The resource you are requesting could not be found", None, None),
        ("The SSO session was either not found or invalid.", None, "session"),
        ("Not found", "object_not_found", None),
        ("Not found", "channel_not_found", "channel"),
    ],
)
def test_not_found_resource_type(
    message: str, error_code: str | None, expected: str | None
) -> None:
    parameters = extract_parameters("not_found", message, error_code=error_code)

    assert parameters.get("resource_type") == expected


@pytest.mark.parametrize(
    ("status", "expected"), [(200, None), (302, None), (424, "424"), (503, "503")]
)
def test_unavailable_status_only_for_errors(status: int, expected: str | None) -> None:
    parameters = extract_parameters(
        "provider_unavailable", "Service unavailable", http_status=status
    )

    assert parameters.get("status") == expected


@pytest.mark.parametrize(
    ("provider", "expected"),
    [
        (
            "echo",
            "Echo returned a server-side error (503); retry with backoff before changing the "
            "workflow.",
        ),
        (
            "slack",
            "Slack returned a server-side error (503); retry with backoff and check the Slack "
            "status page before changing the workflow.",
        ),
        (
            None,
            "The provider returned a server-side error (503); retry with backoff and check the "
            "provider's status page before changing the workflow.",
        ),
    ],
)
def test_status_page_only_where_one_exists(provider: str | None, expected: str) -> None:
    result = classify_error(
        "Service unavailable",
        error_code="provider_unavailable",
        provider=provider,
        http_status=503,
    )

    assert result.recommended_fix == expected
    assert "status_page" not in result.parameters


@pytest.mark.parametrize(
    ("provider", "name"),
    [
        ("nosuchprovider", "nosuchprovider"),
        ("AcmeHR", "AcmeHR"),
        ("new_hr_tool", "new_hr_tool"),
        ("google", "Google"),
        ("zapier", "Zapier"),
        ("hubspot", "HubSpot"),
    ],
)
def test_unclassified_fix_provider_name(provider: str, name: str) -> None:
    result = classify_error("x", provider=provider)

    assert result.recommended_fix.startswith(f"Unclassified {name} error; ")


def test_duplicate_parameters_contain_existing_id() -> None:
    result = classify_error(
        "Contact already exists. Existing ID: 88174", provider="hubspot", http_status=409
    )

    assert result.category == "duplicate_record"
    assert result.parameters == {"provider": "HubSpot", "existing_id": "88174"}
    assert "(existing id 88174)" in result.recommended_fix


@pytest.mark.parametrize(
    ("message", "expected_type", "expected_reason"),
    [
        ("Invalid API Key provided: sk_test_****", "API key", None),
        (
            "INVALID_LOGIN: Invalid username, password, security token; or user locked out.",
            "password",
            None,
        ),
        ("Authentication token is for a deleted user or workspace.", "token", None),
        ("Token has been revoked", "token", "revoked"),
        ("Unauthorized: authorization is either missing or misconfigured.", None, "missing"),
    ],
)
def test_credential_type_and_reason(
    message: str, expected_type: str | None, expected_reason: str | None
) -> None:
    parameters = extract_parameters("invalid_credentials", message)

    assert parameters.get("credential_type") == expected_type
    assert parameters.get("reason") == expected_reason


def test_payload_limit_is_data() -> None:
    parameters = extract_parameters(
        "payload_too_large",
        "Too many attachments. A maximum of 100 attachments are allowed on a message.",
        provider="slack",
    )

    assert parameters["max_items"] == "100"
    assert parameters["limit_unit"] == "attachments"
    assert "(limit: 100 attachments)" in render_fix("payload_too_large", parameters)


@pytest.mark.parametrize(
    ("token", "expected"),
    [("start_date", True), ("nickName", True), ("emails[0].value", True), ("email", False)],
)
def test_identifier_shapes(token: str, expected: bool) -> None:
    assert is_identifier(token) is expected


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("ABC123", True),
        ("42", True),
        ("API_DISABLED_FOR_ORG", True),
        ("lin@example.com", True),
        ("Organization_Reference_ID", False),
        ("team_id", False),
        ("ID", False),
    ],
)
def test_value_shapes(token: str, expected: bool) -> None:
    assert looks_like_value(token) is expected
