"""Coercion rules per type, as (value, type, options, expected) rows.

``REJECT`` marks a value that has no single lossless canonical form, so ``coerce`` raises.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest

import mapkit

REJECT = object()

INTEGER_ROWS: list[tuple[Any, Any, dict[str, Any], Any]] = [
    ("42", "integer", {}, 42),
    (42.0, "integer", {}, 42),
    (" 42 ", "integer", {}, 42),
    ("-7", "integer", {}, -7),
    ("42.5", "integer", {}, REJECT),
    (42.5, "integer", {}, REJECT),
    ("1,234", "integer", {}, 1234),
    ("1.234.567", "integer", {}, 1234567),
    (2**53 + 1, "integer", {}, 2**53 + 1),
    (str(2**53 + 1), "integer", {}, 2**53 + 1),
    ("123456789012345678901234567890", "integer", {}, 123456789012345678901234567890),
    (float(2**60), "integer", {}, REJECT),  # a float above 2**53 may already be rounded
    (True, "integer", {}, REJECT),
    ("forty", "integer", {}, REJECT),
    ("1e3", "integer", {}, 1000),
    ("", "integer", {}, REJECT),  # a null token, and the field is not nullable
    ("", "integer?", {}, None),
]

NUMBER_ROWS: list[tuple[Any, Any, dict[str, Any], Any]] = [
    ("1,234.50", "number", {}, 1234.5),
    ("1.234,56", "number", {}, 1234.56),
    ("1 234,56", "number", {}, 1234.56),
    ("1'234.50", "number", {}, 1234.5),
    ("37.701,00", "number", {}, 37701),
    ("3,5", "number", {}, 3.5),
    ("0.125", "number", {}, 0.125),
    ("1,234", "number", {}, REJECT),  # thousands or decimals: ambiguous
    ("1.234", "number", {}, REJECT),
    ("1,234", "number", {"decimal_comma": False}, 1234),
    ("1,234", "number", {"decimal_comma": True}, 1.234),
    ("1.234", "number", {"decimal_comma": True}, 1234),
    ("12,34.5", "number", {}, REJECT),
    ("NaN", "number", {}, REJECT),
    ("Infinity", "number", {}, REJECT),
    ("inf", "number", {}, REJECT),
    (float("nan"), "number", {}, REJECT),
    (float("inf"), "number", {}, REJECT),
    ("1e999", "number", {}, REJECT),
    (2**53 + 1, "number", {}, 2**53 + 1),
    (False, "number", {}, REJECT),
    ("$1,234.50", "number", {}, REJECT),
    ("\u22125", "number", {}, -5),
]

BOOLEAN_ROWS: list[tuple[Any, Any, dict[str, Any], Any]] = [
    *[(word, "boolean", {}, True) for word in ("true", "TRUE", "Yes", "y", "Y", "1", " yes ")],
    *[(word, "boolean", {}, False) for word in ("false", "False", "NO", "n", "N", "0")],
    (1, "boolean", {}, True),
    (0, "boolean", {}, False),
    (2, "boolean", {}, REJECT),
    ("maybe", "boolean", {}, REJECT),
    ("t", "boolean", {}, REJECT),
    ("on", "boolean", {}, REJECT),
    ([], "boolean", {}, REJECT),
]

STRING_ROWS: list[tuple[Any, Any, dict[str, Any], Any]] = [
    ("02134", "string", {}, "02134"),
    ("NA", "string", {}, "NA"),
    ("", "string", {}, ""),
    ("N/A", "string", {}, "N/A"),
    ("  padded  ", "string", {}, "  padded  "),
    (2134, "string", {}, "2134"),
    (21.5, "string", {}, REJECT),
    (True, "string", {}, REJECT),
    ({"given": "Ana"}, "string", {}, REJECT),
    (["a"], "string", {}, REJECT),
]

EMAIL_ROWS: list[tuple[Any, Any, dict[str, Any], Any]] = [
    ("ana@example.com", "email", {}, "ana@example.com"),
    ("Ana.Lopez@Example.COM", "email", {}, "Ana.Lopez@Example.COM"),
    (" ana@example.com ", "email", {}, "ana@example.com"),
    ("ana.lopez@@example.com", "email", {}, REJECT),
    ("ana@mail@example.com", "email", {}, REJECT),
    ("ana@example", "email", {}, REJECT),
    ("ana@example.test", "email", {}, REJECT),
    ("ana..lopez@example.com", "email", {}, REJECT),
    ("josé@example.com", "email", {}, "josé@example.com"),
    (42, "email", {}, REJECT),
]

PHONE_ROWS: list[tuple[Any, Any, dict[str, Any], Any]] = [
    ("+12015550143", "phone", {}, "+12015550143"),
    ("+1 201 555 0143", "phone", {}, "+12015550143"),
    ("+1 (201) 555-0143", "phone", {}, "+12015550143"),
    ("(201) 555-0143", "phone", {}, REJECT),  # no country code and no default region
    ("(201) 555-0143", "phone", {"default_region": "US"}, "+12015550143"),
    ("020 7946 0958", "phone", {"default_region": "GB"}, "+442079460958"),
    ("+4420794609581234", "phone", {}, REJECT),  # 16 digits
    ("+1 555 415 1337", "phone", {}, REJECT),  # 555 is no US area code
    ("call me", "phone", {}, REJECT),
    (12015550143, "phone", {}, REJECT),
]

URL_UUID_ROWS: list[tuple[Any, Any, dict[str, Any], Any]] = [
    ("https://example.com/path?q=1", "url", {}, "https://example.com/path?q=1"),
    (" https://example.com ", "url", {}, "https://example.com"),
    ("example.com", "url", {}, REJECT),
    ("not a url", "url", {}, REJECT),
    ("123e4567-e89b-12d3-a456-426614174000", "uuid", {}, "123e4567-e89b-12d3-a456-426614174000"),
    ("123E4567-E89B-12D3-A456-426614174000", "uuid", {}, "123e4567-e89b-12d3-a456-426614174000"),
    ("{123e4567-e89b-12d3-a456-426614174000}", "uuid", {}, "123e4567-e89b-12d3-a456-426614174000"),
    ("123e4567e89b12d3a456426614174000", "uuid", {}, "123e4567-e89b-12d3-a456-426614174000"),
    ("123e4567", "uuid", {}, REJECT),
]

DATE_ROWS: list[tuple[Any, Any, dict[str, Any], Any]] = [
    ("2025-01-12", "date", {}, "2025-01-12"),
    ("2024-02-29", "date", {}, "2024-02-29"),
    ("2025-02-29", "date", {}, REJECT),
    ("2025-02-31", "date", {}, REJECT),  # never rolled over to March
    ("31/02/2025", {"type": "date", "format": "DD/MM/YYYY"}, {}, REJECT),
    ("2021-W53-1", "date", {}, REJECT),  # 2021 has 52 ISO weeks
    ("2020-W53-1", "date", {}, "2020-12-28"),
    ("2024-10", "date", {}, REJECT),  # the day is never filled in from today
    ("1A2B", "date", {}, REJECT),
    ("12/01/2025", "date", {}, REJECT),  # ambiguous
    ("13/01/2025", "date", {}, "2025-01-13"),
    ("01/13/2025", "date", {}, "2025-01-13"),
    ("01/01/2025", "date", {}, "2025-01-01"),  # both readings give the same day
    ("Jan 5, 2025", "date", {}, "2025-01-05"),
    ("5 January 2025", "date", {}, "2025-01-05"),
    ("05-Jan-25", "date", {}, "2025-01-05"),
    ("2025/01/12", "date", {}, "2025-01-12"),
    ("20250112", "date", {}, "2025-01-12"),
    ("2025-03-01T00:00:00", "date", {}, "2025-03-01"),
    ("2025-03-01T00:30:00+02:00", "date", {}, REJECT),
    ("2025-03-01T10:00:00Z", "date", {}, REJECT),
    ("12/01/2025", {"type": "date", "format": "MM/DD/YYYY"}, {}, "2025-12-01"),
    ("12/01/2025", {"type": "date", "format": "DD/MM/YYYY"}, {}, "2025-01-12"),
    ("07/10/83", {"type": "date", "format": "MM/DD/YY"}, {}, "1983-07-10"),
    ("07/10/49", {"type": "date", "format": "MM/DD/YY"}, {}, "2049-07-10"),
    (
        "07/10/49",
        {"type": "date", "format": "MM/DD/YY"},
        {"two_digit_year_pivot": 40},
        "1949-07-10",
    ),
    ("1/5/2025", {"type": "date", "format": "MM/DD/YYYY"}, {}, "2025-01-05"),
    (45678, "date", {}, REJECT),  # numbers are dates only when the format declares it
    (45678, {"type": "date", "format": "excel_serial"}, {}, "2025-01-21"),
    ("45678", {"type": "date", "format": "excel_serial"}, {}, "2025-01-21"),
    (60, {"type": "date", "format": "excel_serial"}, {}, REJECT),  # 29 February 1900
    (59, {"type": "date", "format": "excel_serial"}, {}, "1900-02-28"),
    (61, {"type": "date", "format": "excel_serial"}, {}, "1900-03-01"),
    (1736640000, {"type": "date", "format": "unix_seconds"}, {}, "2025-01-12"),
    (1736643600, {"type": "date", "format": "unix_seconds"}, {}, REJECT),  # 01:00 UTC
    (datetime.date(2025, 1, 12), "date", {}, "2025-01-12"),
]

DATETIME_ROWS: list[tuple[Any, Any, dict[str, Any], Any]] = [
    ("2025-01-12T09:30:00+01:00", "datetime", {}, "2025-01-12T09:30:00+01:00"),
    ("2013-06-24T16:39:18.000Z", "datetime", {}, "2013-06-24T16:39:18.000Z"),
    ("2025-01-12 09:30:00+01:00", "datetime", {}, "2025-01-12T09:30:00+01:00"),
    ("2025-01-12T09:30Z", "datetime", {}, "2025-01-12T09:30:00+00:00"),
    ("2025-01-12T09:30:00", "datetime", {}, REJECT),  # no offset
    ("2025-01-12T09:30:00", "datetime", {"default_timezone": "UTC"}, "2025-01-12T09:30:00+00:00"),
    ("2025-01-12", "datetime", {}, REJECT),  # no time is filled in
    ("2025-02-30T10:00:00Z", "datetime", {}, REJECT),
    ("2025-01-12T24:00:00Z", "datetime", {}, REJECT),
    (1502138686, {"type": "datetime", "format": "unix_seconds"}, {}, "2017-08-07T20:44:46+00:00"),
    (
        1502138686000,
        {"type": "datetime", "format": "unix_milliseconds"},
        {},
        "2017-08-07T20:44:46+00:00",
    ),
    (1502138686, "datetime", {}, REJECT),
    (
        "01/12/2025 10:00 PM",
        {"type": "datetime", "format": "MM/DD/YYYY hh:mm A"},
        {"default_timezone": "America/New_York"},
        "2025-01-12T22:00:00-05:00",
    ),
]

TIME_ROWS: list[tuple[Any, Any, dict[str, Any], Any]] = [
    ("09:30:00", "time", {}, "09:30:00"),
    ("9:30", "time", {}, "09:30:00"),
    ("2:05 pm", "time", {}, "14:05:00"),
    ("12:00 AM", "time", {}, "00:00:00"),
    ("25:00", "time", {}, REJECT),
    ("13:00 PM", "time", {}, REJECT),
]

ALL_ROWS = (
    INTEGER_ROWS
    + NUMBER_ROWS
    + BOOLEAN_ROWS
    + STRING_ROWS
    + EMAIL_ROWS
    + PHONE_ROWS
    + URL_UUID_ROWS
    + DATE_ROWS
    + DATETIME_ROWS
    + TIME_ROWS
)


@pytest.mark.parametrize(("value", "type_spec", "options", "expected"), ALL_ROWS)
def test_coerce_table(value: Any, type_spec: Any, options: dict[str, Any], expected: Any) -> None:
    if expected is REJECT:
        with pytest.raises(mapkit.CoercionError) as raised:
            mapkit.coerce(value, type_spec, **options)
        assert raised.value.issue.code in mapkit.ISSUE_CODES
        assert raised.value.issue.severity == "error"
        return
    result = mapkit.coerce(value, type_spec, **options)

    assert result == expected
    assert type(result) is type(expected)


def test_big_integer_keeps_every_digit() -> None:
    result = mapkit.validate({"id": 2**53 + 1}, {"id": "integer"})

    assert result.valid is True
    assert result.data["id"] == 9007199254740993


def test_ambiguous_number_suggests_both_readings() -> None:
    with pytest.raises(mapkit.CoercionError) as raised:
        mapkit.coerce("1,234", "number")

    assert raised.value.issue.suggestion == [1234, 1.234]
    assert "decimal_comma" in raised.value.issue.message


def test_strict_integer_from_text_suggests_value() -> None:
    result = mapkit.validate({"age": "42"}, {"age": "integer"})

    assert result.valid is False
    assert result.issues[0].code == "type_mismatch"
    assert result.issues[0].suggestion == 42


def test_coercion_error_carries_issue() -> None:
    with pytest.raises(mapkit.CoercionError) as raised:
        mapkit.coerce("12/01/2025", "date")

    assert isinstance(raised.value, ValueError)
    assert raised.value.issue.code == "ambiguous_date"
    assert raised.value.issue.suggestion == ["2025-12-01", "2025-01-12"]
    assert str(raised.value) == raised.value.issue.message


def test_date_time_in_date_field_names_both_days() -> None:
    with pytest.raises(mapkit.CoercionError) as raised:
        mapkit.coerce("2025-03-01T00:30:00+02:00", "date")

    assert raised.value.issue.suggestion == ["2025-03-01", "2025-02-28"]


def test_impossible_date_reason() -> None:
    with pytest.raises(mapkit.CoercionError) as raised:
        mapkit.coerce("2025-02-31", "date")

    assert raised.value.issue.code == "invalid_date"
    assert "February 2025 has 28 days" in raised.value.issue.message


def test_year_month_reason() -> None:
    with pytest.raises(mapkit.CoercionError) as raised:
        mapkit.coerce("2024-10", "date")

    assert raised.value.issue.code == "invalid_date_format"
    assert "no day" in raised.value.issue.message


def test_coerce_nested_spec() -> None:
    result = mapkit.coerce({"zip": 2134, "since": "13/01/2025"}, {"zip": "string", "since": "date"})

    assert result == {"zip": "2134", "since": "2025-01-13"}


def test_coerce_bad_type_spec_raises_schema_error() -> None:
    with pytest.raises(mapkit.SchemaError):
        mapkit.coerce("1", "int")
