"""Field paths as issues show them: ``address.zip``, ``emails[0].value``, ``["a.b"].c``."""

from __future__ import annotations

import json

__all__ = ["ROOT", "join_index", "join_key"]

ROOT = ""

# Keys containing these characters would read as path syntax, so they are written as ["key"].
_PATH_SYNTAX = frozenset('.[]"')


def join_key(parent: str, key: str) -> str:
    """Append an object key to a field path."""
    if key == "" or any(char in _PATH_SYNTAX for char in key):
        return f"{parent}[{json.dumps(key, ensure_ascii=False)}]"
    if parent == ROOT:
        return key
    return f"{parent}.{key}"


def join_index(parent: str, index: int | str) -> str:
    """Append an array index (or ``""`` for "every item", as schema paths use) to a path."""
    return f"{parent}[{index}]"
