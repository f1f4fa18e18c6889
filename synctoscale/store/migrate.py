"""Run the Alembic migrations that ship inside the package."""

from __future__ import annotations

from importlib.resources import files

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection


def alembic_config() -> Config:
    """Return an Alembic config that points at the packaged migrations, with no ini file."""
    config = Config()
    config.set_main_option("script_location", str(files("synctoscale.store") / "migrations"))
    return config


def upgrade_to_head(connection: Connection) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")
