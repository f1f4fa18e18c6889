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


DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"

# (reference keyword, its value, text the reason contains, text the fix contains)
UNRESOLVABLE_REFS = [
    ("$ref", "#/nope", "points to nothing", "#/$defs/"),
    ("$ref", "#/$defs/missing", "points to nothing", "#/$defs/"),
    ("$ref", "#/definitions/missing", "points to nothing", "#/definitions/<name>"),
    ("$ref", "#nope", "no anchor named 'nope'", "$anchor"),
    ("$ref", "#nope/x", "neither an anchor name nor a JSON Pointer", '"#/nope/x"'),
    ("$ref", "https://example.invalid/person.json", "does not fetch", "$defs"),
    ("$ref", "person.json", "does not fetch", "$defs"),
    ("$dynamicRef", "#nope", "no anchor named 'nope'", "$anchor"),
]


@pytest.mark.parametrize(("keyword", "ref", "reason", "fix"), UNRESOLVABLE_REFS)
def test_unresolvable_ref_is_schema_error(keyword: str, ref: str, reason: str, fix: str) -> None:
    schema = {"$schema": DRAFT_2020_12, "type": "object", "properties": {"a": {keyword: ref}}}

    with pytest.raises(mapkit.SchemaError) as caught:
        mapkit.validate({"a": "x"}, schema)

    assert caught.value.path == f"properties.a.{keyword}"
    assert reason in caught.value.reason
    assert str(caught.value).startswith(f"expected_schema.properties.a.{keyword} ")
    assert fix in caught.value.fix


def test_unresolvable_ref_without_dialect() -> None:
    schema = {"type": "object", "properties": {"a": {"$ref": "#/nope"}}}

    with pytest.raises(mapkit.SchemaError, match=r"properties\.a\.\$ref"):
        mapkit.compile(schema)


def test_remote_ref_is_never_fetched(monkeypatch: pytest.MonkeyPatch) -> None:
    fetched: list[Any] = []
    monkeypatch.setattr("urllib.request.urlopen", lambda *args, **kwargs: fetched.append(args))
    schema = {"type": "object", "properties": {"a": {"$ref": "https://example.invalid/a.json"}}}

    with pytest.raises(mapkit.SchemaError):
        mapkit.validate({"a": "x"}, schema)

    assert fetched == []


@pytest.mark.parametrize(
    "schema",
    [
        {"$defs": {"x": {"type": "string"}}, "properties": {"a": {"$ref": "#/$defs/x"}}},
        {"$defs": {"x": {"$anchor": "x", "type": "string"}}, "properties": {"a": {"$ref": "#x"}}},
        {"$id": "https://example.invalid/root.json", "$defs": {"x": {"type": "string"}},
         "properties": {"a": {"$ref": "root.json#/$defs/x"}}},
        {"properties": {"a": {"$ref": "#/properties/b"}, "b": {"type": "string"}}},
    ],
)
def test_resolvable_refs_validate(schema: dict[str, Any]) -> None:
    schema = {"$schema": DRAFT_2020_12, "type": "object", **schema}

    result = mapkit.validate({"a": "x"}, schema)

    assert result.issues == []


def test_ref_to_meta_schema_resolves() -> None:
    schema = {"type": "object", "properties": {"a": {"$ref": DRAFT_2020_12}}}

    assert mapkit.validate({"a": {"type": "string"}}, schema).valid is True
    assert mapkit.validate({"a": {"type": 5}}, schema).valid is False


def test_ref_key_inside_const_is_data() -> None:
    schema = {"type": "object", "properties": {"a": {"const": {"$ref": "#/nope"}}}}

    result = mapkit.validate({"a": {"$ref": "#/nope"}}, schema)

    assert result.issues == []


def test_ref_failing_during_validation_is_schema_error(monkeypatch: pytest.MonkeyPatch) -> None:
    # Skip the check made when the schema is parsed, to reach the one made during validation.
    monkeypatch.setattr("mapkit.schema.check_refs", lambda schema, meta_schema: None)
    schema = {"type": "object", "properties": {"a": {"$ref": "#/nope"}}}

    with pytest.raises(mapkit.SchemaError) as caught:
        mapkit.validate({"a": "x"}, schema)

    assert caught.value.path == "properties.a.$ref"
    assert "points to nothing" in caught.value.reason
