"""Run and step states, and which run transitions are allowed.

A run moves ``queued -> running -> succeeded | failed | retrying``; a ``retrying`` run is
claimed again when its ``next_attempt_at`` passes. ``cancelled`` can be reached from any
unfinished state. ``POST /runs/{id}/retry`` moves a ``failed`` or ``cancelled`` run back to
``queued``.

A step is ``pending`` until a worker starts it. Cancelling a run moves its ``pending`` and
``running`` steps to ``cancelled``.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "CANCELLABLE",
    "CLAIMABLE",
    "FINISHED",
    "RETRIABLE_BY_CLIENT",
    "TRANSITIONS",
    "UNFINISHED_STEPS",
    "RunStatus",
    "StepStatus",
    "can_transition",
]


class RunStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    RETRYING = "retrying"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


class StepStatus(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


TRANSITIONS: dict[RunStatus, frozenset[RunStatus]] = {
    RunStatus.QUEUED: frozenset({RunStatus.RUNNING, RunStatus.CANCELLED}),
    RunStatus.RUNNING: frozenset(
        {RunStatus.SUCCEEDED, RunStatus.FAILED, RunStatus.RETRYING, RunStatus.CANCELLED}
    ),
    RunStatus.RETRYING: frozenset({RunStatus.RUNNING, RunStatus.FAILED, RunStatus.CANCELLED}),
    RunStatus.SUCCEEDED: frozenset(),
    RunStatus.FAILED: frozenset({RunStatus.QUEUED}),
    RunStatus.CANCELLED: frozenset({RunStatus.QUEUED}),
}

# A worker may start a run in these states (a retrying one only once it is due).
CLAIMABLE = frozenset({RunStatus.QUEUED, RunStatus.RETRYING})
FINISHED = frozenset({RunStatus.SUCCEEDED, RunStatus.FAILED, RunStatus.CANCELLED})
CANCELLABLE = frozenset({RunStatus.QUEUED, RunStatus.RUNNING, RunStatus.RETRYING})
RETRIABLE_BY_CLIENT = frozenset({RunStatus.FAILED, RunStatus.CANCELLED})
UNFINISHED_STEPS = frozenset({StepStatus.PENDING, StepStatus.RUNNING})


def can_transition(current: RunStatus, target: RunStatus) -> bool:
    return target in TRANSITIONS[current]
