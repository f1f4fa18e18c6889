"""Classify the error codes SyncToScale itself emits by table, before the model runs.

The model learned providers' errors. SyncToScale's own codes (a validate step's
``validation_failed``, ``invalid_action_input`` from ``POST /actions/run``, a missing connection)
have one known meaning, so each maps to its category and to a fix sentence that names the
field, connection or setting to change.

Codes a connector derives from an HTTP status (``bad_request``, ``forbidden``) stay with the
model, because the status and the provider's message decide between neighbouring categories.
So does ``provider_error``, the code ``POST /actions/run`` gives a failure of no known kind.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mapkit.issues import ISSUE_CODES
from nova.errors import service_parameters as readers
from nova.errors.parameters import extract_parameters, fix_values, provider_display_name
from nova.errors.service_parameters import Reader
from nova.errors.taxonomy import render_fix, render_sentence

__all__ = ["SERVICE_CODES", "SYNCTOSCALE", "ServiceCode", "fix_for", "service_code"]

SYNCTOSCALE = "synctoscale"
"""The provider name of errors that SyncToScale raises itself."""


@dataclass(frozen=True)
class ServiceCode:
    """The classification of one error code that SyncToScale emits."""

    categories: tuple[str, ...]
    """The category, or the categories the model chooses between when the code cannot tell."""
    fix_sentence: str | None = None
    """Fix sentence in the ``fix_sentence`` syntax of taxonomy.json, or None to use the
    category's own sentence."""
    reader: Reader | None = None
    """Function that reads the values ``fix_sentence`` names from the error's message and raw
    response."""
    shared: bool = False
    """Flag for a code that some provider also sends with another meaning. A shared entry
    applies only to an error with no provider or the provider ``synctoscale``."""


_RESEND_CREDENTIALS = "PUT /connections/[{connection_id}|<connection id>]/credentials"

# mapkit's issue codes, as a validate step or POST /mapping/validate reports them.
_PAYLOAD_ISSUE = ServiceCode(
    ("validation_error",),
    "[Correct field '{field}' in the payload (expected {expected})"
    "|Correct field '{field}' in the payload|Correct the field in the payload], "
    "or change the expected_schema, then re-run.",
    readers.payload_issue,
)

