"""Detect the date format of one value or of a column of values.

Every value contributes the formats it fits; the column's format is the one that the most
values fit. So a column is decided by its unambiguous values (``20/12/98`` only fits
day-first), the result does not depend on row order, and a column where month-first and
day-first tie (every value ``12/01/2025``-like) is reported as ambiguous with both candidates.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

from mapkit.dates import candidate_formats
from mapkit.formats import FormatError, InvalidDate, parse_format
from mapkit.options import DEFAULT_NULL_TOKENS, DEFAULT_TWO_DIGIT_YEAR_PIVOT

__all__ = ["DateFormatGuess", "detect_date_format"]

# Numbers are read as dates only inside these ranges, which cover 1900-2199 for spreadsheet
# serials and 1973-2286 for epochs, so that the three readings never overlap. A salary such as
# 45678 also fits as a serial, which is why numbers become dates only on request.
_EXCEL_SERIALS: Final = (1, (date(2200, 1, 1) - date(1899, 12, 30)).days)
_UNIX_SECONDS: Final = (10**8, 10**10)
_UNIX_MILLISECONDS: Final = (10**11, 10**13)
_NUMBER_TEXT: Final = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_MAX_UNMATCHED: Final = 100

_GENERAL_TOKEN: Final = {"MM": "M", "DD": "D", "MMMM": "MMM"}
_ORDER_RANK: Final = {"M": 0, "D": 1, "Y": 2}


@dataclass(frozen=True, slots=True)
class DateFormatGuess:
    """The date format of a column, or every candidate when the column cannot tell them apart.

    ``format`` is None when ``ambiguous`` is true or when no value looks like a date.
    ``candidates`` lists the formats that fit the most values (only ``format`` when there is
    one). ``matched`` counts the values that fit them, out of ``total`` non-null values, and
    ``unmatched`` contains up to 100 values that fit none of them. ``kind`` is ``date``,
    ``datetime`` or ``time``.
    """

    format: str | None
    ambiguous: bool
    candidates: tuple[str, ...]
    matched: int
    total: int
    unmatched: tuple[Any, ...] = ()
    kind: str | None = None


@dataclass
class _Tally:
    count: int = 0
    narrow: set[str] = field(default_factory=set)


def detect_date_format(values: Iterable[Any] | str | int | float, *,
                       two_digit_year_pivot: int = DEFAULT_TWO_DIGIT_YEAR_PIVOT,
                       null_tokens: Iterable[str] = DEFAULT_NULL_TOKENS) -> DateFormatGuess:
    """Detect the date format of a value or a column of values.

    Nulls and null tokens are skipped. Numbers fit ``excel_serial``, ``unix_seconds`` or
    ``unix_milliseconds`` by their size; text fits the formats its parts allow.
    """
    if isinstance(values, str | int | float):
        values = [values]
    tokens = frozenset(token.strip() for token in null_tokens)
    present = [value for value in values
               if value is not None and not (isinstance(value, str) and value.strip() in tokens)]

    tallies: dict[str, _Tally] = {}
    fits_by_value = []
    for value in present:
        fits = _fits(value, two_digit_year_pivot)
        fits_by_value.append(fits)
        for key, narrow in fits.items():
            tally = tallies.setdefault(key, _Tally())
            tally.count += 1
            tally.narrow |= narrow
    return _decide(present, fits_by_value, tallies)


def _decide(present: list[Any], fits_by_value: list[dict[str, set[str]]],
            tallies: dict[str, _Tally]) -> DateFormatGuess:
    if not tallies:
        return DateFormatGuess(None, False, (), 0, len(present), _first(present))
    best = max(tally.count for tally in tallies.values())
    top = sorted((key for key, tally in tallies.items() if tally.count == best), key=_rank)
    candidates = tuple(_render(key, tallies[key].narrow) for key in top)
    unmatched = [value for value, fits in zip(present, fits_by_value, strict=True)
                 if not set(fits) & set(top)]
    kind = _kind(candidates[0])
    if len(candidates) == 1:
        return DateFormatGuess(candidates[0], False, candidates, best, len(present),
                               _first(unmatched), kind)
    return DateFormatGuess(None, True, candidates, best, len(present), _first(unmatched), kind)


def _first(values: list[Any]) -> tuple[Any, ...]:
    return tuple(values[:_MAX_UNMATCHED])


def _fits(value: Any, pivot: int) -> dict[str, set[str]]:
    """Map each general format the value fits to the narrow tokens (M, D) it used."""
    fits: dict[str, set[str]] = {name: set() for name in _numeric_formats(value)}
    if not isinstance(value, str):
        return fits
    for text_format in candidate_formats(value):
        try:
            parsed = parse_format(text_format).read(value, pivot)
        except InvalidDate:
            continue
        if parsed is None:
            continue
        key, narrow = _generalize(text_format)
        fits.setdefault(key, set()).update(narrow)
    return fits


def _numeric_formats(value: Any) -> list[str]:
    if isinstance(value, bool):
        return []
    if isinstance(value, str):
        text = value.strip()
        if _NUMBER_TEXT.fullmatch(text) is None:
            return []
        # str.strip() removes separators such as \x1f that float() rejects, so the stripped
        # text that passed the check is the one converted.
        number = float(text)
    elif isinstance(value, int | float):
        number = float(value)
    else:
        return []
    if not math.isfinite(number):
        return []
    formats = []
    if _EXCEL_SERIALS[0] <= number < _EXCEL_SERIALS[1] and int(number) != 60:
        formats.append("excel_serial")
    if _UNIX_SECONDS[0] <= number < _UNIX_SECONDS[1]:
        formats.append("unix_seconds")
    if _UNIX_MILLISECONDS[0] <= number < _UNIX_MILLISECONDS[1]:
        formats.append("unix_milliseconds")
    return formats


def _generalize(text_format: str) -> tuple[str, set[str]]:
    """Turn MM into M, DD into D and MMMM into MMM, noting which narrow tokens were used."""
    parts = []
    narrow = set()
    for token in parse_format(text_format).tokens:
        if token.startswith("'"):
            parts.append(token[1:])
            continue
        if token in ("M", "D", "MMM"):
            narrow.add(token)
        parts.append(_GENERAL_TOKEN.get(token, token))
    key = "".join(parts)
    try:
        parse_format(key)
    except FormatError:
        return text_format, set()  # YYYYMMDD: its digits only split at fixed widths
    return key, narrow


def _render(key: str, narrow: set[str]) -> str:
    if key in ("excel_serial", "unix_seconds", "unix_milliseconds"):
        return key
    parts = []
    for token in parse_format(key).tokens:
        if token.startswith("'"):
            parts.append(token[1:])
        elif token in ("M", "D") and token not in narrow:
            parts.append(token * 2)
        elif token == "MMM" and "MMM" not in narrow:
            parts.append("MMMM")
        else:
            parts.append(token)
    return "".join(parts)


def _rank(key: str) -> tuple[int, str]:
    first_letter = next((char for char in key if char.isalpha()), "")
    return _ORDER_RANK.get(first_letter, 3), key


def _kind(text_format: str) -> str:
    parsed = parse_format(text_format)
    if parsed.kind == "numeric":
        return "date" if text_format == "excel_serial" else "datetime"
    return parsed.kind
