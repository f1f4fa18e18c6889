"""A suggested mapping pasted into a workflow unchanged must run."""

from __future__ import annotations

from typing import Any

from tests.synctoscale.conftest import LiveServer
from tests.synctoscale.workflows import create_workflow, echo_workflow, start_run, wait_for_run

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"

# A SCIM 2.0 user whose enterprise extension sits under a URN key that contains dots.
SCIM_USER: dict[str, Any] = {
    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
    "id": "2819c223-7f76-453a-919d-413861904646",
    "userName": "bjensen@example.com",
    "name": {"givenName": "Barbara", "familyName": "Jensen"},
    "emails": [{"value": "bjensen@example.com", "type": "work", "primary": True}],
    ENTERPRISE: {"employeeNumber": "701984", "costCenter": "4130", "department": "Tour"},
}


def test_suggested_urn_paths_run_in_workflow(live_server: LiveServer) -> None:
    with live_server.client() as client:
        response = client.post(
            "/nova/v1/mapping/suggest",
            json={
                "source_payload": SCIM_USER,
                "target_fields": ["employee_number", "cost_center", "first_name"],
            },
        )
        assert response.status_code == 200, response.text
        mapping = response.json()["suggested_mapping"]

        create_workflow(client, echo_workflow("scim_flow", mapping=mapping))
        run = wait_for_run(client, start_run(client, "scim_flow", SCIM_USER))

    assert mapping["employee_number"] == f'["{ENTERPRISE}"].employeeNumber'
    assert run["status"] == "succeeded", run
    assert run["steps"][0]["output"] == {
        "employee_number": "701984",
        "cost_center": "4130",
        "first_name": "Barbara",
    }
