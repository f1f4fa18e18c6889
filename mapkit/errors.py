"""Exceptions mapkit raises: a bad ``expected_schema`` and a value that cannot be coerced."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mapkit.issues import Issue

__all__ = ["CoercionError", "SchemaError"]


class SchemaError(ValueError):
    """An ``expected_schema`` that mapkit cannot use.

    Raised for an unknown type name, a long-form key that does not exist, a bad date-format
    string or a constraint of the wrong kind, and never for bad payload data. ``path`` is the
    field path inside the schema (``""`` for the schema itself, ``emails[]`` for array
    items). ``reason`` describes the problem in one line, and the message adds the fix.
    """

    def __init__(self, path: str, reason: str, fix: str) -> None:
        self.path = path
        self.reason = reason
        self.fix = fix
        separator = "." if path and not path.startswith("[") else ""
        super().__init__(f"expected_schema{separator}{path} {reason}. {fix}")


class CoercionError(ValueError):
    """A value that has no single lossless canonical form for its type.

    ``issue`` is the :class:`~mapkit.Issue` that validation would report for the value.
    """

    def __init__(self, issue: Issue) -> None:
        self.issue = issue
        super().__init__(issue.message)
