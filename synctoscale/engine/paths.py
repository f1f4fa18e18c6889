"""Parse and resolve the source paths that a step's ``mapping`` reads.

A path is a dot path into the run payload (``email``, ``address.zip``, ``emails[0].value``).
A key that contains ``.``, ``[``, ``]`` or ``"`` is written as a JSON string in brackets
(``["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"].manager``), the way mapkit
writes issue fields. ``steps.<step id>.output`` followed by a path reads an earlier step's
output; a payload key named ``steps`` is written ``["steps"]``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["PathSyntaxError", "SourcePath", "SourcePathNotFound", "parse_source_path"]

_NAME = re.compile(r'[^.\[\]"]+')
_INDEX = re.compile(r"\[(\d+)\]")
_QUOTED = re.compile(r'\[("(?:[^"\\]|\\.)*")\]')

Part = str | int


class PathSyntaxError(ValueError):
    """A source path that does not follow the path syntax; the message says where."""


class SourcePathNotFound(LookupError):
    """A source path that names nothing in the payload or step output."""

    def __init__(self, path: str, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"source path {path!r} not found: {problem}")


@dataclass(frozen=True)
class SourcePath:
    """A parsed source path: the step it reads (None for the payload) and the parts below."""

    text: str
    step: str | None
    parts: tuple[Part, ...]

    def resolve(self, payload: Any, outputs: Mapping[str, Any]) -> Any:
        """Return the value the path names, or raise SourcePathNotFound."""
        if self.step is None:
            value, walked = payload, "the payload"
        else:
            if self.step not in outputs:
                raise SourcePathNotFound(self.text, f"step {self.step!r} has no output yet")
            value, walked = outputs[self.step], f"steps.{self.step}.output"

        for part in self.parts:
            value = _child(self.text, value, part, walked)
            walked = _render_part(walked, part)
        return value


def parse_source_path(text: str) -> SourcePath:
    """Parse ``text`` into a SourcePath; raise PathSyntaxError naming the bad position."""
    parts = _split(text)
    if parts[0] != "steps" or text.startswith("["):
        return SourcePath(text, None, tuple(parts))

    if len(parts) < 3 or not isinstance(parts[1], str) or parts[2] != "output":
        raise PathSyntaxError(
            f"{text!r} starts with 'steps' but is not 'steps.<step id>.output[.<path>]'; "
            'write ["steps"] to read a payload key named steps'
        )
    return SourcePath(text, parts[1], tuple(parts[3:]))


def _split(text: str) -> list[Part]:
    if not text:
        raise PathSyntaxError("the source path is empty; name a payload field such as 'email'")

    parts: list[Part] = []
    position = 0
    while position < len(text):
        if parts and text[position] == ".":
            position += 1
            match = _NAME.match(text, position)
            if match is None:
                raise PathSyntaxError(f"{text!r} has no field name after the '.' at {position - 1}")
            parts.append(match.group())
        elif text[position] == "[":
            part, position = _bracket(text, position)
            parts.append(part)
            continue
        elif not parts:
            match = _NAME.match(text, position)
            if match is None:
                raise PathSyntaxError(f"{text!r} cannot start with {text[position]!r}")
            parts.append(match.group())
        else:
            raise PathSyntaxError(
                f"{text!r} has {text[position]!r} at {position}; expected '.', '[n]' or '[\"key\"]'"
            )
        position = match.end()
    return parts


def _bracket(text: str, position: int) -> tuple[Part, int]:
    index = _INDEX.match(text, position)
    if index is not None:
        return int(index.group(1)), index.end()

    quoted = _QUOTED.match(text, position)
    if quoted is not None:
        try:
            return str(json.loads(quoted.group(1))), quoted.end()
        except json.JSONDecodeError:
            pass
    raise PathSyntaxError(
        f"{text!r} has a bad bracket at {position}; write [0] for an index or "
        '["key"] for a key with dots or brackets'
    )


def _child(path: str, value: Any, part: Part, walked: str) -> Any:
    if isinstance(part, int):
        if not isinstance(value, list):
            raise SourcePathNotFound(path, f"{walked} is {_kind(value)}, not an array")
        if part >= len(value):
            raise SourcePathNotFound(path, f"{walked} has {len(value)} item(s), no index {part}")
        return value[part]

    if not isinstance(value, dict):
        raise SourcePathNotFound(path, f"{walked} is {_kind(value)}, not an object")
    if part not in value:
        raise SourcePathNotFound(path, f"{walked} has no key {part!r}")
    return value[part]


def _render_part(walked: str, part: Part) -> str:
    if isinstance(part, int):
        return f"{walked}[{part}]"
    if _NAME.fullmatch(part):
        return part if walked == "the payload" else f"{walked}.{part}"
    quoted = f"[{json.dumps(part, ensure_ascii=False)}]"
    return quoted if walked == "the payload" else f"{walked}{quoted}"


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"
