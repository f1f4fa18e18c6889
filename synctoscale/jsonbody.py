"""Parse request bodies as strict JSON: no duplicate keys, no NaN or Infinity.

Python's ``json`` module keeps the last of two equal keys and accepts ``NaN``; both silently
change what the client meant, so both are rejected here with the key or token and its field
path named, as are numbers too large for a float and integers with too many digits. So is a
string escape of half a UTF-16 surrogate pair (``"\\ud800"``): JSON allows it, but it is no
Unicode character, so no UTF-8 response, database row or log line could contain the text.
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

from synctoscale.errors import ApiError
from synctoscale.problems import field_path

__all__ = ["StrictJSONRoute", "loads_strict"]

# A \uXXXX escape of a high or low surrogate. Strict UTF-8 text cannot contain a surrogate
# itself, so the walk that looks for a lone one runs only when the body has such an escape.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE_ESCAPE_BYTES = re.compile(rb"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def loads_strict(raw: bytes | str) -> Any:
    """Parse JSON text, raising ApiError (400 or 422) for anything ambiguous or malformed.

    A 422 names the field that contains the rejected value, such as ``payload.x.a``, in its
    message and in ``details.field``.
    """
    if isinstance(raw, bytes):
        _reject_utf16_and_utf32(raw)

    rejections = _Rejections()
    try:
        document = json.loads(
            raw,
            object_pairs_hook=rejections.object_from_pairs,
            parse_constant=rejections.constant,
            parse_float=rejections.float_number,
            parse_int=rejections.int_number,
        )
    except json.JSONDecodeError as exc:
        message = f"The request body is not valid JSON: {exc.msg} at character {exc.pos}."
        raise ApiError(400, "invalid_json", message, {"position": exc.pos}) from None
    except RecursionError:
        # NOTE: the depth that fails depends on Python's recursion limit and the stack already
        # in use, so the message gives an estimate rather than an exact limit.
        message = (
            "The request body is nested too deeply to parse; send a flatter document, with "
            "objects and arrays a few hundred levels deep at most."
        )
        raise ApiError(400, "invalid_json", message) from None
    except UnicodeDecodeError as exc:
        message = (
            f"The request body is not UTF-8 text: the byte 0x{exc.object[exc.start]:02x} at "
            f"offset {exc.start} (counting from 0) is invalid in UTF-8; encode the JSON as UTF-8."
        )
        raise ApiError(400, "invalid_json", message, {"position": exc.start}) from None

    if rejections.found:
        raise _first_rejection(document)
    if isinstance(raw, bytes):
        escaped = _SURROGATE_ESCAPE_BYTES.search(raw) is not None
    else:
        escaped = _SURROGATE_ESCAPE.search(raw) is not None
    if escaped:
        _reject_lone_surrogates(document)
    return document


def _reject_lone_surrogates(document: Any) -> None:
    """Raise a 422 naming the first key or string with an unpaired UTF-16 surrogate."""
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), document)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str) and _LONE_SURROGATE.search(value):
            raise _lone_surrogate(path, "string")
        if isinstance(value, dict):
            for key in value:
                if _LONE_SURROGATE.search(key):
                    raise _lone_surrogate((*path, key), "key")
        stack.extend(reversed(_children(path, value)))


def _lone_surrogate(path: tuple[str | int, ...], where: str) -> ApiError:
    problem = (
        f"the {where} contains a \\u escape of one half of a UTF-16 surrogate pair, which is "
        "not a valid Unicode character. Send the character itself as UTF-8, or escape both "
        "halves of the pair."
    )
    return _Rejected("invalid_string", problem, {}).error(path)


def _reject_utf16_and_utf32(raw: bytes) -> None:
    """Raise a 400 for a UTF-16 or UTF-32 body, which ``json.loads`` would otherwise decode.

    RFC 8259 requires UTF-8 for JSON exchanged between systems, and allows a parser to skip a
    UTF-8 byte order mark, so a body that starts with one is still accepted.
    """
    # json.detect_encoding is the check json.loads applies to bytes: a UTF-16 or UTF-32 byte
    # order mark, or the zero bytes that ASCII characters have in those encodings.
    encoding = json.detect_encoding(raw)
    if encoding in ("utf-8", "utf-8-sig"):
        return

    family = encoding[:6].upper()
    message = (
        f"The request body is {family} text, not UTF-8: JSON over HTTP must be UTF-8 "
        "(RFC 8259); encode the JSON as UTF-8."
    )
    raise ApiError(400, "invalid_json", message, {"encoding": family})


class _Rejected:
    """A value the parser rejects, left in place until the walk finds its field path."""

    def __init__(self, code: str, problem: str, details: dict[str, str]) -> None:
        self.code = code
        self.problem = problem
        self.details = details

    def error(self, path: tuple[str | int, ...]) -> ApiError:
        field = _escaped(field_path(path))
        message = (
            f"{field}: {self.problem}" if field else self.problem[:1].upper() + self.problem[1:]
        )
        details = {name: _escaped(value) for name, value in self.details.items()}
        return ApiError(422, self.code, message, {**details, "field": field})


def _escaped(text: str) -> str:
    """Return text with lone surrogates written as ``\\udXXX``, so a UTF-8 response can carry it."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


