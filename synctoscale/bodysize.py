"""Reject request bodies over the configured size with a 413 in the API's error shape.

Starlette's own limiter answers with a plain-text body, which would break the one error
shape every client parses, hence this small middleware.
"""

from __future__ import annotations

from fastapi.responses import JSONResponse
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from synctoscale.errors import ApiError, error_body

__all__ = ["BodySizeLimitMiddleware"]


def _too_large(limit: int) -> ApiError:
    message = f"The request body is larger than the limit of {limit} bytes; send a smaller one."
    return ApiError(413, "payload_too_large", message, {"limit_bytes": limit})


class BodySizeLimitMiddleware:
    """Answer 413 before reading when Content-Length is over ``max_bytes``, and stop reading
    a chunked body as soon as it passes ``max_bytes``."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        declared = Headers(scope=scope).get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            error = _too_large(self.max_bytes)
            response = JSONResponse(error_body(error.code, error.message, error.details), 413)
            await response(scope, receive, send)
            return

        received = 0

        async def receive_within_limit() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                raise _too_large(self.max_bytes)
            return message

        await self.app(scope, receive_within_limit, send)
