"""Profile a field's sample values: what kind of value it holds, through mapkit.

mapkit's ``infer_schema`` names the kind (``email``, ``date``, ``phone``, ...) and
``detect_date_format`` the date format. Every value feature of the matcher comes from here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import mapkit

__all__ = ["VALUE_KINDS", "ValueProfile", "profile_values"]

VALUE_KINDS = ("email", "phone", "url", "uuid", "date", "datetime", "time", "boolean",
               "integer", "number", "string")


@dataclass(frozen=True)
class ValueProfile:
    """The profile of a field's samples: their kind and, for dates, their format."""

    kind: str | None
    date_format: str | None = None


_EMPTY = ValueProfile(kind=None)


def profile_values(samples: Sequence[Any]) -> ValueProfile:
    """Profile sample values; fields without non-empty samples get ``kind=None``.

    Samples that are all strings are read as text (``"36"`` is an integer, ``"true"`` a
    boolean), as mapkit does for CSV columns.
    """
    values = [value for value in samples if value is not None and value != ""]
    if not values:
        return _EMPTY

    kind = _infer_kind(values)
    date_format = None
    if kind in {"date", "datetime"}:
        date_format = mapkit.detect_date_format([str(value) for value in values]).format
    return ValueProfile(kind=kind, date_format=date_format)


def _infer_kind(values: list[Any]) -> str:
    spec = mapkit.infer_schema([{"value": value} for value in values]).get("value", "string")
    if isinstance(spec, dict):
        spec = spec.get("type", "string")
    if not isinstance(spec, str):
        return "string"
    kind = spec.rstrip("?")
    return kind if kind in VALUE_KINDS else "string"
