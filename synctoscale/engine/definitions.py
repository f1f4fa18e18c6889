"""Workflow definitions: the pydantic models that check a workflow before it is stored.

Every problem names the step it is in, so a 422 for a workflow points at the step to fix.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    ValidationError,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    WrapValidator,
    field_validator,
)
from pydantic_core import PydanticCustomError

import mapkit
from synctoscale.connectors import provider_actions
from synctoscale.engine.paths import PathSyntaxError, SourcePath, parse_source_path
from synctoscale.problems import join_words, problem_text, unknown_field_problem

__all__ = [
    "ActionStep",
    "EventTrigger",
    "ManualTrigger",
    "RetryPolicy",
    "Step",
    "ValidateStep",
    "WorkflowDefinition",
    "compile_expected_schema",
    "load_stored",
]

# Ids appear in URLs and in ``steps.<id>.output`` paths, so they contain no dots or slashes.
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$"
ID_RULE = "1 to 100 letters, digits, '_' or '-', starting with a letter or digit"
STEP_TYPES = ("validate", "action")
TRIGGER_TYPES = ("manual", "event")

_ID = re.compile(ID_PATTERN)
_ID_CHARACTER = re.compile(r"[A-Za-z0-9_-]")


def _check_id(value: str) -> str:
    """Return ``value`` if it matches ``ID_PATTERN``, else raise an error naming the rule."""
    if _ID.fullmatch(value):
        return value
    if not value:
        problem = "is empty"
    elif len(value) > 100:
        problem = f"has {len(value)} characters"
    elif not value[0].isascii() or not value[0].isalnum():
        problem = f"starts with {value[0]!r}"
    else:
        others = dict.fromkeys(char for char in value if not _ID_CHARACTER.fullmatch(char))
        problem = f"contains {join_words([repr(char) for char in others], 'and')}"
    raise PydanticCustomError(
        "invalid_id", "{problem}; an id is {rule}", {"problem": problem, "rule": ID_RULE}
    )


# The pattern stays in the JSON schema for clients, and ``_check_id`` states a mismatch in words.
Id = Annotated[str, Field(json_schema_extra={"pattern": ID_PATTERN}), AfterValidator(_check_id)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RetryPolicy(_Strict):
    """Attempt count and delays for a step that fails with a retryable error."""

    max_attempts: int = Field(3, ge=1, le=20, description="Attempts in all, the first included.")
    initial_delay_seconds: float = Field(
        1.0, ge=0, le=3600, description="Upper bound of the delay after the first failure."
    )
    max_delay_seconds: float = Field(
        300.0, ge=0, le=86_400, description="Maximum delay. A provider's Retry-After may exceed it."
    )


class ManualTrigger(_Strict):
    """A trigger that starts runs only with ``POST /workflows/{id}/run``."""

    type: Literal["manual"]


class EventTrigger(_Strict):
    """A trigger that also starts runs with ``POST /triggers/event``.

    Only events of this provider and event type start a run.
    """

    type: Literal["event"]
    provider: str = Field(min_length=1, max_length=100, examples=["bamboohr"])
    event_type: str = Field(min_length=1, max_length=200, examples=["employee.updated"])


def _check_trigger_type(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    """Reject a trigger without ``type`` with an error that lists the trigger types.

    pydantic's own error for the missing tag does not name them.
    """
    if isinstance(value, dict) and "type" not in value:
        problem = PydanticCustomError(
            "missing", "Field required; use {known}", {"known": join_words(TRIGGER_TYPES, "or")}
        )
        raise ValidationError.from_exception_data(
            "Trigger", [{"type": problem, "loc": ("type",), "input": value}]
        )
    return handler(value)


Trigger = Annotated[
    ManualTrigger | EventTrigger, Field(discriminator="type"), WrapValidator(_check_trigger_type)
]


class ValidateStep(_Strict):
    """A step that checks a value against an expected schema with mapkit.

    Its output is the checked data.
    """

    id: Id
    type: Literal["validate"]
    expected_schema: dict[str, Any] = Field(description="A mapkit compact schema or JSON Schema.")
    coerce: StrictBool = Field(False, description="Accept values that convert to canonical form.")
    source: str | None = Field(
        None, description="Path of the value to check. Left out, the whole payload is checked."
    )

    @field_validator("expected_schema")
    @classmethod
    def _schema_compiles(cls, schema: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
        if _is_stored(info):
            return schema
        try:
            compile_expected_schema(json.dumps(schema, sort_keys=True), False)
        except mapkit.SchemaError as exc:
            raise PydanticCustomError(
                "invalid_expected_schema", "{error}", {"error": str(exc)}
            ) from None
        return schema

    @field_validator("source")
    @classmethod
    def _source_parses(cls, source: str | None) -> str | None:
        if source is not None:
            _parse_path(source)
        return source

    def source_paths(self) -> list[SourcePath]:
        return [] if self.source is None else [parse_source_path(self.source)]


class ActionStep(_Strict):
    """Call a provider action with input built from the mapping and constants."""

    id: Id
    type: Literal["action"]
    provider: str = Field(examples=["hubspot"])
    action: str = Field(examples=["create_contact"])
    connection_id: str | None = Field(None, description="The connection whose credentials to use.")
    mapping: dict[str, str | None] | None = Field(
        None,
        description="Target field -> source path. A null source leaves the field out. "
        "Without a mapping the action receives the whole payload.",
        examples=[{"email": "email", "firstname": "first_name"}],
    )
    constants: dict[str, Any] = Field(
        default_factory=dict, description="Fixed input fields; they override mapped ones."
    )
    retry: RetryPolicy = Field(default_factory=RetryPolicy)
    timeout_seconds: float = Field(30.0, gt=0, le=300, description="Timeout of one provider call.")

    @field_validator("provider")
    @classmethod
    def _provider_known(cls, provider: str, info: ValidationInfo) -> str:
        if _is_stored(info):
            return provider
        known = provider_actions()
        if provider not in known:
            raise PydanticCustomError(
                "unknown_provider",
                "unknown provider '{provider}'; known providers: {known}",
                {"provider": provider, "known": ", ".join(known)},
            )
        return provider

    @field_validator("action")
    @classmethod
    def _action_known(cls, action: str, info: ValidationInfo) -> str:
        if _is_stored(info):
            return action
        provider = info.data.get("provider")
        actions = provider_actions().get(provider or "")
        if actions is not None and action not in actions:
            raise PydanticCustomError(
                "unknown_action",
                "provider '{provider}' has no action '{action}'; its actions: {known}",
                {"provider": provider, "action": action, "known": ", ".join(sorted(actions))},
            )
        return action

    @field_validator("mapping")
    @classmethod
    def _mapping_names_sources(
        cls, mapping: dict[str, str | None] | None
    ) -> dict[str, str | None] | None:
        if mapping is None:
            return None
        if not any(source is not None for source in mapping.values()):
            raise PydanticCustomError(
                "empty_mapping",
                "the mapping names no source path; map at least one target field to a "
                "source path, or leave mapping out to send the whole payload",
            )
        for target, source in mapping.items():
            if source is not None:
                _parse_path(source, target)
        return mapping

    def source_paths(self) -> list[SourcePath]:
        sources = (self.mapping or {}).values()
        return [parse_source_path(source) for source in sources if source is not None]


def _is_stored(info: ValidationInfo) -> bool:
    return bool(info.context and info.context.get("stored"))


def _parse_path(source: str, target: str | None = None) -> SourcePath:
    try:
        return parse_source_path(source)
    except PathSyntaxError as exc:
        where = f"target field '{target}': " if target is not None else ""
        raise PydanticCustomError(
            "invalid_source_path",
            "{where}invalid source path: {error}",
            {"where": where, "error": str(exc)},
        ) from None


def _check_step(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    """Validate one step and restate every problem with the step's id."""
    if not isinstance(value, dict):
        return handler(value)

    step = value.get("id", "?")
    step_type = value.get("type")
    if "type" not in value:
        raise PydanticCustomError(
            "missing_step_type",
            "step '{step}': type is missing; use one of: {known}",
            {"step": step, "known": ", ".join(STEP_TYPES)},
        )
    if step_type not in STEP_TYPES:
        raise PydanticCustomError(
            "unknown_step_type",
            "step '{step}' has unknown type '{type}'; use one of: {known}",
            {"step": step, "type": step_type, "known": ", ".join(STEP_TYPES)},
        )

    try:
        return handler(value)
    except ValidationError as exc:
        line_errors = [_step_line_error(error, step, step_type) for error in exc.errors()]
        raise ValidationError.from_exception_data("Step", line_errors) from None


