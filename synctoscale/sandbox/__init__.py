"""A local emulator of the provider APIs the connectors call, for demos and tests.

No other part of SyncToScale imports this package: the connectors reach it over HTTP, like
the real providers, through the base URLs in the operator settings.
"""

from synctoscale.sandbox.app import PREFIXES, base_urls, create_sandbox_app
from synctoscale.sandbox.triggers import SandboxConfig

__all__ = ["PREFIXES", "SandboxConfig", "base_urls", "create_sandbox_app"]
