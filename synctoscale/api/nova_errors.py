"""``POST /nova/v1/errors/classify``: sort provider errors into Nova's categories."""

from __future__ import annotations

import logging
from typing import Annotated, Any, ClassVar

from fastapi import APIRouter, Depends
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    ValidationError,
    ValidatorFunctionWrapHandler,
    model_validator,
)
from pydantic_core import ErrorDetails, InitErrorDetails, PydanticCustomError

import nova
from nova.errors import ModelNotFoundError
from synctoscale.api.dependencies import DatabaseDep
from synctoscale.api.errors import run_errors
from synctoscale.auth import Principal, current_principal
from synctoscale.errors import ApiError, invalid_request
from synctoscale.jsonbody import StrictJSONRoute
from synctoscale.store.db import Database

logger = logging.getLogger(__name__)

router = APIRouter(route_class=StrictJSONRoute, tags=["nova"])

MAX_BATCH_ERRORS = 1000
"""Maximum number of errors in one batch request.

A full batch took about 0.3 s to classify in ``benchmarks/error_eval.py --latency-only``
(0.28 ms per message on a 2-core machine, see docs/benchmarks.md).
"""

MAX_MESSAGE_CHARS = 20_000
"""Maximum length of ``message``, which is a provider's error text, not its whole response body."""


BLANK_MESSAGE = (
    "empty or only whitespace; send the provider's error text, or its error_code or "
    "http_status if the provider sent no text"
)


def _check_message(message: str) -> str:
    if len(message) > MAX_MESSAGE_CHARS:
        raise PydanticCustomError(
            "string_too_long",
            "{length} characters is over the limit of {limit}; send the provider's error text, "
            "not its whole response body, and cut it to {limit} characters if it is still longer",
            {"length": len(message), "limit": MAX_MESSAGE_CHARS},
        )
    return message


def _check_run_id(run_id: str) -> str:
    if not run_id.strip():
        raise PydanticCustomError(
            "string_blank", "empty or only whitespace; send the id of a run, as listed by GET /runs"
        )
    return run_id


# The limit stays in the JSON schema for clients, and ``_check_message`` states a violation
# with its fix. A blank message is checked with the error's other fields
# (``_reject_blank_without_code``).
ErrorMessage = Annotated[
    str,
    Field(json_schema_extra={"maxLength": MAX_MESSAGE_CHARS}),
    AfterValidator(_check_message),
]


def _reject_blank_without_code(
    model: str, message: str | None, error_code: str | None, http_status: int | None
) -> None:
    """Raise a validation error on ``message`` when it is blank and no code or status came.

    Some providers return only a code (Slack's ``"error": "invalid_auth"``), and the code or
    status is enough for the classifier. Without either there is nothing to classify.
    """
    if message is None or message.strip():
        return
    if (error_code is not None and error_code.strip()) or http_status is not None:
        return

    problem = PydanticCustomError("string_blank", BLANK_MESSAGE)
    raise ValidationError.from_exception_data(
        model, [{"type": problem, "loc": ("message",), "input": message}]
    )


MISSING_MESSAGE = "is missing: send the provider's error text"
NULL_MESSAGE = "is null: send the provider's error text as a string"
NOT_TEXT_MESSAGE = "is not a string: send the provider's error text as a string"


def _reword_message_errors(exc: ValidationError) -> ValidationError:
    """Return ``exc`` with a missing, null or non-string ``message`` worded with its fix."""
    errors = exc.errors()
    if not any(_message_problem(error) for error in errors):
        return exc
    return ValidationError.from_exception_data(exc.title, [_reworded(error) for error in errors])


