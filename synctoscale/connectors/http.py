"""The HTTP plumbing every provider connector shares: one httpx client per action call,
transport failures as ConnectorError, input checks with pydantic, and secret redaction.

A provider module supplies its base URL, auth headers, one method per action and
``error_from``, which turns the provider's error response into a ConnectorError.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Mapping
from http import HTTPStatus
from typing import Any, ClassVar, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel, ValidationError

from synctoscale.connectors.base import (
    ActionRequest,
    ActionResult,
    Connector,
    ConnectorError,
    FailureKind,
    parse_retry_after,
)
from synctoscale.problems import describe_errors

logger = logging.getLogger(__name__)

__all__ = [
    "REDACTED",
    "HttpConnector",
    "invalid_input",
    "kind_for_status",
    "parse_input",
    "path_segment",
    "redact",
    "status_code_name",
]

REDACTED = "[redacted]"
# Keys whose values are secrets wherever they appear in a provider's response.
SECRET_KEYS = frozenset(
    {
        "access_token",
        "api_key",
        "authorization",
        "client_secret",
        "password",
        "private_key",
        "refresh_token",
        "token",
    }
)
# Secrets shorter than this are not searched for inside other strings: a one-letter
# "secret" would redact every word that contains the letter.
MIN_REDACTED_LENGTH = 4
MAX_RAW_TEXT = 4000  # characters of a non-JSON error body kept in raw_response

Model = TypeVar("Model", bound=BaseModel)


def redact(value: Any, secrets: Iterable[str]) -> Any:
    """Return a copy of ``value`` with every secret string and secret-named key masked."""
    needles = sorted({s for s in secrets if len(s) >= MIN_REDACTED_LENGTH}, key=len, reverse=True)
    return _redact(value, needles)


def _redact(value: Any, needles: list[str]) -> Any:
    if isinstance(value, str):
        for needle in needles:
            value = value.replace(needle, REDACTED)
        return value
    if isinstance(value, Mapping):
        return {
            key: REDACTED if str(key).lower() in SECRET_KEYS else _redact(item, needles)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [_redact(item, needles) for item in value]
    return value


def parse_input(model: type[Model], values: Mapping[str, Any], action: str) -> Model:
    """Validate an action's input; raise ConnectorError naming every invalid field."""
    try:
        return model.model_validate(dict(values))
    except ValidationError as exc:
        problems = [
            {"field": item["field"] or "input", "problem": item["problem"]}
            for item in describe_errors(exc.errors(), dict(values))
        ]
        summary = "; ".join(f"{item['field']}: {item['problem']}" for item in problems)
        raise ConnectorError(
            "invalid_input",
            f"Invalid input for {action}: {summary}.",
            kind=FailureKind.INVALID_INPUT,
            details={"fields": problems},
        ) from None


def invalid_input(action: str, field: str, problem: str) -> ConnectorError:
    """Return the error for input the connector rejects before calling the provider."""
    return ConnectorError(
        "invalid_input",
        f"Invalid input for {action}: {field}: {problem}.",
        kind=FailureKind.INVALID_INPUT,
        details={"fields": [{"field": field, "problem": problem}]},
    )


def path_segment(value: str) -> str:
    """Quote ``value`` for one URL path segment, so ``/`` or ``..`` cannot change the path."""
    return quote(value, safe="@")


def status_code_name(status: int) -> str:
    """Return the snake_case reason phrase of an HTTP status (404 -> ``not_found``)."""
    try:
        return HTTPStatus(status).phrase.lower().replace(" ", "_").replace("-", "_")
    except ValueError:
        return f"http_{status}"


