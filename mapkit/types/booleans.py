"""Booleans: JSON true and false, and the tokens true/false, yes/no, y/n, 1/0 in any case.

Nothing else becomes a boolean: ``bool("maybe")`` is True in Python, so the tokens are matched
exactly instead.
"""

from __future__ import annotations

from typing import Any, Final

from mapkit.options import ValidationOptions
from mapkit.schema import ScalarSpec
from mapkit.types.base import Finding, convertible, invalid, type_mismatch

__all__ = ["BOOLEAN_TOKENS", "is_canonical_boolean", "read_boolean"]

BOOLEAN_TOKENS: Final = {
    "true": True, "yes": True, "y": True, "1": True,
    "false": False, "no": False, "n": False, "0": False,
}


def is_canonical_boolean(value: Any) -> bool:
    """Tell whether a value is JSON true or false."""
    return isinstance(value, bool)


def read_boolean(value: Any, spec: ScalarSpec, options: ValidationOptions) -> Finding:
    """Read a value as a boolean from a JSON boolean, a token or the integers 1 and 0."""
    if isinstance(value, bool):
        return Finding(value)
    if isinstance(value, int) and value in (0, 1):
        return convertible(bool(value), "is the integer 1 or 0, not a JSON boolean")
    if isinstance(value, str):
        token = BOOLEAN_TOKENS.get(value.strip().lower())
        if token is not None:
            return convertible(token, "is text, not a JSON boolean")
        return invalid(value, "type_mismatch",
                       "is not one of the boolean words true/false, yes/no, y/n, 1/0")
    return type_mismatch(value, "a boolean")
