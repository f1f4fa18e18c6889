"""``/connections`` through a real server and a real sandbox: create, read, check, delete."""

from __future__ import annotations

import socket
from dataclasses import replace
from typing import Any

import httpx
import pytest

from synctoscale.store.projects import create_project, create_token
from tests.synctoscale.conftest import LiveServer, Sandbox, serve
from tests.synctoscale.connections import CONNECTIONS, SLACK_TOKEN, create_connection
from tests.synctoscale.workflows import create_workflow

BASE_REQUEST = {"provider": "slack", "auth_type": "oauth", "scopes": ["chat:write", "users:read"]}


def test_create_connection_then_read(sandbox_server_any_db: LiveServer) -> None:
    with sandbox_server_any_db.client() as client:
        response = client.post("/connections", json=BASE_REQUEST)
        fetched = client.get(f"/connections/{response.json()['id']}")

    assert response.status_code == 201
    body = fetched.json()
    assert fetched.status_code == 200
    assert body["id"].startswith("conn_")
    assert body["provider"] == "slack"
    assert body["status"] == "pending"
    assert body["last_validated"] is None
    assert body["auth_type"] == "oauth"
    assert body["scopes"] == ["chat:write", "users:read"]
    assert body["created_at"].endswith("Z")
    assert "credentials" not in body
    assert body == response.json()


def test_validate_on_create_is_healthy(sandbox_server: LiveServer) -> None:
    with sandbox_server.client() as client:
        body = create_connection(client, "slack", validate=True, name="Workspace bot")
        fetched = client.get(f"/connections/{body['id']}").json()

    assert body["status"] == "healthy"
    assert body["last_validated"] is not None
    assert body["account"]["team_id"] == "T0SANDBOX"
    assert body["name"] == "Workspace bot"
    assert fetched == body


@pytest.mark.parametrize(
    ("provider", "fields", "status", "message_part"),
    [
        ("slack", {}, "healthy", "work"),
        ("slack", {"credentials": {"access_token": "xoxb-invalid"}}, "invalid_credentials",
         "invalid_auth"),
        ("slack", {"credentials": {"access_token": "xoxb-noscope"}}, "insufficient_scopes",
         "chat:write"),
        ("hubspot", {}, "healthy", "work"),
        ("hubspot", {"credentials": {"access_token": "pat-noscope"}}, "insufficient_scopes",
         "crm.objects.contacts.read"),
        ("bamboohr", {}, "healthy", "work"),
        ("bamboohr", {"credentials": {"api_key": "key-invalid", "subdomain": "acme"}},
         "invalid_credentials", "Invalid API key"),
        ("google_directory", {}, "healthy", "work"),
        ("google_directory", {"credentials": {"access_token": "ya29.noscope"}},
         "insufficient_scopes", "insufficient authentication scopes"),
    ],
)  # fmt: skip
def test_validate_sets_status(
    sandbox_server: LiveServer,
    provider: str,
    fields: dict[str, Any],
    status: str,
    message_part: str,
) -> None:
    with sandbox_server.client() as client:
        created = create_connection(client, provider, **fields)
        response = client.post(f"/connections/{created['id']}/validate")

    body = response.json()
    assert created["status"] == "unvalidated"
    assert response.status_code == 200
    assert body["status"] == status
    assert message_part in body["status_message"]
    assert body["last_validated"] is not None


def test_unreachable_provider_status(settings: Any, sandbox: Sandbox) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}"
    urls = {**sandbox.urls, "slack": closed}
    for server in serve(replace(settings, provider_base_urls=urls)):
        with server.client() as client:
            created = create_connection(client, "slack")
            body = client.post(f"/connections/{created['id']}/validate").json()

    assert body["status"] == "unreachable"
    assert closed in body["status_message"]


def test_pending_connection_validate_is_409(sandbox_server: LiveServer) -> None:
    with sandbox_server.client() as client:
        created = client.post("/connections", json=BASE_REQUEST).json()
        response = client.post(f"/connections/{created['id']}/validate")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "connection_missing_credentials"
    assert f"PUT /connections/{created['id']}/credentials" in response.json()["error"]["message"]


