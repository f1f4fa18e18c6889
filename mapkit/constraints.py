"""Constraints on canonical values: enum, minimum and maximum, lengths and pattern."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from mapkit.schema import ScalarSpec

__all__ = ["Violation", "check_constraints", "enum_match", "in_enum"]


@dataclass(frozen=True, slots=True)
class Violation:
    """A canonical value that breaks one of its field's constraints."""

    code: str
    expected: str
    reason: str


def _kind(value: Any) -> str:
    # JSON has one number type, so 1 and 1.0 are the same enum value but true and 1 are not.
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return type(value).__name__


def in_enum(value: Any, members: tuple[Any, ...]) -> bool:
    """Tell whether a value is one of the enum members, comparing JSON types as well."""
    kind = _kind(value)
    return any(_kind(member) == kind and member == value for member in members)


def enum_match(value: Any, members: tuple[Any, ...]) -> Any | None:
    """Find the one member that text equals apart from case and spaces, or None."""
    if not isinstance(value, str):
        return None
    folded = value.strip().casefold()
    matches = [member for member in members
               if isinstance(member, str) and member.casefold() == folded]
    return matches[0] if len(matches) == 1 else None


def check_constraints(value: Any, spec: ScalarSpec) -> Violation | None:
    """Check a canonical value against its spec's constraints and return the first it breaks."""
    if spec.enum is not None and not in_enum(value, spec.enum):
        return Violation("not_in_enum", spec.expected, "is not one of the allowed values")
    if spec.minimum is not None or spec.maximum is not None:
        violation = _check_range(value, spec)
        if violation is not None:
            return violation
    if isinstance(value, str):
        return _check_text(value, spec)
    return None


def _check_range(value: Any, spec: ScalarSpec) -> Violation | None:
    comparable = _comparable(value, spec.type)
    low = _comparable(spec.minimum, spec.type) if spec.minimum is not None else None
    high = _comparable(spec.maximum, spec.type) if spec.maximum is not None else None
    if comparable is None:
        return None
    too_low = low is not None and comparable < low
    too_high = high is not None and comparable > high
    if not (too_low or too_high):
        return None
    if spec.minimum is not None and spec.maximum is not None:
        expected = f"{spec.type} from {spec.minimum} to {spec.maximum}"
    elif spec.minimum is not None:
        expected = f"{spec.type} of at least {spec.minimum}"
    else:
        expected = f"{spec.type} of at most {spec.maximum}"
    reason = "is below the minimum" if too_low else "is above the maximum"
    return Violation("out_of_range", expected, reason)


def _comparable(value: Any, type_name: str) -> Any:
    try:
        if type_name == "datetime":
            return datetime.fromisoformat(value)
        if type_name == "time":
            parsed = time.fromisoformat(value)
            return parsed.replace(tzinfo=None)
    except (TypeError, ValueError):
        return None
    return value


def _check_text(value: str, spec: ScalarSpec) -> Violation | None:
    if spec.min_length is not None and len(value) < spec.min_length:
        return Violation("too_short", f"at least {spec.min_length} characters",
                         f"has {len(value)} characters")
    if spec.max_length is not None and len(value) > spec.max_length:
        return Violation("too_long", f"at most {spec.max_length} characters",
                         f"has {len(value)} characters")
    if spec.pattern is not None and spec.pattern.search(value) is None:
        return Violation("pattern_mismatch", f"text matching {spec.pattern.pattern}",
                         "does not match the pattern")
    return None
