"""Claim, complete and replay Idempotency-Key records."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from synctoscale.store.models import IdempotencyKey
from synctoscale.store.types import utcnow

__all__ = [
    "Claim",
    "ClaimOutcome",
    "claim_key",
    "complete_key",
    "purge_expired_keys",
    "release_key",
]


class ClaimOutcome(enum.Enum):
    NEW = "new"  # the caller owns the key now and must complete or release it
    REPLAY = "replay"  # a finished response exists for this key and request
    MISMATCH = "mismatch"  # the key was first used for another request
    IN_PROGRESS = "in_progress"  # the first request with this key is still running


@dataclass(frozen=True)
class Claim:
    outcome: ClaimOutcome
    record: IdempotencyKey | None = None


def claim_key(
    session: Session,
    *,
    project_id: str,
    key: str,
    method: str,
    path: str,
    request_sha256: str,
    ttl: timedelta,
    stale_after: timedelta,
) -> Claim:
    """Look up ``key`` and, if it is free or expired, take it for this request.

    A pending record older than ``stale_after`` belongs to a request whose process died; it is
    taken over so the client's retry can run. Raises IntegrityError when a concurrent request
    inserted the same key first; the caller then claims again in a new transaction.
    """
    now = utcnow()
    record = session.get(IdempotencyKey, (project_id, key), with_for_update=True)
    if record is not None and record.expires_at <= now:
        session.delete(record)
        session.flush()
        record = None

    if record is None:
        session.add(
            IdempotencyKey(
                project_id=project_id,
                key=key,
                method=method,
                path=path,
                request_sha256=request_sha256,
                created_at=now,
                expires_at=now + ttl,
            )
        )
        session.flush()
        return Claim(ClaimOutcome.NEW)

    same_request = (record.method, record.path, record.request_sha256) == (
        method,
        path,
        request_sha256,
    )
    if not same_request:
        return Claim(ClaimOutcome.MISMATCH, record)
    if record.status_code is not None:
        return Claim(ClaimOutcome.REPLAY, record)
    if now - record.created_at > stale_after:
        record.created_at = now
        return Claim(ClaimOutcome.NEW)
    return Claim(ClaimOutcome.IN_PROGRESS, record)


def complete_key(
    session: Session,
    *,
    project_id: str,
    key: str,
    status_code: int,
    headers: dict[str, str],
    body: bytes,
) -> None:
    record = session.get(IdempotencyKey, (project_id, key))
    if record is None:  # purged or released meanwhile: nothing to replay later
        return
    record.status_code = status_code
    record.response_headers = headers
    record.response_body = body


def release_key(session: Session, *, project_id: str, key: str) -> None:
    """Forget a pending key so a retry runs the request again."""
    record = session.get(IdempotencyKey, (project_id, key))
    if record is not None and record.status_code is None:
        session.delete(record)


def purge_expired_keys(session: Session) -> int:
    result = session.execute(delete(IdempotencyKey).where(IdempotencyKey.expires_at <= utcnow()))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
