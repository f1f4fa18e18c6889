"""Starting and stopping the in-process engine, including stops that come too early."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
import sqlalchemy.exc

from synctoscale.engine.runtime import Engine
from synctoscale.settings import Settings
from synctoscale.store.db import Database


@pytest.fixture
def database(settings: Settings) -> Iterator[Database]:
    settings.data_dir.mkdir(parents=True)
    database = Database(settings.resolved_database_url)
    yield database
    database.dispose()


def _consumer_threads() -> list[str]:
    return [thread.name for thread in threading.enumerate() if thread.name == "queue-consumer"]


def test_stop_without_start(settings: Settings, database: Database) -> None:
    database.migrate()
    engine = Engine(settings, database)

    engine.stop()

    assert _consumer_threads() == []


def test_stop_right_after_start(settings: Settings, database: Database) -> None:
    """Stop before the consumer thread has started its workers, as a server that exits at once."""
    database.migrate()
    engine = Engine(settings, database)

    engine.start()
    engine.stop()

    assert _consumer_threads() == []


def test_stop_after_failed_start(settings: Settings, database: Database) -> None:
    """The first sweep fails on a database without tables, and stop() must still succeed."""
    engine = Engine(settings, database)

    with pytest.raises(sqlalchemy.exc.OperationalError):
        engine.start()
    engine.stop()

    assert _consumer_threads() == []


def test_stop_twice(settings: Settings, database: Database) -> None:
    database.migrate()
    engine = Engine(settings, database)
    engine.start()

    engine.stop()
    engine.stop()

    assert _consumer_threads() == []
