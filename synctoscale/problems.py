"""Turn pydantic validation errors into the API's ``{field, problem, type}`` entries.

pydantic words its errors for Python: it writes "dictionary" where JSON has an object, and it
puts the member of a union that it tried (``constrained-str``, ``FieldObject``) or the tag of a
discriminated union in the location. A client sent JSON, so each entry names the field as it
appears in the body and states the problem in JSON terms.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidatorFunctionWrapHandler, WrapValidator
from pydantic_core import PydanticCustomError

__all__ = [
    "accepted_forms",
    "describe_errors",
    "field_path",
    "join_words",
    "problem_text",
    "unknown_field_problem",
]

_SOURCES = ("body", "query", "path", "header", "cookie")
_MISSING = frozenset({"missing", "missing_argument", "missing_keyword_only_argument"})

# A union member's label as pydantic writes it, such as ``dict[str,list[any]]``. The pattern
# recognises labels in the part of a location that cannot be compared with the input.
_UNION_MEMBER = re.compile(r"^[\w-]+\[.*\]$")

# JSON numbers as RFC 8259, section 6 defines them, and the integers among them.
_JSON_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_JSON_INTEGER = re.compile(r"-?(?:0|[1-9][0-9]*)")

_KIND_OF_LABEL = {
    "str": "string",
    "constrained-str": "string",
    "int": "number",
    "constrained-int": "number",
    "float": "number",
    "constrained-float": "number",
    "decimal": "number",
    "bool": "boolean",
    "dict": "object",
    "typed-dict": "object",
    "model": "object",
    "dataclass": "object",
    "list": "array",
    "tuple": "array",
    "set": "array",
    "frozenset": "array",
    "none": "null",
}
_KIND_NAMES = {
    "object": "a JSON object",
    "array": "a JSON array",
    "string": "a string",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
}
_EXPECTED_KIND = {
    "dict_type": "object",
    "model_type": "object",
    "model_attributes_type": "object",
    "dataclass_type": "object",
    "list_type": "array",
    "tuple_type": "array",
    "set_type": "array",
    "frozen_set_type": "array",
    "string_type": "string",
    "int_type": "integer",
    "int_parsing": "integer",
    "float_type": "number",
    "float_parsing": "number",
    "bool_type": "boolean",
    "bool_parsing": "boolean",
}
# pydantic's errors for text that is not a date or date-time, and the form each field takes.
_TIME_FORMS = {
    "datetime_parsing": "an ISO 8601 date-time such as 2025-12-01T09:00:00Z",
    "datetime_from_date_parsing": "an ISO 8601 date-time such as 2025-12-01T09:00:00Z",
    "date_parsing": "an ISO 8601 date such as 2025-12-01",
    "date_from_datetime_parsing": "an ISO 8601 date such as 2025-12-01",
}


def describe_errors(errors: Iterable[Mapping[str, Any]], body: Any = None) -> list[dict[str, Any]]:
    """Return one ``{field, problem, type}`` entry per distinct problem, in pydantic's order.

    ``body`` is the parsed JSON the errors are about. With it, location segments that are not
    in the body (union members, discriminator tags) are left out of ``field``, and of a union's
    members only those of the JSON type that was sent report their problems.
    """
    located = [_locate(error, body) for error in errors]
    details: list[dict[str, Any]] = []
    for entry in _merge_union_members(located):
        if entry not in details:
            details.append(entry)
    return details


def problem_text(error: Mapping[str, Any]) -> str:
    """Describe one pydantic error's problem in JSON terms, without its location."""
    error_type = error.get("type", "")
    message = str(error.get("msg", "invalid value"))
    if error_type == "value_error":
        return message.removeprefix("Value error, ")
    if error_type == "extra_forbidden":
        return unknown_field_problem(error)
    if error_type in ("too_short", "too_long"):
        return _length_problem(error)
    if error_type in _TIME_FORMS:
        # pydantic's message gives where the parse stopped ("input is too short"), not what to send.
        reason = message.rpartition(", ")[2]
        return f"is not a valid date or date-time ({reason}); send {_TIME_FORMS[error_type]}"

    expected = _EXPECTED_KIND.get(error_type)
    # pydantic's own type errors start with "Input should be". A message that a model's
    # validator wrote is kept as it is.
    if expected is None or not message.startswith("Input should be"):
        return message
    value = error.get("input")
    name = "an integer" if expected == "integer" else _KIND_NAMES[expected]
    problem = f"Input should be {name}, not {_KIND_NAMES[json_kind(value)]}"
    pattern = {"integer": _JSON_INTEGER, "number": _JSON_NUMBER}.get(expected)
    if pattern is not None and isinstance(value, str) and pattern.fullmatch(value):
        # A quoted number such as "50" is the right value sent as the wrong JSON type.
        return f"{problem}. Send it as a JSON number, without quotes"
    return problem


