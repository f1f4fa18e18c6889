"""The first start creates project ``default`` and one token, exactly once."""

from __future__ import annotations

import stat
from pathlib import Path

from synctoscale.bootstrap import bootstrap_default_project
from synctoscale.store.db import Database
from synctoscale.store.projects import get_project_by_name, list_tokens
from synctoscale.tokens import token_matches


def test_bootstrap_creates_project_and_token(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'db.sqlite'}")
    database.migrate()

    token = bootstrap_default_project(database, tmp_path)

    assert token is not None
    with database.session() as session:
        rows = list_tokens(session, get_project_by_name(session, "default"))
    assert len(rows) == 1
    assert token_matches(token, rows[0].token_sha256)


def test_bootstrap_token_file_is_private(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'db.sqlite'}")
    database.migrate()

    token = bootstrap_default_project(database, tmp_path)

    path = tmp_path / "default-token"
    assert path.read_text().strip() == token
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_bootstrap_runs_once(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'db.sqlite'}")
    database.migrate()
    first = bootstrap_default_project(database, tmp_path)

    second = bootstrap_default_project(database, tmp_path)

    assert first is not None
    assert second is None
    assert (tmp_path / "default-token").read_text().strip() == first
