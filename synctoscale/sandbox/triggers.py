"""The inputs that make the sandbox fail on purpose, the same way for every provider.

Failures are chosen by what a request carries, never at random, so a test or a demo gets the
same answer every time:

- the credential: a token or API key containing ``invalid`` is rejected, one containing
  ``noscope`` carries no scope that reads or writes records, one containing ``readonly``
  carries only read scopes;
- the domain of an email address in the request: ``ratelimited.example.com`` (429 with
  ``Retry-After``), ``outage.example.com`` (503), ``invalid.example.com`` (the provider's
  validation error), ``slow.example.com`` (responds after ``slow_seconds``) and
  ``flaky.example.com`` (503 on the first request for that address, success afterwards);
- the header ``X-Sandbox-Fail: rate_limited | outage | invalid`` on any request.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "FAIL_HEADER",
    "Grant",
    "SandboxConfig",
    "Trigger",
    "grant_for",
    "trigger_for",
]

FAIL_HEADER = "x-sandbox-fail"


@dataclass(frozen=True)
class SandboxConfig:
    """Sandbox behaviour that tests tune: the Retry-After it sends and how slow ``slow`` is."""

    retry_after_seconds: int = 1
    slow_seconds: float = 5.0


class Trigger(enum.Enum):
    RATE_LIMITED = "rate_limited"
    OUTAGE = "outage"
    INVALID = "invalid"
    SLOW = "slow"
    FLAKY = "flaky"


_DOMAINS = {
    "ratelimited.example.com": Trigger.RATE_LIMITED,
    "outage.example.com": Trigger.OUTAGE,
    "invalid.example.com": Trigger.INVALID,
    "slow.example.com": Trigger.SLOW,
    "flaky.example.com": Trigger.FLAKY,
}
_HEADER_VALUES = {
    "rate_limited": Trigger.RATE_LIMITED,
    "outage": Trigger.OUTAGE,
    "invalid": Trigger.INVALID,
}


def trigger_for(emails: Iterable[object], header: str | None = None) -> tuple[Trigger, str] | None:
    """Return the failure a request asks for and the email (or header) that asked for it."""
    if header and header.strip().lower() in _HEADER_VALUES:
        return _HEADER_VALUES[header.strip().lower()], f"header:{header.strip().lower()}"
    for email in emails:
        if not isinstance(email, str) or "@" not in email:
            continue
        trigger = _DOMAINS.get(email.rsplit("@", 1)[1].strip().lower())
        if trigger is not None:
            return trigger, email.strip().lower()
    return None


class Grant(enum.Enum):
    """What a credential may do in the sandbox."""

    MISSING = "missing"
    INVALID = "invalid"
    NO_SCOPE = "noscope"
    READ_ONLY = "readonly"
    FULL = "full"


def grant_for(credential: str | None) -> Grant:
    if not credential:
        return Grant.MISSING
    lowered = credential.lower()
    if "invalid" in lowered:
        return Grant.INVALID
    if "noscope" in lowered:
        return Grant.NO_SCOPE
    if "readonly" in lowered:
        return Grant.READ_ONLY
    return Grant.FULL