def test_put_credentials_then_validate(sandbox_server: LiveServer) -> None:
    with sandbox_server.client() as client:
        created = client.post("/connections", json=BASE_REQUEST).json()
        stored = client.put(
            f"/connections/{created['id']}/credentials",
            json={"credentials": {"access_token": SLACK_TOKEN}},
        )
        checked = client.post(f"/connections/{created['id']}/validate").json()
        replaced = client.put(
            f"/connections/{created['id']}/credentials",
            json={"credentials": {"access_token": "xoxb-other"}},
        ).json()

    assert stored.status_code == 200
    assert stored.json()["status"] == "unvalidated"
    assert checked["status"] == "healthy"
    assert replaced["status"] == "unvalidated"
    assert replaced["last_validated"] is None


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({**BASE_REQUEST, "provider": "slak"}, "provider", "validation_error"),
        ({"auth_type": "oauth"}, "provider", "validation_error"),
        ({**BASE_REQUEST, "auth_type": "api_key"}, "auth_type", "validation_error"),
        ({**BASE_REQUEST, "scopes": ["chat write"]}, "scopes[0]", "validation_error"),
        ({**BASE_REQUEST, "scopes": "chat:write"}, "scopes", "validation_error"),
        ({**BASE_REQUEST, "name": "x" * 201}, "name", "validation_error"),
        ({**BASE_REQUEST, "token": "xoxb-1"}, "token", "validation_error"),
        ({**BASE_REQUEST, "credentials": "xoxb-1"}, "credentials", "validation_error"),
        ({**BASE_REQUEST, "credentials": {}}, "credentials.access_token", "invalid_credentials"),
        ({**BASE_REQUEST, "credentials": {"access_token": ""}}, "credentials.access_token",
         "invalid_credentials"),
        ({**BASE_REQUEST, "credentials": {"access_token": "x", "pass": "y"}},
         "credentials.pass", "invalid_credentials"),
        ({**CONNECTIONS["bamboohr"], "credentials": {"api_key": "k"}}, "credentials.subdomain",
         "invalid_credentials"),
        ({**CONNECTIONS["bamboohr"], "credentials": {"api_key": "k", "subdomain": "a/b"}},
         "credentials.subdomain", "invalid_credentials"),
        ({**CONNECTIONS["google_directory"], "credentials": {"token": "t"}},
         "credentials.access_token", "invalid_credentials"),
    ],
)  # fmt: skip
def test_bad_create_is_422_naming_field(
    sandbox_server: LiveServer, body: dict[str, Any], field: str, code: str
) -> None:
    with sandbox_server.client() as client:
        response = client.post("/connections", json=body)

    error = response.json()["error"]
    assert response.status_code == 422
    assert error["code"] == code
    assert field in [detail["field"] for detail in error["details"]]
    assert field.split(".")[0] in error["message"]


@pytest.mark.parametrize(
    ("auth_type", "problem"),
    [
        ("oauth2", "provider 'hubspot' takes auth_type private_app or oauth, not 'oauth2'. "
                   "Did you mean 'oauth'?"),
        ("token", "provider 'hubspot' takes auth_type private_app or oauth, not 'token'"),
    ],
)  # fmt: skip
def test_wrong_auth_type_lists_choices(
    sandbox_server: LiveServer, auth_type: str, problem: str
) -> None:
    body = {**CONNECTIONS["hubspot"], "auth_type": auth_type}
    with sandbox_server.client() as client:
        response = client.post("/connections", json=body)

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["message"] == f"Invalid request: auth_type: {problem}"
    assert error["details"] == [{"field": "auth_type", "problem": problem, "type": "value_error"}]


def test_credential_error_names_provider(sandbox_server: LiveServer) -> None:
    body = {**CONNECTIONS["hubspot"], "credentials": {"token": "pat-1"}}
    with sandbox_server.client() as client:
        response = client.post("/connections", json=body)

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_credentials"
    assert error["message"] == (
        "Invalid HubSpot credentials: credentials.access_token: missing; this provider needs it"
    )
    assert [detail["field"] for detail in error["details"]] == [
        "credentials.access_token",
        "credentials.token",
    ]


def test_rejected_token_status_message(sandbox_server: LiveServer) -> None:
    with sandbox_server.client() as client:
        created = create_connection(client, "hubspot", credentials={"access_token": "pat-invalid"})
        body = client.post(f"/connections/{created['id']}/validate").json()

    assert body["status"] == "invalid_credentials"
    assert body["status_message"].startswith(
        "HubSpot returned 401: Authentication credentials not found."
    )


def test_credential_errors_hide_values(sandbox_server: LiveServer) -> None:
    body = {**CONNECTIONS["bamboohr"], "credentials": {"api_key": 12345678, "subdomain": "a/b"}}
    with sandbox_server.client() as client:
        response = client.post("/connections", json=body)

    assert response.status_code == 422
    assert "12345678" not in response.text
    assert "a/b" not in response.text


