"""Date-format strings in the tokens ``YYYY YY MM M MMM MMMM DD D HH hh mm ss SSS A Z``.

A format such as ``DD/MM/YYYY`` or ``MMM D, YYYY hh:mm A`` is parsed once into a
:class:`DateFormat` that reads values written in it. Letters other than the tokens and ``T``
must be quoted in square brackets (``YYYY-MM-DD[at]HH:mm``). Epoch and spreadsheet numbers
have their own names: ``unix_seconds``, ``unix_milliseconds`` and ``excel_serial``.
"""

from __future__ import annotations

import calendar
import itertools
import math
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from functools import lru_cache
from typing import Final, Literal

__all__ = [
    "NUMERIC_FORMATS",
    "DateFormat",
    "FormatError",
    "InvalidDate",
    "calendar_problem",
    "expand_two_digit_year",
    "month_number",
    "parse_format",
]

NUMERIC_FORMATS: Final = ("unix_seconds", "unix_milliseconds", "excel_serial")

# Longer tokens come first, so that "MMMM" is not read as "MM" twice.
_TOKENS: Final = ("YYYY", "MMMM", "MMM", "SSS", "YY", "MM", "DD", "HH", "hh", "mm", "ss",
                  "M", "D", "A", "Z")
_FIELD_OF_TOKEN: Final = {
    "YYYY": "year", "YY": "year", "MMMM": "month", "MMM": "month", "MM": "month", "M": "month",
    "DD": "day", "D": "day", "HH": "hour", "hh": "hour", "mm": "minute", "ss": "second",
    "SSS": "fraction", "A": "meridiem", "Z": "offset",
}
_NUMBER_TOKENS: Final = frozenset({"YYYY", "YY", "MM", "M", "DD", "D", "HH", "hh", "mm", "ss",
                                   "SSS"})
_NARROW_TOKENS: Final = frozenset({"M", "D"})
_TWO_DIGIT_TOKENS: Final = frozenset({"MM", "DD", "HH", "hh"})

_MONTHS: Final = ("january", "february", "march", "april", "may", "june", "july", "august",
                  "september", "october", "november", "december")
_MONTH_NUMBERS: Final = {
    **{name: number for number, name in enumerate(_MONTHS, start=1)},
    **{name[:3]: number for number, name in enumerate(_MONTHS, start=1)},
    "sept": 9,
}

# 1899-12-30 is day 0 of Excel's 1900 date system for serials from 61 on, because Excel
# counts a 29 February 1900 that never existed (serial 60).
_EXCEL_EPOCH: Final = date(1899, 12, 30)
_EXCEL_MAX_SERIAL: Final = 2958465  # 9999-12-31

FormatKind = Literal["date", "datetime", "time", "numeric"]


class FormatError(ValueError):
    """A format string not made of the date-format tokens, with ``reason`` and ``fix``."""

    def __init__(self, reason: str, fix: str) -> None:
        self.reason = reason
        self.fix = fix
        super().__init__(f"{reason}. {fix}")


class InvalidDate(ValueError):
    """Parts that fit a format but name no real date or time, such as 31 February."""


def month_number(name: str) -> int | None:
    """Return the month (1-12) for an English month name or abbreviation, any case."""
    return _MONTH_NUMBERS.get(name.lower().rstrip("."))


def expand_two_digit_year(year: int, pivot: int) -> int:
    """Read a two-digit year: below ``pivot`` in the 2000s, otherwise in the 1900s."""
    return 2000 + year if year < pivot else 1900 + year


def calendar_problem(year: int, month: int, day: int) -> str | None:
    """Say why year, month and day name no calendar date, or return None when they do."""
    if not 1 <= year <= 9999:
        return f"has year {year}, outside 1-9999"
    if not 1 <= month <= 12:
        return f"has month {month}, outside 1-12"
    last_day = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last_day:
        month_name = _MONTHS[month - 1].capitalize()
        return f"is not a calendar date: {month_name} {year} has {last_day} days"
    return None


@dataclass(frozen=True, slots=True)
class Parsed:
    """A value read with a format: a date, a datetime (aware or naive) or a time."""

    value: date | datetime | time
    two_digit_year: bool = False


@dataclass(frozen=True, slots=True)
class DateFormat:
    """A parsed date-format string, ready to read values written in it."""

    text: str
    kind: FormatKind
    tokens: tuple[str, ...]
    has_offset: bool
    _pattern: re.Pattern[str] | None

    def read(self, value: object, pivot: int) -> Parsed | None:
        """Read a value written in this format.

        Returns None when the value does not have the format's shape and raises
        :class:`InvalidDate` when it has the shape but names no real date or time.
        """
        if self.kind == "numeric":
            return _read_numeric(self.text, value)
        if not isinstance(value, str) or self._pattern is None:
            return None
        match = self._pattern.fullmatch(value.strip())
        if match is None:
            return None
        return _build(self, match, pivot)

    @property
    def expected(self) -> str:
        """The format as an issue's ``expected`` shows it."""
        return self.text