class _DuplicateKeys(dict[str, Any]):
    """An object with a repeated key; ``pairs`` keeps every key and value in document order."""

    def __init__(self, pairs: list[tuple[str, Any]]) -> None:
        super().__init__(pairs)
        self.pairs = pairs


class _Rejections:
    """The ``json.loads`` hooks of one parse, which mark rejected values instead of raising.

    The hooks do not know where in the document they are, so the rejected values are marked
    and a walk of the parsed document afterwards finds the first one's path.
    """

    def __init__(self) -> None:
        self.found = False

    def object_from_pairs(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(pairs)
        if len(result) == len(pairs):
            return result
        self.found = True
        return _DuplicateKeys(pairs)

    def constant(self, token: str) -> _Rejected:
        self.found = True
        problem = f"{token} is not a JSON number; send a finite number or null."
        return _Rejected("invalid_number", problem, {"token": token})

    def float_number(self, text: str) -> float | _Rejected:
        value = float(text)
        if not math.isinf(value):
            return value
        self.found = True
        problem = f"the number {text[:40]} is too large for a 64-bit float; send a smaller one."
        return _Rejected("invalid_number", problem, {"token": text[:40]})

    def int_number(self, text: str) -> int | _Rejected:
        # int() raises ValueError above this many digits (4300 by default, 0 for no limit).
        limit = sys.get_int_max_str_digits()
        if limit == 0 or len(text.lstrip("-")) <= limit:
            return int(text)

        self.found = True
        digits = len(text.lstrip("-"))
        problem = (
            f"the integer {text[:20]}... has {digits} digits, more than the "
            f"{sys.get_int_max_str_digits()} this service reads; send a shorter number "
            "(a field that takes text can take the digits as a JSON string)."
        )
        return _Rejected("invalid_number", problem, {"token": text[:40]})


def _first_rejection(document: Any) -> ApiError:
    """Walk the document in text order and return the error for its first rejected value."""
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), document)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, _Rejected):
            return value.error(path)
        stack.extend(reversed(_children(path, value)))
    raise AssertionError("a rejected value was marked but not found")


def _children(path: tuple[str | int, ...], value: Any) -> list[tuple[tuple[str | int, ...], Any]]:
    if isinstance(value, _DuplicateKeys):
        children: list[tuple[tuple[str | int, ...], Any]] = []
        seen: set[str] = set()
        for key, item in value.pairs:
            if key in seen:
                problem = f"the key {key!r} appears twice in one JSON object; send each key once."
                children.append(((*path, key), _Rejected("duplicate_key", problem, {"key": key})))
                break
            seen.add(key)
            children.append(((*path, key), item))
        return children
    if isinstance(value, dict):
        return [((*path, key), item) for key, item in value.items()]
    if isinstance(value, list):
        return [((*path, index), item) for index, item in enumerate(value)]
    return []


class _StrictJSONRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = loads_strict(await self.body())
        return self._json


class StrictJSONRoute(APIRoute):
    """An APIRoute whose JSON bodies are parsed by ``loads_strict``."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()

        async def handle_strictly(request: Request) -> Response:
            return await handle(_StrictJSONRequest(request.scope, request.receive))

        return handle_strictly
