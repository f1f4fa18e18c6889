"""Issues found in a payload, and the result of validating one payload.

An issue is data: the field path, a code from the closed set in :data:`ISSUE_CODES`, what
would pass, the value that arrived, a severity and, when one exists, the canonical value to
send instead. The message is rendered from those fields, so it never disagrees with them.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any, Final, Literal

__all__ = [
    "ABSENT",
    "ISSUE_CODES",
    "Issue",
    "Severity",
    "ValidationResult",
]

Severity = Literal["error", "warning"]

ISSUE_CODES: Final = frozenset(
    {
        "missing",
        "null_not_allowed",
        "type_mismatch",
        "invalid_format",
        "invalid_date",
        "invalid_date_format",
        "ambiguous_date",
        "out_of_range",
        "too_short",
        "too_long",
        "pattern_mismatch",
        "not_in_enum",
        "unexpected_field",
    }
)


class _Absent:
    """Marker for "no value": a missing field's ``got``, a hidden ``got`` or no suggestion."""

    _instance: _Absent | None = None

    def __new__(cls) -> _Absent:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "ABSENT"

    def __bool__(self) -> bool:
        return False


ABSENT: Final = _Absent()


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem with one value of a payload.

    ``got`` is :data:`ABSENT` for a missing field and when the caller chose to leave values
    out (``include_got=False``). The suggestion is then left out too, because it is derived
    from the value. ``reason`` completes the sentence "the value ..." and ``hint`` adds a
    second way to fix it. Both feed :attr:`message`.
    """

    field: str
    code: str
    expected: str
    got: Any = ABSENT
    severity: Severity = "error"
    suggestion: Any = ABSENT
    reason: str = ""
    hint: str = ""

    @property
    def message(self) -> str:
        """The issue in a few sentences: what is wrong with the value and how to fix it."""
        return render_message(self)

    def to_dict(self) -> dict[str, Any]:
        """Return the issue as JSON data: ``field`` and ``expected`` first, absent keys left out."""
        data: dict[str, Any] = {"field": self.field, "expected": self.expected, "code": self.code}
        if self.got is not ABSENT:
            data["got"] = self.got
        data["message"] = self.message
        data["severity"] = self.severity
        if self.suggestion is not ABSENT:
            data["suggestion"] = self.suggestion
        return data


@dataclass(slots=True)
class ValidationResult:
    """The outcome of validating one payload.

    ``data`` is the payload with every value that has a single lossless canonical form
    replaced by it, in strict mode too. Values that cannot be converted stay as they arrived,
    and no key is dropped. When nothing needed converting, ``data`` is the payload object
    itself.
    """

    valid: bool
    issues: list[Issue]
    data: Any

    def to_dict(self, *, include_data: bool = False) -> dict[str, Any]:
        """Return ``{"valid", "issues"}`` as JSON data, plus ``data`` when asked."""
        result: dict[str, Any] = {
            "valid": self.valid,
            "issues": [issue.to_dict() for issue in self.issues],
        }
        if include_data:
            result["data"] = self.data
        return result


def render_message(issue: Issue) -> str:
    """Render an issue's message from its fields.

    The message names the field, states what is wrong with the value and how to fix it. It
    quotes the value and the suggestion only when the issue carries them.
    """
    sentences = [f"{_subject(issue)} {issue.reason or 'is invalid'}."]
    hint = issue.hint
    suggestion = issue.suggestion
    alternative = f", or {hint}." if hint else "."
    if isinstance(suggestion, list) and suggestion:
        choices = " or ".join(format_value(item) for item in suggestion)
        sentences.append(f"Send {choices}, whichever was meant{alternative}")
    elif suggestion is not ABSENT:
        sentences.append(f"Send {format_value(suggestion)} instead{alternative}")
    else:
        if issue.code != "unexpected_field":
            sentences.append(f"Expected {issue.expected}.")
        if hint:
            sentences.append(f"{hint[0].upper()}{hint[1:]}.")
    return " ".join(sentences)


def _subject(issue: Issue) -> str:
    if issue.code in {"missing", "unexpected_field"}:
        return issue.field
    name = f"{issue.field} value" if issue.field else "The value"
    if issue.got is ABSENT:
        return name
    return f"{name} {format_value(issue.got)}"


def format_value(value: Any) -> str:
    """Write a payload value as JSON text, shortened when long, for use inside a message."""
    if isinstance(value, float) and not math.isfinite(value):
        text = repr(value)
    else:
        try:
            text = json.dumps(value, ensure_ascii=False, default=repr)
        except (TypeError, ValueError):
            text = repr(value)
    if len(text) > 80:
        text = f"{text[:77]}..."
    return text
