"""Parse an ``expected_schema`` (compact, long form or JSON Schema) into field specs.

Compact: ``{"first_name": "string", "note": "string?", "emails": ["email"],
"address": {"zip": "string"}}``. Long form: ``{"type": "date", "format": "DD/MM/YYYY",
"required": false, "nullable": true, "enum": [...], "minimum": ..., "maximum": ...,
"min_length": ..., "max_length": ..., "pattern": ..., "null_tokens": [...],
"decimal_comma": true}``; ``{"type": "array", "items": ...}`` and
``{"type": "object", "fields": {...}}`` spell out arrays and nested objects.

A dict with a ``type`` key is read as long form only when ``type`` names a type and every
other key is a long-form key, so a nested object may have a field called ``type`` (as SCIM's
``emails`` items do). A schema with ``$schema``, or ``type: object`` with ``properties``, is
JSON Schema and is checked by jsonschema.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

import jsonschema
import jsonschema.validators

from mapkit.dates import is_canonical_date, is_canonical_datetime, is_canonical_time
from mapkit.errors import SchemaError
from mapkit.formats import DateFormat, FormatError, parse_format
from mapkit.jsonschema_refs import check_refs
from mapkit.paths import join_index, join_key

__all__ = [
    "SCALAR_TYPES",
    "ArraySpec",
    "JsonSchemaSpec",
    "ObjectSpec",
    "ScalarSpec",
    "Spec",
    "is_json_schema",
    "parse_schema",
    "parse_type_spec",
]

SCALAR_TYPES: Final = ("string", "integer", "number", "boolean", "date", "datetime", "time",
                       "email", "phone", "url", "uuid", "any")

LONG_FORM_KEYS: Final = frozenset({
    "type", "format", "required", "nullable", "enum", "minimum", "maximum", "min_length",
    "max_length", "pattern", "items", "fields", "null_tokens", "decimal_comma", "description",
})

_EXPECTED: Final = {
    "string": "string",
    "integer": "integer",
    "number": "number",
    "boolean": "boolean (true or false)",
    "date": "YYYY-MM-DD",
    "datetime": "YYYY-MM-DDTHH:mm:ssZ (ISO 8601 with a UTC offset)",
    "time": "HH:mm:ss",
    "email": "email address",
    "phone": "E.164 phone number such as +12015550143",
    "url": "absolute URL",
    "uuid": "UUID such as 123e4567-e89b-12d3-a456-426614174000",
    "any": "any value",
}

_FORMAT_TYPES: Final = frozenset({"date", "datetime", "time"})
_LENGTH_TYPES: Final = frozenset({"string", "email", "url"})
_NUMBER_TYPES: Final = frozenset({"integer", "number"})
_ORDERED_TYPES: Final = frozenset({"integer", "number", "date", "datetime", "time"})


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Spec:
    """Spec of one field. ``null_tokens`` None means the options' tokens apply."""

    required: bool = True
    nullable: bool = False
    null_tokens: frozenset[str] | None = None


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class ScalarSpec(Spec):
    """A field holding one value of a scalar type, with optional format and constraints."""

    type: str
    format: DateFormat | None = None
    enum: tuple[Any, ...] | None = None
    minimum: Any = None
    maximum: Any = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: re.Pattern[str] | None = None
    decimal_comma: bool | None = None

    @property
    def expected(self) -> str:
        """What passes, in words a person reads: ``YYYY-MM-DD``, ``integer``, ``one of: a, b``."""
        if self.enum is not None:
            return "one of: " + ", ".join(str(member) for member in self.enum)
        if self.format is not None:
            return self.format.expected
        return _EXPECTED[self.type]


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class ObjectSpec(Spec):
    """A nested object with named fields."""

    fields: dict[str, Spec] = field(default_factory=dict)

    @property
    def expected(self) -> str:
        """What passes, in words a person reads."""
        return "object"


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class ArraySpec(Spec):
    """An array whose items all match one spec."""

    items: Spec
    min_length: int | None = None
    max_length: int | None = None

    @property
    def expected(self) -> str:
        """What passes, in words a person reads."""
        return f"array of {_describe(self.items)}"


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class JsonSchemaSpec(Spec):
    """A full JSON Schema, checked by jsonschema with the validator its ``$schema`` names."""

    schema: dict[str, Any]


