"""Call a connector action against a sandbox, and catch the error it raises."""

from __future__ import annotations

from typing import Any

import pytest

from synctoscale.connectors import ActionRequest, Connector, ConnectorError, connector_class
from tests.synctoscale.conftest import Sandbox


def connector(
    sandbox: Sandbox, provider: str, credentials: dict[str, str], timeout: float = 10.0
) -> Connector:
    return connector_class(provider)(
        credentials=credentials, base_url=sandbox.urls[provider], timeout_seconds=timeout
    )


def run_action(
    sandbox: Sandbox,
    provider: str,
    action: str,
    values: dict[str, Any],
    credentials: dict[str, str],
    timeout: float = 10.0,
) -> Any:
    """Run one action and return its output."""
    request = ActionRequest(action, values, run_id="run_test", step_id="step", attempt=1)
    return connector(sandbox, provider, credentials, timeout).run(request).output


def action_error(
    sandbox: Sandbox,
    provider: str,
    action: str,
    values: dict[str, Any],
    credentials: dict[str, str],
    timeout: float = 10.0,
) -> ConnectorError:
    """Run one action that must fail and return the ConnectorError it raised."""
    with pytest.raises(ConnectorError) as caught:
        run_action(sandbox, provider, action, values, credentials, timeout)
    return caught.value
