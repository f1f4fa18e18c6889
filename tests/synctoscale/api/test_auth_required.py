"""Every workflow, run, trigger and error endpoint rejects requests without a valid token."""

from __future__ import annotations

import httpx
import pytest

from tests.synctoscale.conftest import LiveServer

ENDPOINTS = [
    ("POST", "/workflows"),
    ("GET", "/workflows"),
    ("GET", "/workflows/flow"),
    ("PUT", "/workflows/flow"),
    ("DELETE", "/workflows/flow"),
    ("POST", "/workflows/flow/run"),
    ("POST", "/triggers/event"),
    ("GET", "/runs"),
    ("GET", "/runs/run_0000000000000000"),
    ("POST", "/runs/run_0000000000000000/retry"),
    ("POST", "/runs/run_0000000000000000/cancel"),
    ("GET", "/errors/run_0000000000000000"),
]
BAD_HEADERS = [{}, {"Authorization": "Bearer sts_tok_000000000000_wrongsecret"}]


@pytest.mark.parametrize("headers", BAD_HEADERS, ids=["missing", "unknown"])
def test_endpoints_need_token(live_server: LiveServer, headers: dict[str, str]) -> None:
    with httpx.Client(base_url=live_server.base_url, headers=headers) as client:
        responses = {
            f"{method} {path}": client.request(method, path, json={}) for method, path in ENDPOINTS
        }

    assert len(responses) == len(ENDPOINTS)
    for endpoint, response in responses.items():
        assert response.status_code == 401, endpoint
        assert response.json()["error"]["code"] == "unauthorized", endpoint
