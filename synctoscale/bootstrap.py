"""Create the ``default`` project and its first token on an empty database."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from sqlalchemy import func, select

from synctoscale.store.db import Database
from synctoscale.store.models import Project
from synctoscale.store.projects import ProjectExistsError, create_project, create_token

logger = logging.getLogger(__name__)

DEFAULT_PROJECT = "default"
TOKEN_FILE_NAME = "default-token"  # noqa: S105 (a file name, not a secret)


def bootstrap_default_project(database: Database, data_dir: Path) -> str | None:
    """Create project ``default`` with one token if no project exists yet.

    Returns the new token, which is also written to ``data_dir/default-token`` with mode 0600,
    or None when projects already exist. Two processes starting at once on an empty database
    create the project only once; the loser returns None.
    """
    with database.session() as session:
        if session.scalar(select(func.count()).select_from(Project)):
            return None
        try:
            project = create_project(session, DEFAULT_PROJECT)
        except ProjectExistsError:
            return None
        row, token = create_token(session, project, label="bootstrap")

    _write_secret_file(data_dir / TOKEN_FILE_NAME, token + "\n")
    logger.info("created project %s with token %s", DEFAULT_PROJECT, row.id)
    return token


def _write_secret_file(path: Path, content: str) -> None:
    """Write ``content`` to a new file readable by its owner only, replacing an old one."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(content)
