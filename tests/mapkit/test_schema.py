"""Schema parsing: compact and long forms, and SchemaError for schemas mapkit cannot use."""

from __future__ import annotations

from typing import Any

import pytest

import mapkit
from mapkit.schema import ArraySpec, JsonSchemaSpec, ObjectSpec, ScalarSpec, parse_schema

SCHEMA_ERRORS = [
    ({"a": "dat"}, "a", "unknown type name", 'Did you mean "date"'),
    ({"a": "int"}, "a", "unknown type name", 'Did you mean "integer"'),
    (
        {"a": {"type": "date", "fromat": "DD/MM/YYYY"}},
        "a",
        "unknown long-form key",
        'Did you mean "format"',
    ),
    ({"a": {"type": "date", "format": "YYY-MM-DD"}}, "a", "not a date-format token", "tokens"),
    (
        {"a": {"type": "date", "format": "DD/MM/YYYY HH:mm"}},
        "a",
        "datetime format",
        "change the type",
    ),
    ({"a": {"type": "string", "format": "DD/MM/YYYY"}}, "a", "does not apply", "Remove"),
    ({"a": {"type": "datetime", "format": "excel_serial"}}, "a", "excel_serial", "type date"),
    ({"a": {"type": "integer", "minimum": "zero"}}, "a", "not a valid bound", "canonical"),
    ({"a": {"type": "string", "min_length": -1}}, "a", "not a count", "whole number"),
    ({"a": {"type": "string", "pattern": "("}}, "a", "not a valid regular expression", "Fix"),
    ({"a": {"type": "string", "enum": []}}, "a", "non-empty list", "enum"),
    ({"a": {"type": "integer", "enum": ["x"]}}, "a", "not a canonical integer", "enum"),
    ({"a": {"type": "date", "nullable": "yes"}}, "a", "not true or false", "true or false"),
    ({"a": {"type": "array"}}, "a", "array without items", "items"),
    ({"a": ["string", "integer"]}, "a", "list of 2 entries", "one item"),
    ({"a": 42}, "a", "is a number", "type name"),
    ({"a": {"b": {"c": "strng"}}}, "a.b.c", "unknown type name", "string"),
    ({"a": [{"b": "nope"}]}, "a[].b", "unknown type name", "Use one of"),
    ({"x.y": "nope"}, '["x.y"]', "unknown type name", "Use one of"),
    (["string"], "", "is an array, not an object", "Pass an object"),
    (
        {"type": "object", "allOf": [{"required": ["a"]}]},
        "type",
        "reads as the compact form",
        '"$schema"',
    ),
    ("string", "", "is a string, not an object", "Pass an object"),
    (
        {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "type": "object",
            "properties": {"a": {"type": "strin"}},
        },
        "properties.a.type",
        "not valid JSON Schema",
        "meta-schema",
    ),
]


@pytest.mark.parametrize(("schema", "path", "reason", "fix"), SCHEMA_ERRORS)
def test_schema_errors(schema: Any, path: str, reason: str, fix: str) -> None:
    with pytest.raises(mapkit.SchemaError) as raised:
        mapkit.validate({}, schema)

    error = raised.value
    assert isinstance(error, ValueError)
    assert error.path == path
    assert reason in error.reason
    assert "\n" not in error.reason
    assert fix in str(error)
    assert str(error).startswith("expected_schema")


def test_schema_error_from_compile() -> None:
    with pytest.raises(mapkit.SchemaError):
        mapkit.compile({"a": "nope"})


def test_compact_forms() -> None:
    spec = parse_schema({"a": "string", "b": "date?", "c": ["email"], "d": {"zip": "string"}})

    assert isinstance(spec, ObjectSpec)
    a, b, c, d = (spec.fields[key] for key in "abcd")
    assert isinstance(a, ScalarSpec)
    assert (a.required, a.nullable) == (True, False)
    assert isinstance(b, ScalarSpec)
    assert (b.required, b.nullable) == (False, True)
    assert isinstance(c, ArraySpec)
    assert isinstance(c.items, ScalarSpec)
    assert c.items.type == "email"
    assert isinstance(d, ObjectSpec)
    assert list(d.fields) == ["zip"]


def test_long_forms() -> None:
    spec = parse_schema(
        {
            "a": {"type": "date", "format": "DD/MM/YYYY", "required": False},
            "b": {"type": "array", "items": "string", "min_length": 1, "nullable": True},
            "c": {"type": "object", "fields": {"type": "string"}, "required": False},
            "d": {"type": "integer?", "minimum": 0},
        }
    )

    assert isinstance(spec, ObjectSpec)
    a, b, c, d = (spec.fields[key] for key in "abcd")
    assert isinstance(a, ScalarSpec)
    assert a.format is not None
    assert a.format.text == "DD/MM/YYYY"
    assert (a.required, a.nullable) == (False, False)
    assert isinstance(b, ArraySpec)
    assert (b.min_length, b.nullable) == (1, True)
    assert isinstance(c, ObjectSpec)
    assert list(c.fields) == ["type"]
    assert isinstance(d, ScalarSpec)
    assert (d.required, d.nullable, d.minimum) == (False, True, 0)


def test_json_schema_detected() -> None:
    assert isinstance(parse_schema({"type": "object", "properties": {}}), JsonSchemaSpec)
    assert isinstance(
        parse_schema({"$schema": "http://json-schema.org/draft-07/schema#"}), JsonSchemaSpec
    )


def test_top_level_field_named_type() -> None:
    spec = parse_schema({"type": "string", "name": "string"})

    assert isinstance(spec, ObjectSpec)
    assert list(spec.fields) == ["type", "name"]