def _step_line_error(error: Any, step: Any, step_type: str) -> Any:
    """Restate one error of a step with the step's id, at its full path inside the step."""
    location = tuple(error["loc"])
    if location and location[0] == step_type:  # the discriminated union adds the tag first
        location = location[1:]

    if error["type"] == "extra_forbidden":
        owner, fields = _fields_at(step_type, location[:-1])
        problem = unknown_field_problem(error, owner, fields)
    else:
        problem = problem_text(error)
    # The type is ``invalid_step``, which ``describe_errors`` does not reword, except for a
    # missing field, whose type ``describe_errors`` needs to name the field that is absent.
    error_type = "missing" if error["type"] == "missing" else "invalid_step"
    message = PydanticCustomError(
        error_type, "step '{step}': {problem}", {"step": step, "problem": problem}
    )
    return {"type": message, "loc": location, "input": error.get("input")}


def _fields_at(step_type: str, location: tuple[Any, ...]) -> tuple[str, list[str]]:
    """Return the name and fields of the model at ``location`` inside a step of ``step_type``."""
    model: type[BaseModel] = ValidateStep if step_type == "validate" else ActionStep
    owner = f"an {step_type} step" if step_type[0] in "aeiou" else f"a {step_type} step"
    for part in location:
        annotation = model.model_fields[part].annotation if part in model.model_fields else None
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return "", []
        model, owner = annotation, str(part)
    return owner, list(model.model_fields)