def test_list_connections_pages(sandbox_server: LiveServer) -> None:
    with sandbox_server.client() as client:
        created = [create_connection(client, "slack")["id"] for _ in range(4)]
        created.append(create_connection(client, "hubspot")["id"])
        first = client.get("/connections", params={"limit": 2}).json()
        second = client.get("/connections", params={"limit": 2, "cursor": first["next_cursor"]})
        third = client.get(
            "/connections", params={"limit": 2, "cursor": second.json()["next_cursor"]}
        ).json()
        slack_only = client.get("/connections", params={"provider": "slack"}).json()

    seen = [item["id"] for page in (first, second.json(), third) for item in page["data"]]
    assert seen == list(reversed(created))
    assert third["next_cursor"] is None
    assert {item["provider"] for item in slack_only["data"]} == {"slack"}
    assert len(slack_only["data"]) == 4


def test_unknown_provider_filter_is_422(live_server: LiveServer) -> None:
    with live_server.client() as client:
        response = client.get("/connections", params={"provider": "nope"})

    known = "bamboohr, echo, google_directory, hubspot, slack"
    problem = f"unknown provider 'nope'; known providers: {known}"
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["message"] == f"Invalid request: provider: {problem}"
    assert error["details"] == [{"field": "provider", "problem": problem, "type": "value_error"}]


def test_validate_flag_must_be_boolean(live_server: LiveServer) -> None:
    body = {"provider": "echo", "auth_type": "none", "validate": "yes"}
    with live_server.client() as client:
        response = client.post("/connections", json=body)
        listing = client.get("/connections").json()

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["message"] == (
        "Invalid request: validate: Input should be true or false, not a string"
    )
    assert [detail["field"] for detail in error["details"]] == ["validate"]
    assert listing["data"] == []


def test_bad_cursor_is_422(sandbox_server: LiveServer) -> None:
    with sandbox_server.client() as client:
        response = client.get("/connections", params={"cursor": "bm90LWEtY3Vyc29y"})

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_cursor"


def test_delete_connection(sandbox_server: LiveServer) -> None:
    with sandbox_server.client() as client:
        created = create_connection(client, "hubspot")
        deleted = client.delete(f"/connections/{created['id']}")
        again = client.delete(f"/connections/{created['id']}")
        fetched = client.get(f"/connections/{created['id']}")

    assert deleted.status_code == 204
    assert again.status_code == 404
    assert fetched.status_code == 404
    assert fetched.json()["error"]["code"] == "connection_not_found"


def test_delete_used_connection_is_409(sandbox_server: LiveServer) -> None:
    with sandbox_server.client() as client:
        created = create_connection(client, "hubspot")
        step = {
            "id": "create_contact",
            "type": "action",
            "provider": "hubspot",
            "action": "create_contact",
            "connection_id": created["id"],
        }
        create_workflow(client, {"id": "uses_it", "steps": [step]})
        response = client.delete(f"/connections/{created['id']}")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "connection_in_use"
    assert response.json()["error"]["details"]["workflows"] == ["uses_it"]


def test_other_project_connection_is_404(sandbox_server: LiveServer) -> None:
    with sandbox_server.database.session() as session:
        _, other_token = create_token(session, create_project(session, "other"))

    with sandbox_server.client() as client:
        created = create_connection(client, "slack")
    path = f"/connections/{created['id']}"
    with sandbox_server.client(other_token) as other:
        responses = [
            other.get(path),
            other.post(f"{path}/validate"),
            other.put(f"{path}/credentials", json={"credentials": {"access_token": "x"}}),
            other.delete(path),
        ]
        listing = other.get("/connections").json()

    assert [response.status_code for response in responses] == [404, 404, 404, 404]
    assert listing["data"] == []


ENDPOINTS = [
    ("POST", "/connections"),
    ("GET", "/connections"),
    ("GET", "/connections/conn_0000000000000000"),
    ("PUT", "/connections/conn_0000000000000000/credentials"),
    ("POST", "/connections/conn_0000000000000000/validate"),
    ("DELETE", "/connections/conn_0000000000000000"),
    ("POST", "/actions/run"),
]


def test_endpoints_need_token(sandbox_server: LiveServer) -> None:
    with httpx.Client(base_url=sandbox_server.base_url) as client:
        responses = {
            f"{method} {path}": client.request(method, path, json={}) for method, path in ENDPOINTS
        }

    for endpoint, response in responses.items():
        assert response.status_code == 401, endpoint
        assert response.json()["error"]["code"] == "unauthorized", endpoint
