"""The date-format token language: parsing format strings and reading values with them."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest

from mapkit.formats import FormatError, InvalidDate, parse_format

READ_CASES = [
    ("YYYY-MM-DD", "2025-01-12", date(2025, 1, 12)),
    ("DD.MM.YYYY", "01.01.2015", date(2015, 1, 1)),
    ("MM/DD/YY", "07/10/83", date(1983, 7, 10)),
    ("D MMMM YYYY", "5 January 2025", date(2025, 1, 5)),
    ("MMM D, YYYY", "sept 5, 2025", date(2025, 9, 5)),
    ("YYYYMMDD", "20250112", date(2025, 1, 12)),
    ("YYYY-MM-DD[at]HH:mm", "2025-01-12at09:30", datetime(2025, 1, 12, 9, 30)),
    (
        "YYYY-MM-DDTHH:mm:ss.SSSZ",
        "2025-01-12T09:30:00.250+01:00",
        datetime(2025, 1, 12, 9, 30, 0, 250000, tzinfo=timezone(timedelta(hours=1))),
    ),
    ("YYYY-MM-DD HH:mm Z", "2025-01-12 09:30 Z", datetime(2025, 1, 12, 9, 30, tzinfo=UTC)),
    ("hh:mm A", "12:15 am", time(0, 15)),
    ("HH:mm:ss", "23:59:59", time(23, 59, 59)),
]


@pytest.mark.parametrize(("text_format", "value", "expected"), READ_CASES)
def test_read_with_format(text_format: str, value: str, expected: object) -> None:
    parsed = parse_format(text_format).read(value, 50)

    assert parsed is not None
    assert parsed.value == expected


@pytest.mark.parametrize(
    ("text_format", "value"),
    [
        ("DD/MM/YYYY", "2025-01-12"),
        ("YYYY-MM-DD", "2025-1-12x"),
        ("excel_serial", "soon"),
    ],
)
def test_value_not_in_format(text_format: str, value: str) -> None:
    assert parse_format(text_format).read(value, 50) is None


def test_unknown_month_name() -> None:
    with pytest.raises(InvalidDate, match="not an English month name"):
        parse_format("MMM D, YYYY").read("Foo 5, 2025", 50)


@pytest.mark.parametrize(
    ("text_format", "value", "reason"),
    [
        ("DD/MM/YYYY", "31/02/2025", "February 2025 has 28 days"),
        ("MM/DD/YYYY", "13/01/2025", "month 13"),
        ("HH:mm", "24:00", "does not exist"),
        ("hh:mm A", "13:00 PM", "12-hour clock"),
        ("YYYY-MM-DDTHH:mm:ss.SSSZ", "2025-01-12T09:30:00.1234567Z", "microsecond"),
        ("excel_serial", "60", "29 February 1900"),
    ],
)
def test_invalid_dates(text_format: str, value: str, reason: str) -> None:
    with pytest.raises(InvalidDate, match=reason):
        parse_format(text_format).read(value, 50)


@pytest.mark.parametrize(
    ("text_format", "reason"),
    [
        ("YYY-MM-DD", "'Y' is not a date-format token"),
        ("DD/MM", "only part of a date"),
        ("YYYY-MM-DD-DD", "day appears twice"),
        ("hh:mm", "12-hour and the 24-hour clock"),
        ("HH:mm A", "12-hour and the 24-hour clock"),
        ("YYYYMD", "cannot be split"),
        ("DD/MM/YYYY[T", "never closed"),
        ("", "no date and no time"),
        ("ss", "no date and no time"),
    ],
)
def test_bad_format_strings(text_format: str, reason: str) -> None:
    with pytest.raises(FormatError, match=reason):
        parse_format(text_format)


def test_format_kinds() -> None:
    assert parse_format("DD/MM/YYYY").kind == "date"
    assert parse_format("DD/MM/YYYY HH:mm").kind == "datetime"
    assert parse_format("HH:mm").kind == "time"
    assert parse_format("unix_seconds").kind == "numeric"
