"""Load workflow definitions from a folder of JSON and YAML files at start.

Each file contains one workflow. An optional top-level ``project`` key names the project it
belongs to; without it the workflow goes to ``default``. A file's definition replaces the
stored one with the same id at every start, so the folder is the source of truth for the
workflows it holds.
"""

from __future__ import annotations

import logging
from collections import Counter
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from synctoscale.bootstrap import DEFAULT_PROJECT
from synctoscale.engine.definitions import WorkflowDefinition
from synctoscale.errors import ApiError
from synctoscale.jsonbody import loads_strict
from synctoscale.problems import describe_errors
from synctoscale.store import connections as connection_store
from synctoscale.store import workflows as workflow_store
from synctoscale.store.db import Database
from synctoscale.store.projects import ProjectNotFoundError, get_project_by_name

logger = logging.getLogger(__name__)

__all__ = ["WorkflowFileError", "load_workflow_dir", "read_workflow_file"]

SUFFIXES = (".json", ".yaml", ".yml")


class WorkflowFileError(ValueError):
    """A workflow file that cannot be loaded; the message names the file and the problem."""


def read_workflow_file(path: Path) -> tuple[str, WorkflowDefinition]:
    """Return ``(project name, definition)`` from one JSON or YAML file."""
    text = path.read_text(encoding="utf-8")
    try:
        document = _parse(path, text)
    except (ApiError, yaml.YAMLError) as exc:
        message = exc.message if isinstance(exc, ApiError) else str(exc)
        raise WorkflowFileError(f"{path}: not valid {path.suffix[1:].upper()}: {message}") from None
    if not isinstance(document, dict):
        raise WorkflowFileError(f"{path}: the file must hold one workflow object")

    project = document.pop("project", DEFAULT_PROJECT)
    try:
        return str(project), WorkflowDefinition.model_validate(document)
    except ValidationError as exc:
        described = describe_errors(exc.errors(), document)
        problems = "; ".join(
            f"{item['field'] or 'workflow'}: {item['problem']}" for item in described
        )
        raise WorkflowFileError(f"{path}: invalid workflow: {problems}") from None


def load_workflow_dir(database: Database, directory: Path) -> int:
    """Store every workflow file in ``directory``; return how many were read.

    All files are read and checked before any is stored, so one bad file stops the start
    with a message naming it, and nothing is half loaded.
    """
    if not directory.is_dir():
        raise WorkflowFileError(f"{directory}: the workflows folder does not exist")

    paths = sorted(path for path in directory.iterdir() if path.suffix.lower() in SUFFIXES)
    loaded = [(path, *read_workflow_file(path)) for path in paths]
    _reject_duplicates(loaded)

    with database.session() as session:
        for path, project_name, definition in loaded:
            try:
                project = get_project_by_name(session, project_name)
            except ProjectNotFoundError as exc:
                raise WorkflowFileError(f"{path}: {exc}") from None
            outcome = workflow_store.save_workflow(session, project.id, definition)
            _warn_about_connections(session, path, project.id, definition)
            logger.info(
                "workflow %s from %s: %s",
                definition.id,
                path.name,
                outcome,
                extra={"project_id": project.id, "workflow_id": definition.id},
            )
    return len(loaded)


def _warn_about_connections(
    session: Any, path: Path, project_id: str, definition: WorkflowDefinition
) -> None:
    """Log each step whose connection is missing; its runs fail until the connection exists.

    A file is loaded anyway, unlike a request to the API, because connection ids are made
    by the API and a fresh install loads its files before any connection exists.
    """
    for _index, problem in connection_store.step_connection_problems(
        session, project_id, definition
    ):
        logger.warning(
            "workflow %s from %s: %s",
            definition.id,
            path.name,
            problem,
            extra={"project_id": project_id, "workflow_id": definition.id},
        )


def _parse(path: Path, text: str) -> Any:
    if path.suffix.lower() == ".json":
        return loads_strict(text)
    return yaml.safe_load(text)


def _reject_duplicates(loaded: list[tuple[Path, str, WorkflowDefinition]]) -> None:
    counts = Counter((project, definition.id) for _, project, definition in loaded)
    for (project, workflow_id), count in counts.items():
        if count > 1:
            files = [str(path) for path, p, d in loaded if (p, d.id) == (project, workflow_id)]
            raise WorkflowFileError(
                f"workflow {workflow_id!r} of project {project!r} is defined in {count} files: "
                + ", ".join(files)
            )

