"""Start the API under uvicorn, bootstrapping the default project on first start."""

from __future__ import annotations

import errno
import logging
import socket
import sys

import uvicorn

from synctoscale.app import create_app
from synctoscale.bootstrap import TOKEN_FILE_NAME, bootstrap_default_project
from synctoscale.engine.files import WorkflowFileError, load_workflow_dir
from synctoscale.logs import configure_logging
from synctoscale.settings import Settings
from synctoscale.store.db import Database

logger = logging.getLogger(__name__)

# Exit codes: an address that cannot be bound or a bad workflow file (2, like a usage
# error), and an app that failed to start for another reason (3).
EXIT_CANNOT_LISTEN = 2
EXIT_BAD_WORKFLOW_FILE = 2
EXIT_STARTUP_FAILED = 3


def serve(settings: Settings, *, host: str, port: int, log_level: str = "info") -> int:
    """Run the API until interrupted and return the process exit code.

    The socket is bound first, so a port that is taken stops the command with one line on
    stderr before the database, the token or the queue workers are touched.
    """
    try:
        listener = bind_listener(host, port)
    except OSError as exc:
        print(f"error: {_listen_problem(host, port, exc)}", file=sys.stderr)
        return EXIT_CANNOT_LISTEN

    with listener:
        configure_logging(log_level)
        settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)

        database = Database(settings.resolved_database_url)
        database.migrate()
        token = bootstrap_default_project(database, settings.data_dir)
        if token is not None:
            _announce_token(token, settings)
        problem = _check_workflow_files(database, settings)
        database.dispose()
        if problem is not None:
            print(f"error: {problem}", file=sys.stderr)
            return EXIT_BAD_WORKFLOW_FILE

        config = uvicorn.Config(
            create_app(settings), host=host, port=port, log_config=None, log_level=log_level
        )
        server = uvicorn.Server(config)
        logger.info("listening on http://%s", _address(host, listener.getsockname()[1]))
        try:
            server.run(sockets=[listener])
        except KeyboardInterrupt:
            # uvicorn has shut down cleanly by now and re-raises the interrupt it handled.
            logger.info("stopped by interrupt")
    return 0 if server.started else EXIT_STARTUP_FAILED


def _check_workflow_files(database: Database, settings: Settings) -> str | None:
    """Load the workflow folder once before uvicorn starts and return its problem, if any.

    The app loads the folder again at startup, which changes nothing, but a bad file found
    there would end in a framework traceback instead of this one line.
    """
    if settings.workflows_dir is None:
        return None
    try:
        load_workflow_dir(database, settings.workflows_dir)
    except WorkflowFileError as exc:
        return str(exc)
    return None


def bind_listener(host: str, port: int) -> socket.socket:
    """Bind a TCP socket to ``host`` and ``port`` for uvicorn, as uvicorn itself would."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    # SO_REUSEADDR lets a restarted server bind a port whose old connections are in
    # TIME_WAIT. On Linux it does not allow binding a port another socket listens on.
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((host, port))
    except OSError:
        listener.close()
        raise
    listener.set_inheritable(True)
    return listener


def _listen_problem(host: str, port: int, exc: OSError) -> str:
    address = _address(host, port)
    if exc.errno == errno.EADDRINUSE:
        return (
            f"{address} is already in use by another process; stop the other server "
            "or pass --port with a free port."
        )
    if exc.errno == errno.EACCES:
        return (
            f"permission denied to listen on {address}; ports below 1024 need privileges, "
            "so pass --port 1024 or above."
        )
    reason = exc.strerror or str(exc)
    return f"failed to listen on {address}: {reason}; pass --host with an address of this machine."


def _address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _announce_token(token: str, settings: Settings) -> None:
    """Print the bootstrap token once, on stdout and never to the log."""
    path = settings.data_dir / TOKEN_FILE_NAME
    print(
        "Created project 'default'. Its API token is shown only this once and is saved "
        f"in {path} (mode 0600):\n\n    {token}\n",
        flush=True,
    )
