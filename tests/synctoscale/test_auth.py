"""Bearer-token authentication through a real server."""

from __future__ import annotations

import hashlib

import httpx
import pytest
from sqlalchemy import select

from synctoscale.store.models import ApiToken
from synctoscale.store.projects import create_project, create_token, revoke_token
from tests.synctoscale.conftest import LiveServer

VALID_BODY = {"payload": {"first_name": "Jordan"}, "expected_schema": {"first_name": "string"}}


@pytest.mark.parametrize(
    ("headers", "message_part"),
    [
        ({}, "no Authorization header"),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, "must read 'Bearer"),
        ({"Authorization": "Bearer"}, "must read 'Bearer"),
        ({"Authorization": "Bearer not-one-of-ours"}, "malformed"),
        ({"Authorization": "Bearer sts_tok_000000000000_wrongsecret"}, "invalid or revoked"),
    ],
)
def test_request_without_valid_token_is_401(
    live_server: LiveServer, headers: dict[str, str], message_part: str
) -> None:
    response = httpx.post(
        f"{live_server.base_url}/mapping/validate", json=VALID_BODY, headers=headers
    )

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    error = response.json()["error"]
    assert error["code"] == "unauthorized"
    assert message_part in error["message"]


def test_wrong_secret_for_real_token_id_is_401(live_server: LiveServer) -> None:
    prefix, _, _secret = live_server.token.rpartition("_")
    forged = f"{prefix}_{'A' * 43}"

    with live_server.client(forged) as client:
        response = client.post("/mapping/validate", json=VALID_BODY)

    assert response.status_code == 401


def test_unauthenticated_body_is_not_parsed(live_server: LiveServer) -> None:
    response = httpx.post(
        f"{live_server.base_url}/mapping/validate",
        content=b'{"payload": {"a": 1, "a": 2}}',
        headers={"Content-Type": "application/json"},
    )

    assert response.status_code == 401


def test_openapi_document_is_public(live_server: LiveServer) -> None:
    response = httpx.get(f"{live_server.base_url}/openapi.json")

    assert response.status_code == 200
    assert "/mapping/validate" in response.json()["paths"]


def test_token_is_stored_as_sha256_digest(live_server: LiveServer) -> None:
    with live_server.database.session() as session:
        rows = list(session.scalars(select(ApiToken)))

    assert len(rows) == 1
    assert rows[0].token_sha256 == hashlib.sha256(live_server.token.encode()).hexdigest()
    assert live_server.token not in repr(vars(rows[0]))


def test_revoked_token_is_rejected(live_server: LiveServer) -> None:
    with live_server.database.session() as session:
        project = create_project(session, "acme")
        row, token = create_token(session, project)

    with live_server.client(token) as client:
        # An authenticated request to an unknown path is a 404; a rejected one is a 401.
        assert client.get("/no-such-path").status_code == 404

        with live_server.database.session() as session:
            revoke_token(session, row.id)
        live_server.app.state.authenticator.forget_all()

        response = client.get("/no-such-path")

    assert response.status_code == 401
    assert "revoked" in response.json()["error"]["message"]
