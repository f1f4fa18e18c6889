"""Give each test session its own PostgreSQL database when a server is configured."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

POSTGRES_ENV = "SYNCTOSCALE_TEST_POSTGRES_URL"
REDIS_ENV = "SYNCTOSCALE_TEST_REDIS_URL"


def postgres_admin_url() -> str:
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f"{POSTGRES_ENV} is not set; this test needs a PostgreSQL server")
    return url


def redis_url() -> str:
    url = os.environ.get(REDIS_ENV)
    if not url:
        pytest.skip(f"{REDIS_ENV} is not set; this test needs a Redis server")
    return url


@contextmanager
def scratch_postgres_database() -> Iterator[str]:
    """Create an empty database with a random name, yield its URL, then drop it."""
    admin_url = make_url(postgres_admin_url())
    name = f"synctoscale_test_{secrets.token_hex(4)}"

    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
