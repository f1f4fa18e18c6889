"""Render every error the API returns in one JSON shape.

``{"error": {"code": ..., "message": ..., "details": ...}}``: ``code`` is a stable snake_case
name a program can branch on, ``message`` a sentence for a person, ``details`` structured data
(for a 422, one entry per invalid field).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from synctoscale.problems import describe_errors, join_words

logger = logging.getLogger(__name__)

__all__ = ["ApiError", "error_body", "install_error_handlers", "invalid_request"]

_CODES_BY_STATUS = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
}


class ApiError(StarletteHTTPException):
    """An error the API reports on purpose, with a stable code.

    It subclasses Starlette's HTTPException so that FastAPI lets it pass through request-body
    parsing unchanged.
    """

    def __init__(
        self,
        status_code: int,
        code: str,
        message: str,
        details: Any = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(status_code=status_code, detail=message, headers=headers)
        self.code = code
        self.message = message
        self.details = details if details is not None else {}


def invalid_request(details: list[dict[str, Any]], code: str = "validation_error") -> ApiError:
    """Return a 422 whose message names the first ``{field, problem}`` and counts the rest."""
    first = details[0]
    message = f"Invalid request: {first['field'] or 'body'}: {first['problem']}"
    if len(details) > 1:
        message += f" ({len(details) - 1} more problem(s) in details)"
    return ApiError(422, code, message, details)


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details or {}}}


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(StarletteHTTPException, _handle_http_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _handle_validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _handle_unexpected_error)


async def _handle_http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    if isinstance(exc, ApiError):
        body = error_body(exc.code, exc.message, exc.details)
    else:
        code = _CODES_BY_STATUS.get(exc.status_code, "http_error")
        body = error_body(code, _http_message(request, exc))
    return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)


def _http_message(request: Request, exc: StarletteHTTPException) -> str:
    if exc.status_code == 404:
        return f"No resource at {request.url.path}."
    if exc.status_code == 405:
        allowed = (exc.headers or {}).get("Allow", "")
        methods = [method.strip() for method in allowed.split(",") if method.strip()]
        hint = f"; use {join_words(methods, 'or')}" if methods else ""
        return f"{request.method} is not allowed on {request.url.path}{hint}."
    return str(exc.detail)


async def _handle_validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    details = describe_errors(exc.errors(), getattr(exc, "body", None))

    if _body_not_sent_as_json(request, exc):
        message = (
            "The request body was not read as JSON because its Content-Type is "
            f"{request.headers.get('content-type') or 'missing'}; "
            "send 'Content-Type: application/json'."
        )
        return JSONResponse(error_body("unsupported_media_type", message), status_code=415)

    if any(error.get("type") == "json_invalid" for error in exc.errors()):
        message = f"The request body is not valid JSON: {details[0]['problem']}"
        return JSONResponse(error_body("invalid_json", message, details), status_code=400)

    if _body_missing(exc):
        details = [{"field": "", "problem": _missing_body_problem(request), "type": "missing"}]

    first = details[0]
    message = f"Invalid request: {first['field'] or 'body'}: {first['problem']}"
    if len(details) > 1:
        message += f" ({len(details) - 1} more problem(s) in details)"
    return JSONResponse(error_body("validation_error", message, details), status_code=422)


def _body_missing(exc: RequestValidationError) -> bool:
    """Tell whether the only error is a required body that was sent empty."""
    errors = exc.errors()
    if len(errors) != 1:
        return False
    return errors[0].get("type") == "missing" and tuple(errors[0].get("loc", ())) == ("body",)


def _missing_body_problem(request: Request) -> str:
    """Build the problem text for an empty body, naming what the route's body model takes.

    A model may set ``EXPECTED_BODY`` to describe its forms; otherwise its required fields
    are listed.
    """
    body_field = getattr(request.scope.get("route"), "body_field", None)
    model = getattr(getattr(body_field, "field_info", None), "annotation", None)
    problem = "is empty; send a JSON object"
    expected = getattr(model, "EXPECTED_BODY", None)
    if isinstance(expected, str):
        return f"{problem} with {expected}"
    if isinstance(model, type) and issubclass(model, BaseModel):
        required = [name for name, field in model.model_fields.items() if field.is_required()]
        if required:
            return f"{problem} with {join_words(required, 'and')}"
    return problem


def _body_not_sent_as_json(request: Request, exc: RequestValidationError) -> bool:
    """Tell whether FastAPI skipped JSON parsing because of the Content-Type header."""
    content_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if content_type == "application/json" or content_type.endswith("+json"):
        return False
    sent_body = request.headers.get("content-length", "0") != "0" or (
        "transfer-encoding" in request.headers
    )
    if not sent_body:
        return False
    return any(tuple(error.get("loc", ())) == ("body",) for error in exc.errors())


async def _handle_unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    logger.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    body = error_body("internal_error", "The server failed to handle this request; it is logged.")
    return JSONResponse(body, status_code=500)
