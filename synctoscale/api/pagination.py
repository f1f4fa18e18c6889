"""Opaque page cursors and the ``{data, next_cursor}`` page shape.

A cursor is URL-safe base64 of the last row's ``(created_at, id)`` plus a short SHA-256
checksum, which catches edited or truncated cursors. The checksum is not a secret: the
caller's project, not the cursor, limits what a page can contain.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Generic, Protocol, TypeVar

from pydantic import BaseModel, Field

from synctoscale.errors import ApiError
from synctoscale.store.pagination import Position

__all__ = ["Page", "decode_cursor", "encode_cursor", "next_cursor"]

T = TypeVar("T")
_CHECKSUM_CHARS = 12


class Page(BaseModel, Generic[T]):
    """One page of results, newest first."""

    data: list[T]
    next_cursor: str | None = Field(
        description="Pass as ?cursor= for the next page; null on the last page."
    )


def encode_cursor(position: Position) -> str:
    body = json.dumps([position.created_at.isoformat(), position.id], separators=(",", ":"))
    token = f"{body}|{_checksum(body)}".encode()
    return base64.urlsafe_b64encode(token).decode("ascii").rstrip("=")


def decode_cursor(cursor: str) -> Position:
    """Read a cursor made by encode_cursor; raise a 422 ApiError for anything else."""
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("utf-8")
        body, _, checksum = text.rpartition("|")
        if not body or checksum != _checksum(body):
            raise ValueError("checksum mismatch")
        created_at, row_id = json.loads(body)
        position = Position(datetime.fromisoformat(created_at), str(row_id))
    except (ValueError, TypeError, UnicodeDecodeError, binascii.Error):
        raise ApiError(
            422,
            "invalid_cursor",
            "The cursor is not one this API issued, or it was changed; pass next_cursor "
            "from the previous page unchanged, or leave cursor out for the first page.",
            [{"field": "cursor", "problem": "invalid or altered cursor"}],
        ) from None
    if position.created_at.tzinfo is None:
        raise ApiError(422, "invalid_cursor", "The cursor's timestamp has no UTC offset.")
    return position


class _Row(Protocol):
    @property
    def created_at(self) -> datetime: ...

    @property
    def id(self) -> str: ...


def next_cursor(rows: Sequence[_Row], limit: int) -> str | None:
    """Return the cursor after ``rows[limit - 1]`` when more than ``limit`` rows were fetched."""
    if len(rows) <= limit:
        return None
    last = rows[limit - 1]
    return encode_cursor(Position(last.created_at, last.id))


def _checksum(body: str) -> str:
    return hashlib.sha256(f"synctoscale-cursor:{body}".encode()).hexdigest()[:_CHECKSUM_CHARS]
