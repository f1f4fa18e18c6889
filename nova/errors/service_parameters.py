"""Read the values a fix names from the messages SyncToScale writes for its own error codes.

Each reader takes the error's message and its stored ``raw_response`` and returns None for a
value it does not find, so the fix sentence drops that part (see taxonomy.render_sentence).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from nova.errors.parameters import extract_parameters

__all__ = [
    "MAX_LISTED_ISSUES",
    "Reader",
    "action_input",
    "connection",
    "heartbeat",
    "payload_issue",
    "payload_issues",
    "request_field",
    "source_path",
    "unexpected_failure",
    "unknown_action",
    "variable",
]

Values = dict[str, str | None]
Reader = Callable[[str, Any], Values]

MAX_LISTED_ISSUES = 5
"""Maximum number of payload issues that one fix names. The validate step's message also lists
at most five fields."""

# Step 'create_contact' calls hubspot, ...
_STEP = re.compile(r"\bstep '(?P<step>[^']+)'", re.IGNORECASE)
# Connection 'conn_1' ..., No connection 'conn_1' ..., connection 'conn_1' is a slack connection
_CONNECTION_ID = re.compile(r"\bconnection '(?P<id>[^']+)'", re.IGNORECASE)
_CONNECTION_PROVIDER = re.compile(r"\bis an? (?P<provider>\w+) connection")
_CONNECTION_IDS = re.compile(r"\bconnections \((?P<ids>[^)]+)\)")
# The payload does not match the expected schema (2 issue(s), in: start_date, email).
_ISSUE_FIELDS = re.compile(r"\bin: (?P<fields>[^)]+)\)")
# mapkit issue messages: 'start_date value "2025-02-30" is not a calendar date: ... Expected
# YYYY-MM-DD.' and 'name is missing. Expected string. Add the field, ...'
_ISSUE_FIELD = re.compile(r"^(?P<field>\S+) (?:value|is)\b")
_ISSUE_EXPECTED = re.compile(r"\bExpected (?P<expected>.+?)\.(?:\s|$)")
# Invalid input for create_contact: email: send email, firstname or lastname; email is best.
# Several fields are joined with "; " as in "channel: Field required; text: Field required".
_ACTION_INPUT = re.compile(
    r"Invalid input for (?P<action>\w+): (?P<field>[^:;]+?): "
    r"(?P<problem>.+?)(?=; [\w.\[\]]+: |\.?$)"
)
# Invalid request: timeout_seconds: Input should be greater than 0 (1 more problem(s) in details)
_REQUEST_FIELD = re.compile(
    r"Invalid request: (?P<field>[^:]+?): (?P<problem>.+?)(?: \(\d+ more problem\(s\)[^)]*\))?$"
)
# Source path 'person.mail' was not found: person has no key 'mail'. Send the field ...
_SOURCE_PATH = re.compile(
    r"Source path '(?P<path>[^']+)' was not found: (?P<problem>.+?)\.(?:\s|$)"
)
_NOT_AN_OBJECT = re.compile(r"\bpayload is not an object\b", re.IGNORECASE)
# The HubSpot connector has no action 'delete_contact'; its actions: create_contact, ...
_UNKNOWN_ACTION = re.compile(r"has no action '(?P<action>[^']+)'; its actions: (?P<actions>[^.]+)")
# The worker running attempt 2 stopped sending heartbeats for more than 300 s, ...
_HEARTBEAT = re.compile(r"\bfor more than (?P<seconds>\d+(?:\.\d+)?) s\b")
# The step failed unexpectedly: KeyError('email').
_UNEXPECTED = re.compile(r"failed unexpectedly: (?P<exception>.+?)\.?$")
# "... set SYNCTOSCALE_ENCRYPTION_KEYS to the same keys the API uses."
_VARIABLE = re.compile(r"\bset (?P<variable>[A-Z][A-Z0-9_]+)\b")


def _group(pattern: re.Pattern[str], message: str, name: str) -> str | None:
    match = pattern.search(message)
    return match.group(name).strip() if match else None


def payload_issues(message: str, raw_response: Any) -> Values:
    """Describe the failed validate step's issues from its mapkit report, else list its fields."""
    issues = _error_issues(raw_response)
    return {
        "changes": _describe_issues(issues) if issues else None,
        "fields": _group(_ISSUE_FIELDS, message, "fields"),
    }