def _describe(spec: Spec) -> str:
    return spec.expected if isinstance(spec, ScalarSpec | ObjectSpec | ArraySpec) else "value"


def is_json_schema(schema: Mapping[str, Any]) -> bool:
    """Tell whether a schema is JSON Schema rather than mapkit's compact form."""
    return "$schema" in schema or (schema.get("type") == "object" and "properties" in schema)


def parse_schema(schema: Any) -> ObjectSpec | JsonSchemaSpec:
    """Parse a whole ``expected_schema``, raising :class:`SchemaError` when it is invalid."""
    if not isinstance(schema, Mapping):
        raise SchemaError("", f"is {_kind(schema)}, not an object",
                          'Pass an object mapping field names to types, such as {"email": "email"}')
    if is_json_schema(schema):
        return _parse_json_schema(dict(schema))
    if schema.get("type") == "object" and "fields" in schema and set(schema) <= LONG_FORM_KEYS:
        spec = _parse_long_form(schema, "")
        assert isinstance(spec, ObjectSpec)
        return spec
    if schema.get("type") == "object":
        # "object" is no compact type name, so this is a JSON Schema without "properties".
        raise SchemaError("type", "is 'object', but the schema has no \"$schema\" or "
                                  "\"properties\", so it reads as the compact form",
                          'Add "$schema": "https://json-schema.org/draft/2020-12/schema" to '
                          "validate it as JSON Schema")
    return _parse_fields(schema, "")


def parse_type_spec(type_spec: Any) -> Spec:
    """Parse the spec of one value, as ``coerce`` takes it: ``"date"``, ``{"type": ...}``."""
    return _parse(type_spec, "")


def _parse(node: Any, path: str) -> Spec:
    if isinstance(node, str):
        return _parse_type_name(node, path)
    if isinstance(node, list):
        if len(node) != 1:
            raise SchemaError(path, f"is a list of {len(node)} entries",
                              'Write an array as a list of one item spec, such as ["email"]')
        return ArraySpec(items=_parse(node[0], join_index(path, "")))
    if isinstance(node, Mapping):
        if _looks_like_long_form(node):
            return _parse_long_form(node, path)
        return _parse_fields(node, path)
    raise SchemaError(path, f"is {_kind(node)}",
                      'Give a type name such as "string", a long form {"type": ...}, '
                      "a nested object or a one-item list")


def _looks_like_long_form(node: Mapping[str, Any]) -> bool:
    type_name = node.get("type")
    if not isinstance(type_name, str):
        return False
    if set(node) <= LONG_FORM_KEYS:
        return True
    unknown = [key for key in node if key not in LONG_FORM_KEYS]
    # A typo in a long-form key ("fromat") is an error, not a nested object.
    return any(difflib.get_close_matches(key, LONG_FORM_KEYS, n=1, cutoff=0.75) for key in unknown)


def _parse_fields(node: Mapping[str, Any], path: str) -> ObjectSpec:
    fields: dict[str, Spec] = {}
    for key, value in node.items():
        if not isinstance(key, str):
            raise SchemaError(path, f"has the key {key!r}, which is not a string",
                              "Use strings as field names")
        fields[key] = _parse(value, join_key(path, key))
    return ObjectSpec(fields=fields)


def _parse_type_name(text: str, path: str) -> Spec:
    name, optional = (text[:-1], True) if text.endswith("?") else (text, False)
    if name not in SCALAR_TYPES:
        close = difflib.get_close_matches(name, SCALAR_TYPES, n=1)
        hint = f'Did you mean "{close[0]}"? ' if close else ""
        raise SchemaError(path, f"has the unknown type name {text!r}",
                          f"{hint}Use one of: {', '.join(SCALAR_TYPES)}, with ? for optional")
    return ScalarSpec(type=name, required=not optional, nullable=optional)


