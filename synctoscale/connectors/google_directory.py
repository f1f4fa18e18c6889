"""Google Workspace Admin SDK Directory API connector: create, update and read users.

Sources (Google developer docs):
https://developers.google.com/admin-sdk/directory/v1/guides/manage-users (``POST
https://admin.googleapis.com/admin/directory/v1/users`` with ``primaryEmail``, ``name`` and
``password``), https://developers.google.com/admin-sdk/directory/v1/reference/users (the User
resource), https://developers.google.com/admin-sdk/directory/v1/limits (403
``userRateLimitExceeded`` and ``quotaExceeded``) and
https://developers.google.com/admin-sdk/directory/v1/guides/troubleshoot-error-codes (503
``backendError``). Errors are ``{"error": {"code", "message", "errors": [{"reason", ...}],
"status"}}``; a token without the needed scope gets 403 ``insufficientPermissions``, an
existing user 409 ``duplicate``.

NOTE: credentials are an OAuth 2.0 access token, such as one minted for a service account
with domain-wide delegation. The connector does not exchange a service-account key for a
token itself, so the caller refreshes the stored token before it expires (one hour).
"""

from __future__ import annotations

import secrets
from typing import Any, ClassVar

import httpx
from pydantic import BaseModel, ConfigDict, Field, model_validator

from synctoscale.connectors.base import ConnectorError, FailureKind, Identity
from synctoscale.connectors.http import HttpConnector, invalid_input, parse_input, path_segment

__all__ = ["GoogleDirectoryConnector", "GoogleDirectoryCredentials"]

USERS = "/users"
GENERATED_PASSWORD_BYTES = 24

# Google error reason -> (kind, retryable). Reasons not listed fall back to the HTTP status.
_REASONS: dict[str, tuple[FailureKind, bool]] = {
    "authError": (FailureKind.INVALID_CREDENTIALS, False),
    "unauthorized": (FailureKind.INVALID_CREDENTIALS, False),
    "insufficientPermissions": (FailureKind.INSUFFICIENT_SCOPES, False),
    "ACCESS_TOKEN_SCOPE_INSUFFICIENT": (FailureKind.INSUFFICIENT_SCOPES, False),
    "forbidden": (FailureKind.FORBIDDEN, False),
    "notFound": (FailureKind.NOT_FOUND, False),
    "resourceNotFound": (FailureKind.NOT_FOUND, False),
    "duplicate": (FailureKind.CONFLICT, False),
    "conditionNotMet": (FailureKind.CONFLICT, False),
    "invalid": (FailureKind.INVALID_REQUEST, False),
    "required": (FailureKind.INVALID_REQUEST, False),
    "badRequest": (FailureKind.INVALID_REQUEST, False),
    "userRateLimitExceeded": (FailureKind.RATE_LIMITED, True),
    "rateLimitExceeded": (FailureKind.RATE_LIMITED, True),
    "quotaExceeded": (FailureKind.RATE_LIMITED, True),
    "backendError": (FailureKind.UNAVAILABLE, True),
}


class GoogleDirectoryCredentials(BaseModel):
    """An OAuth 2.0 access token with an Admin SDK Directory scope.

    ``customer`` is the Workspace customer id; ``my_customer`` means the token's own.
    """

    model_config = ConfigDict(extra="forbid")

    access_token: str = Field(min_length=1, max_length=4000)
    customer: str = Field("my_customer", pattern=r"^[A-Za-z0-9_]{1,64}$")


class UserName(BaseModel):
    model_config = ConfigDict(extra="allow")

    givenName: str = Field(min_length=1)
    familyName: str = Field(min_length=1)


class CreateUserInput(BaseModel):
    """A User resource. ``givenName`` and ``familyName`` may be given at the top level.

    Without ``password`` a random one is set and the user must change it at first sign-in.
    """

    model_config = ConfigDict(extra="allow")

    primaryEmail: str = Field(min_length=3)
    name: UserName
    password: str | None = Field(None, min_length=8, max_length=100)

    @model_validator(mode="before")
    @classmethod
    def _nest_name(cls, values: Any) -> Any:
        if isinstance(values, dict) and "name" not in values:
            values = dict(values)
            name = {key: values.pop(key) for key in ("givenName", "familyName") if key in values}
            if name:
                values["name"] = name
        return values


