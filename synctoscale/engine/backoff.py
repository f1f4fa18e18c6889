"""Compute how long a run waits before the next attempt of a failed step."""

from __future__ import annotations

import random

__all__ = ["retry_delay"]


def retry_delay(
    failed_attempts: int,
    *,
    initial_seconds: float,
    max_seconds: float,
    retry_after: float | None = None,
    rng: random.Random | None = None,
) -> float:
    """Return the delay in seconds before attempt ``failed_attempts + 1``.

    The ceiling doubles with every failed attempt (``initial_seconds * 2 ** (n - 1)``, capped
    at ``max_seconds``) and the delay is drawn uniformly from the upper half of it, so that
    runs failing together do not retry together. A provider's ``Retry-After`` is a floor:
    the delay is never shorter, even when it exceeds ``max_seconds``.
    """
    if failed_attempts < 1:
        raise ValueError(f"failed_attempts must be 1 or more, got {failed_attempts}")

    exponent = min(failed_attempts - 1, 1000)  # 2.0 ** 1024 overflows a float
    ceiling = min(max_seconds, initial_seconds * 2.0**exponent)
    delay = (rng or random).uniform(ceiling / 2, ceiling)
    if retry_after is not None:
        delay = max(delay, retry_after)
    return delay
