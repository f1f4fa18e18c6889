"""Credentials at rest: no plaintext in the database, rows bound to place, key rotation."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from synctoscale import cli
from synctoscale.credentials import CredentialVault, EngineCredentials, rotate_credentials
from synctoscale.crypto import KEY_FILE_NAME, KeyRing, generate_key_line, load_keyring, parse_keys
from synctoscale.engine.steps import StepFailure
from synctoscale.store.projects import create_project, create_token
from tests.synctoscale.conftest import LiveServer
from tests.synctoscale.connections import (
    BAMBOO_KEY,
    CONNECTIONS,
    HUBSPOT_TOKEN,
    SLACK_TOKEN,
    create_connection,
)

SECRETS = (HUBSPOT_TOKEN, BAMBOO_KEY, SLACK_TOKEN)


def _rows(server: LiveServer) -> list[dict[str, Any]]:
    with server.database.engine.connect() as connection:
        result = connection.execute(text("SELECT * FROM connections ORDER BY created_at"))
        return [dict(row._mapping) for row in result]


def _set_ciphertext(server: LiveServer, connection_id: str, ciphertext: bytes, key_id: str) -> None:
    with server.database.engine.begin() as connection:
        connection.execute(
            text(
                "UPDATE connections SET credentials_ciphertext = :ciphertext, key_id = :key_id "
                "WHERE id = :id"
            ),
            {"ciphertext": ciphertext, "key_id": key_id, "id": connection_id},
        )


def test_rows_hold_no_plaintext(sandbox_server_any_db: LiveServer) -> None:
    with sandbox_server_any_db.client() as client:
        for provider in ("hubspot", "bamboohr", "slack"):
            create_connection(client, provider)

    rows = _rows(sandbox_server_any_db)
    keyring = load_keyring(sandbox_server_any_db.settings)
    assert keyring is not None
    assert len(rows) == 3
    for row in rows:
        assert row["key_id"] == keyring.active_key_id
        assert len(bytes(row["credentials_ciphertext"])) > 12 + 16
        for value in row.values():
            stored = bytes(value) if isinstance(value, bytes | memoryview) else str(value).encode()
            for secret in SECRETS:
                assert secret.encode() not in stored


def test_copied_row_fails_to_decrypt(sandbox_server: LiveServer) -> None:
    with sandbox_server.database.session() as session:
        _, other_token = create_token(session, create_project(session, "other"))
    with sandbox_server.client() as client:
        mine = create_connection(client, "hubspot")
    with sandbox_server.client(other_token) as other:
        theirs = create_connection(other, "hubspot", credentials={"access_token": "pat-theirs"})
    source = next(row for row in _rows(sandbox_server) if row["id"] == mine["id"])
    _set_ciphertext(
        sandbox_server, theirs["id"], bytes(source["credentials_ciphertext"]), source["key_id"]
    )

    with sandbox_server.client(other_token) as other:
        validated = other.post(f"/connections/{theirs['id']}/validate")
        action = other.post(
            "/actions/run",
            json={"provider": "hubspot", "action": "get_contact", "payload": {"contact_id": "1"}},
        )

    for response in (validated, action):
        error = response.json()["error"]
        assert response.status_code == 409
        assert error["code"] == "credentials_unreadable"
        assert "copied from another row or project" in error["message"]
        assert HUBSPOT_TOKEN not in response.text


def test_tampered_row_fails_to_decrypt(sandbox_server: LiveServer) -> None:
    with sandbox_server.client() as client:
        created = create_connection(client, "slack")
    row = _rows(sandbox_server)[0]
    tampered = bytearray(bytes(row["credentials_ciphertext"]))
    tampered[-1] ^= 0x01
    _set_ciphertext(sandbox_server, created["id"], bytes(tampered), row["key_id"])

    with sandbox_server.client() as client:
        response = client.post(f"/connections/{created['id']}/validate")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "credentials_unreadable"
    assert "failed authentication" in response.json()["error"]["message"]


def test_rotate_key_command(
    sandbox_server_any_db: LiveServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server = sandbox_server_any_db
    monkeypatch.delenv("SYNCTOSCALE_ENCRYPTION_KEYS", raising=False)
    if server.settings.database_url:
        monkeypatch.setenv("SYNCTOSCALE_DATABASE_URL", server.settings.database_url)
    with server.client() as client:
        ids = [create_connection(client, provider)["id"] for provider in ("hubspot", "slack")]
    data_dir = str(server.settings.data_dir)

    first = cli.main(["--data-dir", data_dir, "connections", "rotate-key", "--generate"])
    first_output = capsys.readouterr().out
    second = cli.main(["--data-dir", data_dir, "connections", "rotate-key"])
    second_output = capsys.readouterr().out
    with server.client() as client:
        checks = [client.post(f"/connections/{id_}/validate").json()["status"] for id_ in ids]

    active = next(iter(parse_keys((server.settings.data_dir / KEY_FILE_NAME).read_text())))
    assert first == 0
    assert "2 connection(s) re-encrypted" in first_output
    assert second == 0
    assert "0 connection(s) re-encrypted, 2 already current" in second_output
    assert {row["key_id"] for row in _rows(server)} == {active}
    assert checks == ["healthy", "healthy"]


def test_rotation_reports_unreadable_rows(
    sandbox_server: LiveServer, capsys: pytest.CaptureFixture[str]
) -> None:
    with sandbox_server.client() as client:
        good = create_connection(client, "hubspot")
        bad = create_connection(client, "slack")
    row = next(row for row in _rows(sandbox_server) if row["id"] == bad["id"])
    _set_ciphertext(sandbox_server, bad["id"], bytes(row["credentials_ciphertext"])[:-1], "gone")
    data_dir = str(sandbox_server.settings.data_dir)

    code = cli.main(["--data-dir", data_dir, "connections", "rotate-key", "--generate"])
    captured = capsys.readouterr()

    assert code == 1
    assert "1 connection(s) re-encrypted" in captured.out
    assert "1 failed" in captured.out
    assert bad["id"] in captured.err
    assert "'gone'" in captured.err
    assert good["id"] not in captured.err


def test_rotation_with_keys_variable(sandbox_server: LiveServer) -> None:
    with sandbox_server.client() as client:
        create_connection(client, "bamboohr")
    old = load_keyring(sandbox_server.settings)
    assert old is not None
    new_line = generate_key_line("k-new")
    old_lines = (sandbox_server.settings.data_dir / KEY_FILE_NAME).read_text().strip()

    report = rotate_credentials(
        sandbox_server.database, KeyRing(parse_keys(f"{new_line},{old_lines}"))
    )

    only_new = KeyRing(parse_keys(new_line))
    assert report.rotated == 1
    assert report.failed == {}
    assert _rows(sandbox_server)[0]["key_id"] == "k-new"
    assert rotate_credentials(sandbox_server.database, only_new).current == 1


def test_generate_with_variable_is_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SYNCTOSCALE_ENCRYPTION_KEYS", generate_key_line())

    code = cli.main(["--data-dir", str(tmp_path), "connections", "rotate-key", "--generate"])

    assert code == 1
    assert "SYNCTOSCALE_ENCRYPTION_KEYS is set" in capsys.readouterr().err


def test_rotate_without_keys_is_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("SYNCTOSCALE_ENCRYPTION_KEYS", raising=False)

    code = cli.main(["--data-dir", str(tmp_path), "connections", "rotate-key"])

    assert code == 1
    assert "No encryption key" in capsys.readouterr().err


def test_new_key_prints_usable_key(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["connections", "new-key"]) == 0

    keys = parse_keys(capsys.readouterr().out)
    assert len(next(iter(keys.values()))) == 32


def test_secrets_not_logged_or_returned(
    sandbox_server: LiveServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    responses = []
    with sandbox_server.client() as client:
        for provider in ("hubspot", "bamboohr", "slack"):
            created = client.post("/connections", json={**CONNECTIONS[provider], "validate": True})
            responses.append(created)
            responses.append(client.get(f"/connections/{created.json()['id']}"))
        responses.append(client.get("/connections"))
        for payload in ({"email": "x@example.com"}, {"email": "x@outage.example.com"}):
            body = {"provider": "hubspot", "action": "create_contact", "payload": payload}
            responses.append(client.post("/actions/run", json=body))
        bad = {**CONNECTIONS["slack"], "credentials": {"access_token": SLACK_TOKEN, "x": 1}}
        responses.append(client.post("/connections", json=bad))

    assert [response.status_code for response in responses[-3:]] == [200, 502, 422]
    assert "connection conn_" in caplog.text
    assert "action hubspot.create_contact failed" in caplog.text
    for secret in SECRETS:
        assert secret not in caplog.text
        for response in responses:
            assert secret not in response.text


def test_missing_key_fails_step(sandbox_server: LiveServer) -> None:
    with sandbox_server.client() as client:
        created = create_connection(client, "hubspot")
    lookup = EngineCredentials(sandbox_server.database, CredentialVault(None))

    with pytest.raises(StepFailure) as caught:
        lookup("proj_unused", created["id"], "hubspot")
    project_id = _rows(sandbox_server)[0]["project_id"]
    with pytest.raises(StepFailure) as missing_key:
        lookup(project_id, created["id"], "hubspot")
    with pytest.raises(StepFailure) as wrong_provider:
        lookup(project_id, created["id"], "slack")

    assert caught.value.error_code == "connection_not_found"
    assert missing_key.value.error_code == "encryption_key_missing"
    assert "SYNCTOSCALE_ENCRYPTION_KEYS" in missing_key.value.message
    assert wrong_provider.value.error_code == "connection_provider_mismatch"
