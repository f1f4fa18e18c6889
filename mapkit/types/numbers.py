"""Integers and numbers: JSON numbers, and text such as ``"42"``, ``1,234.50`` or ``1.234,56``.

Text is read with its group and decimal marks. Both marks present (``1,234.50``) settle which
is which, and so do two group marks (``1.234.567``) or a mark followed by other than three
digits (``3,5``). A single mark followed by exactly three digits (``1,234``) could be either.
``decimal_comma`` settles it, and when that is None such text is reported as ambiguous.
"""

from __future__ import annotations

import math
import re
from typing import Any, Final

from mapkit.options import ValidationOptions
from mapkit.schema import ScalarSpec
from mapkit.types.base import Finding, Problem, convertible, invalid, type_mismatch
from mapkit.types.phones import is_canonical_phone

__all__ = ["is_canonical_integer", "is_canonical_number", "read_integer", "read_number",
           "read_number_text"]

# Integers up to 2**53 are exact as IEEE 754 doubles; above it a float may already be rounded.
_EXACT_FLOAT_LIMIT: Final = 2**53

_NUMBER_TEXT: Final = re.compile(r"([+\-\u2212]?)([0-9][0-9,.'\u00a0\u202f ]*|[.,][0-9]+)")
_EXPONENT_TEXT: Final = re.compile(r"[+\-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)[eE][+\-]?[0-9]+")
_SPACE_GROUP_MARKS: Final = frozenset(" '\u00a0\u202f")
_ZERO_PADDED: Final = re.compile(r"[+\-\u2212]?0[0-9]")
_NOT_FINITE_WORDS: Final = frozenset({"nan", "inf", "+inf", "-inf", "infinity", "+infinity",
                                      "-infinity"})


def is_canonical_integer(value: Any) -> bool:
    """Tell whether a value is a JSON integer (a Python int that is not a bool)."""
    return isinstance(value, int) and not isinstance(value, bool)


