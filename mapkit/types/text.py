"""Strings, URLs, UUIDs and ``any``.

A ``string`` field keeps its text exactly: leading zeros, padding and words such as ``NA``
stay as they arrived, and text is never turned into a number.
"""

from __future__ import annotations

import re
import uuid
from functools import lru_cache
from typing import Any, Final

from pydantic_core import SchemaValidator, ValidationError, core_schema

from mapkit.options import ValidationOptions
from mapkit.schema import ScalarSpec
from mapkit.types.base import Finding, convertible, invalid, read_checked_text, type_mismatch

__all__ = [
    "UUID_PATTERN",
    "is_canonical_string",
    "is_canonical_url",
    "is_canonical_uuid",
    "read_any",
    "read_string",
    "read_url",
    "read_uuid",
]

UUID_PATTERN: Final = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
_UUID_RE: Final = re.compile(UUID_PATTERN)

# pydantic-core parses URLs with the WHATWG URL rules (the Rust url crate).
_URL_VALIDATOR: Final = SchemaValidator(core_schema.url_schema())


def is_canonical_string(value: Any) -> bool:
    """Tell whether a value is a string."""
    return isinstance(value, str)


def read_string(value: Any, spec: ScalarSpec, options: ValidationOptions) -> Finding:
    """Read a value as text; integers convert to their digits, nothing else does."""
    if isinstance(value, str):
        return Finding(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return convertible(str(value), "is a number, not a string")
    return type_mismatch(value, "a string")


@lru_cache(maxsize=4096)
def _url_problem(text: str) -> str | None:
    if text != text.strip():
        return "has spaces around it"
    try:
        _URL_VALIDATOR.validate_python(text)
    except ValidationError as error:
        return f"is not an absolute URL ({error.errors()[0]['msg'].lower()})"
    return None


def is_canonical_url(value: Any) -> bool:
    """Tell whether a value is an absolute URL with nothing around it."""
    return isinstance(value, str) and _url_problem(value) is None


def read_url(value: Any, spec: ScalarSpec, options: ValidationOptions) -> Finding:
    """Read a value as an absolute URL, kept as written."""
    return read_checked_text(value, _url_problem, "a URL string")


def is_canonical_uuid(value: Any) -> bool:
    """Tell whether a value is a UUID in lowercase 8-4-4-4-12 form."""
    return isinstance(value, str) and _UUID_RE.match(value) is not None


def read_uuid(value: Any, spec: ScalarSpec, options: ValidationOptions) -> Finding:
    """Read a value as a UUID; other spellings (uppercase, braces, no hyphens) convert."""
    if is_canonical_uuid(value):
        return Finding(value)
    if not isinstance(value, str):
        return type_mismatch(value, "a UUID string")
    try:
        parsed = uuid.UUID(value.strip())
    except ValueError:
        return invalid(value, "invalid_format", "is not a UUID")
    return convertible(str(parsed), "is a UUID not written in lowercase 8-4-4-4-12 form",
                       code="invalid_format")


def read_any(value: Any, spec: ScalarSpec, options: ValidationOptions) -> Finding:
    """Accept every value as it is."""
    return Finding(value)
