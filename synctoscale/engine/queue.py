"""Build the huey queue the settings choose, and the consumers that work it.

``SYNCTOSCALE_QUEUE_URL`` picks the storage: unset is ``SqliteHuey`` in the data directory,
``redis://`` is ``RedisHuey`` and ``postgresql://`` is ``PostgresHuey``. Messages are JSON,
not huey's default pickle, so a process that can write to the queue cannot make a worker run
code of its choosing.
"""

from __future__ import annotations

import json
import logging
import threading
from datetime import datetime
from typing import Any

from huey import Huey, PostgresHuey, RedisHuey, SqliteHuey
from huey.consumer import Consumer, Scheduler, Worker
from huey.registry import Message
from huey.serializer import Serializer
from sqlalchemy.engine import make_url

from synctoscale.settings import Settings, SettingsError

logger = logging.getLogger(__name__)

__all__ = ["JSONSerializer", "RunConsumer", "build_queue"]

QUEUE_FILE_NAME = "queue.db"
# Maximum wait in seconds between two polls of a queue that cannot block (SQLite).
MAX_POLL_SECONDS = 1.0


class JSONSerializer(Serializer):
    """Serialize huey messages as JSON; only plain data and datetimes pass."""

    def _serialize(self, data: Any) -> bytes:
        return json.dumps(_encode(data), separators=(",", ":")).encode("utf-8")

    def _deserialize(self, data: bytes) -> Any:
        return _decode(json.loads(data))


def _encode(value: Any) -> Any:
    if isinstance(value, Message):
        return {"__message__": {name: _encode(item) for name, item in value._asdict().items()}}
    if isinstance(value, datetime):
        return {"__datetime__": value.isoformat()}
    if isinstance(value, (list, tuple)):
        return [_encode(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _encode(item) for key, item in value.items()}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"cannot put a {type(value).__name__} on the queue; send plain data")


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_decode(item) for item in value)
    if not isinstance(value, dict):
        return value
    if "__message__" in value:
        return Message(**{name: _decode(item) for name, item in value["__message__"].items()})
    if "__datetime__" in value:
        return datetime.fromisoformat(value["__datetime__"])
    return {key: _decode(item) for key, item in value.items()}


def build_queue(settings: Settings) -> Huey:
    """Return the huey instance for ``settings``; results are not stored."""
    options: dict[str, Any] = {"results": False, "serializer": JSONSerializer()}
    url = settings.queue_url
    if not url:
        settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        filename = str(settings.data_dir / QUEUE_FILE_NAME)
        return SqliteHuey(settings.queue_name, filename=filename, **options)

    scheme = url.split(":", 1)[0].lower()
    if scheme in ("redis", "rediss", "unix"):
        return RedisHuey(settings.queue_name, url=url, **options)
    if scheme.startswith("postgresql") or scheme == "postgres":
        # psycopg takes a libpq URL; SQLAlchemy's "+driver" suffix is removed.
        dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        return PostgresHuey(settings.queue_name, dsn=dsn, **options)
    raise SettingsError(
        f"SYNCTOSCALE_QUEUE_URL has the unsupported scheme {scheme!r}; "
        "use redis://, postgresql:// or leave it unset for the SQLite queue."
    )


class _WakeableWorker(Worker):
    """A huey worker whose idle wait ends early when ``wake`` is set."""

    wake: threading.Event | None = None
    delay: float
    max_delay: float
    backoff: float

    def sleep(self) -> None:
        if self.wake is None:
            super().sleep()
            return
        delay = min(self.delay, self.max_delay)
        if self.wake.wait(delay):
            self.wake.clear()
        self.delay = delay * self.backoff


class RunConsumer(Consumer):
    """A huey consumer whose periodic tasks run every ``periodic_seconds``.

    Huey checks periodic tasks once a minute; the sweeper should run more often. With
    ``in_process=True`` no signal handlers are installed, because the host process (uvicorn)
    owns them, and ``wake`` lets the enqueuing side end the workers' idle wait. ``started`` is
    set once the worker and scheduler threads run.
    """

    def __init__(
        self,
        huey: Huey,
        *,
        periodic_seconds: float,
        in_process: bool = False,
        wake: threading.Event | None = None,
        **options: Any,
    ) -> None:
        self.periodic_seconds = periodic_seconds
        self.in_process = in_process
        self.wake = wake
        self.started = threading.Event()
        options.setdefault("max_delay", MAX_POLL_SECONDS)
        super().__init__(huey, **options)

    def start(self) -> None:
        super().start()
        self.started.set()

    def stop(self, graceful: bool = False) -> None:
        """Stop the consumer, or only set the stop flag if its threads have not started yet.

        Huey's own ``stop`` joins the worker threads, and joining a thread that was never
        started raises RuntimeError. That happens when the API stops right after it started.
        """
        if not self.started.is_set():
            self.stop_flag.set()
            return
        super().stop(graceful=graceful)

    def _create_worker(self) -> Worker:
        worker = _WakeableWorker(
            huey=self.huey,
            stop_flag=self.stop_flag,
            default_delay=self.default_delay,
            max_delay=self.max_delay,
            backoff=self.backoff,
            max_tasks=self.max_tasks,
        )
        worker.wake = self.wake
        return worker

    def _create_scheduler(self) -> Scheduler:
        scheduler = super()._create_scheduler()
        scheduler.periodic_task_seconds = self.periodic_seconds
        return scheduler

    def _set_signal_handlers(self) -> None:
        if not self.in_process:
            super()._set_signal_handlers()
