"""Limit requests per project and per token with the ``limits`` library.

Each caller has two fixed windows: one shared by every token of its project and one for the
token itself. A request must fit both. Responses report the tighter of the two, and
``reset`` is the moment that window starts over.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import UTC, datetime

from fastapi.responses import JSONResponse
from limits import RateLimitItem, parse
from limits.aio.storage import Storage
from limits.aio.strategies import FixedWindowRateLimiter
from limits.storage import storage_from_string
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from synctoscale.auth import Principal
from synctoscale.errors import error_body
from synctoscale.settings import SettingsError

logger = logging.getLogger(__name__)

__all__ = ["RATE_LIMIT_PATH", "RateLimitMiddleware", "RateLimitStatus", "RateLimits"]

RATE_LIMIT_PATH = "/rate_limit"


@dataclass(frozen=True)
class RateLimitStatus:
    """One window's state: how many requests it allows, how many are left, when it resets."""

    limit: int
    remaining: int
    reset_epoch: float
    window: str = ""  # "project" or "token"
    rate: str = ""  # the configured limit, such as "5000 per 1 hour"

    @property
    def reset(self) -> datetime:
        return datetime.fromtimestamp(math.ceil(self.reset_epoch), UTC)

    def to_dict(self) -> dict[str, int | str]:
        return {
            "limit": self.limit,
            "remaining": self.remaining,
            "reset": self.reset.isoformat().replace("+00:00", "Z"),
        }

    def seconds_to_reset(self, now: float) -> int:
        return max(0, math.ceil(self.reset_epoch - now))


@dataclass(frozen=True)
class RateLimitDecision:
    allowed: bool
    project: RateLimitStatus
    token: RateLimitStatus

    @property
    def tightest(self) -> RateLimitStatus:
        """The window with fewer requests left, or the exhausted one when a request failed."""
        return min(
            self.project, self.token, key=lambda status: (status.remaining, -status.reset_epoch)
        )


class RateLimits:
    """The two windows of every caller, kept in ``memory://`` or ``redis://`` storage."""

    def __init__(self, storage_url: str, project_limit: str, token_limit: str) -> None:
        self.project_item = _parse_limit(project_limit, "SYNCTOSCALE_RATE_LIMIT")
        self.token_item = _parse_limit(token_limit, "SYNCTOSCALE_TOKEN_RATE_LIMIT")
        self.storage_url = storage_url
        self.limiter = FixedWindowRateLimiter(_async_storage(storage_url))

    async def hit(self, principal: Principal) -> RateLimitDecision:
        """Count one request against both windows; a request over either is not allowed."""
        allowed = await self.limiter.hit(self.project_item, "project", principal.project_id)
        if allowed:
            allowed = await self.limiter.hit(self.token_item, "token", principal.token_id)
        return await self._decision(principal, allowed)

    async def peek(self, principal: Principal) -> RateLimitDecision:
        """Report both windows without counting a request."""
        return await self._decision(principal, allowed=True)

    async def _decision(self, principal: Principal, allowed: bool) -> RateLimitDecision:
        project = await self._status(self.project_item, "project", principal.project_id)
        token = await self._status(self.token_item, "token", principal.token_id)
        return RateLimitDecision(allowed=allowed, project=project, token=token)

    async def _status(self, item: RateLimitItem, kind: str, identifier: str) -> RateLimitStatus:
        stats = await self.limiter.get_window_stats(item, kind, identifier)
        remaining = max(0, stats.remaining)
        return RateLimitStatus(item.amount, remaining, stats.reset_time, kind, str(item))


def _parse_limit(text: str, setting: str) -> RateLimitItem:
    try:
        return parse(text)
    except ValueError:
        raise SettingsError(
            f"{setting} must read like '5000/hour' or '100/minute', got {text!r}."
        ) from None


def _async_storage(url: str) -> Storage:
    """Open the asynchronous variant of a ``memory://`` or ``redis://`` storage URL."""
    scheme = url.split("://", 1)[0]
    if scheme not in ("memory", "redis", "rediss"):
        raise SettingsError(
            "SYNCTOSCALE_RATE_LIMIT_STORAGE must be memory:// or redis://host:port/db, "
            f"got {url!r}."
        )
    if scheme == "memory":
        storage = storage_from_string("async+memory://")
    else:
        storage = storage_from_string(f"async+{url}", implementation="redispy")
    assert isinstance(storage, Storage)
    return storage


def rate_limit_headers(status: RateLimitStatus, now: float) -> dict[str, str]:
    """Headers in both common conventions.

    ``RateLimit-Reset`` counts seconds until the window resets (IETF httpapi draft);
    ``X-RateLimit-Reset`` is the reset moment in Unix seconds (the GitHub convention).
    """
    return {
        "RateLimit-Limit": str(status.limit),
        "RateLimit-Remaining": str(status.remaining),
        "RateLimit-Reset": str(status.seconds_to_reset(now)),
        "X-RateLimit-Limit": str(status.limit),
        "X-RateLimit-Remaining": str(status.remaining),
        "X-RateLimit-Reset": str(math.ceil(status.reset_epoch)),
    }


class RateLimitMiddleware:
    """Count each authenticated request, reject it with a 429 when over, and add the headers.

    ``GET /rate_limit`` and requests without a principal (the public API docs, rejected
    tokens) are not counted.
    """

    def __init__(self, app: ASGIApp, limits: RateLimits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        principal = scope.get("state", {}).get("principal")
        if scope["type"] != "http" or principal is None:
            await self.app(scope, receive, send)
            return

        if scope["path"] == RATE_LIMIT_PATH:
            decision = await self.limits.peek(principal)
        else:
            decision = await self.limits.hit(principal)
        scope["state"]["rate_limit"] = decision

        now = datetime.now(UTC).timestamp()
        headers = rate_limit_headers(decision.tightest, now)
        if not decision.allowed:
            await self._reject(decision, principal, headers, now)(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).update(headers)
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _reject(
        self, decision: RateLimitDecision, principal: Principal, headers: dict[str, str], now: float
    ) -> JSONResponse:
        status = decision.tightest
        retry_after = max(1, status.seconds_to_reset(now))
        logger.info(
            "rate limit exceeded",
            extra={"project_id": principal.project_id, "token_id": principal.token_id},
        )

        window = status.to_dict()
        owner = "this project's tokens together" if status.window == "project" else "this token"
        message = (
            f"The {status.window} rate limit of {status.rate} requests for {owner} is "
            f"exhausted; retry after {retry_after} seconds, when the window resets at "
            f"{window['reset']}."
        )
        body = {**error_body("rate_limited", message, window), **window}
        return JSONResponse(
            body, status_code=429, headers={**headers, "Retry-After": str(retry_after)}
        )