class UserKey(BaseModel):
    user_key: str = Field(min_length=1, description="The user's primary email, alias or id.")


class UpdateUserInput(UserKey):
    """The user key plus User resource fields to change."""

    model_config = ConfigDict(extra="allow")


class GetUserInput(UserKey):
    model_config = ConfigDict(extra="forbid")

    projection: str | None = Field(None, pattern=r"^(basic|custom|full)$")


class GoogleDirectoryConnector(HttpConnector):
    provider = "google_directory"
    display_name = "Google Directory"
    actions = frozenset({"create_user", "update_user", "get_user"})
    credentials_model: ClassVar[type[BaseModel]] = GoogleDirectoryCredentials
    auth_types = ("service_account", "oauth")
    default_base_url = "https://admin.googleapis.com/admin/directory/v1"

    def identify(self) -> Identity:
        """List one user of the customer, which needs a Directory user scope."""
        customer = self.credentials.get("customer") or "my_customer"
        with self.session():
            body = self.send("GET", USERS, params={"customer": customer, "maxResults": 1}).json()
        return Identity(account={"customer": customer, "users_visible": bool(body.get("users"))})

    def create_user(self, values: dict[str, Any]) -> dict[str, Any]:
        user = parse_input(CreateUserInput, values, "create_user")
        resource = user.model_dump(exclude_none=True)
        if user.password is None:
            resource["password"] = secrets.token_urlsafe(GENERATED_PASSWORD_BYTES)
            resource.setdefault("changePasswordAtNextLogin", True)
        return _user_output(self.send("POST", USERS, json=resource, expected=(200, 201)).json())

    def update_user(self, values: dict[str, Any]) -> dict[str, Any]:
        update = parse_input(UpdateUserInput, values, "update_user")
        changes = dict(update.model_extra or {})
        if not changes:
            raise invalid_input("update_user", "input", "send at least one User field to change")
        path = f"{USERS}/{path_segment(update.user_key)}"
        return _user_output(self.send("PUT", path, json=changes, expected=(200,)).json())

    def get_user(self, values: dict[str, Any]) -> dict[str, Any]:
        request = parse_input(GetUserInput, values, "get_user")
        params = {"projection": request.projection} if request.projection else None
        path = f"{USERS}/{path_segment(request.user_key)}"
        return _user_output(self.send("GET", path, params=params, expected=(200,)).json())

    def error_from(self, response: httpx.Response) -> ConnectorError:
        try:
            body = response.json()
        except ValueError:
            body = {}
        error = body.get("error") if isinstance(body, dict) else None
        if not isinstance(error, dict):
            error = {}

        items = [item for item in error.get("errors") or [] if isinstance(item, dict)]
        reason = next((str(item["reason"]) for item in items if item.get("reason")), None)
        code = reason or error.get("status") or None
        kind, retryable = _REASONS.get(str(code), (None, None))
        message = str(error.get("message") or response.reason_phrase)
        # Google's error body does not name a missing scope, so the message names the request
        # (method and path) for Nova to find the scope that the operation needs.
        return self.http_error(
            response,
            f"Google Directory returned {response.status_code} to {self._operation(response)}: "
            f"{message}",
            error_code=str(code) if code else None,
            kind=kind,
            retryable=retryable,
            details={"status": error.get("status")} if error.get("status") else None,
        )

    def _operation(self, response: httpx.Response) -> str:
        """Return the request's method and its path below the base URL, such as ``POST /users``."""
        base_path = httpx.URL(self.api_base_url).path.rstrip("/")
        path = response.request.url.path.removeprefix(base_path) or "/"
        return f"{response.request.method} {path}"


def _user_output(user: dict[str, Any]) -> dict[str, Any]:
    user = {key: value for key, value in user.items() if key != "password"}
    return {"record_id": user.get("id"), **user}
