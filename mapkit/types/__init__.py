"""Readers for each scalar type, and the canonical-form check for each.

A reader takes a value, the field's spec and the options and returns a
:class:`~mapkit.types.base.Finding`: the canonical value, or the problem with the value.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from mapkit.dates import is_canonical_date, is_canonical_datetime, is_canonical_time
from mapkit.options import ValidationOptions
from mapkit.schema import ScalarSpec
from mapkit.types.base import Finding, Problem
from mapkit.types.booleans import is_canonical_boolean, read_boolean
from mapkit.types.emails import is_canonical_email, read_email
from mapkit.types.numbers import (
    is_canonical_integer,
    is_canonical_number,
    read_integer,
    read_number,
)
from mapkit.types.phones import is_canonical_phone, read_phone
from mapkit.types.temporal import read_date, read_datetime, read_time
from mapkit.types.text import (
    is_canonical_string,
    is_canonical_url,
    is_canonical_uuid,
    read_any,
    read_string,
    read_url,
    read_uuid,
)

__all__ = ["CANONICAL_CHECKS", "READERS", "Finding", "Problem", "is_canonical", "read_value"]

Reader = Callable[[Any, ScalarSpec, ValidationOptions], Finding]

READERS: Final[dict[str, Reader]] = {
    "string": read_string,
    "integer": read_integer,
    "number": read_number,
    "boolean": read_boolean,
    "date": read_date,
    "datetime": read_datetime,
    "time": read_time,
    "email": read_email,
    "phone": read_phone,
    "url": read_url,
    "uuid": read_uuid,
    "any": read_any,
}

CANONICAL_CHECKS: Final[dict[str, Callable[[Any], bool]]] = {
    "string": is_canonical_string,
    "integer": is_canonical_integer,
    "number": is_canonical_number,
    "boolean": is_canonical_boolean,
    "date": is_canonical_date,
    "datetime": is_canonical_datetime,
    "time": is_canonical_time,
    "email": is_canonical_email,
    "phone": is_canonical_phone,
    "url": is_canonical_url,
    "uuid": is_canonical_uuid,
    "any": lambda value: True,
}


def is_canonical(value: Any, type_name: str) -> bool:
    """Tell whether a value is already in its type's canonical form."""
    return CANONICAL_CHECKS[type_name](value)


def read_value(value: Any, spec: ScalarSpec, options: ValidationOptions) -> Finding:
    """Read a non-null value as its field's type."""
    return READERS[spec.type](value, spec, options)
