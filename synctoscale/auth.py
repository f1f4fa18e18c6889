"""Authenticate requests by their ``Authorization: Bearer <project token>`` header."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from fastapi import Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from synctoscale.errors import ApiError, error_body
from synctoscale.store.db import Database
from synctoscale.store.projects import find_token
from synctoscale.tokens import parse_token_id, token_digest, token_matches

logger = logging.getLogger(__name__)

__all__ = ["PUBLIC_PATHS", "AuthMiddleware", "Authenticator", "Principal", "current_principal"]

PUBLIC_PATHS = frozenset({"/docs", "/docs/oauth2-redirect", "/redoc", "/openapi.json"})


@dataclass(frozen=True)
class Principal:
    """The project and token a request acts for."""

    project_id: str
    token_id: str


class Authenticator:
    """Check bearer tokens against the database, remembering recent successes briefly.

    NOTE: a token revoked from another process keeps working in this one for up to
    ``cache_seconds``; set it to 0 where revocation must apply at once.
    """

    def __init__(self, database: Database, cache_seconds: float = 5.0, cache_size: int = 10_000):
        self.database = database
        self.cache_seconds = cache_seconds
        self.cache_size = cache_size
        self._cache: dict[str, tuple[Principal, float]] = {}
        self._lock = threading.Lock()

    def cached(self, token: str) -> Principal | None:
        """Return the principal for a token verified within the last ``cache_seconds``."""
        entry = self._cache.get(token_digest(token))
        if entry is None or entry[1] < time.monotonic():
            return None
        return entry[0]

    def verify(self, token: str) -> Principal:
        """Look the token up in the database; raise a 401 ApiError if it is not valid."""
        token_id = parse_token_id(token)
        if token_id is None:
            raise _unauthorized("The bearer token is malformed; use a token issued by SyncToScale.")

        with self.database.session() as session:
            row = find_token(session, token_id)
            if row is None or not token_matches(token, row.token_sha256):
                logger.info("rejected token %s: unknown, revoked or wrong secret", token_id)
                raise _unauthorized("The bearer token is invalid or revoked.")
            principal = Principal(project_id=row.project_id, token_id=row.id)

        self._remember(token, principal)
        return principal

    def forget_all(self) -> None:
        with self._lock:
            self._cache.clear()

    def _remember(self, token: str, principal: Principal) -> None:
        if self.cache_seconds <= 0:
            return
        with self._lock:
            if len(self._cache) >= self.cache_size:
                self._cache.clear()
            self._cache[token_digest(token)] = (principal, time.monotonic() + self.cache_seconds)


def _unauthorized(message: str) -> ApiError:
    return ApiError(401, "unauthorized", message, headers={"WWW-Authenticate": "Bearer"})


def _bearer_token(headers: Headers) -> str:
    header = headers.get("authorization")
    if not header:
        raise _unauthorized(
            "The request has no Authorization header; send 'Authorization: Bearer <project token>'."
        )

    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise _unauthorized("The Authorization header must read 'Bearer <project token>'.")
    return token.strip()


class AuthMiddleware:
    """Reject requests without a valid bearer token before their body is read.

    Only the interactive API documentation and the OpenAPI document are public. The principal
    is stored in the request state, where ``current_principal`` and the rate limiter find it.
    """

    def __init__(self, app: ASGIApp, authenticator: Authenticator) -> None:
        self.app = app
        self.authenticator = authenticator

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in PUBLIC_PATHS:
            await self.app(scope, receive, send)
            return

        try:
            principal = await self._authenticate(Headers(scope=scope))
        except ApiError as exc:
            body = error_body(exc.code, exc.message)
            await JSONResponse(body, status_code=401, headers=exc.headers)(scope, receive, send)
            return

        scope.setdefault("state", {})["principal"] = principal
        await self.app(scope, receive, send)

    async def _authenticate(self, headers: Headers) -> Principal:
        token = _bearer_token(headers)
        principal = self.authenticator.cached(token)
        if principal is None:
            principal = await run_in_threadpool(self.authenticator.verify, token)
        return principal


def current_principal(request: Request) -> Principal:
    """FastAPI dependency: the principal that AuthMiddleware stored for this request."""
    principal = getattr(request.state, "principal", None)
    if principal is None:
        raise _unauthorized("The request is not authenticated.")
    return principal
