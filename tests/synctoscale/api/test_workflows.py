"""``/workflows`` through a real server: create, read, list, replace, delete, and 422s."""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest

from synctoscale.store.projects import create_project, create_token
from tests.synctoscale.conftest import LiveServer
from tests.synctoscale.workflows import create_workflow, echo_workflow

SYNC_TO_HR = {
    "id": "sync_to_hr",
    "trigger": {"type": "event", "provider": "bamboohr", "event_type": "employee.updated"},
    "steps": [
        {
            "id": "create_contact",
            "type": "action",
            "provider": "echo",
            "action": "echo",
            "connection_id": "conn_123",
            "mapping": {"email": "email", "firstname": "first_name", "unused": None},
            "constants": {"lifecyclestage": "lead"},
            "retry": {"max_attempts": 5},
        }
    ],
}


def _step(**fields: Any) -> dict[str, Any]:
    return {"id": "s1", "type": "action", "provider": "echo", "action": "echo", **fields}


def test_create_and_read_workflow(live_server_any_db: LiveServer) -> None:
    with live_server_any_db.client() as client:
        connection = client.post("/connections", json={"provider": "echo", "auth_type": "none"})
        definition = copy.deepcopy(SYNC_TO_HR)
        definition["steps"][0]["connection_id"] = connection.json()["id"]
        created = create_workflow(client, definition)
        fetched = client.get("/workflows/sync_to_hr")

    assert fetched.status_code == 200
    body = fetched.json()
    assert body == created
    assert body["trigger"] == SYNC_TO_HR["trigger"]
    assert body["steps"][0]["mapping"] == SYNC_TO_HR["steps"][0]["mapping"]
    assert body["steps"][0]["retry"]["max_attempts"] == 5
    assert body["created_at"].endswith("Z")


def test_duplicate_workflow_id_is_409(live_server: LiveServer) -> None:
    with live_server.client() as client:
        create_workflow(client, echo_workflow("dup"))
        response = client.post("/workflows", json=echo_workflow("dup"))

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "workflow_exists"


@pytest.mark.parametrize(
    ("steps", "message_parts"),
    [
        ([{"id": "s1", "type": "transform"}], ["'s1'", "unknown type 'transform'"]),
        ([_step(provider="nosuch")], ["'s1'", "unknown provider 'nosuch'", "echo"]),
        ([_step(action="delete_everything")], ["'s1'", "no action 'delete_everything'"]),
        ([_step(mapping={"email": "contact..email"})], ["'s1'", "target field 'email'"]),
        ([_step(mapping={"email": "emails[x]"})], ["'s1'", "bad bracket"]),
        ([_step(mapping={"email": None})], ["'s1'", "names no source path"]),
        ([_step(mapping={"email": "steps.s1.output.email"})], ["'s1'", "no step 's1' runs before"]),
        (
            [_step(mapping={"email": "steps.later.output.email"}), _step(id="later")],
            ["'s1'", "no step 'later' runs before"],
        ),
        ([_step(), _step()], ["'s1'", "defined twice"]),
        ([_step(mapping={"x": "steps.s0"})], ["'s1'", "steps.<step id>.output"]),
        ([{"id": "s1", "type": "action", "provider": "echo"}], ["'s1'", "action", "required"]),
        ([_step(retry={"max_attempts": 0})], ["'s1'", "retry.max_attempts"]),
        ([], ["steps"]),
    ],
)
def test_invalid_definition_is_422_naming_step(
    live_server: LiveServer, steps: list[dict[str, Any]], message_parts: list[str]
) -> None:
    with live_server.client() as client:
        response = client.post("/workflows", json={"id": "bad", "steps": steps})

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    for part in message_parts:
        assert part in error["message"]


ID_RULE = "an id is 1 to 100 letters, digits, '_' or '-', starting with a letter or digit"