def _parse_long_form(node: Mapping[str, Any], path: str) -> Spec:
    unknown = sorted(key for key in node if key not in LONG_FORM_KEYS)
    if unknown:
        close = difflib.get_close_matches(unknown[0], LONG_FORM_KEYS, n=1, cutoff=0.6)
        hint = f'Did you mean "{close[0]}"? ' if close else ""
        raise SchemaError(path, f"has the unknown long-form key {unknown[0]!r}",
                          f"{hint}The keys are: {', '.join(sorted(LONG_FORM_KEYS))}")

    type_text = node["type"]
    name = type_text[:-1] if type_text.endswith("?") else type_text
    optional = type_text.endswith("?")
    common = {
        "required": _boolean(node, "required", path, default=not optional),
        "nullable": _boolean(node, "nullable", path, default=optional),
        "null_tokens": _tokens(node, path),
    }
    if name == "array":
        return _parse_array(node, path, common)
    if name == "object":
        return _parse_object(node, path, common)
    base = _parse_type_name(name, path)
    assert isinstance(base, ScalarSpec)
    return _parse_scalar(node, path, base.type, common)


def _parse_array(node: Mapping[str, Any], path: str, common: dict[str, Any]) -> ArraySpec:
    _reject_keys(node, path, "array", allowed={"items", "min_length", "max_length"})
    if "items" not in node:
        raise SchemaError(path, "is an array without items",
                          'Add "items", such as {"type": "array", "items": "email"}')
    return ArraySpec(
        items=_parse(node["items"], join_index(path, "")),
        min_length=_length(node, "min_length", path),
        max_length=_length(node, "max_length", path),
        **common,
    )


def _parse_object(node: Mapping[str, Any], path: str, common: dict[str, Any]) -> ObjectSpec:
    _reject_keys(node, path, "object", allowed={"fields"})
    fields = node.get("fields")
    if not isinstance(fields, Mapping):
        raise SchemaError(path, "is an object without fields",
                          'Add "fields", such as {"type": "object", "fields": {"zip": "string"}}')
    return ObjectSpec(fields=_parse_fields(fields, path).fields, **common)


def _parse_scalar(node: Mapping[str, Any], path: str, type_name: str,
                  common: dict[str, Any]) -> ScalarSpec:
    _reject_keys(node, path, type_name, allowed=_allowed_keys(type_name))
    spec = ScalarSpec(
        type=type_name,
        format=_format(node, path, type_name),
        minimum=_bound(node, "minimum", path, type_name),
        maximum=_bound(node, "maximum", path, type_name),
        min_length=_length(node, "min_length", path),
        max_length=_length(node, "max_length", path),
        pattern=_pattern(node, path),
        decimal_comma=_optional_boolean(node, "decimal_comma", path),
        **common,
    )
    if "enum" in node:
        spec = _with_enum(spec, node["enum"], path)
    return spec


def _allowed_keys(type_name: str) -> set[str]:
    allowed = {"enum"}
    if type_name in _FORMAT_TYPES:
        allowed.add("format")
    if type_name in _ORDERED_TYPES:
        allowed |= {"minimum", "maximum"}
    if type_name in _LENGTH_TYPES:
        allowed |= {"min_length", "max_length", "pattern"}
    if type_name in _NUMBER_TYPES:
        allowed.add("decimal_comma")
    return allowed


_COMMON_KEYS: Final = frozenset({"type", "required", "nullable", "null_tokens", "description"})


def _reject_keys(node: Mapping[str, Any], path: str, type_name: str, allowed: set[str]) -> None:
    for key in node:
        if key not in _COMMON_KEYS and key not in allowed:
            raise SchemaError(path, f"has {key!r}, which does not apply to type {type_name}",
                              f"Remove {key!r}, or change the type")


def _boolean(node: Mapping[str, Any], key: str, path: str, *, default: bool) -> bool:
    value = _optional_boolean(node, key, path)
    return default if value is None else value


def _optional_boolean(node: Mapping[str, Any], key: str, path: str) -> bool | None:
    value = node.get(key)
    if value is not None and not isinstance(value, bool):
        raise SchemaError(path, f"has {key}={value!r}, which is not true or false",
                          f"Write {key} as true or false")
    return value


def _tokens(node: Mapping[str, Any], path: str) -> frozenset[str] | None:
    tokens = node.get("null_tokens")
    if tokens is None:
        return None
    if not isinstance(tokens, list) or not all(isinstance(token, str) for token in tokens):
        raise SchemaError(path, "has null_tokens that are not a list of strings",
                          'Write null_tokens as a list such as ["", "N/A"]')
    return frozenset(token.strip() for token in tokens)


