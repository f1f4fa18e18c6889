"""Dates, date-times and times.

Canonical forms are ISO 8601: ``2025-01-12``, ``2025-01-12T09:30:00+01:00``, ``09:30:00``.
A declared ``format`` names how values arrive, so values in it are valid and convert. Without
one, a value that reads as exactly one date converts, and one that reads as several (``12/01/2025``)
is reported as ambiguous with every reading. Numbers become dates only with a declared
``excel_serial``, ``unix_seconds`` or ``unix_milliseconds`` format. Impossible dates are
invalid and missing parts are never filled in.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from typing import Any

from mapkit.dates import (
    Reading,
    is_canonical_date,
    is_canonical_datetime,
    is_canonical_time,
    read_week_date,
    readings,
    shape_problem,
)
from mapkit.formats import DateFormat, InvalidDate, Parsed
from mapkit.options import ValidationOptions
from mapkit.schema import ScalarSpec
from mapkit.types.base import Finding, Problem, convertible, invalid

__all__ = ["read_date", "read_datetime", "read_time"]

_NUMBER_HINT = ('declare the format, such as {"type": "date", "format": "excel_serial"} '
                'or "unix_seconds"')


def read_date(value: Any, spec: ScalarSpec, options: ValidationOptions) -> Finding:
    """Read a value as a calendar date and convert it to ``YYYY-MM-DD``."""
    if spec.format is not None:
        return _read_declared(value, spec.format, options, _date_of, is_canonical_date)
    if is_canonical_date(value):
        return Finding(value)
    if isinstance(value, datetime):
        return _date_from_datetime(value, value)
    if isinstance(value, date):
        return convertible(value.isoformat(), "is a Python date, not YYYY-MM-DD text")
    if isinstance(value, int | float) and not isinstance(value, bool):
        return invalid(value, "type_mismatch", "is a number, not a date", hint=_NUMBER_HINT)
    if not isinstance(value, str):
        return invalid(value, "type_mismatch", "is not a date")

    try:
        week_date = read_week_date(value)
    except InvalidDate as error:
        return invalid(value, "invalid_date", str(error))
    if week_date is not None:
        return convertible(week_date.isoformat(), "is an ISO week date, not YYYY-MM-DD",
                           code="invalid_date_format")
    return _date_from_text(value, options)


def _date_from_text(value: str, options: ValidationOptions) -> Finding:
    found, calendar_problem = readings(value, options.two_digit_year_pivot)
    if not found:
        if calendar_problem is not None:
            return invalid(value, "invalid_date", calendar_problem)
        return invalid(value, "invalid_date_format", shape_problem(value))

    dates = [reading for reading in found if type(reading.value) is date]
    if not dates:
        moments = [reading.value for reading in found if isinstance(reading.value, datetime)]
        if not moments:
            return invalid(value, "invalid_date_format", "is a time, not a date")
        return _date_from_datetime(value, *moments)
    return _single_or_ambiguous(value, dates, options, "YYYY-MM-DD")


def _single_or_ambiguous(value: str, found: list[Reading], options: ValidationOptions,
                         canonical_form: str) -> Finding:
    distinct: dict[str, Reading] = {}
    for reading in found:
        distinct.setdefault(_iso(reading.value), reading)
    if len(distinct) > 1:
        kind = "date" if canonical_form == "YYYY-MM-DD" else "datetime"
        example = next(iter(distinct.values())).format
        return invalid(
            value, "ambiguous_date",
            "is ambiguous: it reads as " + _orders(list(distinct.values())),
            suggestion=list(distinct),
            hint=f'declare the format in the schema, such as {{"type": "{kind}", '
                 f'"format": "{example}"}}',
        )
    canonical, reading = next(iter(distinct.items()))
    reason = f"is written {reading.format}, not {canonical_form}"
    if not reading.two_digit_year:
        return convertible(canonical, reason, code="invalid_date_format")
    century = (f"{reason}, and its two-digit year was read as {canonical[:4]} "
               f"(two_digit_year_pivot {options.two_digit_year_pivot})")
    return Finding(canonical, Problem(
        "invalid_date_format", century, canonical, convertible=True,
        hint="declare the format to confirm that century, or set two_digit_year_pivot",
        coerced_severity="warning",
    ))


def _orders(found: list[Reading]) -> str:
    names = []
    for reading in found:
        first = reading.format.lstrip("[").upper()[:1]
        names.append({"M": "month first", "D": "day first", "Y": "year first"}.get(first,
                                                                                  reading.format))
    return " or ".join(f"{name} ({reading.format})" for name, reading in zip(names, found,
                                                                             strict=True))


def _date_from_datetime(value: Any, *moments: datetime) -> Finding:
    """Report a date-time given for a date; only a bare midnight converts without loss."""
    local_dates = {moment.date().isoformat() for moment in moments}
    if len(moments) == 1:
        moment = moments[0]
        is_midnight = moment.time() == time(0)
        offset = moment.utcoffset()
        if is_midnight and (offset is None or not offset):
            return convertible(moment.date().isoformat(), "is a date-time at midnight, not a date",
                               code="invalid_date_format")
        if offset is not None and offset:
            utc_date = moment.astimezone(UTC).date().isoformat()
            local_date = moment.date().isoformat()
            if utc_date != local_date:
                return invalid(
                    value, "ambiguous_date",
                    f"is a date-time, not a date: dropping the time gives {local_date} but "
                    f"converting to UTC first gives {utc_date}",
                    suggestion=[local_date, utc_date],
                )
        return invalid(value, "invalid_date_format",
                       "is a date-time, not a date, and dropping its time would lose it",
                       suggestion=moment.date().isoformat())
    return invalid(value, "ambiguous_date", "is an ambiguous date-time, not a date",
                   suggestion=sorted(local_dates))


def read_datetime(value: Any, spec: ScalarSpec, options: ValidationOptions) -> Finding:
    """Read a value as a date-time with a UTC offset, in ISO 8601."""
    if spec.format is not None:
        return _read_declared(value, spec.format, options, _datetime_of,
                              is_canonical_datetime)
    if is_canonical_datetime(value):
        return Finding(value)
    if isinstance(value, datetime):
        return _with_offset(value, value, options, "is a Python datetime, not ISO 8601 text")
    if isinstance(value, int | float) and not isinstance(value, bool):
        return invalid(value, "type_mismatch", "is a number, not a date-time",
                       hint='declare the format, such as {"type": "datetime", '
                            '"format": "unix_seconds"}')
    if not isinstance(value, str):
        return invalid(value, "type_mismatch", "is not a date-time")

    found, calendar_problem = readings(value, options.two_digit_year_pivot)
    moments = [reading for reading in found if isinstance(reading.value, datetime)]
    if moments:
        return _datetime_from_readings(value, moments, options)
    if found:
        return invalid(value, "invalid_date_format", "has no time of day, and none is filled in")
    if calendar_problem is not None:
        return invalid(value, "invalid_date", calendar_problem)
    return invalid(value, "invalid_date_format", shape_problem(value))


def _datetime_from_readings(value: str, moments: list[Reading],
                            options: ValidationOptions) -> Finding:
    zoned = []
    for reading in moments:
        assert isinstance(reading.value, datetime)
        attached = _attach_zone(reading.value, options)
        if attached is None:
            return _no_offset(value)
        zoned.append(Reading(reading.format, attached, reading.two_digit_year))
    return _single_or_ambiguous(value, zoned, options, "YYYY-MM-DDTHH:mm:ssZ")


def _with_offset(value: Any, moment: datetime, options: ValidationOptions,
                 reason: str) -> Finding:
    attached = _attach_zone(moment, options)
    if attached is None:
        return _no_offset(value)
    return convertible(attached.isoformat(), reason, code="invalid_date_format")


def _attach_zone(moment: datetime, options: ValidationOptions) -> datetime | None:
    if moment.utcoffset() is not None:
        return moment
    if options.default_timezone is None:
        return None
    return moment.replace(tzinfo=zoneinfo.ZoneInfo(options.default_timezone))


def _no_offset(value: Any) -> Finding:
    return invalid(value, "invalid_date_format",
                   "has no UTC offset, so the moment it names is unknown",
                   hint="send the offset (such as +01:00 or Z), or set default_timezone")


def read_time(value: Any, spec: ScalarSpec, options: ValidationOptions) -> Finding:
    """Read a value as a time of day and convert it to ``HH:mm:ss``."""
    if spec.format is not None:
        return _read_declared(value, spec.format, options, _time_of, is_canonical_time)
    if is_canonical_time(value):
        return Finding(value)
    if isinstance(value, time):
        return convertible(value.isoformat(), "is a Python time, not HH:mm:ss text",
                           code="invalid_format")
    if not isinstance(value, str):
        return invalid(value, "type_mismatch", "is not a time of day")

    found, calendar_problem = readings(value, options.two_digit_year_pivot)
    times = [reading for reading in found if type(reading.value) is time]
    if len(times) == 1:
        return convertible(_iso(times[0].value), f"is written {times[0].format}, not HH:mm:ss",
                           code="invalid_format")
    if found:
        return invalid(value, "invalid_format", "is a date or a date-time, not a time of day")
    return invalid(value, "invalid_format", calendar_problem or "is not a time of day")


def _read_declared(value: Any, declared: DateFormat, options: ValidationOptions,
                   finish: Callable[[Any, Parsed, ValidationOptions], Finding],
                   is_canonical: Callable[[Any], bool]) -> Finding:
    """Read a value in its declared format; canonical ISO 8601 text passes too."""
    try:
        parsed = declared.read(value, options.two_digit_year_pivot)
    except InvalidDate as error:
        return invalid(value, "invalid_date", str(error))
    if parsed is not None:
        return finish(value, parsed, options)
    if is_canonical(value):
        return Finding(value)
    kind = "a number" if declared.kind == "numeric" else f"text in the form {declared.text}"
    return invalid(value, "invalid_date_format",
                   f"does not match the declared format {declared.text}", hint=f"send {kind}")


def _date_of(value: Any, parsed: Parsed, options: ValidationOptions) -> Finding:
    moment = parsed.value
    if isinstance(moment, datetime):
        if moment.time() != time(0):
            return invalid(value, "invalid_date_format",
                           "has a time of day, which a date field would lose",
                           suggestion=moment.date().isoformat())
        moment = moment.date()
    return Finding(_iso(moment))


def _datetime_of(value: Any, parsed: Parsed, options: ValidationOptions) -> Finding:
    assert isinstance(parsed.value, datetime)
    attached = _attach_zone(parsed.value, options)
    if attached is None:
        return _no_offset(value)
    return Finding(attached.isoformat())


def _time_of(value: Any, parsed: Parsed, options: ValidationOptions) -> Finding:
    return Finding(_iso(parsed.value))


def _iso(value: date | datetime | time) -> str:
    return value.isoformat()
