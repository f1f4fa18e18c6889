"""Workflow files loaded at start from ``SYNCTOSCALE_WORKFLOWS_DIR``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from synctoscale.engine.files import WorkflowFileError, load_workflow_dir, read_workflow_file
from synctoscale.settings import Settings
from synctoscale.store.db import Database
from synctoscale.store.projects import create_project
from tests.synctoscale.conftest import LiveServer, serve
from tests.synctoscale.workflows import echo_workflow, start_run, wait_for_run

YAML_WORKFLOW = """\
id: from_yaml
trigger:
  type: event
  provider: bamboohr
  event_type: employee.updated
steps:
  - id: say
    type: action
    provider: echo
    action: echo
    mapping:
      email: email
"""


@pytest.fixture
def workflows_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "workflows"
    folder.mkdir()
    (folder / "sync.yaml").write_text(YAML_WORKFLOW)
    (folder / "echo.json").write_text(json.dumps(echo_workflow("from_json")))
    (folder / "notes.txt").write_text("not a workflow")
    return folder


@pytest.fixture
def server_with_files(settings: Settings, workflows_dir: Path) -> Iterator[LiveServer]:
    yield from serve(replace(settings, workflows_dir=workflows_dir))


def test_files_load_into_default_project(server_with_files: LiveServer) -> None:
    with server_with_files.client() as client:
        listed = {item["id"] for item in client.get("/workflows").json()["data"]}
        event = client.post(
            "/triggers/event",
            json={
                "provider": "bamboohr",
                "event_type": "employee.updated",
                "payload": {"email": "a@b.c"},
            },
        )
        run = wait_for_run(client, event.json()["run_id"])
        manual = wait_for_run(client, start_run(client, "from_json", {"n": 1}))

    assert listed == {"from_yaml", "from_json"}
    assert run["steps"][0]["output"] == {"email": "a@b.c"}
    assert manual["status"] == "succeeded"


def test_file_names_other_project(tmp_path: Path, workflows_dir: Path) -> None:
    (workflows_dir / "acme.json").write_text(
        json.dumps({"project": "acme", **echo_workflow("acme_flow")})
    )
    database = Database(f"sqlite:///{tmp_path / 'db.sqlite'}")
    database.migrate()
    with database.session() as session:
        create_project(session, "default")
        create_project(session, "acme")

    assert load_workflow_dir(database, workflows_dir) == 3
    assert load_workflow_dir(database, workflows_dir) == 3  # loading again changes nothing
    database.dispose()


@pytest.mark.parametrize(
    ("name", "content", "message_part"),
    [
        ("bad.json", '{"id": "x", "steps": [', "not valid JSON"),
        ("dup.json", '{"id": "x", "id": "y", "steps": []}', "appears twice"),
        ("bad.yaml", "id: [unclosed", "not valid YAML"),
        ("list.yaml", "- 1\n- 2\n", "one workflow object"),
        (
            "step.json",
            json.dumps(
                {
                    "id": "x",
                    "steps": [{"id": "s", "type": "action", "provider": "nope", "action": "a"}],
                }
            ),
            "unknown provider 'nope'",
        ),
        (
            "trigger.yaml",
            "id: x\ntrigger: {type: event, event_type: employee.updated}\nsteps: []\n",
            "trigger.provider: Field required",
        ),
        (
            "steps.yaml",
            "id: x\nsteps: {check: 1}\n",
            "steps: Input should be a JSON array, not a JSON object",
        ),
    ],
)
def test_bad_file_is_named(tmp_path: Path, name: str, content: str, message_part: str) -> None:
    path = tmp_path / name
    path.write_text(content)

    with pytest.raises(WorkflowFileError) as caught:
        read_workflow_file(path)

    assert name in str(caught.value)
    assert message_part in str(caught.value)


def test_unknown_project_in_file_stops_load(tmp_path: Path, workflows_dir: Path) -> None:
    (workflows_dir / "ghost.json").write_text(
        json.dumps({"project": "ghost", **echo_workflow("g")})
    )
    database = Database(f"sqlite:///{tmp_path / 'db.sqlite'}")
    database.migrate()
    with database.session() as session:
        create_project(session, "default")

    with pytest.raises(WorkflowFileError, match=r"ghost\.json.*No project named 'ghost'"):
        load_workflow_dir(database, workflows_dir)
    database.dispose()


def test_same_id_in_two_files_is_error(tmp_path: Path, workflows_dir: Path) -> None:
    (workflows_dir / "copy.json").write_text(json.dumps(echo_workflow("from_json")))
    database = Database(f"sqlite:///{tmp_path / 'db.sqlite'}")
    database.migrate()

    with pytest.raises(WorkflowFileError, match=r"'from_json'.*2 files"):
        load_workflow_dir(database, workflows_dir)
    database.dispose()


def test_missing_folder_is_error(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'db.sqlite'}")

    with pytest.raises(WorkflowFileError, match="does not exist"):
        load_workflow_dir(database, tmp_path / "nope")
    database.dispose()


def test_file_without_connection_loads_with_warning(
    tmp_path: Path, workflows_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    step = {"id": "create", "type": "action", "provider": "hubspot", "action": "create_contact"}
    (workflows_dir / "hubspot.json").write_text(json.dumps({"id": "to_hubspot", "steps": [step]}))
    database = Database(f"sqlite:///{tmp_path / 'db.sqlite'}")
    database.migrate()
    with database.session() as session:
        create_project(session, "default")

    with caplog.at_level("WARNING"):
        loaded = load_workflow_dir(database, workflows_dir)
    database.dispose()

    assert loaded == 3
    assert "to_hubspot" in caplog.text
    assert "needs a connection_id" in caplog.text