Step = Annotated[ValidateStep | ActionStep, Field(discriminator="type"), WrapValidator(_check_step)]


class WorkflowDefinition(_Strict):
    """A workflow: a trigger and the steps that run in order."""

    id: Id = Field(examples=["sync_to_hr"])
    description: str | None = Field(None, max_length=2000)
    trigger: Trigger = Field(default_factory=lambda: ManualTrigger(type="manual"))
    steps: list[Step] = Field(min_length=1, max_length=100)

    @field_validator("steps")
    @classmethod
    def _steps_are_consistent(cls, steps: list[ValidateStep | ActionStep]) -> list[Any]:
        seen: dict[str, int] = {}
        for index, step in enumerate(steps):
            if step.id in seen:
                raise PydanticCustomError(
                    "duplicate_step_id",
                    "step '{step}' is defined twice (steps[{first}] and steps[{index}]); "
                    "give each step its own id",
                    {"step": step.id, "first": seen[step.id], "index": index},
                )
            _check_references(step, index, seen)
            seen[step.id] = index
        return steps


def _check_references(step: ValidateStep | ActionStep, index: int, earlier: dict[str, int]) -> None:
    for path in step.source_paths():
        if path.step is not None and path.step not in earlier:
            raise PydanticCustomError(
                "invalid_step_reference",
                "step '{step}' (steps[{index}]) reads '{path}', but no step '{target}' runs "
                "before it; a step can read only the output of an earlier step",
                {"step": step.id, "index": index, "path": path.text, "target": path.step},
            )


def load_stored(definition: dict[str, Any]) -> WorkflowDefinition:
    """Read a definition that was checked when it was stored.

    The checks that depend on the installation (known providers and actions, mapkit's schema
    compiler) are skipped, so a stored workflow stays readable after a connector is removed.
    Running a step of a removed connector fails the run with an error instead.
    """
    return WorkflowDefinition.model_validate(definition, context={"stored": True})


@lru_cache(maxsize=256)
def compile_expected_schema(schema_json: str, coerce: bool) -> Any:
    """Compile a schema (given as canonical JSON text, so it can be cached) with mapkit."""
    return mapkit.compile(json.loads(schema_json), coerce=coerce)
