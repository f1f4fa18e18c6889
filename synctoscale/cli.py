"""The ``synctoscale`` command: run the service and manage projects, tokens and models."""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from synctoscale.settings import Settings, SettingsError
from synctoscale.store import projects as project_store
from synctoscale.store.db import Database

EXIT_ERROR = 1
EXIT_USAGE = 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = _build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "handler"):
        parser.print_help()
        return EXIT_USAGE

    try:
        return int(args.handler(args) or 0)
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (LookupError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="synctoscale",
        description="Run the SyncToScale API, its workers and the provider sandbox, and manage "
        "projects, tokens, connections and Nova's models.",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="folder for the SQLite database, queue and bootstrap token "
        "(default: $SYNCTOSCALE_DATA_DIR or ./data)",
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    serve = _command(commands, "serve", "run the HTTP API", _serve)
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)"
    )
    serve.add_argument(
        "--port", type=int, default=8000, help="TCP port to listen on (default: 8000)"
    )
    serve.add_argument("--log-level", default="info", help="debug, info, warning or error")

    worker = _command(commands, "worker", "run queued workflow runs in this process", _worker)
    worker.add_argument(
        "--threads", type=int, default=4, help="runs executed at the same time (default: 4)"
    )
    worker.add_argument("--log-level", default="info", help="debug, info, warning or error")

    _command(commands, "migrate", "upgrade the database schema to the newest version", _migrate)

    sandbox = _command(commands, "sandbox", "serve the local provider emulator", _sandbox)
    sandbox.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)"
    )
    sandbox.add_argument(
        "--port", type=int, default=8900, help="TCP port to listen on (default: 8900)"
    )
    sandbox.add_argument(
        "--retry-after", type=int, default=1, help="Retry-After seconds on rate limits (default: 1)"
    )
    sandbox.add_argument(
        "--slow-seconds",
        type=float,
        default=5.0,
        help="how long slow.example.com requests wait, in seconds (default: 5)",
    )
    sandbox.add_argument("--log-level", default="info", help="debug, info, warning or error")

    connections = _group(commands, "connections", "manage connection credentials")
    rotate = _command(
        connections,
        "rotate-key",
        "re-encrypt every connection's credentials with the active key",
        _rotate_key,
    )
    rotate.add_argument(
        "--generate",
        action="store_true",
        help="first add a new active key to the key file; not with SYNCTOSCALE_ENCRYPTION_KEYS",
    )
    _command(connections, "new-key", "print a new key_id:base64 key to add to the keys", _new_key)

    projects = _group(commands, "projects", "manage projects")
    create = _command(projects, "create", "create a project", _create_project)
    create.add_argument("name")
    _command(projects, "list", "list projects", _list_projects)

    tokens = _group(commands, "tokens", "manage a project's API tokens")
    create = _command(tokens, "create", "create a token and print it once", _create_token)
    create.add_argument("project", help="project name")
    create.add_argument("--label", default="", help="a note on who or what uses the token")
    listing = _command(tokens, "list", "list a project's tokens (ids, never secrets)", _list_tokens)
    listing.add_argument("project", help="project name")
    revoke = _command(tokens, "revoke", "revoke a token so it is rejected", _revoke_token)
    revoke.add_argument("token_id", help="the token's id, such as tok_1a2b3c4d5e6f")

    nova = _group(commands, "nova", "train Nova's models")
    train = _command(nova, "train", "retrain a model from datasets/ and save it", _train_nova)
    train.add_argument("model", choices=["errors", "mapping"])
    train.add_argument("--models-dir", type=Path, help="where to write (default: models/)")
    train.add_argument(
        "--quick",
        action="store_true",
        help="smaller, faster setting for smoke tests: fewer folds (see the model card)",
    )
    return parser


SubCommands = argparse._SubParsersAction


def _group(commands: SubCommands, name: str, help_text: str) -> SubCommands:
    group = commands.add_parser(name, help=help_text, description=help_text)
    return group.add_subparsers(title="commands", metavar="COMMAND", required=True)


def _command(
    commands: SubCommands,
    name: str,
    help_text: str,
    handler: Callable[[argparse.Namespace], int | None],
) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = commands.add_parser(
        name, help=help_text, description=help_text
    )
    parser.set_defaults(handler=handler)
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.from_env(data_dir=args.data_dir)


