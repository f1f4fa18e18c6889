"""Persist projects, tokens and run state with SQLAlchemy, on SQLite or PostgreSQL."""

from synctoscale.store.db import Database
from synctoscale.store.models import ApiToken, Base, IdempotencyKey, Project

__all__ = ["ApiToken", "Base", "Database", "IdempotencyKey", "Project"]