@lru_cache(maxsize=512)
def parse_format(text: str) -> DateFormat:
    """Parse a date-format string, raising :class:`FormatError` when it is not one."""
    if text in NUMERIC_FORMATS:
        return DateFormat(text, "numeric", (text,), has_offset=True, _pattern=None)
    tokens = _tokenize(text)
    fields = [_FIELD_OF_TOKEN[token] for token in tokens if token in _FIELD_OF_TOKEN]
    _check_fields(text, fields, tokens)
    kind: FormatKind
    if "year" in fields and "hour" in fields:
        kind = "datetime"
    elif "year" in fields:
        kind = "date"
    else:
        kind = "time"
    pattern = re.compile(_regex(tokens), re.IGNORECASE)
    return DateFormat(text, kind, tokens, has_offset="offset" in fields, _pattern=pattern)


def _tokenize(text: str) -> tuple[str, ...]:
    tokens: list[str] = []
    position = 0
    while position < len(text):
        if text[position] == "[":
            end = text.find("]", position)
            if end == -1:
                raise FormatError(
                    "a literal opened with [ is never closed",
                    "Close the literal with ], as in YYYY-MM-DD[T]HH:mm",
                )
            tokens.append("'" + text[position + 1:end])
            position = end + 1
            continue
        token = next((candidate for candidate in _TOKENS if text.startswith(candidate, position)),
                     None)
        if token is not None:
            tokens.append(token)
            position += len(token)
            continue
        char = text[position]
        if char.isalpha() and char != "T":
            raise FormatError(
                f"{char!r} is not a date-format token",
                "Use the tokens YYYY YY MM M MMM MMMM DD D HH hh mm ss SSS A Z, or quote "
                "literal letters in square brackets",
            )
        tokens.append("'" + char)
        position += 1
    return tuple(tokens)


def _check_fields(text: str, fields: list[str], tokens: tuple[str, ...]) -> None:
    duplicates = sorted({field for field in fields if fields.count(field) > 1})
    if duplicates:
        raise FormatError(f"the {duplicates[0]} appears twice",
                          "Write each part of the date once")
    present = set(fields)
    date_parts = present & {"year", "month", "day"}
    if date_parts and date_parts != {"year", "month", "day"}:
        raise FormatError(
            f"only part of a date is given ({', '.join(sorted(date_parts))})",
            "A date format needs year, month and day, for example YYYY-MM-DD",
        )
    if not date_parts and not {"hour", "minute"} <= present:
        raise FormatError(
            "no date and no time is given",
            "Use tokens such as YYYY-MM-DD, HH:mm or both",
        )
    _check_time_fields(text, present, tokens)
    _check_adjacent_numbers(text, tokens)


def _check_time_fields(text: str, present: set[str], tokens: tuple[str, ...]) -> None:
    if ("hour" in present) != ("minute" in present):
        raise FormatError("an hour comes without minutes, or minutes without an hour",
                          "Write times as HH:mm or hh:mm A")
    if "second" in present and "minute" not in present:
        raise FormatError("seconds come without minutes", "Write HH:mm:ss")
    if "fraction" in present and "second" not in present:
        raise FormatError("fractions of a second come without seconds",
                          "Write HH:mm:ss.SSS")
    if ("hh" in tokens) != ("A" in tokens):
        raise FormatError(
            "the 12-hour and the 24-hour clock are mixed",
            "Use hh with A for a 12-hour clock (hh:mm A) and HH alone for a 24-hour clock",
        )
    if {"offset", "meridiem"} & present and "hour" not in present:
        raise FormatError("an offset or AM/PM comes without a time",
                          "Add the time, for example HH:mm")


def _check_adjacent_numbers(text: str, tokens: tuple[str, ...]) -> None:
    for first, second in itertools.pairwise(tokens):
        if first in _NUMBER_TOKENS and second in _NUMBER_TOKENS and (
            first in _NARROW_TOKENS or second in _NARROW_TOKENS
        ):
            raise FormatError(
                f"the one-or-two-digit {first if first in _NARROW_TOKENS else second} sits "
                "directly next to another number, so the digits cannot be split",
                "Use the two-digit tokens MM and DD there",
            )


def _regex(tokens: tuple[str, ...]) -> str:
    parts = []
    for index, token in enumerate(tokens):
        if token.startswith("'"):
            literal = token[1:]
            parts.append(r"\s+" if literal.isspace() else re.escape(literal))
            continue
        before = tokens[index - 1] if index > 0 else None
        after = tokens[index + 1] if index + 1 < len(tokens) else None
        parts.append(_token_regex(token, before, after))
    return "".join(parts)


