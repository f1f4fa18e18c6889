"""The workflow engine: definitions, the run state machine, queue tasks and the sweeper.

``synctoscale.engine.runtime.Engine`` ties them together; it is not imported here because
the store imports the states and definitions from this package.
"""

from synctoscale.engine.definitions import (
    ActionStep,
    EventTrigger,
    ManualTrigger,
    RetryPolicy,
    ValidateStep,
    WorkflowDefinition,
)
from synctoscale.engine.states import RunStatus, StepStatus

__all__ = [
    "ActionStep",
    "EventTrigger",
    "ManualTrigger",
    "RetryPolicy",
    "RunStatus",
    "StepStatus",
    "ValidateStep",
    "WorkflowDefinition",
]
