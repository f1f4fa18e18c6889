"""Read date and time text whose format the schema does not declare.

The canonical forms are ISO 8601: ``YYYY-MM-DD`` dates, ``YYYY-MM-DDTHH:mm:ss`` date-times
with a UTC offset, ``HH:mm:ss`` times. Any other text is split into its parts and matched
against every order those parts allow (month first, day first, year first), so that one
value yields all its readings and a caller can tell a single reading from an ambiguous one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Final

from mapkit.formats import InvalidDate, Parsed, month_number, parse_format

__all__ = [
    "DATETIME_PATTERN",
    "DATE_PATTERN",
    "TIME_PATTERN",
    "Reading",
    "candidate_formats",
    "is_canonical_date",
    "is_canonical_datetime",
    "is_canonical_time",
    "read_week_date",
    "readings",
    "shape_problem",
]

# Patterns for the canonical forms, shared by the fast path and the detailed diagnosis.
DATE_PATTERN: Final = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
DATETIME_PATTERN: Final = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,6})?"
    r"(?:Z|[+-][0-9]{2}:[0-9]{2})$"
)
TIME_PATTERN: Final = (
    r"^[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,6})?(?:Z|[+-][0-9]{2}:[0-9]{2})?$"
)

_DATE_RE: Final = re.compile(DATE_PATTERN)
_DATETIME_RE: Final = re.compile(DATETIME_PATTERN)
_TIME_RE: Final = re.compile(TIME_PATTERN)

_TIME_TAIL: Final = re.compile(
    r"(?P<separator>T|\s+|,\s*)?"
    r"(?P<hour>[0-9]{1,2}):(?P<minute>[0-9]{2})"
    r"(?::(?P<second>[0-9]{2})(?:(?P<fraction_mark>[.,])(?P<fraction>[0-9]{1,9}))?)?"
    r"(?P<meridiem>\s*[AaPp]\.?[Mm]\.?)?"
    r"(?P<offset>\s*(?:Z|z|[+-][0-9]{2}(?::?[0-9]{2})?))?$"
)
_NUMERIC_DATE: Final = re.compile(r"([0-9]{1,4})([-/. ])([0-9]{1,2})\2([0-9]{1,4})")
_COMPACT_DATE: Final = re.compile(r"[0-9]{8}")
_DAY_MONTH_NAME: Final = re.compile(r"([0-9]{1,2})([ -])([A-Za-z]{3,9}\.?)\2([0-9]{4}|[0-9]{2})")
_MONTH_NAME_DAY: Final = re.compile(r"([A-Za-z]{3,9}\.?) ([0-9]{1,2})(,?) ([0-9]{4})")
_YEAR_MONTH_NAME: Final = re.compile(r"([0-9]{4})-([A-Za-z]{3,9})-([0-9]{1,2})")
_WEEK_DATE: Final = re.compile(r"([0-9]{4})-?W([0-9]{2})-?([1-7])")
_YEAR_MONTH: Final = re.compile(r"[0-9]{4}[-/.][0-9]{1,2}|[0-9]{1,2}[-/.][0-9]{4}")


@dataclass(frozen=True, slots=True)
class Reading:
    """One way to read a value: the format that fits it and the value it gives."""

    format: str
    value: date | datetime | time
    two_digit_year: bool = False


def is_canonical_date(value: object) -> bool:
    """Tell whether a value is a real calendar date written ``YYYY-MM-DD``."""
    if not isinstance(value, str) or _DATE_RE.fullmatch(value) is None:
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def is_canonical_datetime(value: object) -> bool:
    """Tell whether a value is an RFC 3339 date-time with seconds and a UTC offset."""
    if not isinstance(value, str) or _DATETIME_RE.fullmatch(value) is None:
        return False
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def is_canonical_time(value: object) -> bool:
    """Tell whether a value is a real time of day written ``HH:mm:ss`` (fraction and offset
    optional)."""
    if not isinstance(value, str) or _TIME_RE.fullmatch(value) is None:
        return False
    try:
        time.fromisoformat(value)
    except ValueError:
        return False
    return True


def read_week_date(text: str) -> date | None:
    """Read an ISO 8601 week date such as ``2020-W53-1``, or return None for other text.

    Raises InvalidDate for a week that does not exist in its year.
    """
    match = _WEEK_DATE.fullmatch(text.strip())
    if match is None:
        return None
    year, week, weekday = (int(part) for part in match.groups())
    try:
        return date.fromisocalendar(year, week, weekday)
    except ValueError as error:
        weeks = date(year, 12, 28).isocalendar().week if 1 <= year <= 9999 else 0
        raise InvalidDate(f"is not a week date: {year} has {weeks} ISO weeks") from error


def readings(text: str, pivot: int) -> tuple[list[Reading], str | None]:
    """Read text in every format its shape allows.

    Returns the readings that name a real date or time, month-first before day-first before
    year-first, and the reason the first shape-fitting format named no real date (such as
    31 February), or None.
    """
    found: list[Reading] = []
    problem: str | None = None
    for text_format in candidate_formats(text):
        try:
            parsed = parse_format(text_format).read(text, pivot)
        except InvalidDate as error:
            problem = problem or str(error)
            continue
        if parsed is not None:
            found.append(_reading(text_format, parsed))
    return found, problem


def _reading(text_format: str, parsed: Parsed) -> Reading:
    return Reading(text_format, parsed.value, parsed.two_digit_year)


def candidate_formats(text: str) -> list[str]:
    """List the formats, in the date-format tokens, whose shape fits the text.

    The list is built from the text's parts, so a part of one digit gives ``M`` or ``D`` and a
    part of two digits ``MM`` or ``DD``. The formats are not checked against the calendar.
    """
    text = text.strip()
    tail = _TIME_TAIL.search(text)
    if tail is None:
        return _date_formats(text)
    time_format = _time_format(tail)
    date_text = text[: tail.start()]
    if not date_text:
        return [time_format] if tail.group("separator") is None else []
    separator = tail.group("separator")
    if separator is None:
        return []
    if separator.upper() == "T":
        joiner = "T"
    elif "," in separator:
        joiner = ", "
    else:
        joiner = " "
    return [date_format + joiner + time_format for date_format in _date_formats(date_text)]


def _time_format(tail: re.Match[str]) -> str:
    meridiem = tail.group("meridiem")
    parts = ["hh" if meridiem else "HH", ":mm"]
    if tail.group("second"):
        parts.append(":ss")
        if tail.group("fraction"):
            parts.append(tail.group("fraction_mark") + "SSS")
    if meridiem:
        parts.append(" A" if meridiem[0].isspace() else "A")
    offset = tail.group("offset")
    if offset:
        parts.append(" Z" if offset[0].isspace() else "Z")
    return "".join(parts)


def _date_formats(text: str) -> list[str]:
    numeric = _NUMERIC_DATE.fullmatch(text)
    if numeric is not None:
        return _numeric_date_formats(*numeric.groups())
    if _COMPACT_DATE.fullmatch(text):
        return ["YYYYMMDD"]
    return _month_name_formats(text)


def _numeric_date_formats(first: str, separator: str, second: str, third: str) -> list[str]:
    formats = []
    year_last = _year_token(third)
    if year_last and len(first) <= 2:
        month_first = f"{_width('M', first)}{separator}{_width('D', second)}{separator}{year_last}"
        day_first = f"{_width('D', first)}{separator}{_width('M', second)}{separator}{year_last}"
        formats += [month_first, day_first]
    year_first = _year_token(first)
    if year_first and len(third) <= 2:
        formats.append(
            f"{year_first}{separator}{_width('M', second)}{separator}{_width('D', third)}"
        )
    return formats


def _month_name_formats(text: str) -> list[str]:
    match = _DAY_MONTH_NAME.fullmatch(text)
    if match is not None:
        day, separator, name, year = match.groups()
        month = _month_token(name)
        year_token = _year_token(year)
        if month and year_token:
            return [f"{_width('D', day)}{separator}{month}{separator}{year_token}"]
        return []
    match = _MONTH_NAME_DAY.fullmatch(text)
    if match is not None:
        name, day, comma, _year = match.groups()
        month = _month_token(name)
        return [f"{month} {_width('D', day)}{comma} YYYY"] if month else []
    match = _YEAR_MONTH_NAME.fullmatch(text)
    if match is not None:
        _year, name, day = match.groups()
        month = _month_token(name)
        return [f"YYYY-{month}-{_width('D', day)}"] if month else []
    return []


def _width(token: str, digits: str) -> str:
    return token if len(digits) == 1 else token * 2


def _year_token(digits: str) -> str | None:
    return {4: "YYYY", 2: "YY"}.get(len(digits))


def _month_token(name: str) -> str | None:
    if month_number(name) is None:
        return None
    return "MMM" if len(name.rstrip(".")) <= 4 else "MMMM"


def shape_problem(text: str) -> str:
    """Say what keeps text that fits no date format from being a date, in a short phrase."""
    stripped = text.strip()
    if _YEAR_MONTH.fullmatch(stripped):
        return "has a year and a month but no day, and a missing day is never filled in"
    if not stripped:
        return "is empty"
    return "is not a date in any format mapkit reads"
