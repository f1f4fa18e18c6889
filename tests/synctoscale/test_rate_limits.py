"""Per-project and per-token rate limits, their headers, 429s and ``GET /rate_limit``."""

from __future__ import annotations

import dataclasses
import secrets
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from synctoscale.settings import Settings
from synctoscale.store.projects import create_token, get_project_by_name
from tests.synctoscale.conftest import LiveServer, serve
from tests.synctoscale.databases import redis_url


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
def limited_server(request: pytest.FixtureRequest, settings: Settings) -> Iterator[LiveServer]:
    """A server allowing 5 requests a minute per project and 3 per token."""
    storage = "memory://" if request.param == "memory" else redis_url()
    limited = dataclasses.replace(
        settings,
        rate_limit="5/minute",
        token_rate_limit="3/minute",
        rate_limit_storage_url=storage,
        # A fresh data dir per test gives fresh project ids, so Redis counters never collide.
        data_dir=settings.data_dir / secrets.token_hex(4),
    )
    yield from serve(limited)


def second_token(server: LiveServer) -> str:
    with server.database.session() as session:
        _row, token = create_token(session, get_project_by_name(session, "default"))
    return token


def test_responses_carry_rate_limit_headers(limited_server: LiveServer) -> None:
    with limited_server.client() as client:
        response = client.get("/no-such-path")

    assert response.headers["RateLimit-Limit"] == "3"
    assert response.headers["RateLimit-Remaining"] == "2"
    assert 0 < int(response.headers["RateLimit-Reset"]) <= 60
    assert response.headers["X-RateLimit-Limit"] == "3"
    assert response.headers["X-RateLimit-Remaining"] == "2"
    reset_epoch = int(response.headers["X-RateLimit-Reset"])
    assert 0 < reset_epoch - datetime.now(UTC).timestamp() <= 61


def test_token_limit_gives_429(limited_server: LiveServer) -> None:
    with limited_server.client() as client:
        statuses = [client.get("/no-such-path").status_code for _ in range(3)]
        response = client.get("/no-such-path")

    assert statuses == [404, 404, 404]
    assert response.status_code == 429
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    body = response.json()
    assert body["error"]["code"] == "rate_limited"
    assert "token rate limit of 3 per 1 minute" in body["error"]["message"]
    assert body["limit"] == 3
    assert body["remaining"] == 0
    assert body["error"]["details"]["reset"] == body["reset"]
    assert datetime.fromisoformat(body["reset"]) > datetime.now(UTC)


def test_project_limit_spans_tokens(limited_server: LiveServer) -> None:
    other = second_token(limited_server)

    with limited_server.client() as first, limited_server.client(other) as second:
        first_statuses = [first.get("/no-such-path").status_code for _ in range(3)]
        responses = [second.get("/no-such-path") for _ in range(3)]
        second_statuses = [response.status_code for response in responses]
        rejected = responses[-1]

    assert first_statuses == [404, 404, 404]
    assert second_statuses == [404, 404, 429]
    assert "project rate limit of 5 per 1 minute" in rejected.json()["error"]["message"]


def test_rate_limit_endpoint_shape(limited_server: LiveServer) -> None:
    with limited_server.client() as client:
        client.get("/no-such-path")
        first = client.get("/rate_limit")
        second = client.get("/rate_limit")

    assert first.status_code == 200
    body = first.json()
    assert body["limit"] == 3
    assert body["remaining"] == 2
    assert body["reset"].endswith("Z")
    assert body["project"] == {"limit": 5, "remaining": 4, "reset": body["project"]["reset"]}
    assert body["token"]["remaining"] == 2
    assert second.json()["remaining"] == 2, "GET /rate_limit must not count against the limit"


def test_rejected_token_is_not_counted(limited_server: LiveServer) -> None:
    with limited_server.client("sts_tok_000000000000_nope") as stranger:
        for _ in range(5):
            assert stranger.get("/rate_limit").status_code == 401

    with limited_server.client() as client:
        assert client.get("/rate_limit").json()["project"]["remaining"] == 5
