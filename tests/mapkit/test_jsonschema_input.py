"""Full JSON Schema input, checked by jsonschema and reported as mapkit issues."""

from __future__ import annotations

from typing import Any

import pytest

import mapkit

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
        "email": {"type": "string", "format": "email"},
        "start_date": {"type": "string", "format": "date"},
        "age": {"type": "integer", "minimum": 0, "maximum": 150},
        "status": {"enum": ["active", "terminated"]},
        "code": {"type": "string", "pattern": "^[A-Z]{2}$", "minLength": 2, "maxLength": 2},
        "note": {"type": ["string", "null"]},
        "address": {
            "type": "object",
            "properties": {"zip": {"type": "string"}},
            "required": ["zip"],
        },
        "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 2},
    },
    "required": ["email"],
    "additionalProperties": False,
}

CASES = [
    ({}, "email", "missing"),
    ({"email": "ana@@example.com"}, "email", "invalid_format"),
    ({"email": "a@example.com", "start_date": "12/01/2025"}, "start_date", "ambiguous_date"),
    ({"email": "a@example.com", "start_date": "2025-02-31"}, "start_date", "invalid_date"),
    ({"email": "a@example.com", "age": "42"}, "age", "type_mismatch"),
    ({"email": "a@example.com", "age": -1}, "age", "out_of_range"),
    ({"email": "a@example.com", "status": "gone"}, "status", "not_in_enum"),
    ({"email": "a@example.com", "code": "abc"}, "code", "too_long"),
    ({"email": "a@example.com", "code": "ab"}, "code", "pattern_mismatch"),
    ({"email": "a@example.com", "address": {}}, "address.zip", "missing"),
    ({"email": "a@example.com", "address": {"zip": 2134}}, "address.zip", "type_mismatch"),
    ({"email": "a@example.com", "tags": ["a", "b", "c"]}, "tags", "too_long"),
    ({"email": "a@example.com", "tags": ["a", 1]}, "tags[1]", "type_mismatch"),
    ({"email": "a@example.com", "extra": 1}, "extra", "unexpected_field"),
    ({"email": None}, "email", "null_not_allowed"),
]


@pytest.mark.parametrize(("payload", "field", "code"), CASES)
def test_json_schema_errors_map_to_issues(payload: dict[str, Any], field: str, code: str) -> None:
    result = mapkit.validate(payload, SCHEMA)

    assert result.valid is False
    assert (field, code) in [(issue.field, issue.code) for issue in result.issues]
    for issue in result.issues:
        assert issue.code in mapkit.ISSUE_CODES


def test_valid_payload() -> None:
    payload = {
        "email": "a@example.com",
        "start_date": "2025-01-12",
        "note": None,
        "address": {"zip": "02134"},
    }
    result = mapkit.validate(payload, SCHEMA)

    assert result.valid is True
    assert result.issues == []
    assert result.data == payload


def test_ambiguous_date_suggestion() -> None:
    result = mapkit.validate({"email": "a@example.com", "start_date": "12/01/2025"}, SCHEMA)

    assert result.issues[0].suggestion == ["2025-12-01", "2025-01-12"]


def test_issues_in_payload_order() -> None:
    result = mapkit.validate({"code": "abc", "age": -1, "email": "x"}, SCHEMA)
    fields = [issue.field for issue in result.issues]

    assert fields.index("code") < fields.index("age") < fields.index("email")


def test_type_object_with_properties_is_json_schema() -> None:
    result = mapkit.validate({"a": 1}, {"type": "object", "properties": {"a": {"type": "string"}}})

    assert result.issues[0].code == "type_mismatch"
    assert result.issues[0].expected == "string"


def test_compiled_json_schema() -> None:
    validator = mapkit.compile(SCHEMA)
    results = list(validator.validate_many([{"email": "a@example.com"}, {}]))

    assert [result.valid for result in results] == [True, False]
