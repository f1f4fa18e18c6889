"""Extract the values a recommended fix names from the error: scopes, fields, wait times.

Each extractor returns None when the message does not contain its value, and the fix
sentence then drops that part (see taxonomy.render_fix).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

__all__ = ["extract_parameters", "provider_display_name", "scope_for"]

_QUOTED = r"['\"‘’“”`]"

# Scope names as providers write them: chat:write, users:read.email,
# crm.objects.contacts.write, User.ReadWrite.All, auth/admin.directory.user.
_SCOPE_TOKEN = re.compile(
    r"https://www\.googleapis\.com/auth/[\w.]+"
    r"|\b[a-z]+:[a-z]+(?:\.[a-z]+)?\b"
    r"|\b[a-z]+(?:\.[a-z]+){2,}\b"
    r"|\b[A-Z][a-z]+\.(?:Read|ReadWrite|Write|Send|Manage)(?:\.[A-Z][a-z]+)*\b"
)
_SCOPE_CONTEXT = re.compile(r"scope|needed|required|permission|grant", re.IGNORECASE)
_ACCESS_PHRASE = re.compile(
    r"(?P<verb>\w+)\s+(?:access|permissions?|rights?)\s+(?:to|on|for)\s+(?:the\s+)?"
    r"(?P<resource>[\w-]+)"
    r"|(?:permission|privileges?|not allowed|not authori[sz]ed)\s+to\s+(?P<verb2>\w+)\s+"
    r"(?:an?\s+|the\s+)?(?P<resource2>[\w-]+)",
    re.IGNORECASE,
)
# The request a message names as an HTTP method and path, such as "POST /users".
_REQUEST_LINE = re.compile(r"\b(?P<method>GET|HEAD|POST|PUT|PATCH|DELETE)\s+(?P<path>/[^\s:?]*)")
_READ_METHODS = frozenset({"GET", "HEAD"})

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
_FIELD_PATTERNS = (
    re.compile(r"value passed for (?P<field>\w+)", re.IGNORECASE),
    # "Property values were not valid" names no property, so "value(s)" is not a field.
    re.compile(
        rf"(?:field|property|parameter|argument|column)\s+{_QUOTED}?"
        rf"(?!values?\b)(?P<field>[\w.\[\]]+){_QUOTED}?",
        re.IGNORECASE,
    ),
    re.compile(
        r"(?P<field>[A-Za-z_]\w*):\s+(?:is required|does not match|must|is invalid|is not valid)",
        re.IGNORECASE,
    ),
    re.compile(rf"{_QUOTED}(?P<field>\w+){_QUOTED}\s+is not a valid", re.IGNORECASE),
    re.compile(r"\"name\":\s*\"(?P<field>\w+)\""),
    re.compile(r"propertyName\W+(?P<field>\w+)"),
)
# A JSON object with no object inside, such as one entry of a provider's list of field errors.
_FLAT_JSON_OBJECT = re.compile(r"\{[^{}]*\}")
_UNIQUE_FIELD = re.compile(
    r"same value for (?:property|field)\s+(?P<field>\w+)"
    r"|(?P<field2>\w+): an object with this field already exists"
    r"|with (?:this|that|the same)\s+(?P<field3>email|name|login|username|domain)",
    re.IGNORECASE,
)
_EXISTING_ID = re.compile(r"existing id:?\s*(?P<id>[\w-]+)", re.IGNORECASE)
_NOT_FOUND = (
    re.compile(r"no such (?P<type>[a-z_ ]+?):\s*(?P<id>[\w-]+)", re.IGNORECASE),
    re.compile(
        rf"(?P<type>[a-z_]+)\s+{_QUOTED}(?P<id>[^'\"]+){_QUOTED}\s+(?:was\s+)?not found",
        re.IGNORECASE,
    ),
    re.compile(
        r"not found:\s*(?:resource not found:\s*)?(?P<id>[\w-]+)\s*\((?P<type>\w+)\)", re.IGNORECASE
    ),
    re.compile(r"(?P<type>\b[a-z]+)\s+not found", re.IGNORECASE),
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
_CREDENTIAL_TYPES = (
    ("api key", "API key"),
    ("api_key", "API key"),
    ("client secret", "client secret"),
    ("password", "password"),
    ("bot token", "bot token"),
    ("auth token", "auth token"),
    ("access token", "access token"),
    ("token", "token"),
    ("credentials", "credentials"),
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
_MISSING_TARGET = re.compile(
    rf"no such column\s+{_QUOTED}(?P<a>\w+){_QUOTED}"
    r"|property\s+\W*(?P<b>\w+)\W*\s+does(?: not|n't) exist"
    r"|unrecogni[sz]ed field\s+\W*(?P<c>\w+)"
    rf"|unknown target field\s+{_QUOTED}(?P<d>\w+){_QUOTED}",
    re.IGNORECASE,
)
_REQUEST_ID = re.compile(
    r"(?:request[-_ ]?id|correlation[-_ ]?id|errorid|reference)[\"':#\s]+(?P<id>[\w-]{6,})"
    r"|\b(?P<req>req_\w+)",
    re.IGNORECASE,
)
_QUOTA_NAME = re.compile(
    r"(?P<name>(?:daily|monthly|per[- ]day|storage|seat|plan|api)[\w ]{0,30}?(?:quota|limit))",
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


@cache
def _lexicon() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("scopes.json").read_text(encoding="utf-8")
    lexicon: dict[str, Any] = json.loads(text)
    return lexicon


def provider_display_name(provider: str | None) -> str | None:
    """Return a provider's display name (``google_directory`` -> ``Google Directory``)."""
    if not provider:
        return None
    entry = _lexicon()["providers"].get(provider)
    if entry:
        return str(entry["display_name"])
    return provider.replace("_", " ").title()


