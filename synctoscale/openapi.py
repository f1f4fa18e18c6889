"""Describe the API's one error shape in the OpenAPI document.

FastAPI documents its own ``{"detail": [...]}`` body for a 422, which this API never sends.
Every router is included with ``ERROR_RESPONSES``, and the generated document is then given
the error schema on every 4xx and 5xx response it lists.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel, Field

__all__ = ["ERROR_RESPONSES", "ErrorResponse", "install_error_schema"]


class ErrorDetail(BaseModel):
    code: str = Field(description="A stable snake_case name to branch on.", examples=["not_found"])
    message: str = Field(description="What failed and what to do next, for a person.")
    details: Any = Field(
        default_factory=dict,
        description="For validation errors a list of {field, problem, type}; otherwise an "
        "object with the error's data, such as the rate-limit window of a 429.",
    )


class ErrorResponse(BaseModel):
    """The body of every error response."""

    error: ErrorDetail


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorResponse, "description": "No valid bearer token (`unauthorized`)."},
    422: {
        "model": ErrorResponse,
        "description": "The request is invalid; `details` names each field and its problem.",
    },
    429: {
        "model": ErrorResponse,
        "description": "A rate limit is exhausted (`rate_limited`); wait `Retry-After` seconds.",
    },
}

_BODY_ERRORS = {
    "400": "The body is not valid JSON (`invalid_json`).",
    "413": "The body is over the size limit (`payload_too_large`).",
    "415": "The body was not sent as `application/json` (`unsupported_media_type`).",
}
_NOT_FOUND = "No such resource in the caller's project (another project's gives the same 404)."
_FASTAPI_ERROR_SCHEMAS = ("HTTPValidationError", "ValidationError")


def install_error_schema(app: FastAPI) -> None:
    """Make ``app.openapi()`` describe every error response with ``ErrorResponse``."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            _describe_errors(generate())
        assert app.openapi_schema is not None
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _describe_errors(document: dict[str, Any]) -> None:
    reference = {"$ref": "#/components/schemas/ErrorResponse"}
    error_content = {"application/json": {"schema": reference}}

    for path, operations in document.get("paths", {}).items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            if "{" in path:
                responses.setdefault("404", {"description": _NOT_FOUND})
            if "requestBody" in operation:
                for status, description in _BODY_ERRORS.items():
                    responses.setdefault(status, {"description": description})
            for status, response in responses.items():
                if status[0] in "45":
                    response["content"] = error_content

    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for name in _FASTAPI_ERROR_SCHEMAS:
        schemas.pop(name, None)
