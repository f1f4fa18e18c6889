"""Start the API under uvicorn, bootstrapping the default project on first start."""

from __future__ import annotations

import logging

import uvicorn

from synctoscale.app import create_app
from synctoscale.bootstrap import TOKEN_FILE_NAME, bootstrap_default_project
from synctoscale.logs import configure_logging
from synctoscale.settings import Settings
from synctoscale.store.db import Database

logger = logging.getLogger(__name__)


def serve(settings: Settings, *, host: str, port: int, log_level: str = "info") -> int:
    """Run the API until interrupted; return the process exit code."""
    configure_logging(log_level)
    settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)

    database = Database(settings.resolved_database_url)
    database.migrate()
    token = bootstrap_default_project(database, settings.data_dir)
    database.dispose()
    if token is not None:
        _announce_token(token, settings)

    uvicorn.run(create_app(settings), host=host, port=port, log_config=None, log_level=log_level)
    return 0


def _announce_token(token: str, settings: Settings) -> None:
    """Print the bootstrap token once, on stdout and never to the log."""
    path = settings.data_dir / TOKEN_FILE_NAME
    print(
        "Created project 'default'. Its API token is shown only this once and is saved "
        f"in {path} (mode 0600):\n\n    {token}\n",
        flush=True,
    )