def _access_of(verb: str) -> str | None:
    verb = verb.lower()
    for access, words in _lexicon()["access_words"].items():
        if verb in words:
            return str(access)
    return None


def scope_for(provider: str | None, resource: str, access: str) -> str:
    """Name the scope that grants ``access`` (read or write) on ``resource`` for ``provider``.

    A provider without an entry for the resource gets the generic ``{resource}.{access}``.
    """
    resource = resource.lower()
    entry = _lexicon()["providers"].get(provider or "", {})
    named = entry.get("resources", {}).get(resource, {}).get(access)
    if named:
        return str(named)
    return str(_lexicon()["generic_format"].format(resource=resource, access=access))


def _explicit_scope(message: str) -> str | None:
    if not _SCOPE_CONTEXT.search(message):
        return None
    scopes = []
    for match in _SCOPE_TOKEN.finditer(message):
        token = match.group(0)
        # Hostnames and file names also have dots; a scope has no digits and no TLD ending.
        if re.search(r"\d|\.(com|net|org|io|json|py)\b", token) and not token.startswith(
            "https://"
        ):
            continue
        if token not in scopes:
            scopes.append(token)
    return ", ".join(scopes) or None


def _requested_operation(message: str, provider: str | None) -> tuple[str, str] | None:
    """Return the resource and access (read or write) of the request line in ``message``.

    The resource is the last path segment that the provider's scope lexicon lists, so
    ``PUT /users/lin@example.com`` is a write to ``users``.
    """
    match = _REQUEST_LINE.search(message)
    if match is None:
        return None
    resources = _lexicon()["providers"].get(provider or "", {}).get("resources", {})
    access = "read" if match.group("method") in _READ_METHODS else "write"
    for segment in reversed(match.group("path").lower().split("/")):
        if segment in resources:
            return segment, access
    return None


def _missing_permission(message: str, provider: str | None) -> dict[str, str | None]:
    explicit = _explicit_scope(message)
    match = _ACCESS_PHRASE.search(message)
    resource = None
    access = None
    if match:
        verb = match.group("verb") or match.group("verb2")
        resource = (match.group("resource") or match.group("resource2")).lower()
        access = _access_of(verb)
    if explicit:
        return {"missing_permission": explicit, "resource": resource}
    if resource and access:
        return {"missing_permission": scope_for(provider, resource, access), "resource": resource}
    operation = _requested_operation(message, provider)
    if operation is not None:
        resource, access = operation
        return {"missing_permission": scope_for(provider, resource, access), "resource": resource}
    return {"missing_permission": None, "resource": resource}


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


def _field_error(message: str) -> tuple[str, str | None] | None:
    """Return the field name and rule of the first JSON field error in ``message``.

    HubSpot puts its field errors in the message as a JSON array (``Property values were not
    valid: [{"name": "email", "message": "Email address … is invalid", …}]``), and a message
    pasted from the raw response body has those quotes escaped.
    """
    text = message.replace('\\"', '"')
    for match in _FLAT_JSON_OBJECT.finditer(text):
        try:
            item = json.loads(match.group(0))
        except ValueError:
            continue
        property_names = item.get("propertyName")
        if not isinstance(property_names, list):
            property_names = [property_names]
        names = [item.get("name"), *property_names]
        name = next((entry for entry in names if isinstance(entry, str) and entry), None)
        if name is not None:
            rule = item.get("message")
            return name, rule if isinstance(rule, str) and rule else None
    return None


def _validation(message: str) -> dict[str, str | None]:
    field_error = _field_error(message)
    if field_error is not None:
        return {"field": field_error[0], "constraint": field_error[1]}
    field_name = _field(message)
    return {"field": field_name, "constraint": _constraint(message, field_name)}


def _field(message: str) -> str | None:
    for pattern in _FIELD_PATTERNS:
        match = pattern.search(message)
        if match:
            return match.group("field")
    return None


