"""Slack Web API connector: post messages, look users up by email, invite users.

Sources (Slack developer docs): https://docs.slack.dev/reference/methods/auth.test,
https://docs.slack.dev/reference/methods/chat.postMessage,
https://docs.slack.dev/reference/methods/users.lookupByEmail,
https://docs.slack.dev/reference/methods/admin.users.invite and
https://docs.slack.dev/apis/web-api/rate-limits. Slack responds to most errors with HTTP 200 and
``{"ok": false, "error": "<code>"}``; only rate limits use a status of their own (429 with
``Retry-After``). A ``missing_scope`` error adds ``needed`` and ``provided``. The granted
scopes come back in the ``X-OAuth-Scopes`` response header, which Slack's own Node SDK
(``WebClient.buildResult`` in slackapi/node-slack-sdk) reads the same way.
"""

from __future__ import annotations

from typing import Any, ClassVar

import httpx
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from synctoscale.connectors.base import ConnectorError, FailureKind, Identity
from synctoscale.connectors.http import HttpConnector, parse_input

__all__ = ["SlackConnector", "SlackCredentials"]

# Slack error code -> (kind, retryable). Codes not listed are provider errors, not retried.
_ERRORS: dict[str, tuple[FailureKind, bool]] = {
    "not_authed": (FailureKind.INVALID_CREDENTIALS, False),
    "invalid_auth": (FailureKind.INVALID_CREDENTIALS, False),
    "account_inactive": (FailureKind.INVALID_CREDENTIALS, False),
    "token_revoked": (FailureKind.INVALID_CREDENTIALS, False),
    "token_expired": (FailureKind.INVALID_CREDENTIALS, False),
    "missing_scope": (FailureKind.INSUFFICIENT_SCOPES, False),
    "not_allowed_token_type": (FailureKind.FORBIDDEN, False),
    "no_permission": (FailureKind.FORBIDDEN, False),
    "not_in_channel": (FailureKind.FORBIDDEN, False),
    "restricted_action": (FailureKind.FORBIDDEN, False),
    "ekm_access_denied": (FailureKind.FORBIDDEN, False),
    "feature_not_enabled": (FailureKind.FORBIDDEN, False),
    "failed_to_validate_caller": (FailureKind.FORBIDDEN, False),
    "channel_not_found": (FailureKind.NOT_FOUND, False),
    "users_not_found": (FailureKind.NOT_FOUND, False),
    "user_not_found": (FailureKind.NOT_FOUND, False),
    "team_not_found": (FailureKind.NOT_FOUND, False),
    "already_in_team": (FailureKind.CONFLICT, False),
    "already_in_team_invited_user": (FailureKind.CONFLICT, False),
    "is_archived": (FailureKind.CONFLICT, False),
    "user_disabled": (FailureKind.CONFLICT, False),
    "invalid_arguments": (FailureKind.INVALID_REQUEST, False),
    "invalid_arg_name": (FailureKind.INVALID_REQUEST, False),
    "invalid_email": (FailureKind.INVALID_REQUEST, False),
    "invalid_blocks": (FailureKind.INVALID_REQUEST, False),
    "no_text": (FailureKind.INVALID_REQUEST, False),
    "msg_too_long": (FailureKind.INVALID_REQUEST, False),
    "too_many_attachments": (FailureKind.INVALID_REQUEST, False),
    "ratelimited": (FailureKind.RATE_LIMITED, True),
    "rate_limited": (FailureKind.RATE_LIMITED, True),
    "service_unavailable": (FailureKind.UNAVAILABLE, True),
    "internal_error": (FailureKind.UNAVAILABLE, True),
    "request_timeout": (FailureKind.UNAVAILABLE, True),
    "team_added_to_org": (FailureKind.UNAVAILABLE, True),
    # Slack documents that part of the operation may have succeeded, so a retry could repeat it.
    "fatal_error": (FailureKind.UNAVAILABLE, False),
}


class SlackCredentials(BaseModel):
    """A bot or user token (``xoxb-…`` or ``xoxp-…``) from Slack's OAuth flow."""

    model_config = ConfigDict(extra="forbid")

    access_token: str = Field(min_length=1, max_length=500)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PostMessageInput(_Strict):
    channel: str = Field(min_length=1, description="Channel id (C…) or name.")
    text: str | None = None
    blocks: list[dict[str, Any]] | None = None
    thread_ts: str | None = None
    unfurl_links: bool | None = None
    mrkdwn: bool | None = None

    @model_validator(mode="after")
    def _has_content(self) -> PostMessageInput:
        if not self.text and not self.blocks:
            raise ValueError("send text or blocks; a message needs one of them")
        return self


class LookupUserInput(_Strict):
    email: str = Field(min_length=3)


