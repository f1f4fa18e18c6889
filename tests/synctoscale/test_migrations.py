"""The Alembic migrations build exactly the schema the models describe, on every database."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from synctoscale.store.db import Database
from synctoscale.store.models import Base


def test_migrations_match_models(database_url: str) -> None:
    database = Database(database_url)
    database.migrate()

    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    database.dispose()

    assert differences == []


def test_migrate_twice_is_harmless(database_url: str) -> None:
    database = Database(database_url)
    database.migrate()
    database.migrate()
    database.dispose()
