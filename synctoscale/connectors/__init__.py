"""Provider connectors: one module per provider behind the interface in ``base``."""

from synctoscale.connectors.base import (
    ActionRequest,
    ActionResult,
    ConnectionCheck,
    ConnectionStatus,
    Connector,
    ConnectorError,
    FailureKind,
    Identity,
    parse_retry_after,
)
from synctoscale.connectors.registry import connector_class, provider_actions, register_connector

__all__ = [
    "ActionRequest",
    "ActionResult",
    "ConnectionCheck",
    "ConnectionStatus",
    "Connector",
    "ConnectorError",
    "FailureKind",
    "Identity",
    "connector_class",
    "parse_retry_after",
    "provider_actions",
    "register_connector",
]
