"""The interface every provider connector implements.

A connector receives its credentials and base URL when it is built and never reads them from
storage itself. The engine calls ``run`` with one action and its mapped input; a failure is a
``ConnectorError`` that says whether a later attempt can succeed.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, ClassVar

__all__ = ["ActionRequest", "ActionResult", "Connector", "ConnectorError", "parse_retry_after"]


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

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


class Connector(ABC):
    """A provider's API client behind the engine's one calling convention."""

    provider: ClassVar[str]
    actions: ClassVar[frozenset[str]]

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