def _token_regex(token: str, before: str | None, after: str | None) -> str:
    group = f"(?P<{_FIELD_OF_TOKEN[token]}>"
    delimited = before not in _NUMBER_TOKENS and after not in _NUMBER_TOKENS
    if token == "YYYY":
        return group + r"[0-9]{4})"
    if token in _NARROW_TOKENS or (token in _TWO_DIGIT_TOKENS and delimited):
        # A separated month, day or hour may drop its leading zero: 1/5/2025 fits MM/DD/YYYY.
        return group + r"[0-9]{1,2})"
    if token in {"YY", "mm", "ss"} or token in _TWO_DIGIT_TOKENS:
        return group + r"[0-9]{2})"
    if token in {"MMM", "MMMM"}:
        return group + r"[A-Za-z]{3,9}\.?)"
    if token == "SSS":
        return group + r"[0-9]{1,9})"
    if token == "A":
        return group + r"[AaPp]\.?[Mm]\.?)"
    return group + r"Z|[+-][0-9]{2}(?::?[0-9]{2})?)"


def _build(fmt: DateFormat, match: re.Match[str], pivot: int) -> Parsed:
    parts = match.groupdict()
    two_digit_year = "YY" in fmt.tokens
    moment: time | None = None
    if fmt.kind in ("datetime", "time"):
        moment = _build_time(parts)
    if fmt.kind == "time":
        assert moment is not None
        return Parsed(moment)

    day_value = _build_date(parts, pivot, two_digit_year)
    if moment is None:
        return Parsed(day_value, two_digit_year)
    return Parsed(datetime.combine(day_value, moment), two_digit_year)


def _build_date(parts: dict[str, str | None], pivot: int, two_digit_year: bool) -> date:
    year_text, month_text, day_text = parts["year"], parts["month"], parts["day"]
    assert year_text is not None
    assert month_text is not None
    assert day_text is not None
    year = int(year_text)
    if two_digit_year:
        year = expand_two_digit_year(year, pivot)
    month = int(month_text) if month_text.isdigit() else month_number(month_text)
    if month is None:
        raise InvalidDate(f"has {month_text!r}, which is not an English month name")
    day = int(day_text)
    problem = calendar_problem(year, month, day)
    if problem is not None:
        raise InvalidDate(problem)
    return date(year, month, day)


def _build_time(parts: dict[str, str | None]) -> time:
    hour = int(parts["hour"] or 0)
    minute = int(parts["minute"] or 0)
    second = int(parts.get("second") or 0)
    meridiem = parts.get("meridiem")
    if meridiem is not None:
        if not 1 <= hour <= 12:
            raise InvalidDate(f"has hour {hour} on a 12-hour clock, outside 1-12")
        is_pm = meridiem.lower().startswith("p")
        hour = hour % 12 + (12 if is_pm else 0)
    if hour > 23 or minute > 59 or second > 59:
        clock = f"{hour:02d}:{minute:02d}:{second:02d}"
        raise InvalidDate(f"has the time {clock}, which does not exist")
    microsecond = _microseconds(parts.get("fraction"))
    tzinfo = _offset(parts.get("offset"))
    return time(hour, minute, second, microsecond, tzinfo=tzinfo)


def _microseconds(fraction: str | None) -> int:
    if not fraction:
        return 0
    if len(fraction) > 6 and fraction[6:].strip("0"):
        raise InvalidDate("has fractions of a second finer than a microsecond, which would be lost")
    return int(fraction[:6].ljust(6, "0"))


def _offset(text: str | None) -> timezone | None:
    if text is None:
        return None
    if text.upper() == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    if hours > 23 or minutes > 59:
        raise InvalidDate(f"has the UTC offset {text}, which does not exist")
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _read_numeric(name: str, value: object) -> Parsed | None:
    number = _as_number(value)
    if number is None:
        return None
    if name == "excel_serial":
        return Parsed(_excel_date(number))
    seconds = number / 1000 if name == "unix_milliseconds" else number
    try:
        return Parsed(datetime.fromtimestamp(seconds, tz=UTC))
    except (OverflowError, OSError, ValueError) as error:
        raise InvalidDate(f"is outside the range of dates as {name}") from error


def _excel_date(serial: float) -> date | datetime:
    whole = int(serial)
    if not 1 <= whole <= _EXCEL_MAX_SERIAL:
        raise InvalidDate(f"is outside the Excel serial range 1-{_EXCEL_MAX_SERIAL}")
    if whole == 60:
        raise InvalidDate("is Excel's serial for 29 February 1900, a day that never existed")
    day = _EXCEL_EPOCH + timedelta(days=whole if whole > 60 else whole + 1)
    if serial == whole:
        return day
    # The fraction is the time of day; serials carry no time zone, so the result is naive.
    return datetime.combine(day, time()) + timedelta(days=serial - whole)


def _as_number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, str) and re.fullmatch(r"\s*[0-9]+(?:\.[0-9]+)?\s*", value):
        return float(value)
    return None
