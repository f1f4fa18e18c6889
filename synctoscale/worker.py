"""Run queue consumers in their own process: ``synctoscale worker``."""

from __future__ import annotations

import logging

from synctoscale.credentials import CredentialVault, EngineCredentials
from synctoscale.crypto import KEYS_VARIABLE, load_keyring
from synctoscale.engine.runtime import Engine
from synctoscale.logs import configure_logging
from synctoscale.settings import Settings
from synctoscale.store.db import Database

logger = logging.getLogger(__name__)


def run_worker(settings: Settings, *, threads: int, log_level: str = "info") -> int:
    """Consume runs until SIGINT (finish running steps) or SIGTERM (stop at once)."""
    configure_logging(log_level)
    database = Database(settings.resolved_database_url)
    database.migrate()
    keyring = load_keyring(settings)
    if keyring is None:
        logger.warning(
            "no encryption key: %s is unset and %s has no key file, so steps that use a "
            "connection will fail",
            KEYS_VARIABLE,
            settings.data_dir,
        )
    credentials = EngineCredentials(database, CredentialVault(keyring))
    engine = Engine(settings, database, credentials=credentials)

    engine.sweep()
    logger.info("worker started with %d thread(s)", threads)
    try:
        engine.consumer(threads, in_process=False).run()
    finally:
        engine.queue.storage.close()
        database.dispose()
    logger.info("worker stopped")
    return 0
