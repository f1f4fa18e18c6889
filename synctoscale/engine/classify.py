"""Ask Nova's error classifier for a category and a recommended fix, when it is installed."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger(__name__)

__all__ = ["Diagnosis", "diagnose"]


@dataclass(frozen=True)
class Diagnosis:
    category: str | None = None
    recommended_fix: str | None = None


_UNAVAILABLE = Diagnosis()
_state = {"available": True}
_lock = threading.Lock()


def diagnose(
    message: str,
    *,
    error_code: str | None,
    provider: str | None,
    http_status: int | None,
    raw_response: Any = None,
) -> Diagnosis:
    """Classify an error with ``nova.classify_error``; return an empty Diagnosis without it.

    ``raw_response`` is the provider's body or mapkit's report, from which the fix can name
    each field's expected value.

    When nova has no ``classify_error`` or its model file is missing, that is logged once and
    every later call returns at once, until the process restarts.
    """
    if not _state["available"]:
        return _UNAVAILABLE

    try:
        from nova import classify_error

        result: Any = classify_error(
            message,
            error_code=error_code,
            provider=provider,
            http_status=http_status,
            raw_response=raw_response,
        )
    except (ImportError, FileNotFoundError) as exc:
        _mark_unavailable(exc)
        return _UNAVAILABLE
    except Exception:  # a classifier bug must not stop the run's error from being stored
        logger.exception("error classification failed for error code %s", error_code)
        return _UNAVAILABLE

    return Diagnosis(
        category=getattr(result, "category", None),
        recommended_fix=getattr(result, "recommended_fix", None),
    )


def _mark_unavailable(exc: Exception) -> None:
    with _lock:
        if not _state["available"]:
            return
        _state["available"] = False
    logger.warning(
        "Nova error classification is unavailable, so run errors get no category: %s", exc
    )
