"""``POST /mapping/validate``: check a payload against an expected schema with mapkit."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt

import mapkit
from synctoscale.auth import Principal, current_principal
from synctoscale.errors import ApiError
from synctoscale.jsonbody import StrictJSONRoute

router = APIRouter(route_class=StrictJSONRoute, tags=["mapping"])


class ValidateOptions(BaseModel):
    """Options for ``mapkit.compile``. An option left out keeps mapkit's default."""

    model_config = ConfigDict(extra="forbid")

    null_tokens: list[str] | None = Field(None, description="Strings read as null.")
    default_region: str | None = Field(
        None, description="ISO 3166 region for phone numbers written without a country code."
    )
    two_digit_year_pivot: StrictInt | None = Field(
        None, ge=0, le=100, description="Two-digit years below this are 20YY, others 19YY."
    )
    decimal_comma: StrictBool | None = Field(None, description="Read '1.234,56' as 1234.56.")
    unexpected_fields: Literal["warn", "error", "ignore"] | None = None
    include_got: StrictBool | None = Field(
        None, description="False leaves input values out of issues."
    )
    default_timezone: str | None = Field(
        None, description="IANA time zone for datetimes written without an offset."
    )


class ValidateRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    payload: dict[str, Any] = Field(description="The record to check, a JSON object.")
    expected_schema: dict[str, Any] = Field(
        description="A compact schema such as {'start_date': 'date'}, the long form or JSON Schema."
    )
    coerce: StrictBool = Field(False, description="Accept values that convert without loss.")
    options: ValidateOptions | None = None


class IssueModel(BaseModel):
    field: str
    expected: str
    code: str
    got: Any = None
    message: str
    severity: Literal["error", "warning"]
    suggestion: Any = None


class ValidateResponse(BaseModel):
    valid: bool
    issues: list[IssueModel]
    data: dict[str, Any]


@router.post(
    "/mapping/validate",
    response_model=ValidateResponse,
    summary="Validate a payload against an expected schema",
)
def validate_mapping(
    request: ValidateRequest, principal: Annotated[Principal, Depends(current_principal)]
) -> JSONResponse:
    options = request.options.model_dump(exclude_none=True) if request.options else {}
    validator = _compiled(_cache_key(request.expected_schema, request.coerce, options))

    try:
        result = validator.validate(request.payload)
    except mapkit.SchemaError as exc:
        # mapkit raises this here for a schema reference that its parse-time check skips.
        raise _invalid_schema(exc) from None
    body = result.to_dict()
    body.setdefault("data", result.data)
    return JSONResponse(body)


def _cache_key(schema: dict[str, Any], coerce: bool, options: dict[str, Any]) -> str:
    # Keys are not sorted, because the schema's field order is the order of the issues.
    return json.dumps([schema, coerce, options], separators=(",", ":"))


@lru_cache(maxsize=256)
def _compiled(key: str) -> Any:
    """Compile a schema once per distinct (schema, coerce, options) and reuse it."""
    schema, coerce, options = json.loads(key)
    try:
        return mapkit.compile(schema, coerce=coerce, **options)
    except mapkit.SchemaError as exc:
        raise _invalid_schema(exc) from None
    except (TypeError, ValueError) as exc:
        # mapkit rejects option values it cannot use (an unknown phone region, time zone...)
        # with a message that starts with the option's name.
        name = str(exc).split(" ", 1)[0]
        field = f"options.{name}" if name in options else "options"
        details = [{"field": field, "problem": str(exc), "type": "invalid_option"}]
        raise ApiError(422, "invalid_option", f"Invalid options: {exc}.", details) from None


def _invalid_schema(exc: mapkit.SchemaError) -> ApiError:
    details = [{"field": _schema_field(exc.path), "problem": exc.reason, "type": "invalid_schema"}]
    return ApiError(422, "invalid_schema", f"Invalid expected_schema: {exc}", details)


def _schema_field(path: str) -> str:
    """Join a mapkit schema path onto ``expected_schema`` (``a.b``, ``["x.y"]``, ``[0]``)."""
    if not path:
        return "expected_schema"
    if path.startswith("["):
        return f"expected_schema{path}"
    return f"expected_schema.{path}"