def unknown_field_problem(
    error: Mapping[str, Any], owner: str = "", fields: Sequence[str] = ()
) -> str:
    """Describe an ``extra_forbidden`` error.

    With ``fields``, the text lists the fields that ``owner`` takes instead.
    """
    location = error.get("loc") or ("?",)
    problem = f"unknown field '{location[-1]}'"
    if fields:
        return f"{problem}; {owner} takes {', '.join(fields)}"
    return f"{problem}; check its spelling or remove it"


def _length_problem(error: Mapping[str, Any]) -> str:
    """Describe ``too_short`` or ``too_long`` as the count a field needs ("at least 1 step")."""
    context = error.get("ctx") or {}
    too_short = error.get("type") == "too_short"
    limit = int(context.get("min_length" if too_short else "max_length", 0))
    actual = int(context.get("actual_length", 0))
    if context.get("field_type") == "Dictionary":
        unit = "key"
    elif isinstance(error.get("input"), str):
        # A string whose max_length pydantic checks after a validator gets the generic
        # too_long error, which counts its characters as "items".
        unit = "character"
    else:
        names = [part for part in error.get("loc", ()) if isinstance(part, str)]
        unit = _singular(names[-1]) if names else "item"
    noun = unit if limit == 1 else f"{unit}s"
    verb = "is" if limit == 1 else "are"
    bound, outcome = ("at least", "required") if too_short else ("at most", "allowed")
    problem = f"{bound} {limit} {noun} {verb} {outcome}"
    return f"{problem}, not {actual}" if actual else problem


def _singular(name: str) -> str:
    """Return the singular of a plain plural field name (``steps`` -> ``step``), else "item"."""
    if not name.isalpha() or not name.islower() or not name.endswith("s") or name.endswith("ss"):
        return "item"
    if name.endswith("ies"):
        return f"{name[:-3]}y"
    return name[:-1]


def field_path(parts: Sequence[Any]) -> str:
    """Join location parts into ``a.b[0].c``.

    A key that contains ``.`` or ``[`` is written as a JSON string in brackets: ``["a.b"]``.
    """
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        elif "." in str(part) or "[" in str(part):
            text += f"[{json.dumps(str(part))}]"
        elif text:
            text += f".{part}"
        else:
            text = str(part)
    return text


def join_words(words: Sequence[str], conjunction: str) -> str:
    """Join ``a, b or c`` (``conjunction`` is "or") or ``a, b and c``."""
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def json_kind(value: Any) -> str:
    """Return the JSON type of a parsed value: object, array, string, number, boolean or null."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list | tuple):
        return "array"
    return "object"


def accepted_forms(forms: str, *types: type) -> WrapValidator:
    """Return a validator that rejects a value of none of ``types`` with one problem.

    The problem names the accepted ``forms``. Put the validator on a union, where pydantic
    would otherwise report one problem per member.
    """

    def check(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        if not isinstance(value, types):
            raise PydanticCustomError(
                "union_type",
                "Input should be {forms}, not {got}",
                {"forms": forms, "got": _KIND_NAMES[json_kind(value)]},
            )
        return handler(value)

    return WrapValidator(check)


@dataclass
class _Located:
    """One error, with its location in the body and the union members it went through."""

    error: Mapping[str, Any]
    parts: list[Any] = field(default_factory=list)
    # The first union member in the location: (parts before it, its label, the input there).
    member: tuple[tuple[Any, ...], str, Any] | None = None


def _locate(error: Mapping[str, Any], body: Any) -> _Located:
    """Split an error's location into its path in the body and the first union member."""
    location = list(error.get("loc", ()))
    source = location.pop(0) if location and location[0] in _SOURCES else "body"
    located = _Located(error)
    if error.get("type") == "json_invalid":
        return located
    if source == "query":
        # A query parameter is named by its name alone: "?status=done" is not "status[0]",
        # even when the endpoint reads the parameter as a list.
        located.parts = [part for part in location if not isinstance(part, int)]
        return located

    current, known = body, source == "body" and body is not None
    for index, part in enumerate(location):
        if known and _contains(current, part):
            located.parts.append(part)
            current = current[part]
            continue
        last_and_missing = index == len(location) - 1 and error.get("type") in _MISSING
        if not last_and_missing and (known or _UNION_MEMBER.match(str(part))):
            if located.member is None and known:
                located.member = (tuple(located.parts), str(part), current)
            continue
        located.parts.append(part)
        known = False
    return located