SERVICE_CODES: dict[str, ServiceCode] = {
    # Entries below replace this one for the issue codes that need their own fix.
    **dict.fromkeys(ISSUE_CODES, _PAYLOAD_ISSUE),
    # GitHub's "missing" means a resource that does not exist, so this entry is shared.
    "missing": ServiceCode(
        ("validation_error",),
        "[Add field '{field}' to the payload (expected {expected})"
        "|Add field '{field}' to the payload|Add the missing field to the payload], "
        "or make it optional in the expected_schema with a trailing '?'.",
        readers.payload_issue,
        shared=True,
    ),
    "null_not_allowed": ServiceCode(
        ("validation_error",),
        "[Give field '{field}' a value (expected {expected})|Give field '{field}' a value"
        "|Give the field a value] instead of null, or make it nullable in the expected_schema "
        "with a trailing '?'.",
        readers.payload_issue,
    ),
    "unexpected_field": ServiceCode(
        ("validation_error",),
        "[Remove field '{field}'|Remove the unexpected field] from the payload, or add it to "
        "the expected_schema.",
        readers.payload_issue,
    ),
    "ambiguous_date": ServiceCode(
        ("validation_error",),
        "[Send field '{field}'|Send the date] as YYYY-MM-DD, with the month and day the source "
        "meant, or declare the source's date format, such as MM/DD/YYYY, in the expected_schema.",
        readers.payload_issue,
    ),
    # Workflow runs: the engine's step errors.
    "validation_failed": ServiceCode(
        ("validation_error",),
        "Correct [{changes}|{fields} (raw_response.issues of the run's error gives the expected "
        "value of each)|the fields that raw_response.issues of the run's error lists] in the "
        "payload, or change the validate step's expected_schema, then re-run.",
        readers.payload_issues,
    ),
    "mapping_error": ServiceCode(
        ("mapping_error",),
        "[Source path '{source_path}' is not in the run payload ({problem})"
        "|Step {step} maps '{source_field}' to '{target_field}' and fails: {problem}"
        "|The run payload is {payload_problem}|The step's mapping does not fit the run payload]. "
        "Fix the payload or the step's mapping, then re-run.",
        readers.source_path,
    ),
    # Slack and Gusto send internal_error for their own outages, so this entry is shared.
    "internal_error": ServiceCode(
        ("unknown",),
        "SyncToScale failed unexpectedly[ ({exception})], which is a bug in SyncToScale rather "
        "than a problem with the payload or the provider. Re-run once, and if it fails again, "
        "report the run id with the server log.",
        readers.unexpected_failure,
        shared=True,
    ),
    # The run's heartbeat deadline passed, so the sweeper failed or retried it.
    "worker_lost": ServiceCode(
        ("timeout",),
        "The worker running the step stopped sending heartbeats[ for more than "
        "{heartbeat_seconds} s], so the step may or may not have reached the provider. Check "
        "that the workers are running, and check the provider for the step's change before you "
        "re-run.",
        readers.heartbeat,
    ),
    # Connections, in run errors and in POST /actions/run responses.
    "connection_required": ServiceCode(
        ("configuration_error",),
        "[Step '{step}' calls {provider}, which needs credentials|The {provider} call needs "
        "credentials|The call needs credentials]. Create a connection with POST /connections if "
        "the project has none, then set its id as the connection_id of the step or request.",
        readers.connection,
    ),
    "connection_ambiguous": ServiceCode(
        ("configuration_error",),
        "Send connection_id to choose one of the project's[ {provider}] connections"
        "[ ({connection_ids})].",
        readers.connection,
    ),
    "connection_not_found": ServiceCode(
        ("configuration_error",),
        "Connection[ '{connection_id}'] does not exist in this project, or was deleted. Set the "
        "connection_id of the step or request to a connection that GET /connections lists.",
        readers.connection,
    ),
    "connection_provider_mismatch": ServiceCode(
        ("configuration_error",),
        "Connection[ '{connection_id}'] is [a {connection_provider} connection, not a {provider} "
        "one|a {connection_provider} connection|for another provider]. Choose a[ {provider}] "
        "connection from GET /connections for the step or request.",
        readers.connection,
    ),
    "connection_missing_credentials": ServiceCode(
        ("invalid_credentials",),
        "Connection[ '{connection_id}'] has no credentials yet. Send them with "
        f"{_RESEND_CREDENTIALS}, then re-run.",
        readers.connection,
    ),
    "credentials_unreadable": ServiceCode(
        ("invalid_credentials",),
        "The stored credentials of connection[ '{connection_id}'] cannot be decrypted. Restore "
        f"the encryption key that sealed them, or send them again with {_RESEND_CREDENTIALS}.",
        readers.connection,
    ),
    "encryption_key_missing": ServiceCode(
        ("configuration_error",),
        "This SyncToScale process has no encryption key to open connection credentials. Set "
        "{variable|the encryption keys variable} to the same keys the API uses, then re-run.",
        readers.variable,
    ),
    # Connectors: input rejected before any provider call, and transport failures.
    "invalid_input": ServiceCode(
        ("validation_error",),
        "[Correct input field '{field}' of {action}: {problem}|Correct input field '{field}'"
        "|Correct the action's input]. The provider was not called, so change the payload, "
        "mapping or constants and run the action again.",
        readers.action_input,
    ),
    "unknown_action": ServiceCode(
        ("configuration_error",),
        "The[ {provider}] connector has no action[ '{action}']. Set the action to one of "
        "[{actions}|the connector's actions].",
        readers.unknown_action,
    ),
    "invalid_subdomain": ServiceCode(
        ("configuration_error",),
        "Store the company's BambooHR subdomain, such as acme for acme.bamboohr.com, in the "
        "connection's credentials, then re-run.",
    ),
    "timeout": ServiceCode(("timeout",)),
    "network_error": ServiceCode(("network_error",)),
    # Slack's connector sends this code for a response body that is not JSON.
    "invalid_response": ServiceCode(
        ("provider_unavailable",),
        "{provider|The provider} returned a body that is not JSON, which points to a "
        "failure on its side or in a proxy on the way. Retry with backoff[ and check the "
        "{status_page}] before changing the workflow.",
    ),
    # POST /actions/run: the request, and the provider failure it wraps.
    # Notion sends validation_error for the requests it rejects, so this entry is shared.
    "validation_error": ServiceCode(
        ("validation_error",),
        "[Correct field '{field}' of the request: {problem}|Correct field '{field}' of the "
        "request|Correct the request], then send it again.",
        readers.request_field,
        shared=True,
    ),
    "provider_record_not_found": ServiceCode(("not_found",)),
    "provider_insufficient_scopes": ServiceCode(("insufficient_permissions",)),
    "provider_forbidden": ServiceCode(("insufficient_permissions",)),
    "provider_rate_limited": ServiceCode(("rate_limited",)),
    "provider_unavailable": ServiceCode(("provider_unavailable",)),
    "provider_unreachable": ServiceCode(("network_error",)),
    "provider_timeout": ServiceCode(("timeout",)),
    # An unknown property is a mapping_error and a bad value a validation_error.
    "provider_rejected_input": ServiceCode(("validation_error", "mapping_error")),
    "provider_conflict": ServiceCode(("duplicate_record", "conflict")),
    # A rejected credential, or an expired OAuth token.
    "provider_auth_failed": ServiceCode(("invalid_credentials", "token_expired")),
}
SERVICE_CODES["invalid_action_input"] = SERVICE_CODES["invalid_input"]


def service_code(error_code: str | None, provider: str | None) -> ServiceCode | None:
    """Return the entry for a code SyncToScale emits, or None to leave the error to the model."""
    entry = SERVICE_CODES.get(error_code or "")
    if entry is None:
        return None
    if entry.shared and provider not in (None, "", SYNCTOSCALE):
        return None
    return entry


def fix_for(
    entry: ServiceCode, category: str, record: Mapping[str, Any]
) -> tuple[str, dict[str, str]]:
    """Return the recommended fix for an error with a service code, and the values it names."""
    message = str(record.get("message") or "")
    provider = record.get("provider")
    if entry.fix_sentence is None:
        parameters = extract_parameters(
            category,
            message,
            error_code=record.get("error_code"),
            provider=provider,
            http_status=record.get("http_status"),
        )
        return render_fix(category, fix_values(parameters, provider)), parameters

    values = {"provider": provider_display_name(provider)}
    if entry.reader is not None:
        values.update(entry.reader(message, record.get("raw_response")))
    parameters = {key: value for key, value in values.items() if value}
    return render_sentence(entry.fix_sentence, fix_values(parameters, provider)), parameters