def _error_issues(raw_response: Any) -> list[Mapping[str, Any]]:
    if not isinstance(raw_response, Mapping) or not isinstance(raw_response.get("issues"), list):
        return []
    return [
        issue
        for issue in raw_response["issues"]
        if isinstance(issue, Mapping) and issue.get("severity", "error") == "error"
    ]


def _describe_issues(issues: list[Mapping[str, Any]]) -> str:
    """Join issues into a phrase such as "start_date (expected YYYY-MM-DD) and name (missing,
    expected string)", naming at most ``MAX_LISTED_ISSUES`` of them."""
    parts = [_describe_issue(issue) for issue in issues[:MAX_LISTED_ISSUES]]
    if len(issues) > MAX_LISTED_ISSUES:
        parts.append(f"{len(issues) - MAX_LISTED_ISSUES} more field(s)")
    if len(parts) == 1:
        return parts[0]
    return f"{', '.join(parts[:-1])} and {parts[-1]}"


def _describe_issue(issue: Mapping[str, Any]) -> str:
    field = str(issue.get("field") or "the payload")
    expected = issue.get("expected")
    if issue.get("code") == "missing":
        return f"{field} (missing, expected {expected})" if expected else f"{field} (missing)"
    return f"{field} (expected {expected})" if expected else field


def payload_issue(message: str, raw_response: Any) -> Values:
    """Read the field and the expected value from one mapkit issue message."""
    return {
        "field": _group(_ISSUE_FIELD, message, "field"),
        "expected": _group(_ISSUE_EXPECTED, message, "expected"),
    }


def action_input(message: str, raw_response: Any) -> Values:
    """Read the action, the first invalid input field and its problem."""
    match = _ACTION_INPUT.search(message)
    if match is None:
        return {}
    return {key: value.strip() for key, value in match.groupdict().items()}


def request_field(message: str, raw_response: Any) -> Values:
    """Read the first invalid field of a rejected request and its problem."""
    match = _REQUEST_FIELD.search(message)
    if match is None:
        return {}
    return {"field": match.group("field"), "problem": match.group("problem")}


def source_path(message: str, raw_response: Any) -> Values:
    """Read the source path a mapping could not resolve, or note a payload that is no object."""
    match = _SOURCE_PATH.search(message)
    if match:
        return {"source_path": match.group("path"), "problem": match.group("problem")}
    if _NOT_AN_OBJECT.search(message):
        return {"payload_problem": "not a JSON object, so the step needs a mapping"}
    # Messages in the "Step X: mapping 'a' -> 'b' failed: ..." form.
    return dict(extract_parameters("mapping_error", message))


def connection(message: str, raw_response: Any) -> Values:
    """Read the connection id, its provider, the ids to choose from and the step."""
    return {
        "connection_id": _group(_CONNECTION_ID, message, "id"),
        "connection_provider": _group(_CONNECTION_PROVIDER, message, "provider"),
        "connection_ids": _group(_CONNECTION_IDS, message, "ids"),
        "step": _group(_STEP, message, "step"),
    }


def unknown_action(message: str, raw_response: Any) -> Values:
    return {
        "action": _group(_UNKNOWN_ACTION, message, "action"),
        "actions": _group(_UNKNOWN_ACTION, message, "actions"),
    }


def heartbeat(message: str, raw_response: Any) -> Values:
    return {"heartbeat_seconds": _group(_HEARTBEAT, message, "seconds")}


def unexpected_failure(message: str, raw_response: Any) -> Values:
    return {"exception": _group(_UNEXPECTED, message, "exception")}


def variable(message: str, raw_response: Any) -> Values:
    return {"variable": _group(_VARIABLE, message, "variable")}
