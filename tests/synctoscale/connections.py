"""Connection requests shared by the API, engine and encryption tests."""

from __future__ import annotations

from typing import Any

import httpx

HUBSPOT_TOKEN = "pat-na1-0f9e8d7c-secret"
SLACK_TOKEN = "xoxb-1234-5678-secretvalue"
BAMBOO_KEY = "bamboo-0a1b2c3d-secret"

# A connection per provider, each with credentials the sandbox accepts.
CONNECTIONS: dict[str, dict[str, Any]] = {
    "slack": {
        "provider": "slack",
        "auth_type": "oauth",
        "scopes": ["chat:write", "users:read"],
        "credentials": {"access_token": SLACK_TOKEN},
    },
    "hubspot": {
        "provider": "hubspot",
        "auth_type": "private_app",
        "scopes": ["crm.objects.contacts.write"],
        "credentials": {"access_token": HUBSPOT_TOKEN},
    },
    "bamboohr": {
        "provider": "bamboohr",
        "auth_type": "api_key",
        "credentials": {"api_key": BAMBOO_KEY, "subdomain": "acme"},
    },
    "google_directory": {
        "provider": "google_directory",
        "auth_type": "service_account",
        "credentials": {"access_token": "ya29.sandbox-secret"},
    },
}


def create_connection(client: httpx.Client, provider: str, **fields: Any) -> dict[str, Any]:
    """Create a connection to ``provider`` from CONNECTIONS, with ``fields`` replaced."""
    response = client.post("/connections", json={**CONNECTIONS[provider], **fields})
    assert response.status_code == 201, response.text
    return dict(response.json())
