"""``POST /nova/v1/mapping/suggest``: suggest which source field fills each target field."""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field

from nova.mapping import MappingInputError, ModelNotFoundError, suggest_mapping
from nova.mapping.sources import source_fields, target_fields
from synctoscale.auth import Principal, current_principal
from synctoscale.errors import ApiError
from synctoscale.jsonbody import StrictJSONRoute
from synctoscale.problems import accepted_forms

logger = logging.getLogger(__name__)

router = APIRouter(route_class=StrictJSONRoute, tags=["nova"])

# Caps on one request: a 500 by 200 field matrix scores in well under a second, and real
# schemas in the training data have at most 46 fields.
MAX_SOURCE_FIELDS = 500
MAX_TARGET_FIELDS = 200
MAX_SAMPLES_PER_FIELD = 50
MAX_NAME_LENGTH = 300


class FieldObject(BaseModel):
    """A field with an optional compact type name and sample values."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=MAX_NAME_LENGTH)
    type: str | None = Field(None, description="A compact type name such as 'date' or 'email'.")
    samples: list[Any] | None = Field(None, max_length=MAX_SAMPLES_PER_FIELD)


FieldName = Annotated[str, Field(min_length=1, max_length=MAX_NAME_LENGTH)]
FieldItem = Annotated[
    FieldName | FieldObject, accepted_forms("a field name or an object with 'name'", str, dict)
]
FieldList = Annotated[list[FieldItem], Field(min_length=1)]
Samples = Annotated[
    dict[str, list[Any]] | list[dict[str, Any]],
    accepted_forms(
        "an object of sample values per source field or a list of sample records", dict, list
    ),
]


class SuggestRequest(BaseModel):
    """Exactly one of ``source_fields``/``source_payload`` and one of
    ``target_fields``/``target_schema``."""

    model_config = ConfigDict(extra="forbid")

    source_fields: FieldList | None = Field(
        None, description="Source field names or field objects.")
    source_payload: dict[str, Any] | None = Field(
        None, description="A sample source record; nested keys become dot paths.")
    target_fields: FieldList | None = Field(
        None, description="Target field names or field objects.")
    target_schema: dict[str, Any] | None = Field(
        None, description="A compact schema such as {'first_name': 'string'}, or JSON Schema.")
    samples: Samples | None = Field(
        None, description="Sample values per source field name, or a list of sample records.")


class CandidateModel(BaseModel):
    source: str
    score: float


class SignalModel(BaseModel):
    signal: str
    effect: float
    detail: str


class SuggestionModel(BaseModel):
    source: str | None
    score: float
    auto_accept: bool
    reason: str
    explanation: list[SignalModel]


class ThresholdsModel(BaseModel):
    suggest: float
    auto_accept: float


class SuggestResponse(BaseModel):
    suggested_mapping: dict[str, str | None]
    suggestions: dict[str, SuggestionModel]
    candidates: dict[str, list[CandidateModel]]
    unmapped_targets: list[str]
    unmapped_sources: list[str]
    thresholds: ThresholdsModel


@router.post(
    "/nova/v1/mapping/suggest",
    response_model=SuggestResponse,
    summary="Suggest a field mapping from source fields to target fields",
)
def suggest(
    request: SuggestRequest, principal: Annotated[Principal, Depends(current_principal)]
) -> dict[str, Any]:
    source_name, source = _one_of(request, "source_fields", "source_payload")
    target_name, target = _one_of(request, "target_fields", "target_schema")
    names = {"source": source_name, "target": target_name, "samples": "samples"}

    try:
        _check_size(source_name, len(source_fields(source, request.samples)),
                    MAX_SOURCE_FIELDS)
        _check_size(target_name, len(target_fields(target)), MAX_TARGET_FIELDS)
        suggestion = suggest_mapping(source, target, samples=request.samples)
    except MappingInputError as exc:
        field = names.get(exc.argument, "body")
        problem = _in_request_terms(str(exc), exc.argument, field)
        raise ApiError(422, "validation_error", f"Invalid {field}: {problem}",
                       [{"field": field, "problem": problem, "type": "invalid_fields"}]) from None
    except ModelNotFoundError as exc:
        logger.error("mapping model missing for project %s: %s", principal.project_id, exc)
        raise ApiError(503, "model_unavailable",
                       "The mapping model is not installed on this server; an operator must "
                       "run 'synctoscale nova train mapping'.") from None
    return suggestion.to_dict()


def _in_request_terms(problem: str, argument: str, field: str) -> str:
    """Name the request's field where nova's message names its Python argument."""
    if argument and problem.startswith(argument) and not problem.startswith(field):
        return field + problem[len(argument):]
    return problem


def _one_of(request: SuggestRequest, first: str, second: str) -> tuple[str, Any]:
    present = [name for name in (first, second) if getattr(request, name) is not None]
    if len(present) != 1:
        problem = (f"give either {first} or {second}, not both" if present
                   else f"{first} or {second} is required")
        raise ApiError(422, "validation_error", f"Invalid request: {problem}.",
                       [{"field": name, "problem": problem, "type": "one_of"}
                        for name in (first, second)])

    value = getattr(request, present[0])
    if isinstance(value, list):
        value = [item.model_dump(exclude_none=True) if isinstance(item, FieldObject) else item
                 for item in value]
    return present[0], value


def _check_size(field: str, count: int, limit: int) -> None:
    if count > limit:
        problem = f"has {count} fields; send at most {limit} per request"
        raise ApiError(422, "too_many_fields", f"Invalid {field}: {problem}.",
                       [{"field": field, "problem": problem, "type": "too_many_fields",
                         "limit": limit}])