def _database(settings: Settings) -> Database:
    database = Database(settings.resolved_database_url)
    database.migrate()
    return database


def _serve(args: argparse.Namespace) -> int:
    from synctoscale.server import serve

    return serve(_settings(args), host=args.host, port=args.port, log_level=args.log_level)


def _worker(args: argparse.Namespace) -> int:
    from synctoscale.worker import run_worker

    if args.threads < 1:
        raise ValueError(f"--threads must be 1 or more, got {args.threads}.")
    return run_worker(_settings(args), threads=args.threads, log_level=args.log_level)


def _migrate(args: argparse.Namespace) -> int:
    database = _database(_settings(args))
    print(f"Database at {database.url.render_as_string(hide_password=True)} is up to date.")
    return 0


def _sandbox(args: argparse.Namespace) -> int:
    from synctoscale.sandbox.server import run_sandbox

    return run_sandbox(
        host=args.host,
        port=args.port,
        retry_after_seconds=args.retry_after,
        slow_seconds=args.slow_seconds,
        log_level=args.log_level,
    )


def _rotate_key(args: argparse.Namespace) -> int:
    from synctoscale.credentials import rotate_credentials
    from synctoscale.crypto import KEY_FILE_NAME, KEYS_VARIABLE, add_key_to_file, load_keyring

    settings = _settings(args)
    if args.generate:
        if settings.encryption_keys:
            raise ValueError(
                f"--generate adds a key to the key file, but {KEYS_VARIABLE} is set; put a key "
                "from 'synctoscale connections new-key' first in the variable instead."
            )
        path = settings.data_dir / KEY_FILE_NAME
        if not path.exists():
            raise LookupError(f"No key file at {path}; start 'synctoscale serve' once first.")
        print(f"Added key {add_key_to_file(path)} to {path}; it is now the active key.")

    keyring = load_keyring(settings)
    if keyring is None:
        raise LookupError(
            f"No encryption key: set {KEYS_VARIABLE} or start 'synctoscale serve' once to "
            "create the key file."
        )
    report = rotate_credentials(_database(settings), keyring)
    print(
        f"Active key {keyring.active_key_id}: {report.rotated} connection(s) re-encrypted, "
        f"{report.current} already current, {report.changed} changed meanwhile, "
        f"{len(report.failed)} failed."
    )
    for connection_id, problem in report.failed.items():
        print(f"  {connection_id}: {problem}", file=sys.stderr)
    return EXIT_ERROR if report.failed else 0


def _new_key(args: argparse.Namespace) -> int:
    from synctoscale.crypto import generate_key_line

    print(generate_key_line())
    return 0


def _create_project(args: argparse.Namespace) -> int:
    with _database(_settings(args)).session() as session:
        project = project_store.create_project(session, args.name)
        print(f"Created project {project.name!r} ({project.id}).")
    return 0


def _list_projects(args: argparse.Namespace) -> int:
    with _database(_settings(args)).session() as session:
        for project in project_store.list_projects(session):
            print(f"{project.id}\t{project.name}\t{project.created_at.isoformat()}")
    return 0


def _create_token(args: argparse.Namespace) -> int:
    with _database(_settings(args)).session() as session:
        project = project_store.get_project_by_name(session, args.project)
        row, token = project_store.create_token(session, project, label=args.label)

    print(f"Created token {row.id} for project {args.project!r}. It is shown only this once:")
    print(token)
    return 0


def _list_tokens(args: argparse.Namespace) -> int:
    with _database(_settings(args)).session() as session:
        project = project_store.get_project_by_name(session, args.project)
        for row in project_store.list_tokens(session, project):
            state = f"revoked {row.revoked_at.isoformat()}" if row.revoked_at else "active"
            print(f"{row.id}\t{state}\t{row.label}")
    return 0


def _revoke_token(args: argparse.Namespace) -> int:
    with _database(_settings(args)).session() as session:
        row = project_store.revoke_token(session, args.token_id)
        print(f"Revoked token {row.id}.")
    return 0


def _train_nova(args: argparse.Namespace) -> int:
    # Imported by name so that only the chosen model's training code loads.
    trainer = importlib.import_module(f"nova.{args.model}.train")
    metrics = trainer.train_and_save(args.models_dir, quick=args.quick)
    print(json.dumps(metrics, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
