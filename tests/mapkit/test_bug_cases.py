"""Faults reported against other date, number, boolean, email, phone and inference tools.

Each row is a small input from a public bug report, with the result a correct toolkit returns.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest

import mapkit

DETECTION_CASES = [
    # Every value fits both orders, so the column is ambiguous rather than read month-first.
    (["12.07.2023", "04.03.2023", "01.11.2023"], None, {"DD.MM.YYYY", "MM.DD.YYYY"}),
    # 20, 21 and 29 only fit as days, which decides the whole column.
    (["12-01-98", "12-04-98", "12-05-98", "20-12-98", "21-12-98", "29-12-98"], "DD-MM-YY", None),
    # 14 in the second place forces month first; the year has two digits.
    (["08/14/62", "11/10/78", "03/02/71"], "MM/DD/YY", None),
    # Excel 1900-system day serials.
    ([45678, 45292, 45503], "excel_serial", None),
]


@pytest.mark.parametrize(("samples", "expected_format", "expected_candidates"), DETECTION_CASES)
def test_detect_date_format_bug_cases(
    samples: list[Any], expected_format: str | None, expected_candidates: set[str] | None
) -> None:
    guess = mapkit.detect_date_format(samples)

    assert guess.format == expected_format
    assert guess.ambiguous is (expected_candidates is not None)
    if expected_candidates is not None:
        assert set(guess.candidates) == expected_candidates


VALIDATE_CASES = [
    # A date-time with an offset in a date field: dropping the time and converting to UTC
    # give different days, so it is reported.
    (
        {"first_name": "string", "start_date": "date"},
        {"first_name": "Ana", "start_date": "2025-03-01T00:30:00+02:00"},
        {},
        {"start_date"},
        {"first_name"},
    ),
    # A year and a month: the missing day is reported, never filled from today.
    ({"start_date": "date"}, {"start_date": "2024-10"}, {}, {"start_date"}, set()),
    # Two @ signs.
    (
        {"first_name": "string", "email": "email", "work_email": "email"},
        {
            "first_name": "Ana",
            "email": "ana.lopez@@example.com",
            "work_email": "ana@mail@example.com",
        },
        {},
        {"email", "work_email"},
        {"first_name"},
    ),
    # A spaced international number passes; 16 digits exceed E.164's 15.
    (
        {"phone": "phone", "fax": "phone"},
        {"phone": "+1 201 555 0143", "fax": "+4420794609581234"},
        {"coerce": True},
        {"fax"},
        {"phone"},
    ),
    # An object and an array where scalars were declared.
    (
        {"first_name": "string", "phone": "phone"},
        {
            "first_name": {"given": "Ana", "family": "Lopez"},
            "phone": ["+12015550143", "+12015550187"],
        },
        {},
        {"first_name", "phone"},
        set(),
    ),
]


@pytest.mark.parametrize(
    ("schema", "record", "options", "with_issues", "without_issues"), VALIDATE_CASES
)
def test_validate_bug_cases(
    schema: dict[str, Any],
    record: dict[str, Any],
    options: dict[str, Any],
    with_issues: set[str],
    without_issues: set[str],
) -> None:
    result = mapkit.validate(record, schema, **options)
    fields = {issue.field for issue in result.issues}

    assert result.valid is False
    assert with_issues <= fields
    assert not fields & without_issues


def test_validate_json_nan_and_overflow() -> None:
    result = mapkit.validate_json(
        '{"salary": NaN, "bonus": 1e999}', {"salary": "number", "bonus": "number"}
    )

    assert result.valid is False
    assert {issue.field for issue in result.issues} == {"salary", "bonus"}


def test_spaced_phone_strict_is_only_a_warning() -> None:
    result = mapkit.validate({"phone": "+1 201 555 0143"}, {"phone": "phone"})

    assert result.valid is True
    assert result.issues[0].severity == "warning"
    assert result.issues[0].suggestion == "+12015550143"


COERCE_CASES = [
    ("maybe", "boolean", None),  # never bool("maybe")
    ("1.234,56", "number", 1234.56),  # dot groups, comma marks decimals
    ("NA", "string", "NA"),  # Namibia, not a null
    ("2021-W53-1", "date", None),  # 2021 has 52 ISO weeks
    ("1A2B", "date", None),  # junk, not 1 AM on the 2nd
]


@pytest.mark.parametrize(("value", "type_spec", "expected"), COERCE_CASES)
def test_coerce_bug_cases(value: Any, type_spec: str, expected: Any) -> None:
    if expected is None:
        with pytest.raises(mapkit.CoercionError):
            mapkit.coerce(value, type_spec)
        return
    result = mapkit.coerce(value, type_spec)

    assert result == expected
    assert type(result) is type(expected)


def test_coerce_week_53_of_long_year() -> None:
    assert mapkit.coerce("2020-W53-1", "date") == datetime.date(2020, 12, 28).isoformat()


INFER_CASES = [
    # Zero-padded codes stay strings.
    (
        [
            {"zip": "02134", "region_code": "03", "employee_no": "000417"},
            {"zip": "00501", "region_code": "015", "employee_no": "000982"},
            {"zip": "10001", "region_code": "12", "employee_no": "001203"},
        ],
        {"zip": "string", "region_code": "string", "employee_no": "string"},
    ),
    # One fractional value makes the column a number, and 45678 does not make it a date.
    (
        [{"salary": 52000}, {"salary": 45678}, {"salary": 61000.5}, {"salary": 58000}],
        {"salary": "number"},
    ),
    # Words with digits, month-like codes, date prefixes and year-months are not dates.
    (
        [
            {
                "office": "Site 581",
                "cost_center": "MAR1",
                "attachment": "2024-08-31_offer.pdf",
                "pay_period": "2024-01",
            },
            {
                "office": "Lab 1140",
                "cost_center": "SEP2",
                "attachment": "2024-09-02_contract.pdf",
                "pay_period": "2024-02",
            },
            {
                "office": "Depot-22",
                "cost_center": "DEC10",
                "attachment": "2024-09-15_id.pdf",
                "pay_period": "2024-03",
            },
        ],
        {
            "office": "string",
            "cost_center": "string",
            "attachment": "string",
            "pay_period": "string",
        },
    ),
]


@pytest.mark.parametrize(("records", "expected"), INFER_CASES)
def test_infer_bug_cases(records: list[dict[str, Any]], expected: dict[str, Any]) -> None:
    assert mapkit.infer_schema(records) == expected