def _contains(container: Any, part: Any) -> bool:
    if isinstance(container, dict):
        return isinstance(part, str) and part in container
    if isinstance(container, list):
        return isinstance(part, int) and 0 <= part < len(container)
    return False


def _merge_union_members(located: list[_Located]) -> list[dict[str, Any]]:
    """Keep the problems of union members that take the JSON type sent, or merge them all.

    A union whose members all fail reports each member's problem, such as "should be a valid
    dictionary" and "should be a valid list" for one field. When some members take the JSON
    type of the input, only their problems are kept. When none does, one problem lists the
    types that the members take.
    """
    labels: dict[tuple[Any, ...], set[str]] = {}
    for item in located:
        if item.member is not None:
            labels.setdefault(item.member[0], set()).add(item.member[1])

    entries: list[dict[str, Any]] = []
    for item in located:
        if item.member is None or len(labels[item.member[0]]) < 2:
            entries.append(_entry(item))
            continue
        prefix, label, value = item.member
        kinds = {name: _label_kind(name) for name in labels[prefix]}
        if None in kinds.values():
            entries.append(_entry(item))
        elif json_kind(value) in kinds.values():
            if kinds[label] == json_kind(value):
                entries.append(_entry(item))
        else:
            entries.append(_union_entry(prefix, kinds, value))
    return entries


def _label_kind(label: str) -> str | None:
    base = label.split("[", 1)[0]
    if base in _KIND_OF_LABEL:
        return _KIND_OF_LABEL[base]
    if base[:1].isupper():  # a model's class name
        return "object"
    return None


def _union_entry(
    prefix: tuple[Any, ...], kinds: dict[str, str | None], value: Any
) -> dict[str, Any]:
    names = sorted({_KIND_NAMES[kind] for kind in kinds.values() if kind is not None})
    problem = f"Input should be {join_words(names, 'or')}, not {_KIND_NAMES[json_kind(value)]}"
    return {"field": field_path(prefix), "problem": problem, "type": "union_type"}


def _entry(item: _Located) -> dict[str, Any]:
    error = item.error
    error_type = str(error.get("type", ""))
    context = error.get("ctx") or {}
    path = field_path(item.parts)

    if error_type == "json_invalid":
        position = next(iter(error.get("loc", ())[1:]), 0)
        problem = f"{context.get('error', 'invalid JSON')} at character {position}"
        return {"field": "", "problem": problem, "type": error_type}
    if error_type in ("union_tag_invalid", "union_tag_not_found"):
        return _tag_entry(item.parts, error_type, context)
    return {"field": path, "problem": problem_text(error), "type": error_type}


def _tag_entry(parts: list[Any], error_type: str, context: Mapping[str, Any]) -> dict[str, Any]:
    """Build the entry for a discriminated union's tag, at its field such as ``trigger.type``."""
    discriminator = str(context.get("discriminator", "")).strip("'")
    path = (
        field_path([*parts, discriminator]) if discriminator.isidentifier() else field_path(parts)
    )
    if error_type == "union_tag_not_found":
        return {"field": path, "problem": "Field required", "type": error_type}

    noun = next((str(part) for part in reversed(parts) if isinstance(part, str)), "")
    kind = f"{noun} {discriminator}".strip()
    tags = re.findall(r"'([^']*)'", str(context.get("expected_tags", "")))
    problem = f"'{context.get('tag')}' is not a {kind}; use {join_words(tags, 'or')}"
    return {"field": path, "problem": problem, "type": error_type}
