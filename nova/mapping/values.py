"""Profile a field's sample values: what kind of value it holds, through mapkit.

mapkit's ``infer_schema`` names the kind (``email``, ``date``, ``phone``, ...) and
``detect_date_format`` the date format. Every value feature of the matcher comes from here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import mapkit

__all__ = ["VALUE_KINDS", "ValueProfile", "profile_many", "profile_values"]

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


def profile_many(samples: Sequence[Sequence[Any]]) -> list[ValueProfile]:
    """Profile many fields' samples with one ``infer_schema`` call per kind of source.

    Fields whose samples are all strings are read as text and the others as JSON, exactly as
    ``profile_values`` reads each field alone.
    """
    cleaned = [[v for v in values if v is not None and v != ""] for values in samples]
    kinds: dict[int, str] = {}
    for text_source in (True, False):
        members = [i for i, values in enumerate(cleaned)
                   if values and all(isinstance(v, str) for v in values) is text_source]
        if members:
            schema = mapkit.infer_schema(_columns_as_records(cleaned, members),
                                         text_source=text_source)
            kinds.update({i: _kind_name(schema.get(f"f{i}", "string")) for i in members})

    profiles = []
    for index, values in enumerate(cleaned):
        kind = kinds.get(index)
        date_format = None
        if kind in {"date", "datetime"}:
            date_format = mapkit.detect_date_format([str(value) for value in values]).format
        profiles.append(ValueProfile(kind=kind, date_format=date_format) if kind else _EMPTY)
    return profiles


def _columns_as_records(columns: list[list[Any]], members: list[int]) -> list[dict[str, Any]]:
    rows = max(len(columns[i]) for i in members)
    return [
        {f"f{i}": columns[i][row] for i in members if row < len(columns[i])}
        for row in range(rows)
    ]


def _infer_kind(values: list[Any]) -> str:
    return _kind_name(mapkit.infer_schema([{"value": value} for value in values])
                      .get("value", "string"))


def _kind_name(spec: Any) -> str:
    if isinstance(spec, dict):
        spec = spec.get("type", "string")
    if not isinstance(spec, str):
        return "string"
    kind = spec.rstrip("?")
    return kind if kind in VALUE_KINDS else "string"
