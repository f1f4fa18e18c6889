"""Compiled validators: the fast path, streaming and column fitting."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import mapkit

SCHEMA = {
    "id": "integer",
    "name": "string",
    "email": "email",
    "hired": "date",
    "salary": "number",
    "active": "boolean",
    "status": {"type": "string", "enum": ["active", "terminated"]},
    "manager_id": "integer?",
    "phone": "phone?",
    "address": {"zip": "string", "city": "string"},
    "tags": ["string"],
}

VALID = {
    "id": 1,
    "name": "Ana",
    "email": "ana@example.com",
    "hired": "2020-02-29",
    "salary": 52000.5,
    "active": True,
    "status": "active",
    "manager_id": None,
    "phone": "+12015550143",
    "address": {"zip": "02134", "city": "Boston"},
    "tags": ["a"],
}


def test_fast_path_accepts_canonical_record() -> None:
    validator = mapkit.compile(SCHEMA)
    result = validator.validate(VALID)

    assert result.valid is True
    assert result.issues == []
    assert result.data is VALID


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"hired": "2021-02-29"}, "hired", "invalid_date"),
        ({"email": "ana@@example.com"}, "email", "invalid_format"),
        ({"id": "1"}, "id", "type_mismatch"),
        ({"status": "gone"}, "status", "not_in_enum"),
        ({"salary": float("nan")}, "salary", "type_mismatch"),
        ({"active": 1}, "active", "type_mismatch"),
        ({"address": {"zip": 2134, "city": "Boston"}}, "address.zip", "type_mismatch"),
        ({"extra": 1}, "extra", "unexpected_field"),
        ({"phone": "+1 201 555 0143"}, "phone", "invalid_format"),
    ],
)
def test_fast_path_failures_are_diagnosed(change: dict[str, Any], field: str, code: str) -> None:
    validator = mapkit.compile(SCHEMA)
    result = validator.validate({**VALID, **change})

    assert [(issue.field, issue.code) for issue in result.issues] == [(field, code)]
    assert result.to_dict() == mapkit.validate({**VALID, **change}, SCHEMA).to_dict()


def test_fast_path_email_outside_pattern() -> None:
    validator = mapkit.compile({"email": "email"})
    result = validator.validate({"email": "josé.o'neil+tag@sub.example.co.uk"})

    assert result.valid is True


def test_missing_required_field() -> None:
    record = {key: value for key, value in VALID.items() if key != "name"}
    result = mapkit.compile(SCHEMA).validate(record)

    assert [(issue.field, issue.code) for issue in result.issues] == [("name", "missing")]


def test_validate_many_streams() -> None:
    consumed = []

    def records() -> Iterator[dict[str, Any]]:
        for index in range(3):
            consumed.append(index)
            yield {**VALID, "id": index}

    results = mapkit.compile(SCHEMA).validate_many(records())

    assert consumed == []
    first = next(results)
    assert first.valid is True
    assert consumed == [0]
    assert [result.valid for result in results] == [True, True]


def test_coerce_mode_compiled() -> None:
    validator = mapkit.compile({"age": "integer", "born": "date"}, coerce=True)
    result = validator.validate({"age": "42", "born": "13/01/1990"})

    assert result.valid is True
    assert result.data == {"age": 42, "born": "1990-01-13"}


def test_options_reach_compiled_validator() -> None:
    validator = mapkit.compile(
        {"phone": "phone"}, coerce=True, default_region="US", unexpected_fields="ignore"
    )
    result = validator.validate({"phone": "(201) 555-0143", "other": 1})

    assert result.valid is True
    assert result.data == {"phone": "+12015550143", "other": 1}


def test_null_token_that_is_canonical_value() -> None:
    validator = mapkit.compile({"since": "date?"}, null_tokens=["1900-01-01"])
    result = validator.validate({"since": "1900-01-01"})

    assert result.data == {"since": None}


def test_fit_settles_day_first_column() -> None:
    records = [{"hired": "03/04/2025"}, {"hired": "05/06/2025"}, {"hired": "20/06/2025"}]
    plain = mapkit.compile({"hired": "date"}, coerce=True)
    fitted = plain.fit(records)

    assert plain.validate(records[0]).issues[0].code == "ambiguous_date"
    assert fitted.settled == {"hired": {"format": "DD/MM/YYYY"}}
    assert [fitted.validate(record).data["hired"] for record in records] == [
        "2025-04-03",
        "2025-06-05",
        "2025-06-20",
    ]


def test_fit_leaves_ambiguous_column_open() -> None:
    records = [{"hired": "03/04/2025"}, {"hired": "05/06/2025"}]
    fitted = mapkit.compile({"hired": "date"}).fit(records)

    assert fitted.settled == {}
    assert fitted.validate(records[0]).issues[0].code == "ambiguous_date"


def test_fit_settles_decimal_comma() -> None:
    records = [{"mw": "1.234"}, {"mw": "37.701,00"}, {"mw": "-"}]
    fitted = mapkit.compile({"mw": "number?"}, coerce=True).fit(records)

    assert fitted.settled == {"mw": {"decimal_comma": True}}
    assert [fitted.validate(record).data["mw"] for record in records] == [1234, 37701, None]


def test_fit_settles_excel_serials() -> None:
    records = [{"hired": 45678}, {"hired": 45292}]
    fitted = mapkit.compile({"hired": "date"}).fit(records)

    assert fitted.settled == {"hired": {"format": "excel_serial"}}
    assert fitted.validate(records[0]).data == {"hired": "2025-01-21"}


def test_fit_keeps_declared_format() -> None:
    schema = {"hired": {"type": "date", "format": "MM/DD/YYYY"}}
    fitted = mapkit.compile(schema).fit([{"hired": "20/06/2025"}])

    assert fitted.settled == {}
    assert fitted.validate({"hired": "20/06/2025"}).valid is False


def test_fit_reaches_nested_and_array_fields() -> None:
    records = [{"jobs": [{"start": "20/06/2025"}, {"start": "01/02/2025"}]}]
    fitted = mapkit.compile({"jobs": [{"start": "date"}]}).fit(records)

    assert fitted.settled == {"jobs[].start": {"format": "DD/MM/YYYY"}}