def _format(node: Mapping[str, Any], path: str, type_name: str) -> DateFormat | None:
    text = node.get("format")
    if text is None:
        return None
    if not isinstance(text, str):
        raise SchemaError(path, f"has the format {text!r}, which is not a string",
                          'Write the format as a string such as "DD/MM/YYYY"')
    try:
        parsed = parse_format(text)
    except FormatError as error:
        raise SchemaError(path, f"has the format {text!r}, in which {error.reason}",
                          error.fix) from error
    _check_format_kind(parsed, path, type_name)
    return parsed


def _check_format_kind(parsed: DateFormat, path: str, type_name: str) -> None:
    if parsed.kind == "numeric":
        if type_name == "time" or (type_name == "datetime" and parsed.text == "excel_serial"):
            raise SchemaError(path, f"uses {parsed.text} with type {type_name}",
                              "Use excel_serial with type date, and unix_seconds or "
                              "unix_milliseconds with type date or datetime")
        return
    if parsed.kind != type_name:
        raise SchemaError(path,
                          f"has the {parsed.kind} format {parsed.text!r} on a {type_name} field",
                          f"Use a {type_name} format, or change the type to {parsed.kind}")


def _bound(node: Mapping[str, Any], key: str, path: str, type_name: str) -> Any:
    value = node.get(key)
    if value is None:
        return None
    checks: dict[str, Callable[[Any], bool]] = {
        "integer": _is_finite_number,
        "number": _is_finite_number,
        "date": is_canonical_date,
        "datetime": is_canonical_datetime,
        "time": is_canonical_time,
    }
    if not checks[type_name](value):
        example = {"date": '"2025-01-31"', "datetime": '"2025-01-31T09:00:00Z"',
                   "time": '"09:00:00"'}.get(type_name, "0")
        raise SchemaError(path, f"has {key}={value!r}, which is not a valid bound for type "
                          f"{type_name}",
                          f"Write {key} in the field's canonical form, such as {example}")
    return value


def _is_finite_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _length(node: Mapping[str, Any], key: str, path: str) -> int | None:
    value = node.get(key)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise SchemaError(path, f"has {key}={value!r}, which is not a count",
                          f"Write {key} as a whole number of 0 or more")
    return value


def _pattern(node: Mapping[str, Any], path: str) -> re.Pattern[str] | None:
    text = node.get("pattern")
    if text is None:
        return None
    if not isinstance(text, str):
        raise SchemaError(path, f"has the pattern {text!r}, which is not a string",
                          "Write the pattern as a regular expression string")
    try:
        return re.compile(text)
    except re.error as error:
        raise SchemaError(path, f"has a pattern that is not a valid regular expression ({error})",
                          "Fix the regular expression (Python re syntax)") from error


def _with_enum(spec: ScalarSpec, members: Any, path: str) -> ScalarSpec:
    # Imported here because mapkit.types imports this module.
    from mapkit.types import is_canonical

    if not isinstance(members, list) or not members:
        raise SchemaError(path, "has an enum that is not a non-empty list",
                          'Write enum as a list such as ["active", "terminated"]')
    for member in members:
        if not is_canonical(member, spec.type):
            raise SchemaError(path, f"has the enum value {member!r}, which is not a canonical "
                              f"{spec.type}", f"Write every enum value as a {spec.type}")
    return ScalarSpec(**{**_fields_of(spec), "enum": tuple(members)})


def _fields_of(spec: ScalarSpec) -> dict[str, Any]:
    return {name: getattr(spec, name) for name in ScalarSpec.__dataclass_fields__}


def _parse_json_schema(schema: dict[str, Any]) -> JsonSchemaSpec:
    validator_class = jsonschema.validators.validator_for(
        schema, default=jsonschema.Draft202012Validator)
    try:
        validator_class.check_schema(schema)
    except jsonschema.SchemaError as error:
        location = ""
        for part in error.absolute_path:
            location = join_index(location, part) if isinstance(part, int) else join_key(
                location, str(part))
        raise SchemaError(location, f"is not valid JSON Schema: {error.message}",
                          "Fix the schema so that it passes the JSON Schema meta-schema") from error
    check_refs(schema, validator_class.META_SCHEMA)
    return JsonSchemaSpec(schema=schema)


def _kind(value: Any) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean",
             int: "a number", float: "a number", type(None): "null"}
    return names.get(type(value), type(value).__name__)
