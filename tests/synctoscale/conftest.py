"""Fixtures for the service: settings on a temp data dir, a live server, a token."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from synctoscale.app import create_app
from synctoscale.bootstrap import bootstrap_default_project
from synctoscale.sandbox import SandboxConfig, base_urls, create_sandbox_app
from synctoscale.settings import Settings
from synctoscale.store.db import Database
from tests.synctoscale.databases import scratch_postgres_database
from tests.synctoscale.servers import running_server


@dataclass
class LiveServer:
    """A running API, its database and the ``default`` project's token."""

    base_url: str
    app: FastAPI
    settings: Settings
    database: Database
    token: str

    def client(self, token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token or self.token}"}
        return httpx.Client(base_url=self.base_url, headers=headers, timeout=30.0)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database: a SQLite file, then (where configured) a scratch PostgreSQL one."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'synctoscale.db'}"
        return
    with scratch_postgres_database() as url:
        yield url


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data")


@pytest.fixture
def live_server(settings: Settings) -> Iterator[LiveServer]:
    """The app on SQLite behind a real uvicorn on loopback."""
    yield from serve(settings)


@pytest.fixture
def live_server_any_db(settings: Settings, database_url: str) -> Iterator[LiveServer]:
    """The app behind a real uvicorn, once on SQLite and once on PostgreSQL."""
    yield from serve(Settings(**{**vars(settings), "database_url": database_url}))


def serve(settings: Settings, app: FastAPI | None = None) -> Iterator[LiveServer]:
    """Bootstrap a database, start ``app`` (default: ``create_app(settings)``), yield it."""
    database = Database(settings.resolved_database_url)
    database.migrate()
    token = bootstrap_default_project(database, settings.data_dir)
    assert token is not None

    app = app or create_app(settings)
    with running_server(app) as base_url:
        yield LiveServer(base_url, app, settings, database, token)
    database.dispose()


@dataclass
class Sandbox:
    """A provider sandbox on loopback: its root URL and each provider's base URL."""

    root: str
    urls: dict[str, str]


@contextmanager
def running_sandbox(config: SandboxConfig | None = None) -> Iterator[Sandbox]:
    """Serve a fresh sandbox under uvicorn on 127.0.0.1 and yield its URLs."""
    with running_server(create_sandbox_app(config)) as root:
        yield Sandbox(root, base_urls(root))


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with running_sandbox() as served:
        yield served


@pytest.fixture
def sandbox_server(settings: Settings, sandbox: Sandbox) -> Iterator[LiveServer]:
    """The app on SQLite, with every provider pointed at a fresh sandbox."""
    yield from serve(replace(settings, provider_base_urls=sandbox.urls))


@pytest.fixture
def sandbox_server_any_db(
    settings: Settings, database_url: str, sandbox: Sandbox
) -> Iterator[LiveServer]:
    """The app pointed at a sandbox, once on SQLite and once on PostgreSQL."""
    yield from serve(replace(settings, database_url=database_url, provider_base_urls=sandbox.urls))
