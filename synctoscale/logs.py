"""Configure logging: one JSON object per line, with the ids passed in ``extra``."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

# Attributes every LogRecord has; anything else on a record came from ``extra=``.
_STANDARD_ATTRIBUTES = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}
# uvicorn adds a copy of its message with terminal colour codes, for its own formatter.
_OMITTED_ATTRIBUTES = _STANDARD_ATTRIBUTES | {"color_message"}


class JSONFormatter(logging.Formatter):
    """Format a record as JSON with time, level, logger, message and any ``extra`` fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _OMITTED_ATTRIBUTES and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure_logging(level: str = "info") -> None:
    """Send the service's and uvicorn's logs to stderr as JSON lines."""
    handler = logging.StreamHandler()
    handler.setFormatter(JSONFormatter())

    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "huey"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True

    # huey logs each task's start and finish at INFO, the sweeper's too (every 30 s by
    # default). The engine logs run transitions itself, so huey is kept to WARNING.
    huey_level = logging.DEBUG if level.lower() == "debug" else logging.WARNING
    logging.getLogger("huey").setLevel(huey_level)