class HttpConnector(Connector):
    """A connector that calls a provider's HTTP API with httpx.

    ``run`` opens one client for the action, calls the method named like the action, and
    redacts the credentials out of the output.
    """

    default_base_url: ClassVar[str]
    _client: httpx.Client | None = None  # open only inside run() or session()
    _last_status: int | None = None  # status of the latest response, for ActionResult

    @property
    def api_base_url(self) -> str:
        return (self.base_url or self.default_base_url).rstrip("/")

    def auth_headers(self) -> dict[str, str]:
        """Return the headers that authenticate every request: a bearer ``access_token``."""
        token = self.credentials.get("access_token")
        return {"Authorization": f"Bearer {token}"} if token else {}

    def auth(self) -> httpx.Auth | None:
        """Return an httpx auth scheme instead of headers, for providers that use one."""
        return None

    def run(self, request: ActionRequest) -> ActionResult:
        if request.action not in self.actions:
            known = ", ".join(sorted(self.actions))
            raise ConnectorError(
                "unknown_action",
                f"The {self.label()} connector has no action {request.action!r}; "
                f"its actions: {known}.",
                kind=FailureKind.INVALID_INPUT,
            )
        handler = getattr(self, request.action)
        with self._session():
            output = handler(request.input)
        return ActionResult(output=self.redact(output), provider_status=self._last_status)

    def session(self) -> _Session:
        """Open a client for several calls outside ``run``, as ``identify`` does."""
        return self._session()

    def _session(self) -> _Session:
        return _Session(self)

    def send(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        expected: Iterable[int] = (200, 201, 204),
    ) -> httpx.Response:
        """Send one request; raise ConnectorError for a timeout, no response or an error status."""
        client = self._client
        if client is None:
            raise RuntimeError("send() needs an open session; call it inside run() or session()")

        started = time.monotonic()
        try:
            response = client.request(method, path, params=params, json=json)
        except httpx.TimeoutException:
            raise ConnectorError(
                "timeout",
                f"The {self.label()} API did not answer {method} {path} within "
                f"{self.timeout_seconds:g} s.",
                retryable=True,
                kind=FailureKind.TIMEOUT,
            ) from None
        except httpx.TransportError as exc:
            raise ConnectorError(
                "network_error",
                f"Could not reach the {self.label()} API at {self.api_base_url}: "
                f"{self.redact(str(exc)) or type(exc).__name__}.",
                retryable=True,
                kind=FailureKind.NETWORK,
            ) from None

        self._last_status = response.status_code
        logger.debug(
            "%s %s %s -> %d in %.0f ms",
            self.provider,
            method,
            path,
            response.status_code,
            (time.monotonic() - started) * 1000,
        )
        if response.status_code not in set(expected):
            raise self.error_from(response)
        return response

    def error_from(self, response: httpx.Response) -> ConnectorError:
        """Turn an error response into a ConnectorError; override with the provider's format."""
        return self.http_error(response, response.reason_phrase)

    def http_error(
        self,
        response: httpx.Response,
        message: str,
        *,
        error_code: str | None = None,
        kind: FailureKind | None = None,
        retryable: bool | None = None,
        details: dict[str, Any] | None = None,
    ) -> ConnectorError:
        """Build a ConnectorError from a response, defaulting kind and retry by HTTP status."""
        status = response.status_code
        kind = kind or kind_for_status(status)
        if retryable is None:
            retryable = kind in (FailureKind.RATE_LIMITED, FailureKind.UNAVAILABLE)
        return ConnectorError(
            error_code or status_code_name(status),
            self.redact(message),
            retryable=retryable,
            provider_status=status,
            raw_response=self.raw_body(response),
            retry_after=_retry_after(response),
            details=details or {},
            kind=kind,
        )

    def raw_body(self, response: httpx.Response) -> Any:
        """Return the response body as JSON when it parses, else as truncated text, redacted."""
        try:
            body: Any = response.json()
        except ValueError:
            body = response.text[:MAX_RAW_TEXT]
        return self.redact(body)

    def redact(self, value: Any) -> Any:
        return redact(value, (str(secret) for secret in self.credentials.values()))


def kind_for_status(status: int) -> FailureKind:
    """Return the failure kind an HTTP error status means for most providers."""
    if status == 401:
        return FailureKind.INVALID_CREDENTIALS
    if status == 403:
        return FailureKind.FORBIDDEN
    if status == 404:
        return FailureKind.NOT_FOUND
    if status in (409, 412):
        return FailureKind.CONFLICT
    if status == 429:
        return FailureKind.RATE_LIMITED
    if status == 408:
        return FailureKind.TIMEOUT
    if status >= 500:
        return FailureKind.UNAVAILABLE
    if status >= 400:
        return FailureKind.INVALID_REQUEST
    return FailureKind.PROVIDER_ERROR


def _retry_after(response: httpx.Response) -> float | None:
    return parse_retry_after(response.headers.get("retry-after"))


class _Session:
    """Context manager that gives a connector one httpx client and closes it afterwards."""

    def __init__(self, connector: HttpConnector) -> None:
        self.connector = connector

    def __enter__(self) -> HttpConnector:
        connector = self.connector
        connector._client = httpx.Client(
            base_url=connector.api_base_url,
            timeout=connector.timeout_seconds,
            headers={"Accept": "application/json", **connector.auth_headers()},
            auth=connector.auth(),
            follow_redirects=False,
        )
        return connector

    def __exit__(self, *exc_info: object) -> None:
        client, self.connector._client = self.connector._client, None
        if client is not None:
            client.close()
