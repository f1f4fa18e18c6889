"""Extract the values a recommended fix names from the error: scopes, fields, wait times.

Each extractor returns None when the message does not contain its value, and the fix
sentence then drops that part (see taxonomy.render_fix). The values are data a client can
use (``existing_id: "88174"``), and the wording around them is in the fix sentences.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from urllib.parse import urlsplit

from nova.errors.fields import QUOTE, validation_values
from nova.errors.permissions import (
    has_status_page,
    missing_permission,
    provider_display_name,
    scope_for,
)
from nova.errors.words import is_function_word, is_resource_word

__all__ = ["extract_parameters", "fix_values", "provider_display_name", "scope_for"]

_RETRY_AFTER = re.compile(
    r"retry[- _]?after(?:\s+header)?[\"':=\s]*(?P<a>\d+)"
    r"|(?:try again|retry)\s+(?:in|after)\s+(?P<b>\d+)\s*(?:s\b|sec|second)"
    r"|wait\s+(?P<c>\d+)\s*(?:s\b|sec|second)",
    re.IGNORECASE,
)
_TIMEOUT = re.compile(
    r"timeout of (?P<ms>\d+)\s*ms|timed out after (?P<s>\d+(?:\.\d+)?)\s*(?:s\b|sec|second)"
    r"|timeout(?:seconds)?[=:\s]+(?P<s2>\d+(?:\.\d+)?)\s*s\b"
    r"|did not (?:answer|respond)\b.*?\bwithin (?P<s3>\d+(?:\.\d+)?)\s*(?:s\b|sec|second)",
    re.IGNORECASE,
)
_UNIQUE_FIELD = re.compile(
    r"same value for (?:property|field)\s+(?P<field>\w+)"
    r"|(?<!\w)(?P<field2>\w+): an object with this field already exists"
    r"|with (?:this|that|the same)\s+(?P<field3>email|name|login|username|domain)",
    re.IGNORECASE,
)
# An e-mail address, matched only from the start of its run of address characters.
_EMAIL = re.compile(r"(?<![\w.+-])(?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)")
_EXISTING_ID = re.compile(r"existing id:?\s*(?P<id>[\w-]+)", re.IGNORECASE)
_NOT_FOUND = (
    re.compile(r"no such (?P<type>[a-z_ ]+?):\s*(?P<id>[\w-]+)", re.IGNORECASE),
    re.compile(
        rf"(?<![a-z_])(?P<type>[a-z_]+)\s+{QUOTE}(?P<id>[^'\"]+){QUOTE}\s+(?:was\s+)?not found",
        re.IGNORECASE,
    ),
    re.compile(
        r"not found:\s*(?:resource not found:\s*)?(?P<id>[\w-]+)\s*\((?P<type>\w+)\)", re.IGNORECASE
    ),
)
# "team_id was not found", "Org unit not found", "could not be found", "couldn't be found".
_NOT_FOUND_PHRASE = re.compile(r"(?:\bnot|n't)\s+(?:be\s+)?found\b", re.IGNORECASE)
# After one of these words the candidate is a verb, as in "the resource you are requesting could
# not be found", not the thing that was not found.
_VERB_CONTEXT = frozenset(
    {"am", "are", "be", "been", "he", "i", "is", "it", "she", "they", "was", "we", "were", "you"}
)
_STATES = (
    "archived",
    "locked",
    "inactive",
    "suspended",
    "deleted",
    "disabled",
    "read-only",
    "being provisioned",
)
# Only a lock clears with time. An archived, disabled or deleted record stays in that state
# until someone changes it, so the fix names that change or another record.
_STATE_REMEDIES = {
    "archived": "unarchive or restore it, or choose another record, then re-run",
    "locked": "re-read its current state, serialise writes to it, and retry once it is unlocked",
    "inactive": "reactivate it, or choose another record, then re-run",
    "suspended": "unsuspend or re-enable it, or choose another record, then re-run",
    "deleted": "restore it, or choose another record, then re-run",
    "disabled": "re-enable it, or choose another record, then re-run",
    "read-only": "make it writable, or choose another record, then re-run",
    "being provisioned": "wait until provisioning finishes, then retry",
}
# A state of the signed-in user, not of the credential. Salesforce's INVALID_LOGIN, for example,
# ends with "or user locked out".
_ACCOUNT_STATE = re.compile(
    r"\b(?:user|account)\s+(?:is\s+|was\s+|has been\s+)?"
    r"(?P<state>locked out|locked|disabled|deactivated|suspended)\b",
    re.IGNORECASE,
)
# The credential a message names first is the one it rejects, so "missing or invalid
# credentials (e.g. ... an invalid/expired access token)" is about the credentials. Plain
# "credentials" names no type, so the fix keeps its generic "valid credentials".
_CREDENTIAL_TYPES: tuple[tuple[str, str | None], ...] = (
    ("api key", "API key"),
    ("api_key", "API key"),
    ("client secret", "client secret"),
    ("password", "password"),
    ("bot token", "bot token"),
    ("auth token", "auth token"),
    ("access token", "access token"),
    ("token", "token"),
    ("credentials", None),
)
_CREDENTIAL_REASONS: tuple[tuple[str, str | None], ...] = (
    ("missing or invalid", "missing or invalid"),
    ("invalid or missing", "missing or invalid"),
    ("revoked", "revoked"),
    ("expired", "expired"),
    ("disabled", "disabled"),
    ("locked", "locked"),
    ("missing", "missing"),
)
_TOKEN_TYPES = (
    ("refresh token", "refresh token"),
    ("access token", "access token"),
    ("oauth token", "OAuth token"),
    ("authorization code", "authorization code"),
    ("session", "session"),
    ("grant", "grant"),
)
_NETWORK_CAUSES = (
    ("connection refused", "connection refused"),
    ("econnrefused", "connection refused"),
    ("name or service not known", "DNS lookup failed"),
    ("name resolution", "DNS lookup failed"),
    ("enotfound", "DNS lookup failed"),
    ("eai_again", "DNS lookup failed"),
    ("certificate verify failed", "TLS certificate verification failed"),
    ("certificate", "TLS certificate problem"),
    ("wrong version number", "TLS handshake failed (is the URL http:// rather than https://?)"),
    ("handshake", "TLS handshake failed"),
    ("connection reset", "connection reset by the server"),
    ("econnreset", "connection reset by the server"),
    ("disconnected", "the server closed the connection without a response"),
    ("peer closed", "the server closed the connection mid-response"),
    ("illegal status line", "the server sent an invalid HTTP response"),
    ("unreachable", "host unreachable"),
)
_HOST = re.compile(
    r"host='(?P<host>[\w.-]+)'|getaddrinfo \w+ (?P<host2>[\w.-]+)"
    r"|(?P<ip>\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?)"
)
_URL = re.compile(r"https?://[^\s'\"<>)]+")
_STEP = re.compile(r"\bstep\s+['\"]?(?P<step>[\w-]+)", re.IGNORECASE)
_MAPPING = re.compile(
    r"mapping\s+'(?P<source>[^']+)'\s*->\s*'(?P<target>[^']+)'\s+failed:\s*(?P<problem>[^.]+)",
    re.IGNORECASE,
)
# Unknown name in a provider's own wording or in a library's standard message. The library
# messages are those of the library_messages cues in cues.json.
_MISSING_TARGET = re.compile(
    rf"no such column\s+{QUOTE}(?P<a>\w+){QUOTE}"
    r"|unrecogni[sz]ed field\s+\W*(?P<c>\w+)"
    rf"|unknown target field\s+{QUOTE}(?P<d>\w+){QUOTE}"
    rf"|additional properties are not allowed \({QUOTE}(?P<e>[\w.$-]+){QUOTE} was unexpected"
    rf"|\bcolumn {QUOTE}(?P<f>\w+){QUOTE}(?: of relation {QUOTE}[\w.]+{QUOTE})? does not exist"
    r"|\bunknown (?:field|column|attribute|property|parameter|argument)(?: name)?:?\s+"
    rf"{QUOTE}?(?P<g>\w+(?:\.\w+)*)"
    r"|has no column named (?P<h>\w+)"
    rf"|extra keys not allowed @ data\[{QUOTE}(?P<i>\w+){QUOTE}\]"
    rf"|cannot query field {QUOTE}(?P<j>\w+){QUOTE}",
    re.IGNORECASE,
)
# A provider that rejects a property it does not have, such as HubSpot's PROPERTY_DOESNT_EXIST
# 'Property "foo_bar" does not exist'. The input may come from a workflow's mapping or from a
# direct POST /actions/run, so the fix names the property, not a mapping.
_UNKNOWN_PROPERTY = re.compile(
    r"\bproperty\s+\W*(?P<name>\w+)\W*\s+does(?: not|n't) exist", re.IGNORECASE
)
# Parameters that name a field, resource or step. A function word in one of them is a misread,
# so extract_parameters drops it.
_NAME_KEYS = (
    "field",
    "resource",
    "resource_type",
    "source_field",
    "step",
    "target_field",
    "unique_field",
    "unknown_property",
)
_REQUEST_ID = re.compile(
    r"(?:request[-_ ]?id|correlation[-_ ]?id|errorid|reference)[\"':#\s]+(?P<id>[\w-]{6,})"
    r"|\b(?P<req>req_\w+)",
    re.IGNORECASE,
)
# Google names a quota with a capitalised phrase before the keyword: "the Requests per day per
# project quota". The capital is matched case-sensitively, so "the daily quota" starts at "daily".
_QUOTA_NAME = re.compile(
    r"(?<!\w)(?P<name>(?-i:[A-Z]\w*\s+)?(?:daily|monthly|per[- ]day|storage|seat|plan|api)"
    r"[\w ]{0,30}?(?:quota|limit))",
    re.IGNORECASE,
)
_MAX_ITEMS = re.compile(
    r"(?:maximum of|at most|max(?:imum)?|limit of)\s+(?P<n>[\d,]+)\s*(?P<unit>[a-z]+)?",
    re.IGNORECASE,
)
_PAYLOAD_KINDS = (
    "message",
    "attachments",
    "file",
    "batch",
    "uri",
    "url",
    "query",
    "request",
    "payload",
)


def _first_group(match: re.Match[str] | None) -> str | None:
    if match is None:
        return None
    return next((value for value in match.groupdict().values() if value), None)


def _retry_after(message: str) -> str | None:
    return _first_group(_RETRY_AFTER.search(message))


def _timeout_seconds(message: str) -> str | None:
    match = _TIMEOUT.search(message)
    if match is None:
        return None
    if match.group("ms"):
        return f"{int(match.group('ms')) / 1000:g}"
    return match.group("s") or match.group("s2") or match.group("s3")


def _lookup(message: str, table: tuple[tuple[str, str], ...]) -> str | None:
    lowered = message.lower()
    return next((label for phrase, label in table if phrase in lowered), None)


def _first_named(message: str, table: tuple[tuple[str, str | None], ...]) -> str | None:
    """Return the label of the phrase that occurs first in ``message``, the longer on a tie."""
    lowered = message.lower()
    found = [(lowered.find(phrase), -len(phrase), label) for phrase, label in table]
    found = [entry for entry in found if entry[0] >= 0]
    return min(found, key=lambda entry: entry[:2])[2] if found else None


def _host(message: str) -> str | None:
    url = _URL.search(message)
    if url:
        # A URL that ends a clause, as in "at https://api.hubapi.com: ...", keeps its colon.
        try:
            return urlsplit(url.group(0).rstrip(".,:;")).netloc or None
        except ValueError:
            # urlsplit rejects a bracketed placeholder (https://[YOUR-ORG].crm.dynamics.com)
            # as an invalid IPv6 address. Such a URL names no host to check.
            return None
    return _first_group(_HOST.search(message))


def _not_found(message: str, error_code: str | None) -> dict[str, str | None]:
    for pattern in _NOT_FOUND:
        match = pattern.search(message)
        if match:
            found = match.groupdict()
            resource_type = found.get("type")
            if resource_type and not is_resource_word(resource_type.split()[-1]):
                resource_type = None
            return {"resource_type": resource_type, "resource_id": found.get("id")}
    resource_type = _word_before_not_found(message)
    if resource_type is not None:
        return {"resource_type": resource_type, "resource_id": None}
    named = error_code.removesuffix("_not_found") if error_code else ""
    if error_code and error_code.endswith("_not_found") and is_resource_word(named):
        return {"resource_type": _singular(named.replace("_", " ")), "resource_id": None}
    return {"resource_type": None, "resource_id": None}


def _singular(noun: str) -> str:
    """Return a code's plural noun in the singular, for "The user was not found".

    Only the plain -s plural of codes such as Slack's users_not_found is undone. Words that
    end in ss, us or is (access, status, analysis) stay as they are.
    """
    if noun.endswith("s") and not noun.endswith(("ss", "us", "is")) and len(noun) > 3:
        return noun[:-1]
    return noun


def _word_before_not_found(message: str) -> str | None:
    """Return the subject of "was not found", skipping words such as "was", "could", "either".

    A capitalised plain word is lower-cased, because its capital only starts the sentence
    ("User not found"). A name such as team_id or OrgUnit keeps its spelling.
    """
    for match in _NOT_FOUND_PHRASE.finditer(message):
        words = message[: match.start()].split()
        if match.group(0).startswith("n't") and words:
            words.pop()  # the "ca" or "could" of "can't be found"
        while words and is_function_word(words[-1].replace("'", "")):
            words.pop()
        if not words or not re.fullmatch(r"[A-Za-z_]\w*", words[-1]):
            continue
        word = words[-1]
        if len(words) > 1 and words[-2].lower() in _VERB_CONTEXT:
            continue
        if is_resource_word(word):
            return word.lower() if re.fullmatch(r"[A-Z][a-z]+", word) else word
    return None


def _payload(message: str) -> dict[str, str | None]:
    lowered = message.lower()
    kind = next((word for word in _PAYLOAD_KINDS if word in lowered), None)
    maximum = _MAX_ITEMS.search(message)
    if maximum is None:
        return {"payload_kind": kind}
    return {
        "payload_kind": kind,
        "max_items": maximum.group("n"),
        "limit_unit": maximum.group("unit"),
    }


def _mapping(message: str) -> dict[str, str | None]:
    step = _STEP.search(message)
    values: dict[str, str | None] = {"step": step.group("step") if step else None}
    mapping = _MAPPING.search(message)
    if mapping:
        values.update(
            source_field=mapping.group("source"),
            target_field=mapping.group("target"),
            problem=mapping.group("problem").strip(),
        )
        return values
    unknown = _UNKNOWN_PROPERTY.search(message)
    if unknown:
        values["unknown_property"] = unknown.group("name")
        return values
    target = _first_group(_MISSING_TARGET.search(message))
    if target and not is_function_word(target):
        values.update(target_field=target, problem="does not exist in the target")
    return values


def _expired_ago(message: str) -> str | None:
    match = re.search(
        r"expired (?P<count>\d+) (?P<unit>second|minute|hour|day)\(?s?\)? ago", message
    )
    if match is None:
        return None
    count = int(match.group("count"))
    unit = match.group("unit") + ("" if count == 1 else "s")
    return f"{count} {unit} ago"


def _credentials(message: str) -> dict[str, str | None]:
    """Return the rejected credential and why, keeping a locked-out user apart from it."""
    account = _ACCOUNT_STATE.search(message)
    rest = message
    if account:
        rest = message[: account.start()] + message[account.end() :]
    return {
        "credential_type": _first_named(rest, _CREDENTIAL_TYPES),
        "reason": _first_named(rest, _CREDENTIAL_REASONS),
        "account_state": account.group("state").lower() if account else None,
    }


def _category_values(
    category: str,
    message: str,
    error_code: str | None,
    provider: str | None,
    http_status: int | None,
) -> dict[str, str | None]:
    lowered = message.lower()
    extractors: dict[str, Callable[[], dict[str, str | None]]] = {
        "insufficient_permissions": lambda: missing_permission(message, provider),
        "invalid_credentials": lambda: _credentials(message),
        "token_expired": lambda: {
            "token_type": _lookup(message, _TOKEN_TYPES),
            "expired_ago": _expired_ago(message),
            "account": _first_group(_EMAIL.search(message)),
        },
        "rate_limited": lambda: {"retry_after_seconds": _retry_after(message)},
        "quota_exceeded": lambda: {
            "quota_name": _first_group(_QUOTA_NAME.search(message)),
            "reset_at": _first_group(re.search(r"until (?P<moment>\w+)", message)),
        },
        "not_found": lambda: _not_found(message, error_code),
        "validation_error": lambda: validation_values(message),
        "duplicate_record": lambda: {
            "unique_field": _first_group(_UNIQUE_FIELD.search(message)),
            "existing_id": _first_group(_EXISTING_ID.search(message)),
        },
        "conflict": lambda: {"state": next((state for state in _STATES if state in lowered), None)},
        "payload_too_large": lambda: _payload(message),
        "timeout": lambda: {"timeout_seconds": _timeout_seconds(message)},
        "network_error": lambda: {
            "host": _host(message),
            "network_cause": _lookup(message, _NETWORK_CAUSES),
        },
        # Slack sends its errors with HTTP 200, and a status below 400 is no server-side error.
        "provider_unavailable": lambda: {
            "status": str(http_status) if http_status and http_status >= 400 else None
        },
        "mapping_error": lambda: _mapping(message),
        "unknown": lambda: {"request_id": _first_group(_REQUEST_ID.search(message))},
    }
    extractor = extractors.get(category)
    return extractor() if extractor else {}


def extract_parameters(
    category: str,
    message: str,
    *,
    error_code: str | None = None,
    provider: str | None = None,
    http_status: int | None = None,
) -> dict[str, str]:
    """Return the fix-template values found in ``message`` for ``category``.

    A value that is not found is left out, as is a name that is an English function word.
    """
    values: dict[str, str | None] = {"provider": provider_display_name(provider)}
    values.update(_category_values(category, message, error_code, provider, http_status))
    if category in ("validation_error", "mapping_error") and not values.get("step"):
        step = _STEP.search(message)
        values["step"] = step.group("step") if step else None
    for key in _NAME_KEYS:
        if values.get(key) and is_function_word(str(values[key])):
            values[key] = None
    return {key: value for key, value in values.items() if value}


def fix_values(parameters: Mapping[str, str], provider: str | None) -> dict[str, str]:
    """Return ``parameters`` plus the wording that only the fix sentence uses.

    The additions are ``status_page`` and ``state_remedy`` (what to do about a record's
    state). They stay out of a classification's ``parameters``, because they are wording, not
    data.
    """
    values = dict(parameters)
    state = parameters.get("state")
    if state in _STATE_REMEDIES:
        values["state_remedy"] = _STATE_REMEDIES[state]
    if not provider:
        values["status_page"] = "provider's status page"
    elif has_status_page(provider):
        values["status_page"] = f"{provider_display_name(provider)} status page"
    return values
