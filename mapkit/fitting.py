"""Settle a column's date format or decimal mark from the whole column before validating.

A single value such as ``12/01/2025`` is ambiguous, but a column that also contains
``20/12/2025`` is day-first. A lone ``1.234`` is ambiguous, but a column with ``3,5`` uses
decimal commas.
Fitting reads every record once, detects those settings for each field that leaves them open,
and returns a schema with them declared, as if the caller had written them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any, Final

from mapkit.detection import detect_date_format
from mapkit.errors import SchemaError
from mapkit.options import ValidationOptions
from mapkit.paths import ROOT, join_index, join_key
from mapkit.schema import ArraySpec, ObjectSpec, ScalarSpec, Spec, parse_type_spec
from mapkit.types.numbers import decimal_comma_setting

__all__ = ["fit_spec"]

# Formats that only restate the canonical form: declaring them would change nothing.
_CANONICAL_FORMATS: Final = frozenset({"YYYY-MM-DD", "YYYY-MM-DDTHH:mm:ssZ",
                                       "YYYY-MM-DDTHH:mm:ss.SSSZ", "HH:mm:ss"})


def fit_spec(spec: ObjectSpec, records: Iterable[Any],
             options: ValidationOptions) -> tuple[ObjectSpec, dict[str, dict[str, Any]]]:
    """Return the spec with column settings declared, and the settings by field path."""
    targets: dict[int, tuple[str, ScalarSpec]] = {}
    _find_targets(spec, ROOT, options, targets)
    columns: dict[int, list[Any]] = {key: [] for key in targets}
    for record in records:
        _collect(record, spec, columns)

    replacements: dict[int, Spec] = {}
    settled: dict[str, dict[str, Any]] = {}
    for key, (path, target) in targets.items():
        fitted, setting = _fit_column(target, columns[key], options)
        if setting:
            replacements[key] = fitted
            settled[path] = setting
    new_spec = _replace(spec, replacements)
    assert isinstance(new_spec, ObjectSpec)
    return new_spec, settled


def _find_targets(spec: Spec, path: str, options: ValidationOptions,
                  targets: dict[int, tuple[str, ScalarSpec]]) -> None:
    if isinstance(spec, ObjectSpec):
        for key, field_spec in spec.fields.items():
            _find_targets(field_spec, join_key(path, key), options, targets)
    elif isinstance(spec, ArraySpec):
        _find_targets(spec.items, join_index(path, ""), options, targets)
    elif isinstance(spec, ScalarSpec) and _is_open(spec, options):
        targets[id(spec)] = (path, spec)


def _is_open(spec: ScalarSpec, options: ValidationOptions) -> bool:
    if spec.type in ("date", "datetime"):
        return spec.format is None
    if spec.type in ("integer", "number"):
        return spec.decimal_comma is None and options.decimal_comma is None
    return False


def _collect(value: Any, spec: Spec, columns: dict[int, list[Any]]) -> None:
    if isinstance(spec, ObjectSpec) and isinstance(value, dict):
        for key, field_spec in spec.fields.items():
            if key in value:
                _collect(value[key], field_spec, columns)
    elif isinstance(spec, ArraySpec) and isinstance(value, list):
        for item in value:
            _collect(item, spec.items, columns)
    elif id(spec) in columns and value is not None:
        columns[id(spec)].append(value)


def _fit_column(spec: ScalarSpec, values: list[Any],
                options: ValidationOptions) -> tuple[Spec, dict[str, Any]]:
    if spec.type in ("integer", "number"):
        setting = decimal_comma_setting([value for value in values if isinstance(value, str)])
        if setting is None:
            return spec, {}
        return dataclasses.replace(spec, decimal_comma=setting), {"decimal_comma": setting}

    guess = detect_date_format(values, two_digit_year_pivot=options.two_digit_year_pivot,
                               null_tokens=options.null_tokens)
    if guess.format is None or guess.format in _CANONICAL_FORMATS:
        return spec, {}
    try:
        declared = parse_type_spec({"type": spec.type, "format": guess.format})
    except SchemaError:
        return spec, {}  # a date-time format found in a date column, or the reverse
    assert isinstance(declared, ScalarSpec)
    fitted = dataclasses.replace(spec, format=declared.format)
    return fitted, {"format": guess.format}


def _replace(spec: Spec, replacements: dict[int, Spec]) -> Spec:
    if id(spec) in replacements:
        return replacements[id(spec)]
    if isinstance(spec, ObjectSpec):
        fields = {key: _replace(field_spec, replacements)
                  for key, field_spec in spec.fields.items()}
        return dataclasses.replace(spec, fields=fields)
    if isinstance(spec, ArraySpec):
        return dataclasses.replace(spec, items=_replace(spec.items, replacements))
    return spec
