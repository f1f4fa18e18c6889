"""The built-in echo provider and the Retry-After parser of the connector interface."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from synctoscale.connectors import ActionRequest, ConnectorError, connector_class, parse_retry_after


def _run(payload: dict[str, Any], attempt: int = 1) -> Any:
    connector = connector_class("echo")()
    request = ActionRequest("echo", payload, run_id="run_1", step_id="s", attempt=attempt)
    return connector.run(request)


def test_echo_returns_input_without_controls() -> None:
    result = _run({"email": "a@example.com", "_echo_until_attempt": 0})

    assert result.output == {"email": "a@example.com"}
    assert result.provider_status == 200


@pytest.mark.parametrize(
    ("kind", "code", "status", "retryable"),
    [
        ("retryable", "provider_unavailable", 503, True),
        ("rate_limited", "rate_limited", 429, True),
        ("permanent", "invalid_request", 400, False),
    ],
)
def test_echo_fails_on_request(kind: str, code: str, status: int, retryable: bool) -> None:
    with pytest.raises(ConnectorError) as caught:
        _run({"_echo_fail": kind, "_echo_retry_after": 3})

    assert caught.value.error_code == code
    assert caught.value.provider_status == status
    assert caught.value.retryable is retryable
    assert caught.value.retry_after == 3.0
    assert caught.value.raw_response["error"]["code"] == code


def test_echo_succeeds_after_until_attempt() -> None:
    payload = {"_echo_fail": "retryable", "_echo_until_attempt": 2, "n": 1}

    for attempt in (1, 2):
        with pytest.raises(ConnectorError):
            _run(payload, attempt)
    assert _run(payload, 3).output == {"n": 1}


@pytest.mark.parametrize(
    "controls",
    [
        {"_echo_fail": "sometimes"},
        {"_echo_until_attempt": "two"},
        {"_echo_sleep_seconds": -1},
        {"_echo_sleep_seconds": 10_000},
        {"_echo_fail": "permanent", "_echo_retry_after": "soon"},
    ],
)
def test_bad_echo_control_is_permanent_error(controls: dict[str, Any]) -> None:
    with pytest.raises(ConnectorError) as caught:
        _run(controls)

    assert caught.value.retryable is False
    assert "_echo_" in caught.value.message


def test_unknown_provider_names_known_ones() -> None:
    with pytest.raises(KeyError, match=r"known providers: .*echo"):
        connector_class("nosuch")


NOW = datetime(2025, 1, 20, 14, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("120", 120.0),
        (" 5 ", 5.0),
        ("Mon, 20 Jan 2025 14:00:30 GMT", 30.0),
        ("Mon, 20 Jan 2025 13:00:00 GMT", 0.0),
        ("", None),
        (None, None),
        ("soon", None),
        ("-5", None),
    ],
)
def test_parse_retry_after(value: str | None, seconds: float | None) -> None:
    assert parse_retry_after(value, now=NOW) == seconds
