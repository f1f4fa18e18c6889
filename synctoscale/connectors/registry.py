"""The providers the engine can call, by name."""

from __future__ import annotations

from synctoscale.connectors.bamboohr import BambooHRConnector
from synctoscale.connectors.base import Connector
from synctoscale.connectors.echo import EchoConnector
from synctoscale.connectors.google_directory import GoogleDirectoryConnector
from synctoscale.connectors.hubspot import HubSpotConnector
from synctoscale.connectors.slack import SlackConnector

__all__ = ["connector_class", "provider_actions", "register_connector"]

_CONNECTORS: dict[str, type[Connector]] = {}


def register_connector(connector: type[Connector]) -> type[Connector]:
    """Make ``connector`` callable from workflows under its ``provider`` name."""
    _CONNECTORS[connector.provider] = connector
    return connector


def connector_class(provider: str) -> type[Connector]:
    """Return the connector for ``provider``; raise KeyError naming the known providers."""
    try:
        return _CONNECTORS[provider]
    except KeyError:
        known = ", ".join(sorted(_CONNECTORS))
        raise KeyError(f"unknown provider {provider!r}; known providers: {known}") from None


def provider_actions() -> dict[str, frozenset[str]]:
    """Return every known provider with the actions it supports."""
    return {name: connector.actions for name, connector in sorted(_CONNECTORS.items())}


for _connector in (
    EchoConnector,
    SlackConnector,
    HubSpotConnector,
    BambooHRConnector,
    GoogleDirectoryConnector,
):
    register_connector(_connector)
