"""Replay the first response to a POST that repeats its ``Idempotency-Key`` header.

Clients retry POSTs after timeouts; the key makes the retry safe. The first response with a
status below 500 is stored for ``idempotency_ttl_seconds`` (24 hours by default) and replayed
with ``Idempotent-Replayed: true``. The same key with another method, path or body is a 409,
and so is a retry that arrives while the first request still runs. Keys are per project.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from datetime import timedelta

from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import IntegrityError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from synctoscale.auth import Principal
from synctoscale.errors import ApiError, error_body
from synctoscale.store.db import Database
from synctoscale.store.idempotency import (
    Claim,
    ClaimOutcome,
    claim_key,
    complete_key,
    purge_expired_keys,
    release_key,
)

logger = logging.getLogger(__name__)

__all__ = ["IdempotencyMiddleware"]

HEADER = "idempotency-key"
MAX_KEY_LENGTH = 255
# Headers that describe the stored response itself; rate-limit and date headers are fresh.
REPLAYED_HEADERS = ("content-type", "location", "etag", "link")
PURGE_INTERVAL_SECONDS = 600


class IdempotencyMiddleware:
    """Apply Idempotency-Key semantics to authenticated POST requests."""

    def __init__(
        self, app: ASGIApp, database: Database, ttl_seconds: int, stale_after_seconds: int = 60
    ) -> None:
        self.app = app
        self.database = database
        self.ttl = timedelta(seconds=ttl_seconds)
        self.stale_after = timedelta(seconds=stale_after_seconds)
        self._last_purge = 0.0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = Headers(scope=scope).get(HEADER) if scope["type"] == "http" else None
        principal: Principal | None = scope.get("state", {}).get("principal")
        if key is None or scope["method"] != "POST" or principal is None:
            await self.app(scope, receive, send)
            return

        try:
            _check_key(key)
            body = await _read_body(receive)
        except ApiError as exc:
            await _error_response(exc)(scope, receive, send)
            return

        fingerprint = _fingerprint(scope, body)
        claim = await run_in_threadpool(self._claim, principal.project_id, key, scope, fingerprint)
        if claim.outcome is not ClaimOutcome.NEW:
            await _answer_claim(claim, key)(scope, receive, send)
            return

        await self._run_and_store(scope, receive, send, body, principal.project_id, key)

    async def _run_and_store(
        self, scope: Scope, receive: Receive, send: Send, body: bytes, project_id: str, key: str
    ) -> None:
        """Run the request, store its response, and only then send it.

        Holding the response until it is stored means a client that has seen it can always
        replay it, even with a retry sent the instant the response arrives.
        """
        messages: list[Message] = []
        try:
            await self.app(scope, _replaying(body, receive), _collect(messages))
        except BaseException:
            await run_in_threadpool(self._release, project_id, key)
            raise

        status, headers, response_body = _response_parts(messages)
        if status is None or status >= 500:
            await run_in_threadpool(self._release, project_id, key)
        else:
            await run_in_threadpool(self._complete, project_id, key, status, headers, response_body)

        for message in messages:
            await send(message)

    def _claim(self, project_id: str, key: str, scope: Scope, fingerprint: str) -> Claim:
        self._purge_now_and_then()
        for attempt in range(2):
            try:
                with self.database.session() as session:
                    return claim_key(
                        session,
                        project_id=project_id,
                        key=key,
                        method=scope["method"],
                        path=scope["path"],
                        request_sha256=fingerprint,
                        ttl=self.ttl,
                        stale_after=self.stale_after,
                    )
            except IntegrityError:
                if attempt == 1:
                    raise
        raise AssertionError("unreachable")

    def _complete(
        self, project_id: str, key: str, status: int, headers: dict[str, str], body: bytes
    ) -> None:
        with self.database.session() as session:
            complete_key(
                session,
                project_id=project_id,
                key=key,
                status_code=status,
                headers=headers,
                body=body,
            )

    def _release(self, project_id: str, key: str) -> None:
        with self.database.session() as session:
            release_key(session, project_id=project_id, key=key)

    def _purge_now_and_then(self) -> None:
        if time.monotonic() - self._last_purge < PURGE_INTERVAL_SECONDS:
            return
        self._last_purge = time.monotonic()
        with self.database.session() as session:
            purged = purge_expired_keys(session)
        if purged:
            logger.info("purged %d expired idempotency keys", purged)


def _check_key(key: str) -> None:
    if not 1 <= len(key) <= MAX_KEY_LENGTH or not key.isascii() or not key.isprintable():
        raise ApiError(
            422,
            "invalid_idempotency_key",
            f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} printable ASCII characters; "
            "a UUID is a good choice.",
            [{"field": "Idempotency-Key", "problem": "invalid length or characters"}],
        )


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replaying(body: bytes, receive: Receive) -> Receive:
    """Return a receive callable that hands the app the body already read, then waits."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _collect(messages: list[Message]) -> Send:
    async def collect(message: Message) -> None:
        messages.append(message)

    return collect


def _response_parts(messages: list[Message]) -> tuple[int | None, dict[str, str], bytes]:
    status: int | None = None
    headers: dict[str, str] = {}
    chunks: list[bytes] = []
    for message in messages:
        if message["type"] == "http.response.start":
            status = message["status"]
            raw = Headers(raw=message.get("headers", []))
            headers = {name: raw[name] for name in REPLAYED_HEADERS if name in raw}
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))
    return status, headers, b"".join(chunks)


def _fingerprint(scope: Scope, body: bytes) -> str:
    """Hash the request so that the same JSON with other spacing or key order matches."""
    try:
        canonical = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode()
    except ValueError:
        canonical = body
    query = scope.get("query_string", b"")
    return hashlib.sha256(query + b"\n" + canonical).hexdigest()


def _answer_claim(claim: Claim, key: str) -> Response:
    record = claim.record
    assert record is not None
    if claim.outcome is ClaimOutcome.REPLAY:
        headers = {**(record.response_headers or {}), "Idempotent-Replayed": "true"}
        return Response(record.response_body or b"", record.status_code or 200, headers=headers)

    if claim.outcome is ClaimOutcome.MISMATCH:
        message = (
            f"Idempotency-Key {key!r} was first used for {record.method} {record.path} with "
            "another body; send a new key for a new request."
        )
        return _error_response(ApiError(409, "idempotency_key_reused", message))

    message = f"A request with Idempotency-Key {key!r} is still running; retry in a moment."
    error = ApiError(409, "idempotency_key_in_progress", message, headers={"Retry-After": "1"})
    return _error_response(error)


def _error_response(exc: ApiError) -> JSONResponse:
    return JSONResponse(
        error_body(exc.code, exc.message, exc.details), exc.status_code, headers=exc.headers
    )