@pytest.mark.parametrize(
    ("definition", "field", "problem", "error_type"),
    [
        (
            {"id": "w1", "steps": [{"id": "s", "provider": "echo", "action": "echo"}]},
            "steps[0]",
            "step 's': type is missing; use one of: validate, action",
            "missing_step_type",
        ),
        (
            {"id": "w1", "trigger": {"type": "cron"}, "steps": [_step()]},
            "trigger.type",
            "'cron' is not a trigger type; use manual or event",
            "union_tag_invalid",
        ),
        (
            {"id": "w1", "trigger": {"provider": "bamboohr"}, "steps": [_step()]},
            "trigger.type",
            "Field required; use manual or event",
            "missing",
        ),
        (
            {"id": "w1", "trigger": "manual", "steps": [_step()]},
            "trigger",
            "Input should be a JSON object, not a string",
            "model_attributes_type",
        ),
        (
            {"id": "bad id!", "steps": [_step()]},
            "id",
            f"contains ' ' and '!'; {ID_RULE}",
            "invalid_id",
        ),
        (
            {"id": "_w", "steps": [_step()]},
            "id",
            f"starts with '_'; {ID_RULE}",
            "invalid_id",
        ),
        (
            {"id": "w" * 101, "steps": [_step()]},
            "id",
            f"has 101 characters; {ID_RULE}",
            "invalid_id",
        ),
        (
            {"id": "w1\n", "steps": [_step()]},
            "id",
            f"contains '\\n'; {ID_RULE}",
            "invalid_id",
        ),
        (
            {"id": "w1", "steps": [_step(id="a.b")]},
            "steps[0].id",
            f"step 'a.b': contains '.'; {ID_RULE}",
            "invalid_step",
        ),
        (
            {"id": "w1", "steps": [_step(retry=5)]},
            "steps[0].retry",
            "step 's1': Input should be a JSON object, not a number",
            "invalid_step",
        ),
        (
            {
                "id": "w1",
                "steps": [
                    {"id": "v", "type": "validate", "expected_schema": {}, "coerce": "yes"}
                ],
            },
            "steps[0].coerce",
            "step 'v': Input should be true or false, not a string",
            "invalid_step",
        ),
        (
            {"id": "m4", "steps": [_step(retry={"max_attempts": 0})]},
            "steps[0].retry.max_attempts",
            "step 's1': Input should be greater than or equal to 1",
            "invalid_step",
        ),
        (
            {"id": "w1", "steps": [_step(extra=1)]},
            "steps[0].extra",
            "step 's1': unknown field 'extra'; an action step takes id, type, provider, action, "
            "connection_id, mapping, constants, retry, timeout_seconds",
            "invalid_step",
        ),
        (
            {"id": "w1", "steps": [_step(retry={"attempts": 2})]},
            "steps[0].retry.attempts",
            "step 's1': unknown field 'attempts'; retry takes max_attempts, "
            "initial_delay_seconds, max_delay_seconds",
            "invalid_step",
        ),
        (
            {
                "id": "w1",
                "steps": [
                    {"id": "v", "type": "validate", "expected_schema": {}, "mapping": {"a": "b"}}
                ],
            },
            "steps[0].mapping",
            "step 'v': unknown field 'mapping'; a validate step takes id, type, "
            "expected_schema, coerce, source",
            "invalid_step",
        ),
        (
            {"id": "w1", "steps": [{"id": "s", "type": "action", "provider": "echo"}]},
            "steps[0].action",
            "step 's': Field required",
            "missing",
        ),
        (
            {"id": "w1", "steps": [_step(mapping={"email": "x..y"})]},
            "steps[0].mapping",
            "step 's1': target field 'email': invalid source path: 'x..y' has no field name "
            "after the '.' at 1",
            "invalid_step",
        ),
        (
            {"id": "w1", "steps": []},
            "steps",
            "at least 1 step is required",
            "too_short",
        ),
        (
            {"id": "w1", "steps": [_step(id=f"s{index}") for index in range(101)]},
            "steps",
            "at most 100 steps are allowed, not 101",
            "too_long",
        ),
        (
            {"id": "w1", "steps": [_step()], "extra": True},
            "extra",
            "unknown field 'extra'; check its spelling or remove it",
            "extra_forbidden",
        ),
    ],
)
def test_invalid_definition_names_field_in_words(
    live_server: LiveServer,
    definition: dict[str, Any],
    field: str,
    problem: str,
    error_type: str,
) -> None:
    with live_server.client() as client:
        response = client.post("/workflows", json=definition)

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["message"] == f"Invalid request: {field}: {problem}"
    assert error["details"] == [{"field": field, "problem": problem, "type": error_type}]


