"""The engine as the API and ``synctoscale worker`` use it: submit, consume, sweep."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Sequence
from typing import Any

from synctoscale.engine.executor import Executor
from synctoscale.engine.queue import RunConsumer, build_queue
from synctoscale.engine.steps import CredentialsLookup
from synctoscale.engine.sweeper import Sweeper, SweepReport
from synctoscale.engine.tasks import register_tasks
from synctoscale.settings import Settings
from synctoscale.store import runs
from synctoscale.store.db import Database
from synctoscale.store.models import Run, Workflow

logger = logging.getLogger(__name__)

__all__ = ["Engine"]

# How long stopping the in-process consumer waits for running steps, in seconds.
SHUTDOWN_TIMEOUT_SECONDS = 10.0


class Engine:
    """The queue, the executor and the sweeper for one deployment's settings."""

    def __init__(
        self,
        settings: Settings,
        database: Database,
        credentials: CredentialsLookup | None = None,
    ) -> None:
        self.settings = settings
        self.database = database
        self.queue = build_queue(settings)
        self.executor = Executor(
            database,
            schedule_retry=self.enqueue,
            heartbeat_seconds=settings.heartbeat_seconds,
            base_urls=settings.provider_base_urls,
            credentials=credentials,
        )
        self.sweeper = Sweeper(
            database,
            enqueue=self.enqueue,
            stale_run_seconds=settings.stale_run_seconds,
            requeue_seconds=settings.requeue_seconds,
        )
        self.tasks = register_tasks(self.queue, self.executor.execute, self.sweep)
        self._wake = threading.Event()
        self._consumer: RunConsumer | None = None
        self._consumer_thread: threading.Thread | None = None

    def submit(self, run_ids: Iterable[str]) -> None:
        """Put runs on the queue; a run the queue rejects is left to the sweeper.

        The run row is committed before this is called, so a failed enqueue loses nothing:
        the sweeper enqueues the run again after ``requeue_seconds``.
        """
        for run_id in run_ids:
            self.enqueue(run_id, 0.0)

    def trigger(
        self,
        project_id: str,
        workflows: Sequence[Workflow],
        trigger: dict[str, Any],
        payload: Any,
    ) -> list[Run]:
        """Create a queued run of each workflow in one transaction, then enqueue them."""
        with self.database.session() as session:
            created = [
                runs.create_run(
                    session,
                    project_id=project_id,
                    workflow_id=workflow.id,
                    definition=workflow.definition,
                    trigger=trigger,
                    payload=payload,
                )
                for workflow in workflows
            ]
        for run in created:
            logger.info(
                "run %s queued",
                run.id,
                extra={
                    "run_id": run.id,
                    "project_id": project_id,
                    "workflow_id": run.workflow_id,
                    "status": run.status,
                },
            )
        self.submit(run.id for run in created)
        return created

    def enqueue(self, run_id: str, delay_seconds: float) -> None:
        try:
            if delay_seconds > 0:
                self.tasks.run_workflow.schedule((run_id,), delay=delay_seconds)
            else:
                self.tasks.run_workflow(run_id)
        except Exception:  # the queue's client raises its own errors (redis, psycopg, sqlite3)
            logger.exception("could not enqueue run %s; the sweeper will retry", run_id)
            return
        self._wake.set()

    def sweep(self) -> SweepReport:
        return self.sweeper.sweep()

    def consumer(self, threads: int, *, in_process: bool) -> RunConsumer:
        return RunConsumer(
            self.queue,
            workers=threads,
            periodic_seconds=self.settings.sweep_seconds,
            in_process=in_process,
            wake=self._wake if in_process else None,
            shutdown_timeout=SHUTDOWN_TIMEOUT_SECONDS,
        )

    def start(self) -> None:
        """Sweep once, then start the in-process consumer if ``worker_threads`` is above 0."""
        self.sweep()
        threads = self.settings.worker_threads
        if threads == 0:
            logger.info("no in-process queue workers; runs wait for 'synctoscale worker'")
            return

        self._consumer = self.consumer(threads, in_process=True)
        self._consumer_thread = threading.Thread(
            target=self._consumer.run, name="queue-consumer", daemon=True
        )
        self._consumer_thread.start()
        logger.info("started %d in-process queue worker(s)", threads)

    def stop(self) -> None:
        """Stop the in-process consumer, waiting for running steps up to a timeout.

        It is safe to call when ``start`` never ran, failed part way, or returned a moment
        ago and the consumer thread has not yet started its workers.
        """
        consumer, thread = self._consumer, self._consumer_thread
        self._consumer = None
        self._consumer_thread = None
        if consumer is not None:
            consumer.stop(graceful=True)
            if thread is not None and thread.is_alive():
                thread.join(timeout=SHUTDOWN_TIMEOUT_SECONDS)
            logger.info("stopped the in-process queue workers")
        self.queue.storage.close()