class _WordedMessage(BaseModel):
    """Base of the request models with a ``message``: its errors are worded with their fix."""

    @model_validator(mode="wrap")
    @classmethod
    def _word_message_errors(cls, data: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        try:
            return handler(data)
        except ValidationError as exc:
            raise _reword_message_errors(exc) from None


class ErrorInput(_WordedMessage):
    """One provider error as a run or a caller recorded it."""

    model_config = ConfigDict(extra="forbid")

    message: ErrorMessage = Field(
        description=(
            "The provider's error text, at most 20000 characters. It may be empty when "
            "error_code or http_status is sent."
        ),
    )
    error_code: str | None = Field(None, max_length=200, description="The provider's code.")
    provider: str | None = Field(None, max_length=100, description="For example google_directory.")
    http_status: StrictInt | None = Field(None, ge=100, le=599, description="The response status.")

    @model_validator(mode="after")
    def _message_or_code(self) -> ErrorInput:
        _reject_blank_without_code(
            type(self).__name__, self.message, self.error_code, self.http_status
        )
        return self


def _message_problem(error: ErrorDetails) -> str | None:
    """Return the worded problem of an error on ``message``, or None for other errors."""
    if tuple(error["loc"]) != ("message",):
        return None
    if error["type"] == "missing":
        return MISSING_MESSAGE
    if error["type"] == "string_type":
        return NULL_MESSAGE if error["input"] is None else NOT_TEXT_MESSAGE
    return None


def _reworded(error: ErrorDetails) -> InitErrorDetails:
    """Rebuild one error for ``ValidationError.from_exception_data``, keeping its type and text."""
    problem = _message_problem(error)
    if problem is not None:
        message, context = problem, None
    else:
        message, context = error["msg"], error.get("ctx")
    return {
        "type": PydanticCustomError(error["type"], message, context),
        "loc": error["loc"],
        "input": error["input"],
    }


class ClassifyRequest(_WordedMessage):
    """A request with one error's fields at the top level, a batch in ``errors`` or a ``run_id``."""

    model_config = ConfigDict(extra="forbid")

    EXPECTED_BODY: ClassVar[str] = (
        "'message' (one error, with 'error_code', 'provider' and 'http_status' if known), "
        "'errors' (a batch of such errors) or 'run_id' (the latest error of a run)"
    )

    message: ErrorMessage | None = None
    error_code: str | None = Field(None, max_length=200)
    provider: str | None = Field(None, max_length=100)
    http_status: StrictInt | None = Field(None, ge=100, le=599)
    errors: list[ErrorInput] | None = Field(None, max_length=MAX_BATCH_ERRORS)
    run_id: Annotated[str, AfterValidator(_check_run_id)] | None = Field(
        None, max_length=100, description="Classify the latest error of this run instead."
    )

    @model_validator(mode="after")
    def _one_form(self) -> ClassifyRequest:
        single = [self.message, self.error_code, self.provider, self.http_status]
        forms = [any(value is not None for value in single), self.errors is not None]
        forms.append(self.run_id is not None)
        if sum(forms) > 1:
            raise ValueError(
                "send one error's fields, a batch as 'errors', or a 'run_id', not several"
            )
        _reject_blank_without_code(
            type(self).__name__, self.message, self.error_code, self.http_status
        )
        return self


class RunnerUpModel(BaseModel):
    category: str
    probability: float


class ClassificationModel(BaseModel):
    category: str
    recommended_fix: str
    confidence: float
    retryable: bool
    retry_hint: str
    runner_up: RunnerUpModel | None
    parameters: dict[str, str]


class BatchResponse(BaseModel):
    results: list[ClassificationModel]


class RunClassificationModel(ClassificationModel):
    """The classification of a run's latest error, with where that error happened."""

    run_id: str
    step: str | None
    error_code: str
    message: str


@router.post(
    "/nova/v1/errors/classify",
    response_model=ClassificationModel | BatchResponse | RunClassificationModel,
    summary="Classify a provider error and recommend a fix",
)
async def classify(
    request: ClassifyRequest,
    principal: Annotated[Principal, Depends(current_principal)],
    database: DatabaseDep,
) -> JSONResponse:
    if request.run_id is not None:
        body = await run_in_threadpool(_classify_run, database, principal, request.run_id)
        return JSONResponse(body)

    if request.errors is not None:
        records = [error.model_dump() for error in request.errors]
        results = await run_in_threadpool(_classify, records)
        return JSONResponse({"results": [result.to_dict() for result in results]})

    if request.message is None:
        # A form's field sent as null counts as left out, so a client that writes every
        # optional field still works. With no form left, the error names the null field.
        raise invalid_request([_no_form_problem(request.model_fields_set)])

    record = request.model_dump(exclude={"errors", "run_id"})
    results = await run_in_threadpool(_classify, [record])
    return JSONResponse(results[0].to_dict())


# The problem with each form's field when it is null and no other form was sent.
_NULL_FORMS = (
    ("errors", "is null: send a list of errors, or leave 'errors' out", "list_type"),
    ("run_id", "is null: send the id of a run from GET /runs, or leave it out", "string_type"),
    ("message", NULL_MESSAGE, "string_type"),
)


def _no_form_problem(fields_set: set[str]) -> dict[str, str]:
    """Return the 422 detail for a request that sent no error, naming a null field if any."""
    for field, problem, kind in _NULL_FORMS:
        if field in fields_set:
            return {"field": field, "problem": problem, "type": kind}
    problem = "is missing: send it, a batch as 'errors', or a 'run_id'"
    return {"field": "message", "problem": problem, "type": "missing"}


def _classify_run(database: Database, principal: Principal, run_id: str) -> dict[str, Any]:
    """Classify a run's latest error and store the category on it if it had none."""
    with database.session() as session:
        _run, errors = run_errors(session, principal.project_id, run_id)
        latest = errors[0]
        record = {
            "message": latest.message,
            "error_code": latest.error_code,
            "provider": latest.provider,
            "http_status": latest.provider_status,
            "raw_response": latest.raw_response,
        }
        classification = _classify([record])[0]
        if latest.category is None:
            latest.category = classification.category
            latest.recommended_fix = classification.recommended_fix
        where = {"run_id": run_id, "step": latest.step_id, "error_code": latest.error_code}
        return {**classification.to_dict(), **where, "message": latest.message}


def _classify(records: list[dict[str, Any]]) -> list[nova.Classification]:
    try:
        return nova.classify_errors(records)
    except ModelNotFoundError as exc:
        # The path and the training command are for the operator's log, not the caller.
        logger.error("error classification is unavailable: %s", exc)
        message = "Error classification is unavailable: the model is not installed on this server."
        raise ApiError(503, "model_unavailable", message) from None
