"""FastAPI dependencies shared by the routers: the database, the engine, a page request."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query, Request

from synctoscale.api.pagination import decode_cursor
from synctoscale.engine.runtime import Engine
from synctoscale.store.db import Database
from synctoscale.store.pagination import Position

__all__ = ["DatabaseDep", "EngineDep", "PageRequest", "PageRequestDep"]


def _database(request: Request) -> Database:
    database: Database = request.app.state.database
    return database


def _engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


@dataclass(frozen=True)
class PageRequest:
    limit: int
    after: Position | None


def _page_request(
    limit: Annotated[int, Query(ge=1, le=100, description="Items per page, 1 to 100.")] = 20,
    cursor: Annotated[str | None, Query(description="next_cursor from the previous page.")] = None,
) -> PageRequest:
    return PageRequest(limit=limit, after=decode_cursor(cursor) if cursor else None)


DatabaseDep = Annotated[Database, Depends(_database)]
EngineDep = Annotated[Engine, Depends(_engine)]
PageRequestDep = Annotated[PageRequest, Depends(_page_request)]
