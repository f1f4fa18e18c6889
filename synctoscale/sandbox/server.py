"""Run the sandbox under uvicorn: ``synctoscale sandbox``."""

from __future__ import annotations

import uvicorn

from synctoscale.logs import configure_logging
from synctoscale.sandbox.app import base_urls, create_sandbox_app
from synctoscale.sandbox.triggers import SandboxConfig

__all__ = ["run_sandbox"]


def run_sandbox(
    *,
    host: str,
    port: int,
    retry_after_seconds: int = 1,
    slow_seconds: float = 5.0,
    log_level: str = "info",
) -> int:
    """Serve the sandbox until interrupted, after printing the settings that point at it."""
    configure_logging(log_level)
    config = SandboxConfig(retry_after_seconds=retry_after_seconds, slow_seconds=slow_seconds)
    app = create_sandbox_app(config)

    print("Provider sandbox. Point SyncToScale at it with:\n", flush=True)
    for provider, url in base_urls(f"http://{host}:{port}").items():
        print(f"    export SYNCTOSCALE_PROVIDER_{provider.upper()}_URL={url}", flush=True)
    print(flush=True)

    uvicorn.run(app, host=host, port=port, log_config=None, log_level=log_level)
    return 0
