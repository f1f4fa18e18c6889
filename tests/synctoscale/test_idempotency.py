"""``Idempotency-Key`` on POSTs: replay, conflicts, scoping and failure handling.

The tests add a counting route to the real app, so each test can see how often the handler
really ran.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi import APIRouter

from synctoscale.app import create_app
from synctoscale.errors import ApiError
from synctoscale.jsonbody import StrictJSONRoute
from synctoscale.settings import Settings
from synctoscale.store.projects import create_project, create_token
from tests.synctoscale.conftest import LiveServer, serve


@dataclass
class Counter:
    calls: int = 0
    release: threading.Event = field(default_factory=threading.Event)


@pytest.fixture
def counter() -> Counter:
    counter = Counter()
    counter.release.set()
    return counter


@pytest.fixture
def server(settings: Settings, database_url: str, counter: Counter) -> Iterator[LiveServer]:
    settings = Settings(**{**vars(settings), "database_url": database_url})
    app = create_app(settings)
    router = APIRouter(route_class=StrictJSONRoute)

    @router.post("/test/count", status_code=201)
    def count(body: dict[str, Any]) -> dict[str, Any]:
        counter.release.wait(timeout=30)
        counter.calls += 1
        if body.get("fail") == "server":
            raise RuntimeError("boom")
        if body.get("fail") == "client":
            raise ApiError(422, "bad", "bad input")
        return {"call": counter.calls, "echo": body}

    app.include_router(router)
    yield from serve(settings, app)


def post(server: LiveServer, body: dict[str, Any], key: str, token: str | None = None) -> Any:
    with server.client(token) as client:
        return client.post("/test/count", json=body, headers={"Idempotency-Key": key})


def test_same_key_replays_first_response(server: LiveServer, counter: Counter) -> None:
    first = post(server, {"a": 1}, "key-1")
    second = post(server, {"a": 1}, "key-1")

    assert counter.calls == 1
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json() == {"call": 1, "echo": {"a": 1}}
    assert second.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers


def test_reordered_json_counts_as_same_body(server: LiveServer, counter: Counter) -> None:
    with server.client() as client:
        headers = {"Idempotency-Key": "k", "Content-Type": "application/json"}
        client.post("/test/count", content=b'{"a": 1, "b": 2}', headers=headers)
        replay = client.post("/test/count", content=b'{"b":2,"a":1}', headers=headers)

    assert replay.status_code == 201
    assert counter.calls == 1


def test_same_key_other_body_is_409(server: LiveServer, counter: Counter) -> None:
    post(server, {"a": 1}, "key-2")

    response = post(server, {"a": 2}, "key-2")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "idempotency_key_reused"
    assert counter.calls == 1


def test_keys_are_scoped_per_project(server: LiveServer, counter: Counter) -> None:
    with server.database.session() as session:
        _row, other_token = create_token(session, create_project(session, "other"))

    post(server, {"a": 1}, "shared-key")
    response = post(server, {"a": 2}, "shared-key", token=other_token)

    assert response.status_code == 201
    assert counter.calls == 2


def test_server_error_is_not_stored(server: LiveServer, counter: Counter) -> None:
    first = post(server, {"fail": "server"}, "key-3")
    second = post(server, {"fail": "server"}, "key-3")

    assert first.status_code == 500
    assert second.status_code == 500
    assert counter.calls == 2


def test_client_error_is_replayed(server: LiveServer, counter: Counter) -> None:
    first = post(server, {"fail": "client"}, "key-4")
    second = post(server, {"fail": "client"}, "key-4")

    assert first.status_code == second.status_code == 422
    assert second.json() == first.json()
    assert counter.calls == 1


def test_concurrent_retry_is_409_in_progress(server: LiveServer, counter: Counter) -> None:
    counter.release.clear()
    results: list[Any] = []
    first = threading.Thread(target=lambda: results.append(post(server, {"a": 1}, "key-5")))
    first.start()
    try:
        _wait_for_pending_key(server, "key-5")
        response = post(server, {"a": 1}, "key-5")
    finally:
        counter.release.set()
        first.join(timeout=30)

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "idempotency_key_in_progress"
    assert response.headers["Retry-After"] == "1"
    assert results[0].status_code == 201
    assert counter.calls == 1


@pytest.mark.parametrize("key", [b"", b"x" * 256, "naïve-key".encode("latin-1"), b"tab\tkey"])
def test_invalid_key_is_422(server: LiveServer, counter: Counter, key: bytes) -> None:
    with server.client() as client:
        response = client.post("/test/count", json={"a": 1}, headers={"Idempotency-Key": key})

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_idempotency_key"
    assert counter.calls == 0


def _wait_for_pending_key(server: LiveServer, key: str) -> None:
    import time

    from synctoscale.store.models import IdempotencyKey

    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with server.database.session() as session:
            if session.query(IdempotencyKey).filter_by(key=key).count():
                return
        time.sleep(0.02)
    raise AssertionError(f"key {key!r} was never claimed")
