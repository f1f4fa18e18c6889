"""The result of reading one value as a type: its canonical form, or the problem with it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mapkit.issues import ABSENT, Severity

__all__ = ["Finding", "Problem", "convertible", "invalid", "read_checked_text", "type_mismatch"]


@dataclass(frozen=True, slots=True)
class Problem:
    """The reason a value is not canonical, and whether coercion may convert it.

    ``convertible`` means the value has exactly one canonical form and converting to it
    loses nothing, so ``coerce=True`` accepts it. Strict mode reports it with
    ``strict_severity``. ``coerced_severity`` keeps a warning even when coercion accepts it.
    """

    code: str
    reason: str
    suggestion: Any = ABSENT
    convertible: bool = False
    hint: str = ""
    strict_severity: Severity = "error"
    coerced_severity: Severity | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    """A value read as a type: ``value`` is canonical when one exists, else the input."""

    value: Any
    problem: Problem | None = None


def convertible(canonical: Any, reason: str, *, code: str = "type_mismatch", hint: str = "",
                strict_severity: Severity = "error") -> Finding:
    """Return a finding for a value with one lossless canonical form."""
    return Finding(canonical, Problem(code, reason, canonical, convertible=True, hint=hint,
                                      strict_severity=strict_severity))


def invalid(value: Any, code: str, reason: str, *, hint: str = "",
            suggestion: Any = ABSENT) -> Finding:
    """Return a finding for a value that coercion cannot accept."""
    return Finding(value, Problem(code, reason, suggestion, hint=hint))


def read_checked_text(value: Any, problem_of: Callable[[str], str | None],
                      expected_kind: str) -> Finding:
    """Read text that ``problem_of`` accepts as it is; text with spaces around it converts."""
    if not isinstance(value, str):
        return type_mismatch(value, expected_kind)
    problem = problem_of(value)
    if problem is None:
        return Finding(value)
    stripped = value.strip()
    if stripped != value and problem_of(stripped) is None:
        return convertible(stripped, "has spaces around it", code="invalid_format")
    return invalid(value, "invalid_format", problem)


def type_mismatch(value: Any, expected_kind: str) -> Finding:
    """Return a finding for a value of the wrong JSON type."""
    return invalid(value, "type_mismatch", f"is {describe_type(value)}, not {expected_kind}")


def describe_type(value: Any) -> str:
    """Name a value's JSON type with its article: ``a string``, ``an array``, ``null``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list | tuple):
        return "an array"
    return f"a Python {type(value).__name__}"
