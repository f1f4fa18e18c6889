"""A local emulator of the provider APIs the connectors call, for demos and tests.

Only the ``synctoscale sandbox`` command imports this package. The connectors reach it over
HTTP, like the real providers, through the base URLs in the operator settings.
"""

from synctoscale.sandbox.app import PREFIXES, base_urls, create_sandbox_app
from synctoscale.sandbox.triggers import SandboxConfig

__all__ = ["PREFIXES", "SandboxConfig", "base_urls", "create_sandbox_app"]
