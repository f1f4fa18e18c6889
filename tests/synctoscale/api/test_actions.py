"""``POST /actions/run`` through a real server and sandbox: results, choices and failures."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import pytest

import nova
from synctoscale.engine import classify
from synctoscale.sandbox import SandboxConfig
from synctoscale.store.projects import create_project, create_token
from tests.synctoscale.conftest import LiveServer, running_sandbox, serve
from tests.synctoscale.connections import create_connection

BASE_REQUEST = {
    "provider": "hubspot",
    "action": "create_contact",
    "payload": {"email": "new@example.com", "first_name": "Jordan", "last_name": "Lee"},
}


def _run(server: LiveServer, body: dict[str, Any], **headers: str) -> Any:
    with server.client() as client:
        return client.post("/actions/run", json=body, headers=headers)


def test_action_run_creates_contact(sandbox_server_any_db: LiveServer) -> None:
    with sandbox_server_any_db.client() as client:
        connection = create_connection(client, "hubspot")
        response = client.post("/actions/run", json=BASE_REQUEST)

    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "success"
    assert body["record_id"] == body["output"]["id"]
    assert body["output"]["properties"]["firstname"] == "Jordan"
    assert body["connection_id"] == connection["id"]
    assert body["provider"] == "hubspot"
    assert body["action"] == "create_contact"


def test_mapping_and_constants_build_input(sandbox_server: LiveServer) -> None:
    body = {
        "provider": "hubspot",
        "action": "create_contact",
        "payload": {"person": {"mail": "m@example.com", "given": "Mia"}, "ignored": 1},
        "mapping": {"email": "person.mail", "firstname": "person.given", "phone": None},
        "constants": {"lifecyclestage": "lead"},
    }
    with sandbox_server.client() as client:
        create_connection(client, "hubspot")
        response = client.post("/actions/run", json=body)

    properties = response.json()["output"]["properties"]
    assert response.status_code == 200
    assert properties["email"] == "m@example.com"
    assert properties["firstname"] == "Mia"
    assert properties["lifecyclestage"] == "lead"
    assert "phone" not in properties
    assert "ignored" not in properties


def test_explicit_connection_among_several(sandbox_server: LiveServer) -> None:
    with sandbox_server.client() as client:
        create_connection(client, "hubspot")
        chosen = create_connection(client, "hubspot")
        ambiguous = client.post("/actions/run", json=BASE_REQUEST)
        response = client.post("/actions/run", json={**BASE_REQUEST, "connection_id": chosen["id"]})

    assert ambiguous.status_code == 422
    assert ambiguous.json()["error"]["code"] == "connection_ambiguous"
    assert chosen["id"] in ambiguous.json()["error"]["message"]
    assert response.status_code == 200
    assert response.json()["connection_id"] == chosen["id"]


def test_echo_needs_no_connection(sandbox_server: LiveServer) -> None:
    body = {"provider": "echo", "action": "echo", "payload": {"name": "Ada"}}
    response = _run(sandbox_server, body)

    assert response.status_code == 200
    assert response.json()["output"] == {"name": "Ada"}
    assert response.json()["record_id"] is None
    assert response.json()["connection_id"] is None


@pytest.mark.parametrize(
    ("setup", "extra", "code", "status"),
    [
        ([], {}, "connection_required", 422),
        (["slack"], {"connection_id": "slack"}, "connection_provider_mismatch", 422),
        ([], {"connection_id": "conn_0000000000000000"}, "connection_not_found", 404),
        (["pending"], {}, "connection_missing_credentials", 409),
    ],
)
def test_connection_choice_errors(
    sandbox_server: LiveServer, setup: list[str], extra: dict[str, Any], code: str, status: int
) -> None:
    with sandbox_server.client() as client:
        ids = {}
        for kind in setup:
            if kind == "pending":
                pending = {"provider": "hubspot", "auth_type": "oauth"}
                ids[kind] = client.post("/connections", json=pending).json()["id"]
            else:
                ids[kind] = create_connection(client, kind)["id"]
        body = {**BASE_REQUEST, **{key: ids.get(value, value) for key, value in extra.items()}}
        response = client.post("/actions/run", json=body)

    error = response.json()["error"]
    assert response.status_code == status
    assert error["code"] == code
    if status == 422:
        assert error["details"][0]["field"] == "connection_id"
    if status == 404:
        assert error["details"]["connection_id"] == body["connection_id"]


@pytest.mark.parametrize("provider", ["hubspot", "slack"])
def test_other_projects_connection_is_404(sandbox_server: LiveServer, provider: str) -> None:
    with sandbox_server.database.session() as session:
        _row, other_token = create_token(session, create_project(session, "other"))
    with sandbox_server.client(other_token) as other:
        foreign_id = create_connection(other, provider)["id"]

    with sandbox_server.client() as client:
        create_connection(client, "hubspot")
        foreign = client.post("/actions/run", json={**BASE_REQUEST, "connection_id": foreign_id})
        missing_id = "conn_0000000000000000"
        missing = client.post("/actions/run", json={**BASE_REQUEST, "connection_id": missing_id})

    error = foreign.json()["error"]
    assert foreign.status_code == 404
    assert missing.status_code == 404
    assert error["code"] == "connection_not_found"
    assert error["details"] == {"connection_id": foreign_id}
    assert error["message"] == missing.json()["error"]["message"].replace(missing_id, foreign_id)
    assert provider not in error["message"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**BASE_REQUEST, "provider": "hubspott"}, "provider"),
        ({**BASE_REQUEST, "action": "delete_contact"}, "action"),
        ({**BASE_REQUEST, "payload": ["a"]}, "payload"),
        ({"provider": "hubspot", "action": "create_contact"}, "payload"),
        ({**BASE_REQUEST, "timeout_seconds": 0}, "timeout_seconds"),
        ({**BASE_REQUEST, "timeout_seconds": 600}, "timeout_seconds"),
        ({**BASE_REQUEST, "mapping": {"email": None}}, "mapping"),
        ({**BASE_REQUEST, "mapping": {"email": "a..b"}}, "mapping"),
        ({**BASE_REQUEST, "mapping": {"email": "steps.x.output.email"}}, "mapping.email"),
        ({**BASE_REQUEST, "run_later": True}, "run_later"),
    ],
)
def test_bad_request_is_422_naming_field(
    sandbox_server: LiveServer, body: dict[str, Any], field: str
) -> None:
    with sandbox_server.client() as client:
        create_connection(client, "hubspot")
        response = client.post("/actions/run", json=body)

    error = response.json()["error"]
    assert response.status_code == 422
    assert error["details"][0]["field"] == field
    assert field in error["message"]


def test_missing_source_path_is_422(sandbox_server: LiveServer) -> None:
    body = {**BASE_REQUEST, "mapping": {"email": "work_email"}}
    with sandbox_server.client() as client:
        create_connection(client, "hubspot")
        response = client.post("/actions/run", json=body)

    error = response.json()["error"]
    assert response.status_code == 422
    assert error["code"] == "mapping_error"
    assert "work_email" in error["message"]


def test_bad_action_input_names_field(sandbox_server: LiveServer) -> None:
    body = {"provider": "slack", "action": "post_message", "payload": {"text": "hi"}}
    with sandbox_server.client() as client:
        create_connection(client, "slack")
        response = client.post("/actions/run", json=body)

    error = response.json()["error"]
    assert response.status_code == 422
    assert error["code"] == "invalid_action_input"
    assert error["details"]["fields"][0]["field"] == "channel"
    assert error["details"]["provider_status"] is None


@pytest.mark.parametrize(
    ("provider", "action", "payload", "credentials", "status", "code", "error_code"),
    [
        ("hubspot", "create_contact", {"email": "ada@example.com", "colour": "red"}, None, 422,
         "provider_rejected_input", "VALIDATION_ERROR"),
        ("hubspot", "get_contact", {"contact_id": "1"}, None, 404,
         "provider_record_not_found", "OBJECT_NOT_FOUND"),
        ("hubspot", "create_contact", {"email": "a@example.com"}, {"access_token": "pat-invalid"},
         502, "provider_auth_failed", "INVALID_AUTHENTICATION"),
        ("hubspot", "create_contact", {"email": "a@example.com"},
         {"access_token": "pat-readonly"}, 502, "provider_insufficient_scopes", "MISSING_SCOPES"),
        ("hubspot", "create_contact", {"email": "a@outage.example.com"}, None, 502,
         "provider_unavailable", "SERVICE_UNAVAILABLE"),
        ("hubspot", "create_contact", {"email": "a@ratelimited.example.com"}, None, 503,
         "provider_rate_limited", "RATE_LIMIT"),
        ("slack", "post_message", {"channel": "#general", "text": "hi"},
         {"access_token": "xoxb-noscope"}, 502, "provider_insufficient_scopes", "missing_scope"),
        ("google_directory", "get_user", {"user_key": "nobody@example.com"}, None, 404,
         "provider_record_not_found", "notFound"),
        ("bamboohr", "update_employee", {"employee_id": "1", "hireDate": "01/06/2020"}, None,
         422, "provider_rejected_input", "bad_request"),
    ],
)  # fmt: skip
def test_provider_failures_map_to_status(
    sandbox_server: LiveServer,
    provider: str,
    action: str,
    payload: dict[str, Any],
    credentials: dict[str, str] | None,
    status: int,
    code: str,
    error_code: str,
) -> None:
    fields = {} if credentials is None else {"credentials": credentials}
    with sandbox_server.client() as client:
        connection = create_connection(client, provider, **fields)
        body = {"provider": provider, "action": action, "payload": payload}
        response = client.post("/actions/run", json=body)

    error = response.json()["error"]
    assert response.status_code == status
    assert error["code"] == code
    assert error["details"]["provider"] == provider
    assert error["details"]["error_code"] == error_code
    assert error["details"]["connection_id"] == connection["id"]
    assert error["details"]["raw_response"] is not None
    assert error["message"]


def test_duplicate_contact_is_409(sandbox_server: LiveServer) -> None:
    with sandbox_server.client() as client:
        create_connection(client, "hubspot")
        first = client.post("/actions/run", json=BASE_REQUEST).json()
        response = client.post("/actions/run", json=BASE_REQUEST)

    error = response.json()["error"]
    assert response.status_code == 409
    assert error["code"] == "provider_conflict"
    assert error["details"]["provider_status"] == 409
    assert error["details"]["error_code"] == "CONFLICT"
    assert error["details"]["existing_id"] == first["record_id"]
    assert error["message"].startswith("HubSpot returned 409: Contact already exists.")


def test_rate_limit_sends_retry_after(sandbox_server: LiveServer) -> None:
    body = {**BASE_REQUEST, "payload": {"email": "a@ratelimited.example.com"}}
    with sandbox_server.client() as client:
        create_connection(client, "hubspot")
        response = client.post("/actions/run", json=body)

    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
    assert response.json()["error"]["details"]["retryable"] is True


def test_slow_provider_is_504(settings: Any) -> None:
    body = {**BASE_REQUEST, "payload": {"email": "a@slow.example.com"}, "timeout_seconds": 0.3}
    with running_sandbox(SandboxConfig(slow_seconds=5.0)) as sandbox:
        for server in serve(replace(settings, provider_base_urls=sandbox.urls)):
            with server.client() as client:
                create_connection(client, "hubspot")
                response = client.post("/actions/run", json=body)

    assert response.status_code == 504
    assert response.json()["error"]["code"] == "provider_timeout"
    assert response.json()["error"]["details"]["error_code"] == "timeout"


def test_idempotent_replay_creates_once(sandbox_server: LiveServer) -> None:
    headers = {"Idempotency-Key": "create-jordan-1"}
    with sandbox_server.client() as client:
        create_connection(client, "hubspot")
        first = client.post("/actions/run", json=BASE_REQUEST, headers=headers)
        second = client.post("/actions/run", json=BASE_REQUEST, headers=headers)
        search = client.post(
            "/actions/run",
            json={
                "provider": "hubspot",
                "action": "search_contacts",
                "payload": {"email": "new@example.com"},
            },
        )

    assert first.status_code == 200
    assert second.headers["idempotent-replayed"] == "true"
    assert second.json() == first.json()
    assert search.json()["output"]["total"] == 1


@dataclass
class _Classification:
    category: str
    recommended_fix: str


def test_failure_carries_nova_classification(
    sandbox_server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[dict[str, Any]] = []

    def classify_error(message: str, **context: Any) -> _Classification:
        calls.append(context)
        return _Classification("duplicate_record", "Update the existing contact instead.")

    monkeypatch.setitem(classify._state, "available", True)
    monkeypatch.setattr(nova, "classify_error", classify_error, raising=False)
    with sandbox_server.client() as client:
        create_connection(client, "hubspot")
        client.post("/actions/run", json=BASE_REQUEST)
        response = client.post("/actions/run", json=BASE_REQUEST)

    details = response.json()["error"]["details"]
    assert details["category"] == "duplicate_record"
    assert details["recommended_fix"] == "Update the existing contact instead."
    assert len(calls) == 1
    raw_response = calls[0].pop("raw_response")
    assert calls == [{"error_code": "CONFLICT", "provider": "hubspot", "http_status": 409}]
    assert raw_response["message"] == "Contact already exists. Existing ID: 88171"


def test_failure_without_classifier(
    sandbox_server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(classify._state, "available", True)
    monkeypatch.delattr(nova, "classify_error", raising=False)
    body = {**BASE_REQUEST, "payload": {"email": "a@outage.example.com"}}
    with sandbox_server.client() as client:
        create_connection(client, "hubspot")
        response = client.post("/actions/run", json=body)

    details = response.json()["error"]["details"]
    assert details["category"] is None
    assert details["recommended_fix"] is None


def test_failure_classified_by_nova(
    sandbox_server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(classify._state, "available", True)
    with sandbox_server.client() as client:
        create_connection(client, "hubspot", credentials={"access_token": "pat-readonly"})
        response = client.post("/actions/run", json=BASE_REQUEST)

    details = response.json()["error"]["details"]
    assert details["category"] == "insufficient_permissions"
    assert "crm.objects.contacts.write" in details["recommended_fix"]


def test_invalid_email_fix_names_email(
    sandbox_server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(classify._state, "available", True)
    body = {**BASE_REQUEST, "payload": {"email": "jordan.example.com", "first_name": "Jordan"}}
    with sandbox_server.client() as client:
        create_connection(client, "hubspot")
        response = client.post("/actions/run", json=body)

    details = response.json()["error"]["details"]
    assert response.status_code == 422
    assert details["raw_response"]["category"] == "VALIDATION_ERROR"
    assert details["category"] == "validation_error"
    assert "field 'email'" in details["recommended_fix"]
    assert "Email address jordan.example.com is invalid" in details["recommended_fix"]
    assert "'values'" not in details["recommended_fix"]


def test_google_scope_fix_names_scope(
    sandbox_server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(classify._state, "available", True)
    body = {
        "provider": "google_directory",
        "action": "create_user",
        "payload": {"primaryEmail": "lin@example.com", "givenName": "Lin", "familyName": "Qiu"},
    }
    readonly = {"access_token": "ya29.readonly"}
    with sandbox_server.client() as client:
        create_connection(client, "google_directory", credentials=readonly)
        response = client.post("/actions/run", json=body)

    details = response.json()["error"]["details"]
    assert response.status_code == 502
    assert details["raw_response"]["error"]["errors"][0]["reason"] == "insufficientPermissions"
    assert details["category"] == "insufficient_permissions"
    assert details["recommended_fix"].startswith(
        "Grant https://www.googleapis.com/auth/admin.directory.user to the Google Directory"
    )
