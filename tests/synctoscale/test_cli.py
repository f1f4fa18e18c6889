"""The ``synctoscale`` command: projects, tokens, and ``serve`` as a real process."""

from __future__ import annotations

import os
import re
import signal
import socket
import stat
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from synctoscale.cli import main
from tests.synctoscale.servers import wait_until_up

TOKEN_PATTERN = re.compile(r"sts_tok_[0-9a-f]{12}_[A-Za-z0-9_-]+")


def run_cli(tmp_path: Path, *args: str) -> int:
    return main(["--data-dir", str(tmp_path), *args])


def test_projects_create_and_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(tmp_path, "projects", "create", "acme") == 0
    assert run_cli(tmp_path, "projects", "list") == 0

    output = capsys.readouterr().out
    assert "Created project 'acme'" in output
    assert re.search(r"proj_[0-9a-f]{16}\tacme\t", output)


def test_duplicate_project_is_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run_cli(tmp_path, "projects", "create", "acme")

    assert run_cli(tmp_path, "projects", "create", "acme") == 1
    assert "already exists" in capsys.readouterr().err


def test_token_for_unknown_project_is_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli(tmp_path, "tokens", "create", "nope") == 1
    assert "No project named 'nope'" in capsys.readouterr().err


def test_tokens_create_list_revoke(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run_cli(tmp_path, "projects", "create", "acme")
    assert run_cli(tmp_path, "tokens", "create", "acme", "--label", "ci") == 0
    created = capsys.readouterr().out
    token_id = re.search(r"Created token (tok_[0-9a-f]{12})", created).group(1)  # type: ignore[union-attr]
    assert TOKEN_PATTERN.search(created)

    assert run_cli(tmp_path, "tokens", "revoke", token_id) == 0
    assert run_cli(tmp_path, "tokens", "list", "acme") == 0

    listing = capsys.readouterr().out
    assert f"{token_id}\trevoked" in listing
    assert not TOKEN_PATTERN.search(listing)


def test_revoke_unknown_token_is_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(tmp_path, "tokens", "revoke", "tok_000000000000") == 1
    assert "No token with id" in capsys.readouterr().err


def test_serve_bootstraps_once_and_responds(tmp_path: Path) -> None:
    """Start ``synctoscale serve`` twice on one data dir. Only the first start prints a token."""
    first_output, token = _serve_once(tmp_path)
    key_file = tmp_path / "encryption-keys"
    first_keys = key_file.read_text()
    second_output, _ = _serve_once(tmp_path, token)

    assert first_output.count(token) == 1
    token_file = tmp_path / "default-token"
    assert token_file.read_text().strip() == token
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    assert not TOKEN_PATTERN.search(second_output)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert key_file.read_text() == first_keys


def _serve_once(data_dir: Path, token: str | None = None) -> tuple[str, str]:
    port = _free_port()
    command = [sys.executable, "-m", "synctoscale.cli", "--data-dir", str(data_dir), "serve"]
    process = subprocess.Popen(
        [*command, "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        wait_until_up(f"http://127.0.0.1:{port}")
        token = token or (data_dir / "default-token").read_text().strip()
        response = httpx.post(
            f"http://127.0.0.1:{port}/mapping/validate",
            json={"payload": {}, "expected_schema": {}},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.status_code == 200
        assert response.json()["valid"] is True
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=30)
    return output, token


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_stops_cleanly_on_interrupt(tmp_path: Path) -> None:
    """Ctrl-C is how the README stops the server, so it must end without a traceback."""
    output, _ = _serve_once(tmp_path / "data")

    assert "Traceback" not in output
    assert "KeyboardInterrupt" not in output
    assert "stopped by interrupt" in output


def test_serve_keeps_data_dir_private(tmp_path: Path) -> None:
    """The data dir contains run payloads and encrypted credentials, so only its owner reads it."""
    data_dir = tmp_path / "data"

    _serve_once(data_dir)

    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700


def test_serve_taken_port_one_line(tmp_path: Path) -> None:
    """A port another process listens on stops ``serve`` with a message, not a traceback."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        command = [sys.executable, "-m", "synctoscale.cli", "--data-dir", str(tmp_path), "serve"]
        finished = subprocess.run(
            [*command, "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    assert finished.returncode == 2
    assert finished.stdout == ""
    lines = finished.stderr.splitlines()
    assert len(lines) == 1, finished.stderr
    assert f"127.0.0.1:{port} is already in use" in lines[0]
    assert "stop the other server or pass --port" in lines[0]
    assert not (tmp_path / "default-token").exists()


def test_serve_bad_workflow_file_one_line(tmp_path: Path) -> None:
    """A bad file in the workflows folder stops serve with its name, not a traceback."""
    workflows = tmp_path / "workflows"
    workflows.mkdir()
    (workflows / "bad.json").write_text(
        '{"id": "w", "steps": [{"id": "s", "type": "acton"}]}'
    )
    command = [sys.executable, "-m", "synctoscale.cli", "--data-dir", str(tmp_path / "data")]
    finished = subprocess.run(
        [*command, "serve", "--port", str(_free_port())],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "SYNCTOSCALE_WORKFLOWS_DIR": str(workflows)},
    )

    assert finished.returncode == 2
    assert "Traceback" not in finished.stderr
    errors = [line for line in finished.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, finished.stderr
    assert "bad.json: invalid workflow" in errors[0]
    assert "acton" in errors[0]
    assert (tmp_path / "data" / "default-token").exists()
