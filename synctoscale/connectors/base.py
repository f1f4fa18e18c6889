"""The interface every provider connector implements.

A connector receives its credentials and base URL when it is built and never reads them from
storage itself. The engine calls ``run`` with one action and its mapped input; a failure is a
``ConnectorError`` that says whether a later attempt can succeed.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from enum import StrEnum
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

__all__ = [
    "ActionRequest",
    "ActionResult",
    "ConnectionCheck",
    "ConnectionStatus",
    "Connector",
    "ConnectorError",
    "FailureKind",
    "Identity",
    "NoCredentials",
    "parse_retry_after",
]


class FailureKind(StrEnum):
    """The cause of a failed action, from one set shared by every provider.

    ``error_code`` keeps the provider's own code (Slack's ``missing_scope``, HubSpot's
    ``CONFLICT``). The API and the connection check branch on the kind instead.
    """

    INVALID_INPUT = "invalid_input"  # rejected by the connector before any provider call
    INVALID_CREDENTIALS = "invalid_credentials"
    INSUFFICIENT_SCOPES = "insufficient_scopes"
    FORBIDDEN = "forbidden"  # authenticated, but the account may not do this
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"  # a duplicate record, or a state that forbids the change
    INVALID_REQUEST = "invalid_request"  # the provider rejected the input
    RATE_LIMITED = "rate_limited"
    UNAVAILABLE = "unavailable"  # a 5xx or a documented outage
    TIMEOUT = "timeout"
    NETWORK = "network"  # no HTTP response at all
    PROVIDER_ERROR = "provider_error"  # anything the mapping does not recognise


class ConnectionStatus(StrEnum):
    """A connection's health, as the last check found it."""

    PENDING = "pending"  # no credentials stored yet
    UNVALIDATED = "unvalidated"  # credentials stored, never checked
    HEALTHY = "healthy"
    INVALID_CREDENTIALS = "invalid_credentials"
    INSUFFICIENT_SCOPES = "insufficient_scopes"
    UNREACHABLE = "unreachable"


@dataclass(frozen=True)
class ActionRequest:
    """One action call: the action name, its input, and the run step it belongs to."""

    action: str
    input: dict[str, Any]
    run_id: str
    step_id: str
    attempt: int


@dataclass(frozen=True)
class ActionResult:
    """A successful action: ``output`` becomes the step's output."""

    output: Any
    provider_status: int | None = None


@dataclass
class ConnectorError(Exception):
    """A failed action, with what the provider returned.

    ``retryable`` is True for failures a later attempt can fix (rate limits, timeouts,
    provider outages). ``retry_after`` is the provider's ``Retry-After`` in seconds, if sent.
    """

    error_code: str
    message: str
    retryable: bool = False
    provider_status: int | None = None
    raw_response: Any = None
    retry_after: float | None = None
    details: dict[str, Any] = field(default_factory=dict)
    kind: FailureKind = FailureKind.PROVIDER_ERROR

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


class NoCredentials(BaseModel):
    """The credentials of a provider that needs none."""

    model_config = ConfigDict(extra="forbid")


@dataclass(frozen=True)
class Identity:
    """The account the credentials act as, and their scopes when the provider reports them."""

    account: dict[str, Any] = field(default_factory=dict)
    granted_scopes: frozenset[str] | None = None


@dataclass(frozen=True)
class ConnectionCheck:
    """The outcome of checking a connection's credentials against its provider."""

    status: ConnectionStatus
    message: str
    account: dict[str, Any] = field(default_factory=dict)
    error_code: str | None = None


# How a failed check reads: a failure that says nothing about the credentials (an outage,
# a timeout, a rate limit, no response) leaves them possibly fine, so it is "unreachable".
_STATUS_BY_KIND = {
    FailureKind.INSUFFICIENT_SCOPES: ConnectionStatus.INSUFFICIENT_SCOPES,
    FailureKind.FORBIDDEN: ConnectionStatus.INSUFFICIENT_SCOPES,
    FailureKind.RATE_LIMITED: ConnectionStatus.UNREACHABLE,
    FailureKind.UNAVAILABLE: ConnectionStatus.UNREACHABLE,
    FailureKind.TIMEOUT: ConnectionStatus.UNREACHABLE,
    FailureKind.NETWORK: ConnectionStatus.UNREACHABLE,
}


class Connector(ABC):
    """A provider's API client behind the engine's one calling convention.

    ``credentials_model`` checks the credentials a connection stores, ``auth_types`` lists
    the ``auth_type`` values a connection may declare, and ``identify`` calls the provider's
    cheapest endpoint that proves the credentials work.
    """

    provider: ClassVar[str]
    display_name: ClassVar[str] = ""  # the provider's own spelling, for messages
    actions: ClassVar[frozenset[str]]
    credentials_model: ClassVar[type[BaseModel]] = NoCredentials
    auth_types: ClassVar[tuple[str, ...]] = ("none",)

    @classmethod
    def requires_credentials(cls) -> bool:
        return bool(cls.credentials_model.model_fields)

    @classmethod
    def label(cls) -> str:
        return cls.display_name or cls.provider

    def __init__(
        self,
        *,
        credentials: Mapping[str, str] | None = None,
        base_url: str | None = None,
        timeout_seconds: float = 30.0,
    ) -> None:
        self.credentials = dict(credentials or {})
        self.base_url = base_url
        self.timeout_seconds = timeout_seconds

    @abstractmethod
    def run(self, request: ActionRequest) -> ActionResult:
        """Perform ``request.action``; raise ConnectorError when the provider rejects it."""

    @abstractmethod
    def identify(self) -> Identity:
        """Call the provider's cheapest authenticated endpoint; raise ConnectorError on failure."""

    def check(self, scopes: Sequence[str] = ()) -> ConnectionCheck:
        """Check the credentials and that they carry ``scopes``, when the provider lists them.

        A timeout, outage, rate limit or network error is ``unreachable``: the credentials
        may be fine.
        """
        try:
            identity = self.identify()
        except ConnectorError as exc:
            status = _STATUS_BY_KIND.get(exc.kind, ConnectionStatus.INVALID_CREDENTIALS)
            return ConnectionCheck(status, exc.message, error_code=exc.error_code)

        granted = identity.granted_scopes
        missing = [scope for scope in scopes if granted is not None and scope not in granted]
        if missing:
            message = (
                f"The {self.label()} credentials lack the scope(s) {', '.join(missing)}; "
                f"they carry: {', '.join(sorted(granted or ())) or 'none'}. Grant the missing "
                "scopes and store the new credentials."
            )
            return ConnectionCheck(
                ConnectionStatus.INSUFFICIENT_SCOPES, message, identity.account, "missing_scope"
            )
        message = f"The {self.label()} credentials work."
        return ConnectionCheck(ConnectionStatus.HEALTHY, message, identity.account)


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Read an HTTP ``Retry-After`` value (delay seconds or an HTTP date) as seconds from now.

    Returns None for a missing or unreadable value; a date in the past gives 0.
    """
    if value is None or not value.strip():
        return None

    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - (now or datetime.now(UTC))).total_seconds())
