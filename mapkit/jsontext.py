"""Validate a payload that arrives as JSON text, catching what a JSON parser hides.

Python's ``json`` module keeps the last of two equal keys, reads ``NaN`` and ``Infinity``
(which are not JSON) and turns ``1e999`` into infinity. Each of those is an issue here, at the
field where it occurs; the rest of the payload is validated as ``mapkit.validate`` would.
"""

from __future__ import annotations

import json
import math
import sys
from typing import Any

from mapkit.api import validate_parsed
from mapkit.issues import ABSENT, Issue, ValidationResult
from mapkit.options import ValidationOptions
from mapkit.paths import ROOT, join_index, join_key

__all__ = ["JsonTextError", "parse_json_text", "validate_json"]


class JsonTextError(ValueError):
    """Text that is not JSON; the message gives the line and column.

    ``problem`` is the message without the position, and ``column`` the column on the line,
    so a reader of JSON Lines can name the file's line instead of the line within one record.
    """

    def __init__(self, message: str, *, problem: str | None = None,
                 column: int | None = None) -> None:
        super().__init__(message)
        self.problem = problem or message
        self.column = column


class _NonFinite:
    """A ``NaN``, ``Infinity``, overflowing number or overlong integer as written in the JSON
    text; ``value`` is its float value (infinity for an overlong integer)."""

    def __init__(self, text: str, value: float) -> None:
        self.text = text
        self.value = value


class _PairsDict(dict[str, Any]):
    """A parsed object that remembers the keys its text gave more than once."""

    duplicates: dict[str, list[Any]]


def _object_from_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = _PairsDict()
    seen: dict[str, list[Any]] = {}
    for key, value in pairs:
        seen.setdefault(key, []).append(value)
        result[key] = value
    result.duplicates = {key: values for key, values in seen.items() if len(values) > 1}
    return result


def _constant(text: str) -> _NonFinite:
    return _NonFinite(text, float(text))


def _int(text: str) -> int | _NonFinite:
    try:
        return int(text)
    except ValueError:
        # int() raises ValueError above sys.get_int_max_str_digits() digits (4300 unless
        # configured), because CPython bounds its quadratic-time text conversion.
        return _NonFinite(text, float(text))


def _float(text: str) -> float | _NonFinite:
    value = float(text)
    return value if math.isfinite(value) else _NonFinite(text, value)


def validate_json(raw: str | bytes, expected_schema: Any, *, coerce: bool = False,
                  **options: Any) -> ValidationResult:
    """Validate JSON text against an expected schema.

    Repeated keys, ``NaN``, ``Infinity``, numbers too large for a double and integers with more
    digits than Python converts (4300 by default) are issues at their field. Text that is not
    JSON gives one ``invalid_format`` issue at field ``""``. Takes the options of
    ``mapkit.validate``.
    """
    if isinstance(raw, bytes | bytearray):
        raw = bytes(raw).decode("utf-8-sig", errors="replace")
    if not isinstance(raw, str):
        raise TypeError(f"validate_json takes JSON text as str or bytes, not {type(raw).__name__}")
    try:
        payload, text_issues = parse_json_text(raw, ValidationOptions.from_kwargs(options))
    except JsonTextError as error:
        issue = Issue(field=ROOT, code="invalid_format", expected="JSON text",
                      reason=f"is {error}", hint="fix the JSON syntax")
        return ValidationResult(valid=False, issues=[issue], data=None)
    return validate_parsed(payload, expected_schema, coerce=coerce, options=options,
                           text_issues=text_issues)


def parse_json_text(raw: str, options: ValidationOptions) -> tuple[Any, dict[str, list[Issue]]]:
    """Parse JSON text into plain values and the issues its text shows, by field path.

    NaN and Infinity come back as floats, the last of repeated keys is kept. Raises
    :class:`JsonTextError` for text that is not JSON.
    """
    try:
        parsed = json.loads(raw, object_pairs_hook=_object_from_pairs,
                            parse_constant=_constant, parse_float=_float, parse_int=_int)
    except json.JSONDecodeError as error:
        raise JsonTextError(f"not valid JSON: {error.msg} at line {error.lineno} "
                            f"column {error.colno}", problem=f"not valid JSON: {error.msg}",
                            column=error.colno) from error
    except RecursionError as error:
        raise JsonTextError("not valid JSON for this parser: it nests too deeply") from error
    text_issues: dict[str, list[Issue]] = {}
    payload = _clean(parsed, ROOT, text_issues, options)
    return payload, text_issues


def _clean(value: Any, path: str, text_issues: dict[str, list[Issue]],
           options: ValidationOptions) -> Any:
    """Replace parser markers by plain values, recording an issue for each marker."""
    if isinstance(value, _NonFinite):
        _add(text_issues, path, _non_finite_issue(path, value, options))
        return value.value
    if isinstance(value, list):
        return [_clean(item, join_index(path, index), text_issues, options)
                for index, item in enumerate(value)]
    if isinstance(value, _PairsDict):
        cleaned = {}
        for key, item in value.items():
            item_path = join_key(path, key)
            if key in value.duplicates:
                _add(text_issues, item_path, _duplicate_issue(item_path, value.duplicates[key],
                                                              options))
            cleaned[key] = _clean(item, item_path, text_issues, options)
        return cleaned
    return value


def _add(text_issues: dict[str, list[Issue]], path: str, issue: Issue) -> None:
    text_issues.setdefault(path, []).append(issue)


def _non_finite_issue(path: str, marker: _NonFinite, options: ValidationOptions) -> Issue:
    got = marker.text if options.include_got else ABSENT
    if math.isnan(marker.value) or marker.text.lstrip("-") == "Infinity":
        return Issue(field=path, code="type_mismatch", expected="finite JSON number", got=got,
                     reason=f"is {marker.text.lstrip('-')}, which is not JSON",
                     hint="send a number, or null if the value is unknown")
    digits = marker.text.lstrip("-")
    if digits.isdigit():
        return Issue(field=path, code="out_of_range", expected="finite JSON number", got=got,
                     reason=f"is an integer of {len(digits)} digits, more than the "
                            f"{sys.get_int_max_str_digits()} that mapkit reads",
                     hint="send it as a string if the digits matter")
    return Issue(field=path, code="out_of_range", expected="finite JSON number", got=got,
                 reason="is too large for a double-precision number (about 1.8e308)",
                 hint="send it as a string if the digits matter")


def _duplicate_issue(path: str, values: list[Any], options: ValidationOptions) -> Issue:
    plain = [value.text if isinstance(value, _NonFinite) else value for value in values]
    got = plain if options.include_got else ABSENT
    return Issue(field=path, code="invalid_format", expected="one value per key", got=got,
                 reason=f"is given {len(values)} times in the JSON text; the last one is "
                        "validated",
                 hint="send the key once")
