"""An emulation of the Slack Web API methods the Slack connector calls.

Slack responds with HTTP 200 and ``{"ok": false, "error": ...}`` for almost every error, 429 with
``Retry-After`` for rate limits, and reports the token's scopes in ``X-OAuth-Scopes``.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from synctoscale.sandbox.common import config_of, read_body, requested_failure, state_of
from synctoscale.sandbox.state import SLACK_CHANNELS
from synctoscale.sandbox.triggers import Grant, Trigger, grant_for

router = APIRouter(prefix="/slack/api", include_in_schema=False)

ALL_SCOPES = ("chat:write", "users:read", "users:read.email", "admin.users:write")
SCOPES_BY_GRANT = {
    Grant.FULL: ALL_SCOPES,
    Grant.READ_ONLY: ("users:read", "users:read.email"),
    Grant.NO_SCOPE: ("users:read",),
}
METHOD_SCOPES = {
    "auth.test": None,
    "chat.postMessage": "chat:write",
    "users.lookupByEmail": "users:read.email",
    "admin.users.invite": "admin.users:write",
}


def _answer(
    body: dict[str, Any], grant: Grant, method: str, status: int = 200, **headers: str
) -> JSONResponse:
    scopes = SCOPES_BY_GRANT.get(grant, ())
    response = JSONResponse(body, status_code=status, headers=headers)
    response.headers["X-OAuth-Scopes"] = ",".join(scopes)
    response.headers["X-Accepted-OAuth-Scopes"] = METHOD_SCOPES.get(method) or ""
    return response


def _error(code: str, grant: Grant, method: str, **extra: Any) -> JSONResponse:
    return _answer({"ok": False, "error": code, **extra}, grant, method)


@router.api_route("/{method}", methods=["GET", "POST"])
async def call_method(method: str, request: Request) -> JSONResponse:
    body = await read_body(request)
    if body is None:
        return _error("invalid_json", Grant.MISSING, method)
    arguments = {**dict(request.query_params), **body}

    header = request.headers.get("authorization", "")
    token = header[7:].strip() if header.lower().startswith("bearer ") else arguments.get("token")
    grant = grant_for(token)
    if method not in METHOD_SCOPES:
        return _error("unknown_method", grant, method)
    if grant is Grant.MISSING:
        return _error("not_authed", grant, method)
    if grant is Grant.INVALID:
        return _error("invalid_auth", grant, method)

    needed = METHOD_SCOPES[method]
    provided = SCOPES_BY_GRANT[grant]
    if needed is not None and needed not in provided:
        return _error("missing_scope", grant, method, needed=needed, provided=",".join(provided))

    failure = await requested_failure(request, "slack", [arguments.get("email")])
    if failure is Trigger.RATE_LIMITED:
        retry_after = str(config_of(request).retry_after_seconds)
        body = {"ok": False, "error": "ratelimited"}
        return _answer(body, grant, method, 429, **{"Retry-After": retry_after})
    if failure is Trigger.OUTAGE:
        return _answer({"ok": False, "error": "service_unavailable"}, grant, method, 503)
    if failure is Trigger.INVALID:
        return _error("invalid_email", grant, method)

    handler = _HANDLERS[method]
    return handler(request, arguments, grant)


def _auth_test(request: Request, arguments: dict[str, Any], grant: Grant) -> JSONResponse:
    body = {
        "ok": True,
        "url": "https://sandbox.slack.example.com/",
        "team": "SyncToScale Sandbox",
        "user": "sandbox-bot",
        "team_id": "T0SANDBOX",
        "user_id": "U0SANDBOX",
    }
    return _answer(body, grant, "auth.test")


def _post_message(request: Request, arguments: dict[str, Any], grant: Grant) -> JSONResponse:
    method = "chat.postMessage"
    channel = str(arguments.get("channel") or "")
    if not channel:
        return _error("channel_not_found", grant, method)
    channel_id = _channel_id(channel)
    if channel_id is None:
        return _error("channel_not_found", grant, method)
    if not arguments.get("text") and not arguments.get("blocks"):
        return _error("no_text", grant, method)
    if len(str(arguments.get("text") or "")) > 40_000:
        return _error("msg_too_long", grant, method)

    state = state_of(request)
    with state.lock:
        ts = state.next_slack_ts()
        message = {
            "type": "message",
            "user": "U0SANDBOX",
            "text": arguments.get("text", ""),
            "ts": ts,
        }
        if arguments.get("thread_ts"):
            message["thread_ts"] = arguments["thread_ts"]
        state.slack_messages.append({"channel": channel_id, **message})
    return _answer({"ok": True, "channel": channel_id, "ts": ts, "message": message}, grant, method)


def _lookup_by_email(request: Request, arguments: dict[str, Any], grant: Grant) -> JSONResponse:
    method = "users.lookupByEmail"
    email = str(arguments.get("email") or "").strip().lower()
    if not email:
        return _error("invalid_arguments", grant, method)
    user = state_of(request).slack_users.get(email)
    if user is None:
        return _error("users_not_found", grant, method)
    return _answer({"ok": True, "user": user}, grant, method)


def _invite(request: Request, arguments: dict[str, Any], grant: Grant) -> JSONResponse:
    method = "admin.users.invite"
    email = str(arguments.get("email") or "").strip().lower()
    channels = [part for part in str(arguments.get("channel_ids") or "").split(",") if part]
    if not arguments.get("team_id") or not email or not channels:
        return _error("invalid_arguments", grant, method)
    if arguments["team_id"] != "T0SANDBOX":
        return _error("team_not_found", grant, method)
    if any(channel not in SLACK_CHANNELS for channel in channels):
        return _error("channel_not_found", grant, method)
    if "@" not in email:
        return _error("invalid_email", grant, method)

    state = state_of(request)
    with state.lock:
        if email in state.slack_users:
            return _error("already_in_team", grant, method)
        if email in state.slack_invites:
            return _error("already_in_team_invited_user", grant, method)
        state.slack_invites[email] = {"email": email, "channel_ids": channels}
    return _answer({"ok": True}, grant, method)


def _channel_id(channel: str) -> str | None:
    if channel in SLACK_CHANNELS:
        return channel
    name = channel.removeprefix("#")
    return next((key for key, value in SLACK_CHANNELS.items() if value == name), None)


_HANDLERS = {
    "auth.test": _auth_test,
    "chat.postMessage": _post_message,
    "users.lookupByEmail": _lookup_by_email,
    "admin.users.invite": _invite,
}
