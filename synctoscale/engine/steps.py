"""Run one workflow step: a mapkit validation or a connector action."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from mapkit import Issue
from synctoscale.connectors import ActionRequest, Connector, ConnectorError, connector_class
from synctoscale.engine.definitions import ActionStep, ValidateStep, compile_expected_schema
from synctoscale.engine.paths import SourcePathNotFound, parse_source_path

__all__ = ["CredentialsLookup", "StepContext", "StepFailure", "action_input", "run_step"]

# (project id, connection id, provider) -> the connection's credentials. It raises
# StepFailure when the connection is missing, belongs to another provider or cannot be read.
CredentialsLookup = Callable[[str, str, str], Mapping[str, str] | None]

# Engine error codes; connectors add the providers' own.
MAPPING_ERROR = "mapping_error"
VALIDATION_FAILED = "validation_failed"
INTERNAL_ERROR = "internal_error"
CONNECTION_REQUIRED = "connection_required"

# Maximum number of fields with errors that a validation failure message lists.
MAX_LISTED_FIELDS = 5


@dataclass
class StepFailure(Exception):
    """A failed step attempt, as it is stored for ``GET /errors/{run_id}``."""

    error_code: str
    message: str
    retryable: bool = False
    provider: str | None = None
    provider_status: int | None = None
    raw_response: Any = None
    retry_after: float | None = None

    def __post_init__(self) -> None:
        super().__init__(self.message)


@dataclass(frozen=True)
class StepContext:
    """What a step can read: the run payload and the outputs of the steps before it."""

    run_id: str
    project_id: str
    payload: Any
    outputs: dict[str, Any] = field(default_factory=dict)
    base_urls: Mapping[str, str] = field(default_factory=dict)
    credentials: CredentialsLookup | None = None


def run_step(step: ValidateStep | ActionStep, context: StepContext, attempt: int) -> Any:
    """Run ``step`` and return its output; raise StepFailure when it fails."""
    if isinstance(step, ValidateStep):
        return _validate(step, context)
    return _act(step, context, attempt)


def _validate(step: ValidateStep, context: StepContext) -> Any:
    value = _read(step.source, context) if step.source is not None else context.payload
    validator = compile_expected_schema(
        json.dumps(step.expected_schema, sort_keys=True), step.coerce
    )
    result = validator.validate(value)
    if result.valid:
        return result.data

    raise StepFailure(
        VALIDATION_FAILED, _validation_message(result.issues), raw_response=result.to_dict()
    )


def _validation_message(issues: Sequence[Issue]) -> str:
    """Describe a failed validation by its errors.

    Warnings do not fail a step, so the message counts them apart and names none of them.
    """
    errors = [issue for issue in issues if issue.severity == "error"]
    warnings = len(issues) - len(errors)
    fields = ", ".join(issue.field or "(payload)" for issue in errors[:MAX_LISTED_FIELDS])
    if len(errors) > MAX_LISTED_FIELDS:
        fields += ", …"

    message = (
        f"The payload does not match the expected schema "
        f"({_count(len(errors), 'error')}, in: {fields})."
    )
    if warnings:
        verb = "does" if warnings == 1 else "do"
        message += f" It also has {_count(warnings, 'warning')}, which {verb} not fail the step."
    return message


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _act(step: ActionStep, context: StepContext, attempt: int) -> Any:
    request = ActionRequest(
        action=step.action,
        input=action_input(step, context),
        run_id=context.run_id,
        step_id=step.id,
        attempt=attempt,
    )
    connector = _connector(step, context)
    try:
        return connector.run(request).output
    except ConnectorError as exc:
        raise StepFailure(
            exc.error_code,
            exc.message,
            retryable=exc.retryable,
            provider=step.provider,
            provider_status=exc.provider_status,
            raw_response=exc.raw_response,
            retry_after=exc.retry_after,
        ) from exc


def action_input(step: ActionStep, context: StepContext) -> dict[str, Any]:
    """Build an action's input from the step's mapping, then its constants."""
    if step.mapping is None:
        if not isinstance(context.payload, dict):
            raise StepFailure(MAPPING_ERROR, "The payload is not an object; add a mapping.")
        values = dict(context.payload)
    else:
        values = {
            target: _read(source, context)
            for target, source in step.mapping.items()
            if source is not None
        }
    values.update(step.constants)
    return values


def _read(source: str, context: StepContext) -> Any:
    try:
        return parse_source_path(source).resolve(context.payload, context.outputs)
    except SourcePathNotFound as exc:
        message = (
            f"Source path {exc.path!r} was not found: {exc.problem}. "
            "Send the field in the payload or fix the step's mapping."
        )
        raise StepFailure(MAPPING_ERROR, message) from None


def _connector(step: ActionStep, context: StepContext) -> Connector:
    connector = connector_class(step.provider)
    if step.connection_id is None and connector.requires_credentials():
        raise StepFailure(
            CONNECTION_REQUIRED,
            f"Step {step.id!r} calls {step.provider}, which needs credentials; give the step a "
            "connection_id.",
            provider=step.provider,
        )

    credentials = None
    if step.connection_id is not None and context.credentials is not None:
        credentials = context.credentials(context.project_id, step.connection_id, step.provider)
    return connector(
        credentials=credentials,
        base_url=context.base_urls.get(step.provider),
        timeout_seconds=step.timeout_seconds,
    )
