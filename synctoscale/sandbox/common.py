"""Helpers every emulated provider uses: the shared state, triggers and request bodies."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl

from fastapi import Request
from fastapi.responses import Response

from synctoscale.sandbox.state import SandboxState
from synctoscale.sandbox.triggers import FAIL_HEADER, SandboxConfig, Trigger, trigger_for

__all__ = [
    "Reject",
    "bearer_token",
    "config_of",
    "read_body",
    "reject",
    "requested_failure",
    "state_of",
]


class Reject(Exception):
    """Ends a sandbox handler early with a finished provider response."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self.response = response


async def reject(request: Request, exc: Exception) -> Response:
    """Exception handler that sends the response a Reject carries."""
    assert isinstance(exc, Reject)
    return exc.response


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    return header[7:].strip() if header.lower().startswith("bearer ") else None


def state_of(request: Request) -> SandboxState:
    state: SandboxState = request.app.state.sandbox
    return state


def config_of(request: Request) -> SandboxConfig:
    config: SandboxConfig = request.app.state.sandbox_config
    return config


async def read_body(request: Request) -> dict[str, Any] | None:
    """Return a JSON or form body as a dict, ``{}`` when empty, None when it does not parse."""
    raw = await request.body()
    if not raw.strip():
        return {}
    if "application/x-www-form-urlencoded" in request.headers.get("content-type", ""):
        return dict(parse_qsl(raw.decode("utf-8", errors="replace")))
    try:
        body = json.loads(raw)
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


async def requested_failure(
    request: Request, provider: str, emails: Iterable[object]
) -> Trigger | None:
    """Return the failure that the request's emails or header select, after any delay.

    ``slow`` waits and then lets the request through; ``flaky`` is an outage the first time
    an address reaches this provider and nothing after that.
    """
    found = trigger_for(emails, request.headers.get(FAIL_HEADER))
    if found is None:
        return None

    trigger, key = found
    if trigger is Trigger.SLOW:
        await asyncio.sleep(config_of(request).slow_seconds)
        return None
    if trigger is Trigger.FLAKY:
        return Trigger.OUTAGE if state_of(request).first_failure(provider, key) else None
    return trigger
