"""Record, from a background thread, that a worker is still running a run."""

from __future__ import annotations

import logging
import threading
from types import TracebackType

from sqlalchemy.exc import SQLAlchemyError

from synctoscale.store import runs
from synctoscale.store.db import Database
from synctoscale.store.types import utcnow

logger = logging.getLogger(__name__)

__all__ = ["Heartbeat"]


class Heartbeat:
    """Update the run's ``heartbeat_at`` every ``interval`` seconds while the block runs.

    ``lost`` is set once the run is no longer ``running`` under ``claim_id`` (it was
    cancelled or the sweeper took it over), so the executor can stop early.
    """

    def __init__(self, database: Database, run_id: str, claim_id: str, interval: float) -> None:
        self.database = database
        self.run_id = run_id
        self.claim_id = claim_id
        self.interval = interval
        self.lost = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"heartbeat-{run_id}", daemon=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join()

    def _beat(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                with self.database.session() as session:
                    alive = runs.heartbeat(session, self.run_id, self.claim_id, utcnow())
            except SQLAlchemyError:
                # One failed heartbeat is not fatal; the sweeper only acts after several.
                logger.exception("heartbeat failed", extra={"run_id": self.run_id})
                continue
            if not alive:
                self.lost.set()
                return
