"""The shared HTTP plumbing: transport failures, status names, and secret redaction."""

from __future__ import annotations

import json
import socket
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from synctoscale.connectors import ConnectionStatus, FailureKind, connector_class
from synctoscale.connectors.http import REDACTED, kind_for_status, redact, status_code_name
from synctoscale.sandbox import SandboxConfig
from tests.synctoscale.conftest import running_sandbox
from tests.synctoscale.connectors.actions import action_error

SECRETS = st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", min_size=8, max_size=40)
FILLER = st.text(max_size=20)


@given(secret=SECRETS, before=FILLER, after=FILLER)
def test_redact_removes_secret_anywhere(secret: str, before: str, after: str) -> None:
    value = {
        "message": f"{before}{secret}{after}",
        "nested": [{"detail": secret}, (f"{secret}{secret}",)],
        "count": 3,
    }

    redacted = redact(value, [secret])

    assert secret not in json.dumps(redacted)
    assert redacted["count"] == 3
    assert REDACTED in redacted["message"]


@pytest.mark.parametrize(
    "key", ["access_token", "Authorization", "password", "api_key", "refresh_token", "token"]
)
def test_redact_masks_secret_keys(key: str) -> None:
    redacted = redact({key: "anything", "other": "kept"}, [])

    assert redacted == {key: REDACTED, "other": "kept"}


def test_redact_ignores_short_secrets() -> None:
    assert redact("a b c", ["b"]) == "a b c"


@pytest.mark.parametrize(
    ("status", "name"),
    [
        (400, "bad_request"),
        (401, "unauthorized"),
        (404, "not_found"),
        (409, "conflict"),
        (429, "too_many_requests"),
        (503, "service_unavailable"),
        (599, "http_599"),
    ],
)
def test_status_code_name(status: int, name: str) -> None:
    assert status_code_name(status) == name


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (400, FailureKind.INVALID_REQUEST),
        (401, FailureKind.INVALID_CREDENTIALS),
        (403, FailureKind.FORBIDDEN),
        (404, FailureKind.NOT_FOUND),
        (408, FailureKind.TIMEOUT),
        (409, FailureKind.CONFLICT),
        (412, FailureKind.CONFLICT),
        (422, FailureKind.INVALID_REQUEST),
        (429, FailureKind.RATE_LIMITED),
        (500, FailureKind.UNAVAILABLE),
        (503, FailureKind.UNAVAILABLE),
    ],
)
def test_kind_for_status(status: int, kind: FailureKind) -> None:
    assert kind_for_status(status) is kind


def _closed_port_url() -> str:
    """Return a loopback URL whose port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def test_unreachable_provider_is_network_error() -> None:
    url = _closed_port_url()
    slack = connector_class("slack")(credentials={"access_token": "xoxb-1"}, base_url=url)

    check = slack.check()

    assert check.status is ConnectionStatus.UNREACHABLE
    assert check.error_code == "network_error"
    assert url in check.message


def test_slow_provider_times_out() -> None:
    values: dict[str, Any] = {"email": "someone@slow.example.com"}
    with running_sandbox(SandboxConfig(slow_seconds=5.0)) as sandbox:
        error = action_error(
            sandbox, "slack", "lookup_user_by_email", values, {"access_token": "xoxb-1"}, 0.3
        )

    assert error.kind is FailureKind.TIMEOUT
    assert error.retryable is True
    assert error.provider_status is None
    assert "0.3 s" in error.message
