"""The queue tasks: run a workflow run by id, and sweep for stale and lost runs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from huey import Huey
from huey.api import TaskWrapper

__all__ = ["QueueTasks", "register_tasks"]


@dataclass(frozen=True)
class QueueTasks:
    run_workflow: TaskWrapper
    sweep_runs: TaskWrapper


def _every_check(_timestamp: datetime) -> bool:
    """Run at every periodic check; RunConsumer sets how often that is."""
    return True


def register_tasks(
    huey: Huey, execute: Callable[[str], None], sweep: Callable[[], Any]
) -> QueueTasks:
    """Register the engine's tasks on ``huey``; the queue message holds only the run id."""

    def run_workflow(run_id: str) -> None:
        execute(run_id)

    def sweep_runs() -> None:
        sweep()

    return QueueTasks(
        run_workflow=huey.task(name="run_workflow")(run_workflow),
        sweep_runs=huey.periodic_task(_every_check, name="sweep_runs")(sweep_runs),
    )
