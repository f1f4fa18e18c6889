"""``POST /nova/v1/errors/classify``: sort provider errors into Nova's categories."""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, model_validator

import nova
from nova.errors import ModelNotFoundError
from synctoscale.auth import Principal, current_principal
from synctoscale.errors import ApiError
from synctoscale.jsonbody import StrictJSONRoute

logger = logging.getLogger(__name__)

router = APIRouter(route_class=StrictJSONRoute, tags=["nova"])

MAX_BATCH_ERRORS = 1000
"""Most errors one batch request may hold; batches of 1000 classify in well under a second."""

MAX_MESSAGE_CHARS = 20_000


class ErrorInput(BaseModel):
    """One provider error as a run or a caller recorded it."""

    model_config = ConfigDict(extra="forbid")

    message: str = Field(max_length=MAX_MESSAGE_CHARS, description="The provider's error text.")
    error_code: str | None = Field(None, max_length=200, description="The provider's code.")
    provider: str | None = Field(None, max_length=100, description="For example google_directory.")
    http_status: int | None = Field(None, ge=100, le=599, description="The response status.")


class ClassifyRequest(BaseModel):
    """Either one error's fields at the top level or a batch under ``errors``."""

    model_config = ConfigDict(extra="forbid")

    message: str | None = Field(None, max_length=MAX_MESSAGE_CHARS)
    error_code: str | None = Field(None, max_length=200)
    provider: str | None = Field(None, max_length=100)
    http_status: int | None = Field(None, ge=100, le=599)
    errors: list[ErrorInput] | None = Field(None, max_length=MAX_BATCH_ERRORS)

    @model_validator(mode="after")
    def _one_form(self) -> ClassifyRequest:
        single = [self.message, self.error_code, self.provider, self.http_status]
        if self.errors is not None and any(value is not None for value in single):
            raise ValueError("send either one error's fields or 'errors', not both")
        if self.errors is None and self.message is None:
            raise ValueError("'message' is required (or send a batch as 'errors')")
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


@router.post(
    "/nova/v1/errors/classify",
    response_model=ClassificationModel | BatchResponse,
    summary="Classify a provider error and recommend a fix",
)
async def classify(
    request: ClassifyRequest, principal: Annotated[Principal, Depends(current_principal)]
) -> JSONResponse:
    if request.errors is not None:
        records = [error.model_dump() for error in request.errors]
        results = await run_in_threadpool(_classify, records)
        return JSONResponse({"results": [result.to_dict() for result in results]})

    record = request.model_dump(exclude={"errors"})
    results = await run_in_threadpool(_classify, [record])
    return JSONResponse(results[0].to_dict())


def _classify(records: list[dict[str, Any]]) -> list[nova.Classification]:
    try:
        return nova.classify_errors(records)
    except ModelNotFoundError as exc:
        # The path and the training command are for the operator's log, not the caller.
        logger.error("error classification is unavailable: %s", exc)
        message = "Error classification is unavailable: the model is not installed on this server."
        raise ApiError(503, "model_unavailable", message) from None
