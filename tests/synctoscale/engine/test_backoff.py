"""Properties of the retry delay: exponential ceiling, jitter below it, Retry-After as a floor."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from synctoscale.engine.backoff import retry_delay

attempts = st.integers(min_value=1, max_value=200)
seconds = st.floats(min_value=0, max_value=3600, allow_nan=False)


@given(attempts, seconds, seconds, st.integers())
def test_delay_within_jitter_band(attempt: int, initial: float, cap: float, seed: int) -> None:
    ceiling = min(cap, initial * 2.0 ** (attempt - 1))

    delay = retry_delay(attempt, initial_seconds=initial, max_seconds=cap, rng=random.Random(seed))

    assert ceiling / 2 <= delay <= ceiling


@given(attempts, seconds, seconds, seconds, st.integers())
def test_retry_after_is_floor(
    attempt: int, initial: float, cap: float, retry_after: float, seed: int
) -> None:
    delay = retry_delay(
        attempt,
        initial_seconds=initial,
        max_seconds=cap,
        retry_after=retry_after,
        rng=random.Random(seed),
    )

    assert delay >= retry_after


@pytest.mark.parametrize(
    ("attempt", "ceiling"),
    [(1, 1.0), (2, 2.0), (3, 4.0), (9, 256.0), (10, 300.0), (1000, 300.0)],
)
def test_ceiling_doubles_up_to_cap(attempt: int, ceiling: float) -> None:
    delays = [
        retry_delay(attempt, initial_seconds=1.0, max_seconds=300.0, rng=random.Random(seed))
        for seed in range(200)
    ]

    assert max(delays) <= ceiling
    assert min(delays) >= ceiling / 2


def test_zero_attempts_is_error() -> None:
    with pytest.raises(ValueError, match="failed_attempts"):
        retry_delay(0, initial_seconds=1.0, max_seconds=10.0)
