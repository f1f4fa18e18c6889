"""The queue: JSON messages instead of pickle, storage chosen by URL, PostgreSQL as a queue."""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from huey import PostgresHuey, RedisHuey, SqliteHuey
from huey.registry import Message

from synctoscale.engine.queue import JSONSerializer, build_queue
from synctoscale.settings import Settings, SettingsError
from tests.synctoscale.conftest import LiveServer, serve
from tests.synctoscale.databases import scratch_postgres_database
from tests.synctoscale.workflows import create_workflow, echo_workflow, start_run, wait_for_run


def test_message_round_trips_as_json() -> None:
    message = Message(
        "task-1", "run_workflow", datetime(2025, 1, 20, 14, 2, 1), 0, 0, None, ("run_1",), {}
    )
    serializer = JSONSerializer()

    data = serializer.serialize(message)

    assert data.startswith(b"{")
    assert serializer.deserialize(data) == message


def test_pickled_message_is_rejected() -> None:
    with pytest.raises(ValueError):
        JSONSerializer().deserialize(pickle.dumps({"run": 1}))


def test_unserializable_argument_is_rejected() -> None:
    message = Message("task-1", "run_workflow", None, 0, 0, None, (object(),), {})

    with pytest.raises(TypeError, match="plain data"):
        JSONSerializer().serialize(message)


@pytest.mark.parametrize(
    ("queue_url", "expected"),
    [
        (None, SqliteHuey),
        ("redis://127.0.0.1:6379/7", RedisHuey),
    ],
)
def test_queue_chosen_by_url(tmp_path: Path, queue_url: str | None, expected: type) -> None:
    queue = build_queue(Settings(data_dir=tmp_path, queue_url=queue_url))

    assert isinstance(queue, expected)
    assert queue.results is False


def test_unknown_queue_scheme_is_error(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="'amqp'"):
        build_queue(Settings(data_dir=tmp_path, queue_url="amqp://localhost"))


@pytest.fixture
def postgres_queue_server(settings: Settings) -> Iterator[LiveServer]:
    """The app with PostgreSQL as both database and queue."""
    with scratch_postgres_database() as url:
        yield from serve(replace(settings, database_url=url, queue_url=url))


@pytest.mark.postgres
def test_run_on_postgres_queue(postgres_queue_server: LiveServer) -> None:
    assert isinstance(postgres_queue_server.app.state.engine.queue, PostgresHuey)
    with postgres_queue_server.client() as client:
        create_workflow(client, echo_workflow("pg"))
        run = wait_for_run(client, start_run(client, "pg", {"via": "postgres"}))

    assert run["status"] == "succeeded"
    assert run["steps"][0]["output"] == {"via": "postgres"}
