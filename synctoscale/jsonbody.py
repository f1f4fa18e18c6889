"""Parse request bodies as strict JSON: no duplicate keys, no NaN or Infinity.

Python's ``json`` module keeps the last of two equal keys and accepts ``NaN``; both silently
change what the client meant, so both are rejected here with the key or token named.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

from synctoscale.errors import ApiError

__all__ = ["StrictJSONRoute", "loads_strict"]


def loads_strict(raw: bytes | str) -> Any:
    """Parse JSON text, raising ApiError (400 or 422) for anything ambiguous or malformed."""
    try:
        return json.loads(
            raw,
            object_pairs_hook=_reject_duplicate_keys,
            parse_constant=_reject_constant,
            parse_float=_parse_finite_float,
        )
    except json.JSONDecodeError as exc:
        message = f"The request body is not valid JSON: {exc.msg} at character {exc.pos}."
        raise ApiError(400, "invalid_json", message, {"position": exc.pos}) from None
    except RecursionError:
        raise ApiError(400, "invalid_json", "The request body is nested too deeply.") from None
    except UnicodeDecodeError:
        raise ApiError(400, "invalid_json", "The request body is not UTF-8 text.") from None
    except ValueError as exc:  # an integer with more digits than Python converts
        raise ApiError(400, "invalid_json", f"The request body has a bad number: {exc}.") from None


def _reject_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ApiError(
                422,
                "duplicate_key",
                f"The key {key!r} appears twice in one JSON object; send each key once.",
                {"key": key},
            )
        result[key] = value
    return result


def _reject_constant(token: str) -> float:
    raise ApiError(
        422,
        "invalid_number",
        f"{token} is not a JSON number; send a finite number or null.",
        {"token": token},
    )


def _parse_finite_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise ApiError(
            422,
            "invalid_number",
            f"The number {text[:40]} is too large for a 64-bit float; send a smaller one.",
            {"token": text[:40]},
        )
    return value


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
