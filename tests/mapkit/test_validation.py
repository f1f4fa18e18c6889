"""Validation of whole payloads: the documented example, paths, nulls, unexpected fields,
options."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import mapkit

DATA = Path(__file__).parent / "data"

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


def test_documented_example_exact_response() -> None:
    # The POST /mapping/validate example in the API reference: 12/01/2025 is ambiguous.
    result = mapkit.validate(
        {"first_name": "Jordan", "start_date": "12/01/2025"},
        {"first_name": "string", "start_date": "date"},
    )
    response = result.to_dict()

    assert response["valid"] is False
    assert len(response["issues"]) == 1
    issue = response["issues"][0]
    assert list(issue)[:2] == ["field", "expected"]
    assert issue["field"] == "start_date"
    assert issue["expected"] == "YYYY-MM-DD"
    assert issue["code"] == "ambiguous_date"
    assert issue["got"] == "12/01/2025"
    assert issue["suggestion"] == ["2025-12-01", "2025-01-12"]
    assert issue["severity"] == "error"
    assert "12/01/2025" in issue["message"]
    assert "2025-12-01" in issue["message"]


def test_documented_example_keeps_data() -> None:
    payload = {"first_name": "Jordan", "start_date": "12/01/2025"}
    result = mapkit.validate(payload, {"first_name": "string", "start_date": "date"})

    assert result.data == payload


def test_valid_payload_has_no_issues() -> None:
    result = mapkit.validate(
        {"first_name": "Jordan", "start_date": "2025-12-01"},
        {"first_name": "string", "start_date": "date"},
    )

    assert result.valid is True
    assert result.issues == []
    assert result.to_dict() == {"valid": True, "issues": []}


def test_strict_data_holds_canonical_values() -> None:
    result = mapkit.validate(
        {"age": "42", "hired": "2020-W53-1", "name": "Ana"},
        {"age": "integer", "hired": "date", "name": "string"},
    )

    assert result.valid is False
    assert result.data == {"age": 42, "hired": "2020-12-28", "name": "Ana"}
    assert [issue.suggestion for issue in result.issues] == [42, "2020-12-28"]


def test_coerce_accepts_lossless_values() -> None:
    result = mapkit.validate(
        {"age": "42", "active": "Y", "salary": "1,234.50"},
        {"age": "integer", "active": "boolean", "salary": "number"},
        coerce=True,
    )

    assert result.valid is True
    assert result.issues == []
    assert result.data == {"age": 42, "active": True, "salary": 1234.5}


def test_invalid_values_are_kept_unchanged() -> None:
    payload = {"age": "forty", "note": "x"}
    result = mapkit.validate(payload, {"age": "integer", "note": "string"}, coerce=True)

    assert result.valid is False
    assert result.data == payload


@pytest.mark.parametrize("payload", [[1, 2], "text", 42, None, True])
def test_payload_not_an_object(payload: Any) -> None:
    result = mapkit.validate(payload, {"name": "string"})

    assert result.valid is False
    assert len(result.issues) == 1
    assert result.issues[0].field == ""
    assert result.issues[0].code == "type_mismatch"
    assert result.issues[0].expected == "object"


ISSUE_CASES = [
    ({"name": "string"}, {}, "name", "missing"),
    ({"name": "string"}, {"name": None}, "name", "null_not_allowed"),
    ({"start": "date"}, {"start": "N/A"}, "start", "null_not_allowed"),
    ({"age": "integer"}, {"age": 42.5}, "age", "type_mismatch"),
    ({"email": "email"}, {"email": "no-at-sign"}, "email", "invalid_format"),
    ({"start": "date"}, {"start": "2025-02-31"}, "start", "invalid_date"),
    ({"start": "date"}, {"start": "1A2B"}, "start", "invalid_date_format"),
    ({"start": "date"}, {"start": "03/04/2025"}, "start", "ambiguous_date"),
    ({"age": {"type": "integer", "minimum": 18}}, {"age": 17}, "age", "out_of_range"),
    ({"code": {"type": "string", "min_length": 3}}, {"code": "ab"}, "code", "too_short"),
    ({"code": {"type": "string", "max_length": 3}}, {"code": "abcd"}, "code", "too_long"),
    (
        {"code": {"type": "string", "pattern": "^[A-Z]{2}$"}},
        {"code": "abc"},
        "code",
        "pattern_mismatch",
    ),
    (
        {"status": {"type": "string", "enum": ["active", "terminated"]}},
        {"status": "gone"},
        "status",
        "not_in_enum",
    ),
    ({"name": "string"}, {"name": "Ana", "nickname": "A"}, "nickname", "unexpected_field"),
    ({"tags": ["string"]}, {"tags": {"a": 1}}, "tags", "type_mismatch"),
    (
        {"tags": {"type": "array", "items": "string", "min_length": 1}},
        {"tags": []},
        "tags",
        "too_short",
    ),
]


@pytest.mark.parametrize(("schema", "payload", "field", "code"), ISSUE_CASES)
def test_issue_codes(
    schema: dict[str, Any], payload: dict[str, Any], field: str, code: str
) -> None:
    result = mapkit.validate(payload, schema)

    assert [(issue.field, issue.code) for issue in result.issues] == [(field, code)]
    assert code in mapkit.ISSUE_CODES


def test_enum_expected_lists_members() -> None:
    result = mapkit.validate(
        {"status": "gone"}, {"status": {"type": "string", "enum": ["active", "terminated"]}}
    )

    assert result.issues[0].expected == "one of: active, terminated"


def test_enum_case_difference_converts_when_coercing() -> None:
    schema = {"status": {"type": "string", "enum": ["active", "terminated"]}}
    strict = mapkit.validate({"status": "Active "}, schema)
    coerced = mapkit.validate({"status": "Active "}, schema, coerce=True)

    assert strict.issues[0].suggestion == "active"
    assert coerced.valid is True
    assert coerced.data == {"status": "active"}


def test_enum_keeps_json_types_apart() -> None:
    result = mapkit.validate({"flag": True}, {"flag": {"type": "any", "enum": [1, 2]}})

    assert result.valid is False
    assert result.issues[0].code == "not_in_enum"


def test_nested_and_array_paths() -> None:
    schema = {"address": {"zip": "string"}, "emails": [{"value": "email", "type": "string"}]}
    payload = {
        "address": {"zip": 2134},
        "emails": [{"value": "a@example.com", "type": "work"}, {"value": "bad", "type": "home"}],
    }
    result = mapkit.validate(payload, schema)

    assert [issue.field for issue in result.issues] == ["address.zip", "emails[1].value"]


def test_keys_with_dots_use_brackets() -> None:
    result = mapkit.validate({"a.b": {"c": 1}}, {"a.b": {"c": "string"}})

    assert result.issues[0].field == '["a.b"].c'


def test_scim_enterprise_user_paths() -> None:
    payload = json.loads((DATA / "scim_enterprise_user.json").read_text())
    schema = {
        "schemas": ["string"],
        "id": "uuid",
        "externalId": "string",
        "userName": "email",
        "name": {"givenName": "string", "familyName": "string"},
        "emails": [{"value": "email", "type": "string", "primary": "boolean?"}],
        "phoneNumbers": [{"value": "phone", "type": "string"}],
        "active": "boolean",
        ENTERPRISE: {
            "employeeNumber": "string",
            "costCenter": "string",
            "hireDate": {"type": "date", "format": "DD/MM/YYYY"},
            "manager": {"value": "uuid", "displayName": "string"},
        },
        "meta": {"resourceType": "string", "created": "datetime", "version": "string"},
    }
    result = mapkit.validate(payload, schema)
    issues = {issue.field: issue for issue in result.issues}

    assert set(issues) == {"emails[1].value", "phoneNumbers[0].value", "active"}
    assert issues["emails[1].value"].code == "invalid_format"
    assert issues["phoneNumbers[0].value"].severity == "warning"
    assert issues["phoneNumbers[0].value"].suggestion == "+442079460321"
    assert issues["active"].suggestion is True
    assert result.data[ENTERPRISE]["hireDate"] == "2019-04-03"
    assert result.data[ENTERPRISE]["employeeNumber"] == "004417"


def test_scim_urn_key_path_in_issue() -> None:
    schema = {ENTERPRISE: {"employeeNumber": "integer"}}
    result = mapkit.validate({ENTERPRISE: {"employeeNumber": "x"}}, schema)

    assert result.issues[0].field == f'["{ENTERPRISE}"].employeeNumber'


def test_nested_field_named_type_is_a_field() -> None:
    result = mapkit.validate(
        {"contact": {"type": "work", "value": "a@example.com"}},
        {"contact": {"type": "string", "value": "email"}},
    )

    assert result.valid is True
    assert result.issues == []


def test_issues_in_payload_order() -> None:
    schema = {"a": "integer", "b": "integer", "c": "integer", "d": "integer"}
    result = mapkit.validate({"c": "x", "a": "y", "extra": 1, "b": 2}, schema)

    assert [issue.field for issue in result.issues] == ["c", "a", "extra", "d"]


@pytest.mark.parametrize(
    ("mode", "severity", "valid"), [("warn", "warning", True), ("error", "error", False)]
)
def test_unexpected_fields_modes(mode: str, severity: str, valid: bool) -> None:
    result = mapkit.validate(
        {"name": "Ana", "extra": 1}, {"name": "string"}, unexpected_fields=mode
    )

    assert result.valid is valid
    assert result.issues[0].code == "unexpected_field"
    assert result.issues[0].severity == severity
    assert result.data == {"name": "Ana", "extra": 1}


def test_unexpected_fields_ignore_keeps_data() -> None:
    result = mapkit.validate(
        {"name": "Ana", "extra": 1}, {"name": "string"}, unexpected_fields="ignore"
    )

    assert result.issues == []
    assert result.data == {"name": "Ana", "extra": 1}


def test_include_got_false_hides_values() -> None:
    result = mapkit.validate(
        {"phone": "+44 20 7946 0958", "start": "12/01/2025"},
        {"phone": "phone", "start": "date"},
        include_got=False,
    )

    assert len(result.issues) == 2
    for issue in result.issues:
        data = issue.to_dict()
        assert "got" not in data
        assert "suggestion" not in data
        assert "7946" not in issue.message
        assert "12/01/2025" not in issue.message
        assert "2025-12-01" not in issue.message


def test_null_tokens_default_and_configured() -> None:
    schema = {"end": "date?", "country": "string"}
    default = mapkit.validate({"end": "N/A", "country": "NA"}, schema)
    configured = mapkit.validate(
        {"end": "unknown", "country": "NA"}, schema, null_tokens=["unknown"]
    )

    assert default.valid is True
    assert default.data == {"end": None, "country": "NA"}
    assert configured.valid is True
    assert configured.data == {"end": None, "country": "NA"}


def test_na_is_not_a_null_token() -> None:
    result = mapkit.validate({"end": "NA"}, {"end": "date?"})

    assert result.valid is False
    assert result.issues[0].code == "invalid_date_format"


def test_field_null_tokens_apply_to_strings() -> None:
    schema = {"note": {"type": "string", "nullable": True, "null_tokens": ["N/A"]}}
    result = mapkit.validate({"note": "N/A"}, schema)

    assert result.valid is True
    assert result.data == {"note": None}


def test_optional_field_may_be_missing() -> None:
    result = mapkit.validate({}, {"note": "string?", "end": {"type": "date", "required": False}})

    assert result.valid is True


def test_not_required_field_is_not_nullable() -> None:
    result = mapkit.validate({"end": None}, {"end": {"type": "date", "required": False}})

    assert result.issues[0].code == "null_not_allowed"


def test_leading_zeros_kept_for_string() -> None:
    result = mapkit.validate({"zip": "02134"}, {"zip": "string"}, coerce=True)

    assert result.data == {"zip": "02134"}


def test_zero_padded_digits_for_integer_warn() -> None:
    result = mapkit.validate(
        {"fips": "01001", "count": "10"}, {"fips": "integer", "count": "integer"}, coerce=True
    )

    assert result.valid is True
    assert result.data == {"fips": 1001, "count": 10}
    assert [(issue.field, issue.severity) for issue in result.issues] == [("fips", "warning")]
    assert '"string"' in result.issues[0].message


def test_e164_phone_for_integer_warns() -> None:
    result = mapkit.validate(
        {"mobile": "+14155550100", "delta": "+12"}, {"mobile": "integer", "delta": "integer"},
        coerce=True,
    )

    assert result.valid is True
    assert result.data == {"mobile": 14155550100, "delta": 12}
    assert [(issue.field, issue.severity) for issue in result.issues] == [("mobile", "warning")]
    assert "+ sign is dropped" in result.issues[0].message
    assert 'declare the field "phone"' in result.issues[0].message


def test_default_region_for_national_phone() -> None:
    without = mapkit.validate({"phone": "(201) 555-0143"}, {"phone": "phone"}, coerce=True)
    with_region = mapkit.validate(
        {"phone": "(201) 555-0143"}, {"phone": "phone"}, coerce=True, default_region="US"
    )

    assert without.valid is False
    assert "default_region" in without.issues[0].message
    assert with_region.valid is True
    assert with_region.data == {"phone": "+12015550143"}


def test_two_digit_year_pivot_option() -> None:
    schema = {"born": {"type": "date", "format": "MM/DD/YY"}}
    default = mapkit.validate({"born": "07/10/49"}, schema)
    older = mapkit.validate({"born": "07/10/49"}, schema, two_digit_year_pivot=30)

    assert default.data == {"born": "2049-07-10"}
    assert older.data == {"born": "1949-07-10"}


def test_undeclared_two_digit_year_warns_when_coercing() -> None:
    result = mapkit.validate({"born": "08/14/62"}, {"born": "date"}, coerce=True)

    assert result.valid is True
    assert result.data == {"born": "1962-08-14"}
    assert result.issues[0].severity == "warning"
    assert "1962" in result.issues[0].message


def test_declared_format_valid_in_strict_mode() -> None:
    schema = {"hired": {"type": "date", "format": "DD/MM/YYYY"}}
    result = mapkit.validate({"hired": "31/12/2024"}, schema)

    assert result.valid is True
    assert result.issues == []
    assert result.data == {"hired": "2024-12-31"}


def test_declared_format_accepts_iso_too() -> None:
    schema = {"hired": {"type": "date", "format": "DD/MM/YYYY"}}

    assert mapkit.validate({"hired": "2024-12-31"}, schema).valid is True


def test_declared_format_mismatch_reported() -> None:
    schema = {"hired": {"type": "date", "format": "DD/MM/YYYY"}}
    result = mapkit.validate({"hired": "12.31.2024"}, schema)

    assert result.issues[0].code == "invalid_date_format"
    assert result.issues[0].expected == "DD/MM/YYYY"


@pytest.mark.parametrize(
    ("option", "value", "error"),
    [
        ("unexpected_fields", "loud", ValueError),
        ("default_region", "XX", ValueError),
        ("two_digit_year_pivot", 500, ValueError),
        ("default_timezone", "Mars/Olympus", ValueError),
        ("no_such_option", 1, TypeError),
    ],
)
def test_bad_options_raise(option: str, value: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        mapkit.validate({}, {"a": "string"}, **{option: value})


def test_default_timezone_for_naive_datetimes() -> None:
    without = mapkit.validate({"at": "2025-01-12 10:00"}, {"at": "datetime"}, coerce=True)
    with_zone = mapkit.validate(
        {"at": "2025-01-12 10:00"},
        {"at": "datetime"},
        coerce=True,
        default_timezone="Europe/Berlin",
    )

    assert without.valid is False
    assert with_zone.data == {"at": "2025-01-12T10:00:00+01:00"}


def test_message_names_field_problem_and_fix() -> None:
    result = mapkit.validate({"age": "forty"}, {"age": "integer"})
    message = result.issues[0].message

    assert message.startswith('age value "forty" is not a number.')
    assert "Expected integer." in message
