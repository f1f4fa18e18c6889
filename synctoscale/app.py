"""Build the FastAPI application."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI

from synctoscale import __version__
from synctoscale.api import (
    actions,
    connections,
    mapping,
    nova_errors,
    nova_mapping,
    rate_limit,
    runs,
    triggers,
    workflows,
)
from synctoscale.api import errors as error_lookup
from synctoscale.api.query import reject_unknown_query
from synctoscale.auth import Authenticator, AuthMiddleware
from synctoscale.bodysize import BodySizeLimitMiddleware
from synctoscale.credentials import CredentialVault, EngineCredentials
from synctoscale.crypto import load_keyring
from synctoscale.engine.files import load_workflow_dir
from synctoscale.engine.runtime import Engine
from synctoscale.errors import install_error_handlers
from synctoscale.idempotency import IdempotencyMiddleware
from synctoscale.openapi import ERROR_RESPONSES, install_error_schema
from synctoscale.ratelimit import RateLimitMiddleware, RateLimits
from synctoscale.settings import Settings
from synctoscale.store.db import Database

logger = logging.getLogger(__name__)

API_DESCRIPTION = (
    "Validate and map integration payloads, run workflows against provider APIs and explain "
    "their failures. Every request needs `Authorization: Bearer <project token>`."
)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Return the API for ``settings`` (default: read from the environment).

    The database schema is migrated when the app starts, so a new data directory or an
    empty PostgreSQL database works without a separate step.
    """
    settings = settings or Settings.from_env()
    database = Database(settings.resolved_database_url)
    # Without SYNCTOSCALE_ENCRYPTION_KEYS the API creates a key file in the data directory;
    # workers only read it.
    vault = CredentialVault(load_keyring(settings, create=True))
    engine = Engine(settings, database, credentials=EngineCredentials(database, vault))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        database.migrate()
        if settings.workflows_dir is not None:
            load_workflow_dir(database, settings.workflows_dir)
        engine.start()
        logger.info("API started on database %s", database.url.render_as_string(hide_password=True))
        yield
        engine.stop()
        database.dispose()
        logger.info("API stopped")

    app = FastAPI(
        title="SyncToScale API",
        version=__version__,
        description=API_DESCRIPTION,
        lifespan=lifespan,
        dependencies=[Depends(reject_unknown_query)],
    )
    app.state.settings = settings
    app.state.database = database
    app.state.engine = engine
    app.state.vault = vault
    app.state.authenticator = Authenticator(database)
    app.state.rate_limits = RateLimits(
        settings.rate_limit_storage_url, settings.rate_limit, settings.token_rate_limit
    )

    # Middleware added last runs first: authentication (so an anonymous caller gets a 401
    # whatever its body), the size check, the rate limit, then idempotency.
    app.add_middleware(
        IdempotencyMiddleware, database=database, ttl_seconds=settings.idempotency_ttl_seconds
    )
    app.add_middleware(RateLimitMiddleware, limits=app.state.rate_limits)
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(AuthMiddleware, authenticator=app.state.authenticator)
    install_error_handlers(app)
    install_error_schema(app)

    app.include_router(mapping.router, responses=ERROR_RESPONSES)
    app.include_router(nova_errors.router, responses=ERROR_RESPONSES)
    app.include_router(rate_limit.router, responses=ERROR_RESPONSES)
    app.include_router(workflows.router, responses=ERROR_RESPONSES)
    app.include_router(runs.router, responses=ERROR_RESPONSES)
    app.include_router(triggers.router, responses=ERROR_RESPONSES)
    app.include_router(error_lookup.router, responses=ERROR_RESPONSES)
    app.include_router(nova_mapping.router, responses=ERROR_RESPONSES)
    app.include_router(connections.router, responses=ERROR_RESPONSES)
    app.include_router(actions.router, responses=ERROR_RESPONSES)
    return app