def is_canonical_number(value: Any) -> bool:
    """Tell whether a value is a finite JSON number."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, float) and math.isfinite(value)


def read_integer(value: Any, spec: ScalarSpec, options: ValidationOptions) -> Finding:
    """Read a value as an integer: ``42``, ``42.0`` and ``"42"`` pass, ``42.5`` never does."""
    if is_canonical_integer(value):
        return Finding(value)
    if isinstance(value, float):
        return _integer_from_float(value)
    if not isinstance(value, str):
        return type_mismatch(value, "an integer")

    readings = read_number_text(value, _decimal_comma(spec, options))
    if readings is None:
        return _not_a_number(value)
    whole = [reading for reading in readings if _is_whole(reading)]
    if not whole:
        return invalid(value, "type_mismatch", "has a fractional part, so it is not an integer")
    return _from_text(value, int(whole[0]), "is text, not a JSON integer")


def read_number(value: Any, spec: ScalarSpec, options: ValidationOptions) -> Finding:
    """Read a value as a finite number, from a JSON number or from number text."""
    if is_canonical_number(value):
        return Finding(value)
    if isinstance(value, float):
        return _not_finite(value)
    if not isinstance(value, str):
        return type_mismatch(value, "a number")

    readings = read_number_text(value, _decimal_comma(spec, options))
    if readings is None:
        return _not_a_number(value)
    if len(readings) > 1:
        return invalid(
            value, "invalid_format",
            "is ambiguous: its one separator may group thousands or mark the decimals",
            suggestion=list(readings),
            hint="set decimal_comma to say which separator marks the decimals",
        )
    return _from_text(value, readings[0], "is text, not a JSON number")


def _from_text(text: str, number: int | float, reason: str) -> Finding:
    """Convert number text, keeping a warning where the number drops what the text meant.

    Zero-padded digits (01001) are often codes whose leading zeros the number drops, and a
    valid phone number in E.164 (+14155550100) loses its plus sign and reads as a count.
    """
    stripped = text.strip()
    if is_canonical_phone(stripped):
        return _convert_with_warning(
            number, f"{reason}, and it is a phone number whose + sign is dropped",
            'declare the field "phone" to keep it in E.164',
        )
    if _ZERO_PADDED.match(stripped) is not None:
        return _convert_with_warning(
            number, f"{reason}, and its leading zeros are dropped",
            'declare the field "string" if the digits are a code such as a ZIP or FIPS code',
        )
    return convertible(number, reason)


def _convert_with_warning(number: int | float, message: str, hint: str) -> Finding:
    problem = Problem("type_mismatch", message, number, convertible=True,
                      coerced_severity="warning", hint=hint)
    return Finding(number, problem)


def _decimal_comma(spec: ScalarSpec, options: ValidationOptions) -> bool | None:
    return spec.decimal_comma if spec.decimal_comma is not None else options.decimal_comma


def _is_whole(number: int | float) -> bool:
    return isinstance(number, int) or (number.is_integer() and abs(number) < _EXACT_FLOAT_LIMIT)


def _integer_from_float(value: float) -> Finding:
    if not math.isfinite(value):
        return _not_finite(value)
    if not value.is_integer():
        return invalid(value, "type_mismatch", "has a fractional part, so it is not an integer")
    if abs(value) >= _EXACT_FLOAT_LIMIT:
        return invalid(value, "type_mismatch",
                       "is a decimal number above 2**53, which may already have lost digits",
                       hint="send it as an integer literal or as a string of digits")
    return convertible(int(value), "is written as a decimal number")


def _not_finite(value: float) -> Finding:
    word = "NaN" if math.isnan(value) else "infinite"
    return invalid(value, "type_mismatch", f"is {word}, which is not a JSON number")


def _not_a_number(value: str) -> Finding:
    if value.strip().lower() in _NOT_FINITE_WORDS:
        return invalid(value, "type_mismatch", "is NaN or infinity, which is not a JSON number")
    return invalid(value, "invalid_format", "is not a number")


def read_number_text(text: str, decimal_comma: bool | None) -> tuple[int | float, ...] | None:
    """Read number text into its possible values: one, two when ambiguous, None when not a number.

    Whole numbers come back as exact ints of any size; others as floats. Infinite results
    (``"1e999"``) count as not a number.
    """
    stripped = text.strip()
    if _EXPONENT_TEXT.fullmatch(stripped):
        return _finite((float(stripped),))
    match = _NUMBER_TEXT.fullmatch(stripped)
    if match is None:
        return None
    sign = "-" if match.group(1) in ("-", "\u2212") else ""
    body = match.group(2)
    splits = _decimal_splits(body, decimal_comma)
    if splits is None:
        return None
    values: list[int | float] = []
    for integer_part, fraction in splits:
        number = _to_number(sign, integer_part, fraction)
        if number is not None and number not in values:
            values.append(number)
    return _finite(tuple(values)) if values else None


def _decimal_splits(body: str, decimal_comma: bool | None) -> list[tuple[str, str | None]] | None:
    """Split number text into (integer digits with group marks, fraction digits) readings."""
    marks = [char for char in body if not char.isdigit()]
    if not marks:
        return [(body, None)]
    if any(mark in _SPACE_GROUP_MARKS for mark in marks) and not (set(marks) - _SPACE_GROUP_MARKS):
        return _grouped(body, None)
    last = max(body.rfind(","), body.rfind("."))
    decimal_mark = body[last]
    if marks.count(decimal_mark) == 1 and set(marks) - {decimal_mark}:
        return _grouped(body[:last], body[last + 1:])
    if marks.count(decimal_mark) > 1:
        return _grouped(body, None)

    # One "," or "." and nothing else: it can group thousands only before exactly three digits.
    integer_part, fraction = body[:last], body[last + 1:]
    can_group = len(fraction) == 3 and 1 <= len(integer_part) <= 3 and integer_part[0] != "0"
    if not can_group:
        return _grouped(integer_part, fraction)
    if decimal_comma is None:
        return (_grouped(integer_part + fraction, None) or []) + (
            _grouped(integer_part, fraction) or [])
    marks_decimals = (decimal_mark == ",") == decimal_comma
    return _grouped(integer_part, fraction) if marks_decimals else _grouped(body, None)


def _grouped(integer_text: str, fraction: str | None) -> list[tuple[str, str | None]] | None:
    if fraction is not None and not fraction.isdigit():
        return None
    marks = {char for char in integer_text if not char.isdigit()}
    if len(marks) > 1:
        return None
    if marks:
        groups = integer_text.split(marks.pop())
        if not 1 <= len(groups[0]) <= 3 or any(len(group) != 3 for group in groups[1:]):
            return None
    digits = "".join(char for char in integer_text if char.isdigit())
    if not digits and not fraction:
        return None
    return [(digits or "0", fraction)]


def _to_number(sign: str, digits: str, fraction: str | None) -> int | float | None:
    if fraction is None or not fraction.strip("0"):
        return int(sign + digits)
    return float(f"{sign}{digits}.{fraction}")


def _finite(values: tuple[int | float, ...]) -> tuple[int | float, ...] | None:
    if any(isinstance(value, float) and not math.isfinite(value) for value in values):
        return None
    return values



def decimal_comma_evidence(texts: list[str]) -> bool | None:
    """Tell from a column of number text whether the comma marks the decimals.

    True when some value shows a decimal comma (``3,5``, ``1.234,56``) and none shows a
    decimal point, False for the reverse, None when the column shows neither or both.
    """
    marks = {_decimal_mark(text) for text in texts} - {None}
    if len(marks) != 1:
        return None
    return marks == {","}


def decimal_comma_setting(texts: list[str]) -> bool | None:
    """Return the decimal_comma a column of number text needs declared, or None.

    True when the column shows decimal commas. False when it shows decimal points and some
    value (``1,234``) would be ambiguous on its own. None when nothing needs declaring.
    """
    evidence = decimal_comma_evidence(texts)
    if evidence is None or evidence:
        return evidence
    ambiguous_alone = any(len(read_number_text(text, None) or ()) > 1 for text in texts)
    return False if ambiguous_alone else None


def _decimal_mark(text: str) -> str | None:
    """Return the mark that certainly separates the decimals in number text, if any."""
    match = _NUMBER_TEXT.fullmatch(text.strip())
    if match is None:
        return None
    body = match.group(2)
    splits = _decimal_splits(body, None)
    if splits is None or len(splits) != 1 or splits[0][1] is None:
        return None
    fraction = splits[0][1]
    return body[len(body) - len(fraction) - 1]
