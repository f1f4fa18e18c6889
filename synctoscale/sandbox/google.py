"""An emulation of the Google Admin SDK Directory API users endpoints.

Errors use Google's body ``{"error": {"code", "message", "errors": [{"message", "domain",
"reason"}], "status"}}``: 401 ``authError``, 403 ``insufficientPermissions``, 404
``notFound``, 409 ``duplicate``, 400 ``invalid``, 429 ``rateLimitExceeded`` and 503
``backendError``.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from synctoscale.sandbox.common import (
    Reject,
    bearer_token,
    config_of,
    read_body,
    requested_failure,
    state_of,
)
from synctoscale.sandbox.state import now_iso
from synctoscale.sandbox.triggers import Grant, Trigger, grant_for

router = APIRouter(prefix="/google/admin/directory/v1", include_in_schema=False)

MIN_PASSWORD_LENGTH = 8


def _error(
    code: int, reason: str, message: str, status: str | None = None, **headers: str
) -> JSONResponse:
    error: dict[str, Any] = {
        "code": code,
        "message": message,
        "errors": [{"message": message, "domain": "global", "reason": reason}],
    }
    if status:
        error["status"] = status
    return JSONResponse({"error": error}, status_code=code, headers=headers)


def _require(request: Request, *, write: bool) -> None:
    """Raise Reject unless the token may read (or, with ``write``, change) users."""
    grant = grant_for(bearer_token(request))
    if grant in (Grant.MISSING, Grant.INVALID):
        raise Reject(
            _error(
                401,
                "authError",
                "Request had invalid authentication credentials. Expected OAuth 2 access token, "
                "login cookie or other valid authentication credential.",
                "UNAUTHENTICATED",
            )
        )
    if grant is Grant.NO_SCOPE or (write and grant is Grant.READ_ONLY):
        raise Reject(
            _error(
                403,
                "insufficientPermissions",
                "Request had insufficient authentication scopes.",
                "PERMISSION_DENIED",
            )
        )


async def _raise_failure(request: Request, emails: list[object]) -> None:
    """Raise Reject with the failure the request's email addresses or header ask for."""
    failure = await requested_failure(request, "google_directory", emails)
    if failure is Trigger.RATE_LIMITED:
        retry_after = str(config_of(request).retry_after_seconds)
        raise Reject(
            _error(
                429,
                "rateLimitExceeded",
                "Quota exceeded for quota metric 'Queries' of service 'admin.googleapis.com'.",
                "RESOURCE_EXHAUSTED",
                **{"Retry-After": retry_after},
            )
        )
    if failure is Trigger.OUTAGE:
        raise Reject(_error(503, "backendError", "Service unavailable. Please try again"))
    if failure is Trigger.INVALID:
        raise Reject(_error(400, "invalid", "Invalid Input: primary_user_email"))


async def _written_user(request: Request, *keys: str, creating: bool) -> dict[str, Any]:
    """Check an insert or update request and return the User fields it sets."""
    _require(request, write=True)
    body = await read_body(request)
    if body is None:
        raise Reject(_error(400, "parseError", "Parse Error"))
    await _raise_failure(request, [*keys, body.get("primaryEmail")])
    _check_user(body, creating=creating)
    return body


@router.get("/users")
async def list_users(request: Request, customer: str = "", domain: str = "") -> Response:
    _require(request, write=False)
    if not customer and not domain:
        return _error(400, "badRequest", "Bad Request")
    max_results = int(request.query_params.get("maxResults") or 100)
    users = [_public(user) for user in state_of(request).google_users.values()][:max_results]
    return JSONResponse({"kind": "admin#directory#users", "users": users})


@router.post("/users")
async def insert_user(request: Request) -> Response:
    body = await _written_user(request, creating=True)

    state = state_of(request)
    with state.lock:
        if state.google_user(str(body["primaryEmail"])) is not None:
            return _error(409, "duplicate", "Entity already exists.")
        user_id = state.next_google_id()
        name = dict(body["name"])
        name["fullName"] = f"{name['givenName']} {name['familyName']}"
        user = {
            **{key: value for key, value in body.items() if key != "password"},
            "kind": "admin#directory#user",
            "id": user_id,
            "name": name,
            "isAdmin": False,
            "suspended": bool(body.get("suspended", False)),
            "orgUnitPath": body.get("orgUnitPath", "/"),
            "customerId": "C0sandbox",
            "creationTime": now_iso(),
            "aliases": [],
        }
        state.google_users[user_id] = user
    return JSONResponse(_public(user))


@router.get("/users/{user_key}")
async def get_user(user_key: str, request: Request) -> Response:
    _require(request, write=False)
    await _raise_failure(request, [user_key])
    user = state_of(request).google_user(user_key)
    if user is None:
        return _error(404, "notFound", "Resource Not Found: userKey")
    return JSONResponse(_public(user))


@router.api_route("/users/{user_key}", methods=["PUT", "PATCH"])
async def update_user(user_key: str, request: Request) -> Response:
    body = await _written_user(request, user_key, creating=False)

    state = state_of(request)
    with state.lock:
        user = state.google_user(user_key)
        if user is None:
            return _error(404, "notFound", "Resource Not Found: userKey")
        new_email = body.get("primaryEmail")
        other = state.google_user(str(new_email)) if new_email else None
        if other is not None and other is not user:
            return _error(409, "duplicate", "Entity already exists.")
        if isinstance(body.get("name"), dict):
            user["name"] = {**user["name"], **body["name"]}
            user["name"]["fullName"] = f"{user['name']['givenName']} {user['name']['familyName']}"
        user.update({key: value for key, value in body.items() if key not in ("name", "password")})
    return JSONResponse(_public(user))


def _check_user(body: dict[str, Any], *, creating: bool) -> None:
    """Raise Reject with Google's 400 for a missing or invalid User field."""
    email = body.get("primaryEmail")
    if creating and not email:
        raise Reject(_error(400, "required", "Invalid Input: primary_user_email"))
    if email is not None and "@" not in str(email):
        raise Reject(_error(400, "invalid", "Invalid Input: primary_user_email"))

    name = body.get("name")
    if creating and not isinstance(name, dict):
        raise Reject(_error(400, "required", "Invalid Given/Family Name: GivenName"))
    if isinstance(name, dict):
        for part in ("givenName", "familyName"):
            if (creating or part in name) and not str(name.get(part) or "").strip():
                label = part.removesuffix("Name").capitalize()
                raise Reject(_error(400, "invalid", f"Invalid Given/Family Name: {label}Name"))

    password = body.get("password")
    if creating and not password:
        raise Reject(_error(400, "required", "Invalid Password"))
    if password is not None and len(str(password)) < MIN_PASSWORD_LENGTH:
        raise Reject(_error(400, "invalid", "Invalid Password"))


def _public(user: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in user.items() if key != "password"}