class InviteUserInput(_Strict):
    team_id: str = Field(min_length=1, description="The workspace id (T…).")
    email: str = Field(min_length=3)
    channel_ids: list[str] = Field(min_length=1, description="Channels the user joins.")
    real_name: str | None = None
    custom_message: str | None = None
    resend: bool | None = None
    is_restricted: bool | None = None
    is_ultra_restricted: bool | None = None

    @field_validator("channel_ids", mode="before")
    @classmethod
    def _split_channels(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value


class SlackConnector(HttpConnector):
    provider = "slack"
    display_name = "Slack"
    actions = frozenset({"post_message", "lookup_user_by_email", "invite_user"})
    credentials_model: ClassVar[type[BaseModel]] = SlackCredentials
    auth_types = ("oauth",)
    default_base_url = "https://slack.com/api"

    def identify(self) -> Identity:
        with self.session():
            response = self._call("auth.test")
        body = response.json()
        account = {key: body[key] for key in ("team", "team_id", "user", "user_id") if key in body}
        header = response.headers.get("x-oauth-scopes")
        granted = None
        if header is not None:
            granted = frozenset(scope.strip() for scope in header.split(",") if scope.strip())
        return Identity(account=account, granted_scopes=granted)

    def post_message(self, values: dict[str, Any]) -> dict[str, Any]:
        message = parse_input(PostMessageInput, values, "post_message")
        body = self._call("chat.postMessage", message.model_dump(exclude_none=True)).json()
        return {
            "record_id": body.get("ts"),
            "channel": body.get("channel"),
            "ts": body.get("ts"),
            "message": body.get("message", {}),
        }

    def lookup_user_by_email(self, values: dict[str, Any]) -> dict[str, Any]:
        lookup = parse_input(LookupUserInput, values, "lookup_user_by_email")
        body = self._call("users.lookupByEmail", params={"email": lookup.email}).json()
        user = body.get("user", {})
        profile = user.get("profile", {})
        return {
            "record_id": user.get("id"),
            "user_id": user.get("id"),
            "team_id": user.get("team_id"),
            "name": user.get("name"),
            "real_name": user.get("real_name") or profile.get("real_name"),
            "email": profile.get("email", lookup.email),
            "deleted": user.get("deleted", False),
            "user": user,
        }

    def invite_user(self, values: dict[str, Any]) -> dict[str, Any]:
        invite = parse_input(InviteUserInput, values, "invite_user")
        arguments = invite.model_dump(exclude_none=True)
        arguments["channel_ids"] = ",".join(invite.channel_ids)
        self._call("admin.users.invite", arguments)
        return {"invited": True, "email": invite.email, "team_id": invite.team_id}

    def _call(
        self,
        method: str,
        arguments: dict[str, Any] | None = None,
        *,
        params: dict[str, Any] | None = None,
    ) -> httpx.Response:
        """Call one Web API method and raise ConnectorError unless the response has ``ok: true``.

        Methods with arguments are POSTed as JSON; ``params`` sends a GET with a query string,
        which methods such as ``users.lookupByEmail`` need.
        """
        if params is not None:
            response = self.send("GET", f"/{method}", params=params, expected=(200,))
        else:
            response = self.send("POST", f"/{method}", json=arguments or {}, expected=(200,))

        try:
            body = response.json()
        except ValueError:
            raise self.http_error(
                response,
                f"Slack returned a body that is not JSON to {method}.",
                error_code="invalid_response",
                kind=FailureKind.PROVIDER_ERROR,
            ) from None
        if not isinstance(body, dict) or body.get("ok") is not True:
            raise self._slack_error(response, method, body if isinstance(body, dict) else {})
        return response

    def error_from(self, response: httpx.Response) -> ConnectorError:
        try:
            body = response.json()
        except ValueError:
            body = {}
        method = response.request.url.path.rsplit("/", 1)[-1]
        return self._slack_error(response, method, body if isinstance(body, dict) else {})

    def _slack_error(
        self, response: httpx.Response, method: str, body: dict[str, Any]
    ) -> ConnectorError:
        status = response.status_code
        code = str(body.get("error") or ("ratelimited" if status == 429 else f"http_{status}"))
        kind, retryable = _ERRORS.get(code, (None, None))
        if kind is None and status == 429:
            kind, retryable = FailureKind.RATE_LIMITED, True
        elif kind is None and status >= 500:
            kind, retryable = FailureKind.UNAVAILABLE, True

        where = f" to {method}"
        message = f"Slack rejected the call{where}: {code}."
        details: dict[str, Any] = {}
        if code == "missing_scope":
            details = {"needed": body.get("needed"), "provided": body.get("provided")}
            # The granted scopes stay in details only: a message that lists them reads as
            # if they were missing too.
            message = (
                f"Slack rejected the call{where}: missing_scope; the token needs "
                f"{body.get('needed') or 'another scope'}. Add the scope to the app and "
                "reinstall it."
            )
        return self.http_error(
            response,
            message,
            error_code=code,
            kind=kind or FailureKind.PROVIDER_ERROR,
            retryable=bool(retryable),
            details=details,
        )
