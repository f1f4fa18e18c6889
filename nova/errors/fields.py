"""Find the field a validation error names, and the rule it broke.

Each pattern below finds candidates by their place in the message. A candidate counts only
when it reads as a name (see ``words``): "a request parameter has an invalid value" names no
field, and in "'ABC123' is not a valid ID value" the quoted token is the value.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from nova.errors.words import is_function_word, is_identifier, is_resource_word, looks_like_value

__all__ = ["QUOTE", "validation_values"]

QUOTE = r"['\"‘’“”`]"
"""A character that opens or closes a quoted name: straight, curly or back quotes."""

# A name as messages write it: email, start_date, emails[0].value, enable_4.0.
_NAME = r"[\w$]+(?:\[\d*\])*(?:\.[\w$]+(?:\[\d*\])*)*"
# Start of a name: no name character before it. Patterns that begin with a name use it, so a
# long unbroken word is scanned once instead of once from each of its characters.
_NAME_START = r"(?<![\w$.\]])"
# Length of the text after a candidate that the checks read. Slicing the whole rest of a long
# message for every candidate would copy it again and again.
_FOLLOWING_CHARS = 200
_NOUN = r"(?:field|property|parameter|argument|column|attribute)"


@dataclass(frozen=True)
class _Candidate:
    """A word or quoted token that a pattern found where a message may name a field."""

    name: str
    quoted: bool
    following: str
    """The message text right after the candidate."""


def _candidates(pattern: re.Pattern[str], message: str) -> Iterator[_Candidate]:
    for match in pattern.finditer(message):
        quoted = bool(match.groupdict().get("quote"))
        following = message[match.end() : match.end() + _FOLLOWING_CHARS]
        yield _Candidate(match.group("field"), quoted, following)


# Words after an unquoted plain word that make it the subject, as in "field email is required"
# or "parameter scope 'User.Read offline' is invalid".
_PREDICATE = re.compile(
    rf"\s*(?:{QUOTE}|\s(?:is|are|was|were|must|should|cannot|can't|does|did|has|have"
    r"|contains|exceeds|needs|requires|expects)\b)",
    re.IGNORECASE,
)
# Type names: "The parameter string is too long" describes the value, not a field "string".
_TYPE_WORDS = frozenset({"array", "boolean", "integer", "number", "object", "string"})
# Exception class names that a stack trace puts before a colon: Error, RefreshError.
_EXCEPTION_NAME = re.compile(r"\w*(?:error|exception)", re.IGNORECASE)


def _is_named_field(candidate: _Candidate) -> bool:
    """Accept a quoted name, an identifier, or a plain word followed by what it does."""
    # NOTE: a plain word with no verb after it is dropped, so "Invalid parameter limit" gives
    # the generic fix. "Invalid parameter format." reads the same way and names no field.
    name = candidate.name
    if is_function_word(name) or looks_like_value(name):
        return False
    if candidate.quoted or is_identifier(name):
        return True
    if name.lower() in _TYPE_WORDS or not is_resource_word(name):
        return False
    return _PREDICATE.match(candidate.following) is not None


def _is_plain_name(candidate: _Candidate) -> bool:
    name = candidate.name
    if is_function_word(name) or looks_like_value(name):
        return False
    return candidate.quoted or (name.lower() not in _TYPE_WORDS and is_resource_word(name))


def _is_subject(candidate: _Candidate) -> bool:
    """Accept the word before "name: rule" unless it is an exception class or grammar."""
    name = candidate.name
    return not (is_function_word(name) or _EXCEPTION_NAME.fullmatch(name))


def _is_identifier(candidate: _Candidate) -> bool:
    return is_identifier(candidate.name) and not looks_like_value(candidate.name)


def _is_name(candidate: _Candidate) -> bool:
    return not is_function_word(candidate.name) and not looks_like_value(candidate.name)


_FIELD_PATTERNS: tuple[tuple[re.Pattern[str], Callable[[_Candidate], bool]], ...] = (
    # Slack: "Value passed for channel was invalid."
    (re.compile(r"value passed for (?P<field>\w+)", re.IGNORECASE), _is_name),
    # "Invalid value for field email": after "for", the word that follows the noun is its name.
    (
        re.compile(
            rf"\bfor (?:the )?{_NOUN}\s+(?P<quote>{QUOTE})?(?P<field>{_NAME})(?(quote){QUOTE})",
            re.IGNORECASE,
        ),
        _is_plain_name,
    ),
    # "Invalid value for field 'start_date'", "property named 'isJunk'". "Property values were
    # not valid" names no property, so "value(s)" is not a field.
    (
        re.compile(
            rf"{_NOUN}\s+(?:named\s+|called\s+|name\s*:?\s*)?(?P<quote>{QUOTE})?"
            rf"(?!values?\b)(?P<field>{_NAME})(?(quote){QUOTE})",
            re.IGNORECASE,
        ),
        _is_named_field,
    ),
    # "The as_user parameter does not function", "max_tokens parameter must be less".
    (re.compile(rf"{_NAME_START}(?P<field>{_NAME})\s+{_NOUN}\b", re.IGNORECASE), _is_identifier),
    (
        re.compile(
            rf"{_NAME_START}(?P<field>[A-Za-z_]\w*):\s+"
            r"(?:is required|does not match|must|is invalid|is not valid)",
            re.IGNORECASE,
        ),
        _is_subject,
    ),
    # "'emial' is not a valid field". Before other nouns the quoted token is a value:
    # "'ABC123' is not a valid ID value", "'To' is not a valid phone number".
    (
        re.compile(
            rf"(?P<quote>{QUOTE})(?P<field>{_NAME}){QUOTE}\s+is not a valid\s+{_NOUN}\b",
            re.IGNORECASE,
        ),
        _is_name,
    ),
    # Workday: "'ABC123' is not a valid ID value for type Organization_Reference_ID".
    (
        re.compile(
            rf"is not a valid\b[^.;]{{0,40}}?\bfor (?:type|{_NOUN})\s+"
            rf"(?P<quote>{QUOTE})?(?P<field>{_NAME})",
            re.IGNORECASE,
        ),
        _is_named_field,
    ),
    (re.compile(r"\"name\":\s*\"(?P<field>\w+)\""), _is_name),
    (re.compile(r"propertyName\W+(?P<field>\w+)"), _is_name),
)
# A JSON object with no object inside, such as one entry of a provider's list of field errors.
_FLAT_JSON_OBJECT = re.compile(r"\{[^{}]*\}")
# "Unhandled rejection Error: Must provide source or customer." states the rule, no field.
_EXCEPTION_RULE = re.compile(
    r"(?<!\w)\w*(?:Error|Exception):\s+(?P<rule>must\s[^.;]+)", re.IGNORECASE
)


def validation_values(message: str) -> dict[str, str | None]:
    """Return the field a validation error names and its rule, or None for each not found."""
    field_error = _field_error(message)
    if field_error is not None:
        return {"field": field_error[0], "constraint": field_error[1]}
    field_name = _field(message)
    if field_name is None:
        rule = _EXCEPTION_RULE.search(message)
        return {"field": None, "constraint": rule.group("rule").strip() if rule else None}
    return {"field": field_name, "constraint": _constraint(message, field_name)}


def _field_error(message: str) -> tuple[str, str | None] | None:
    """Return the field name and rule of the first JSON field error in ``message``.

    HubSpot puts its field errors in the message as a JSON array (``Property values were not
    valid: [{"name": "email", "message": "Email address … is invalid", …}]``), and a message
    pasted from the raw response body has those quotes escaped. Salesforce's
    ``{"name": "API_DISABLED_FOR_ORG", "errorCode": ...}`` names an error code, not a field.
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
        if name is not None and not looks_like_value(name) and not is_function_word(name):
            rule = item.get("message")
            return name, rule if isinstance(rule, str) and rule else None
    return None


def _field(message: str) -> str | None:
    for pattern, accept in _FIELD_PATTERNS:
        for candidate in _candidates(pattern, message):
            if accept(candidate):
                return candidate.name
    return None


def _constraint(message: str, field_name: str) -> str | None:
    match = re.search(rf"{re.escape(field_name)}\W*:\s*(?P<rule>[^.;\]\"]+)", message)
    return match.group("rule").strip() if match else None
