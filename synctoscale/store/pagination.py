"""Keyset pagination over ``(created_at, id)``, newest first.

A page ends at a position; the next page holds the rows strictly older than it. Rows inserted
later sort before the first page, so walking the pages while rows arrive never repeats or
skips a row that existed when the walk began.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Select, and_, or_
from sqlalchemy.orm import InstrumentedAttribute

__all__ = ["Position", "page_query"]


class Position(NamedTuple):
    """The last row of a page: its creation time and id."""

    created_at: datetime
    id: str


def page_query(
    query: Select[Any],
    created_at: InstrumentedAttribute[datetime],
    row_id: InstrumentedAttribute[str],
    *,
    after: Position | None,
    limit: int,
) -> Select[Any]:
    """Order ``query`` newest first, start after ``after`` and fetch ``limit + 1`` rows.

    The extra row tells the caller whether another page follows.
    """
    if after is not None:
        query = query.where(
            or_(
                created_at < after.created_at,
                and_(created_at == after.created_at, row_id < after.id),
            )
        )
    return query.order_by(created_at.desc(), row_id.desc()).limit(limit + 1)
