"""The provider sandbox on its own: triggers, provider details, and the CLI command."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys

import httpx
import pytest

from tests.synctoscale.conftest import Sandbox
from tests.synctoscale.servers import wait_until_up

SLACK_TOKEN = {"Authorization": "Bearer xoxb-demo"}


@pytest.mark.parametrize(
    ("header", "status", "error"),
    [
        ("rate_limited", 429, "ratelimited"),
        ("outage", 503, "service_unavailable"),
        ("invalid", 200, "invalid_email"),
    ],
)
def test_fail_header_selects_error(sandbox: Sandbox, header: str, status: int, error: str) -> None:
    response = httpx.post(
        f"{sandbox.urls['slack']}/chat.postMessage",
        json={"channel": "#general", "text": "hi"},
        headers={**SLACK_TOKEN, "X-Sandbox-Fail": header},
    )

    assert response.status_code == status
    assert response.json() == {"ok": False, "error": error}


def test_flaky_fails_once_per_address(sandbox: Sandbox) -> None:
    url = f"{sandbox.urls['hubspot']}/crm/v3/objects/contacts"
    body = {"properties": {"email": "sam@flaky.example.com"}}
    headers = {"Authorization": "Bearer pat-demo"}

    first = httpx.post(url, json=body, headers=headers)
    second = httpx.post(url, json=body, headers=headers)

    assert first.status_code == 503
    assert second.status_code == 201
    assert second.json()["properties"]["email"] == "sam@flaky.example.com"


def test_slack_accepts_form_token(sandbox: Sandbox) -> None:
    response = httpx.post(f"{sandbox.urls['slack']}/auth.test", data={"token": "xoxb-form"})

    assert response.json()["ok"] is True
    assert "chat:write" in response.headers["x-oauth-scopes"]


def test_slack_reports_method_scope(sandbox: Sandbox) -> None:
    response = httpx.get(
        f"{sandbox.urls['slack']}/users.lookupByEmail",
        params={"email": "ada@example.com"},
        headers=SLACK_TOKEN,
    )

    assert response.headers["x-accepted-oauth-scopes"] == "users:read.email"
    assert response.json()["user"]["id"] == "U0SEED0001"


def test_bamboohr_error_in_header(sandbox: Sandbox) -> None:
    response = httpx.get(
        f"{sandbox.urls['bamboohr']}/acme/v1/employees/999/", auth=("key-demo", "x")
    )

    assert response.status_code == 404
    assert response.headers["x-bamboohr-error-message"] == "Employee not found"
    assert response.content == b""


def test_google_requires_customer(sandbox: Sandbox) -> None:
    response = httpx.get(
        f"{sandbox.urls['google_directory']}/users", headers={"Authorization": "Bearer ya29.x"}
    )

    assert response.status_code == 400
    assert response.json()["error"]["errors"][0]["reason"] == "badRequest"


def test_sandbox_command_serves(tmp_path: object) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    process = subprocess.Popen(
        [sys.executable, "-m", "synctoscale.cli", "sandbox", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    root = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(root)
        response = httpx.post(f"{root}/slack/api/auth.test", headers=SLACK_TOKEN)
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=30)

    assert response.json()["team_id"] == "T0SANDBOX"
    assert f"SYNCTOSCALE_PROVIDER_SLACK_URL={root}/slack/api" in output
    assert f"SYNCTOSCALE_PROVIDER_HUBSPOT_URL={root}/hubspot" in output