def test_event_trigger_fields_named_without_tag(live_server: LiveServer) -> None:
    definition = {"id": "w1", "trigger": {"type": "event"}, "steps": [_step()]}
    with live_server.client() as client:
        response = client.post("/workflows", json=definition)

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["message"] == (
        "Invalid request: trigger.provider: Field required (1 more problem(s) in details)"
    )
    assert error["details"] == [
        {"field": "trigger.provider", "problem": "Field required", "type": "missing"},
        {"field": "trigger.event_type", "problem": "Field required", "type": "missing"},
    ]


def test_list_workflows_pages(live_server: LiveServer) -> None:
    with live_server.client() as client:
        for number in range(5):
            create_workflow(client, echo_workflow(f"flow_{number}"))

        first = client.get("/workflows", params={"limit": 2}).json()
        second = client.get("/workflows", params={"limit": 2, "cursor": first["next_cursor"]})
        third = client.get(
            "/workflows", params={"limit": 2, "cursor": second.json()["next_cursor"]}
        )

    ids = [item["id"] for page in (first, second.json(), third.json()) for item in page["data"]]
    assert ids == ["flow_4", "flow_3", "flow_2", "flow_1", "flow_0"]
    assert third.json()["next_cursor"] is None


def test_replace_workflow(live_server: LiveServer) -> None:
    replacement = echo_workflow("flow", constants={"version": 2})
    with live_server.client() as client:
        created = create_workflow(client, echo_workflow("flow"))
        response = client.put("/workflows/flow", json=replacement)

    assert response.status_code == 200
    assert response.json()["steps"][0]["constants"] == {"version": 2}
    assert response.json()["created_at"] == created["created_at"]


@pytest.mark.parametrize(
    ("path", "body", "status", "code"),
    [
        ("/workflows/missing", echo_workflow("missing"), 404, "workflow_not_found"),
        ("/workflows/flow", echo_workflow("other"), 422, "validation_error"),
    ],
)
def test_replace_workflow_errors(
    live_server: LiveServer, path: str, body: dict[str, Any], status: int, code: str
) -> None:
    with live_server.client() as client:
        create_workflow(client, echo_workflow("flow"))
        response = client.put(path, json=body)

    assert response.status_code == status
    assert response.json()["error"]["code"] == code


def test_delete_workflow(live_server: LiveServer) -> None:
    with live_server.client() as client:
        create_workflow(client, echo_workflow("flow"))
        deleted = client.delete("/workflows/flow")
        again = client.delete("/workflows/flow")
        fetched = client.get("/workflows/flow")

    assert deleted.status_code == 204
    assert again.status_code == 404
    assert fetched.status_code == 404


def test_other_project_workflow_is_404(live_server: LiveServer) -> None:
    with live_server.database.session() as session:
        _, other_token = create_token(session, create_project(session, "other"))

    with live_server.client() as client:
        create_workflow(client, echo_workflow("private"))
    with live_server.client(other_token) as other:
        responses = [
            other.get("/workflows/private"),
            other.put("/workflows/private", json=echo_workflow("private")),
            other.delete("/workflows/private"),
            other.post("/workflows/private/run", json={"payload": {}}),
        ]
        listing = other.get("/workflows").json()

    assert [response.status_code for response in responses] == [404, 404, 404, 404]
    assert listing["data"] == []


def test_same_workflow_id_in_two_projects(live_server: LiveServer) -> None:
    with live_server.database.session() as session:
        _, other_token = create_token(session, create_project(session, "other"))

    with live_server.client() as client:
        create_workflow(client, echo_workflow("shared", constants={"owner": "default"}))
    with live_server.client(other_token) as other:
        create_workflow(other, echo_workflow("shared", constants={"owner": "other"}))
        mine = other.get("/workflows/shared").json()

    assert mine["steps"][0]["constants"] == {"owner": "other"}


def test_workflows_need_token(live_server: LiveServer) -> None:
    response = httpx.get(f"{live_server.base_url}/workflows")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
