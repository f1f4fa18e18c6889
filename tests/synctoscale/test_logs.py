"""Log configuration: JSON lines, and no routine queue chatter at the default level."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest

from synctoscale.logs import configure_logging


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    saved = root.handlers[:], root.level, logging.getLogger("huey").level
    yield None
    root.handlers[:], level, huey_level = saved
    root.setLevel(level)
    logging.getLogger("huey").setLevel(huey_level)


@pytest.mark.usefixtures("restore_logging")
def test_huey_info_is_quiet_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("info")

    logging.getLogger("huey.consumer.Scheduler").info("Enqueueing periodic task sweep_runs")
    logging.getLogger("huey.consumer").warning("worker died")
    logging.getLogger("synctoscale.engine.executor").info("step check succeeded")

    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    assert [line["message"] for line in lines] == ["worker died", "step check succeeded"]


@pytest.mark.usefixtures("restore_logging")
def test_huey_info_shows_when_debugging(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("debug")

    logging.getLogger("huey.consumer.Scheduler").info("Enqueueing periodic task sweep_runs")

    assert "Enqueueing periodic task" in capsys.readouterr().err


@pytest.mark.usefixtures("restore_logging")
def test_uvicorn_color_message_omitted(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("info")

    logging.getLogger("uvicorn.error").info(
        "Started server process [%d]",
        42,
        extra={"color_message": "Started server process [\x1b[36m%d\x1b[0m]", "run_id": "run_1"},
    )

    line = json.loads(capsys.readouterr().err)
    assert line["message"] == "Started server process [42]"
    assert line["run_id"] == "run_1"
    assert "color_message" not in line
