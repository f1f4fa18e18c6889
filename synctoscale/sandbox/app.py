"""Build the sandbox: one FastAPI app that emulates every provider under its own prefix."""

from __future__ import annotations

from fastapi import FastAPI

from synctoscale.sandbox import bamboohr, google, hubspot, slack
from synctoscale.sandbox.common import Reject, reject
from synctoscale.sandbox.state import SandboxState
from synctoscale.sandbox.triggers import SandboxConfig

__all__ = ["base_urls", "create_sandbox_app"]

# Path prefix of each emulated provider below the sandbox's root URL. A connector's base URL
# is the root followed by its prefix.
PREFIXES = {
    "slack": "/slack/api",
    "hubspot": "/hubspot",
    "bamboohr": "/bamboohr/api/gateway.php",
    "google_directory": "/google/admin/directory/v1",
}


def create_sandbox_app(config: SandboxConfig | None = None) -> FastAPI:
    """Return a sandbox with fresh in-memory records."""
    app = FastAPI(title="SyncToScale provider sandbox", docs_url=None, redoc_url=None)
    app.state.sandbox = SandboxState()
    app.state.sandbox_config = config or SandboxConfig()
    app.add_exception_handler(Reject, reject)
    for router in (slack.router, hubspot.router, bamboohr.router, google.router):
        app.include_router(router)

    @app.get("/", include_in_schema=False)
    def index() -> dict[str, object]:
        return {"sandbox": "synctoscale", "providers": sorted(PREFIXES)}

    return app


def base_urls(root: str) -> dict[str, str]:
    """Return each provider's base URL for a sandbox served at ``root``."""
    root = root.rstrip("/")
    return {provider: root + prefix for provider, prefix in PREFIXES.items()}