def _constraint(message: str, field_name: str | None) -> str | None:
    if field_name is None:
        return None
    match = re.search(rf"{re.escape(field_name)}\W*:\s*(?P<rule>[^.;\]\"]+)", message)
    return match.group("rule").strip() if match else None


def _lookup(message: str, table: tuple[tuple[str, str], ...]) -> str | None:
    lowered = message.lower()
    return next((label for phrase, label in table if phrase in lowered), None)


def _host(message: str) -> str | None:
    url = _URL.search(message)
    if url:
        # A URL that ends a clause, as in "at https://api.hubapi.com: ...", keeps its colon.
        return urlsplit(url.group(0).rstrip(".,:;")).netloc or None
    return _first_group(_HOST.search(message))


def _not_found(message: str, error_code: str | None) -> dict[str, str | None]:
    for pattern in _NOT_FOUND:
        match = pattern.search(message)
        if match:
            found = match.groupdict()
            return {"resource_type": found.get("type"), "resource_id": found.get("id")}
    if error_code and error_code.endswith("_not_found"):
        return {
            "resource_type": error_code.removesuffix("_not_found").replace("_", " "),
            "resource_id": None,
        }
    return {"resource_type": None, "resource_id": None}


def _payload(message: str) -> dict[str, str | None]:
    lowered = message.lower()
    kind = next((word for word in _PAYLOAD_KINDS if word in lowered), None)
    maximum = _MAX_ITEMS.search(message)
    limit_suffix = None
    max_items = None
    if maximum:
        max_items = maximum.group("n")
        unit = maximum.group("unit") or ""
        limit_suffix = f" (limit: {max_items} {unit})".replace(" )", ")")
    return {"payload_kind": kind, "max_items": max_items, "limit_suffix": limit_suffix}


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
    target = _first_group(_MISSING_TARGET.search(message))
    if target:
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


def _suffix(prefix: str, value: str | None) -> str | None:
    return f"{prefix}{value}" if value else None


def _category_values(
    category: str,
    message: str,
    error_code: str | None,
    provider: str | None,
    http_status: int | None,
) -> dict[str, str | None]:
    lowered = message.lower()
    extractors: dict[str, Callable[[], dict[str, str | None]]] = {
        "insufficient_permissions": lambda: _missing_permission(message, provider),
        "invalid_credentials": lambda: {
            "credential_type": _lookup(message, _CREDENTIAL_TYPES),
            "reason_suffix": next(
                (
                    f" as {word}"
                    for word in ("revoked", "expired", "disabled", "locked", "missing")
                    if word in lowered
                ),
                None,
            ),
        },
        "token_expired": lambda: {
            "token_type": _lookup(message, _TOKEN_TYPES),
            "expired_at_suffix": _suffix(" ", _expired_ago(message)),
            "account": _first_group(re.search(r"(?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)", message)),
        },
        "rate_limited": lambda: {"retry_after_seconds": _retry_after(message)},
        "quota_exceeded": lambda: {
            "quota_name": _first_group(_QUOTA_NAME.search(message)),
            "reset_suffix": _suffix(
                " until ", _first_group(re.search(r"until (?P<moment>\w+)", message))
            ),
        },
        "not_found": lambda: _not_found(message, error_code),
        "validation_error": lambda: _validation(message),
        "duplicate_record": lambda: {
            "unique_field": _first_group(_UNIQUE_FIELD.search(message)),
            "existing_id_suffix": _suffix(
                " (existing id ", _first_group(_EXISTING_ID.search(message))
            ),
        },
        "conflict": lambda: {"state": next((state for state in _STATES if state in lowered), None)},
        "payload_too_large": lambda: _payload(message),
        "timeout": lambda: {"timeout_seconds": _timeout_seconds(message)},
        "network_error": lambda: {
            "host": _host(message),
            "network_cause": _lookup(message, _NETWORK_CAUSES),
        },
        "provider_unavailable": lambda: {"status": str(http_status) if http_status else None},
        "mapping_error": lambda: _mapping(message),
        "unknown": lambda: {"request_id": _first_group(_REQUEST_ID.search(message))},
    }
    extractor = extractors.get(category)
    values = extractor() if extractor else {}
    if values.get("existing_id_suffix"):
        values["existing_id_suffix"] = f"{values['existing_id_suffix']})"
    return values


def extract_parameters(
    category: str,
    message: str,
    *,
    error_code: str | None = None,
    provider: str | None = None,
    http_status: int | None = None,
) -> dict[str, str]:
    """Return the fix-template values found for ``category``; absent values are left out."""
    values: dict[str, str | None] = {"provider": provider_display_name(provider)}
    values.update(_category_values(category, message, error_code, provider, http_status))
    if category in ("validation_error", "mapping_error") and not values.get("step"):
        step = _STEP.search(message)
        values["step"] = step.group("step") if step else None
    return {key: value for key, value in values.items() if value}
