"""The built-in ``echo`` provider: returns its input, or fails on request.

It lets the engine run end to end without a provider account. Keys that start with
``_echo_`` in the step input control it and are left out of the output:

- ``_echo_fail``: ``"retryable"`` (a 503 outage), ``"rate_limited"`` (a 429) or
  ``"permanent"`` (a 400 that no retry fixes).
- ``_echo_until_attempt``: apply ``_echo_fail`` and ``_echo_sleep_seconds`` only to attempts
  up to this number, so later attempts succeed.
- ``_echo_retry_after``: the ``Retry-After`` seconds sent with a failure.
- ``_echo_sleep_seconds``: wait this long (at most 120 s) before answering.
- ``_echo_message``: the error message to fail with.
"""

from __future__ import annotations

import time
from typing import Any

from synctoscale.connectors.base import (
    ActionRequest,
    ActionResult,
    Connector,
    ConnectorError,
    FailureKind,
    Identity,
)

__all__ = ["EchoConnector"]

CONTROL_PREFIX = "_echo_"
MAX_SLEEP_SECONDS = 120.0

# failure name -> (error code, provider status, retryable, default message, kind)
_FAILURES: dict[str, tuple[str, int, bool, str, FailureKind]] = {
    "retryable": (
        "provider_unavailable",
        503,
        True,
        "The echo provider is unavailable.",
        FailureKind.UNAVAILABLE,
    ),
    "rate_limited": (
        "rate_limited",
        429,
        True,
        "The echo provider's rate limit was exceeded.",
        FailureKind.RATE_LIMITED,
    ),
    "permanent": (
        "invalid_request",
        400,
        False,
        "The echo provider rejected the request.",
        FailureKind.INVALID_REQUEST,
    ),
}


class EchoConnector(Connector):
    provider = "echo"
    actions = frozenset({"echo"})

    def run(self, request: ActionRequest) -> ActionResult:
        controls = {k: v for k, v in request.input.items() if k.startswith(CONTROL_PREFIX)}
        output = {k: v for k, v in request.input.items() if not k.startswith(CONTROL_PREFIX)}

        if _applies(controls, request.attempt):
            _sleep(controls)
            _fail(controls)
        return ActionResult(output=output, provider_status=200)

    def identify(self) -> Identity:
        return Identity(account={"provider": "echo"})


def _applies(controls: dict[str, Any], attempt: int) -> bool:
    until = controls.get("_echo_until_attempt")
    if until is None:
        return True
    if not isinstance(until, int) or isinstance(until, bool):
        raise _bad_control("_echo_until_attempt", until, "a whole number")
    return attempt <= until


def _sleep(controls: dict[str, Any]) -> None:
    seconds = controls.get("_echo_sleep_seconds")
    if seconds is None:
        return
    if not isinstance(seconds, (int, float)) or not 0 <= seconds <= MAX_SLEEP_SECONDS:
        raise _bad_control("_echo_sleep_seconds", seconds, f"0 to {MAX_SLEEP_SECONDS:g} seconds")
    time.sleep(seconds)


def _fail(controls: dict[str, Any]) -> None:
    kind = controls.get("_echo_fail")
    if kind is None:
        return
    if kind not in _FAILURES:
        raise _bad_control("_echo_fail", kind, "one of: " + ", ".join(_FAILURES))

    error_code, status, retryable, message, failure_kind = _FAILURES[kind]
    retry_after = controls.get("_echo_retry_after")
    if retry_after is not None and not isinstance(retry_after, (int, float)):
        raise _bad_control("_echo_retry_after", retry_after, "a number of seconds")

    message = str(controls.get("_echo_message") or message)
    raise ConnectorError(
        error_code,
        message,
        retryable=retryable,
        provider_status=status,
        raw_response={"error": {"code": error_code, "message": message}},
        retry_after=None if retry_after is None else float(retry_after),
        kind=failure_kind,
    )


def _bad_control(key: str, value: Any, expected: str) -> ConnectorError:
    return ConnectorError(
        "invalid_request",
        f"The echo control {key} is {value!r}; expected {expected}.",
        retryable=False,
        kind=FailureKind.INVALID_INPUT,
    )
