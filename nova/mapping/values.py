"""Profile a field's sample values: what kind of value it holds, through mapkit.

mapkit's ``infer_schema`` names the kind (``email``, ``date``, ``phone``, ...) and
``detect_date_format`` the date format. Every value feature of the matcher comes from here.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import mapkit

__all__ = ["VALUE_KINDS", "ValueProfile", "profile_values"]

VALUE_KINDS = ("email", "phone", "url", "uuid", "date", "datetime", "time", "boolean",
               "integer", "number", "string")


@dataclass(frozen=True)
class ValueProfile:
    """The profile of a field's samples: their kind, a date format, and how varied they are."""

    kind: str | None
    date_format: str | None = None
    distinct_ratio: float = 0.0


_EMPTY = ValueProfile(kind=None)


def profile_values(samples: Sequence[Any]) -> ValueProfile:
    """Profile sample values; fields without non-empty samples get ``kind=None``."""
    values = [value for value in samples if value is not None and value != ""]
    if not values:
        return _EMPTY

    kind = _infer_kind(values)
    distinct_ratio = len({repr(value) for value in values}) / len(values)
    date_format = _date_format(values) if kind in {"date", "datetime"} else None
    return ValueProfile(kind=kind, date_format=date_format, distinct_ratio=distinct_ratio)


def _infer_kind(values: list[Any]) -> str:
    if hasattr(mapkit, "infer_schema"):
        schema = mapkit.infer_schema([{"value": value} for value in values])
        spec = schema.get("value", "string")
        if isinstance(spec, dict):
            spec = spec.get("type", "string")
        if isinstance(spec, list):
            return "string"
        kind = str(spec).rstrip("?")
        return kind if kind in VALUE_KINDS else "string"
    return _fallback_kind(values)


def _date_format(values: list[Any]) -> str | None:
    if not hasattr(mapkit, "detect_date_format"):
        return None
    guess = mapkit.detect_date_format([str(value) for value in values])
    return getattr(guess, "format", None)


# TODO: remove the fallback below once mapkit.infer_schema is on main; it only exists so the
# value features can be trained and tested before then.
_FALLBACK_PATTERNS = (
    ("email", re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")),
    ("url", re.compile(r"^https?://\S+$")),
    ("uuid", re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")),
    ("datetime", re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")),
    ("date", re.compile(r"^\d{4}-\d{2}-\d{2}$")),
    ("boolean", re.compile(r"^(true|false)$", re.IGNORECASE)),
    ("integer", re.compile(r"^-?\d+$")),
    ("number", re.compile(r"^-?\d+\.\d+$")),
    ("phone", re.compile(r"^\+?[\d\s().-]{7,20}$")),
)


def _fallback_kind(values: list[Any]) -> str:
    kinds = Counter(_fallback_value_kind(value) for value in values)
    kind, count = kinds.most_common(1)[0]
    return kind if count * 2 > len(values) else "string"


def _fallback_value_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    text = str(value).strip()
    for kind, pattern in _FALLBACK_PATTERNS:
        if pattern.match(text):
            return kind
    return "string"
