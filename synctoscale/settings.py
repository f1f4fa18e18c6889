"""Read the service's operator settings from environment variables."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

__all__ = ["Settings", "SettingsError"]

ENV_PREFIX = "SYNCTOSCALE_"
DEFAULT_MAX_BODY_BYTES = 1_048_576
DEFAULT_WORKER_THREADS = 2


class SettingsError(ValueError):
    """An environment variable holds a value the service cannot use."""


@dataclass(frozen=True)
class Settings:
    """Operator settings; every field can be set with a ``SYNCTOSCALE_*`` variable.

    The defaults are the embedded deployment: SQLite, an in-process queue and in-memory rate
    limits, all under ``data_dir``.
    """

    data_dir: Path = Path("data")
    database_url: str | None = None
    queue_url: str | None = None
    rate_limit_storage_url: str = "memory://"
    rate_limit: str = "5000/hour"
    token_rate_limit: str = "5000/hour"  # noqa: S105 (a request rate, not a secret)
    idempotency_ttl_seconds: int = 86_400
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    encryption_keys: str | None = None
    provider_base_urls: dict[str, str] = field(default_factory=dict)
    # Folder of JSON or YAML workflow definitions loaded at start.
    workflows_dir: Path | None = None
    # Queue name: the Redis key prefix, the PostgreSQL queue column, the SQLite queue column.
    queue_name: str = "synctoscale"
    # Queue consumer threads inside the API process; 0 leaves runs to `synctoscale worker`.
    worker_threads: int = DEFAULT_WORKER_THREADS
    # How often a worker records that a running run is alive.
    heartbeat_seconds: float = 5.0
    # A running run whose last heartbeat is older than this is taken as lost by the sweeper.
    stale_run_seconds: float = 60.0
    # How often each consumer runs the sweeper.
    sweep_seconds: float = 30.0
    # A queued run not picked up this long after it was enqueued is enqueued again.
    requeue_seconds: float = 300.0

    def __post_init__(self) -> None:
        if self.stale_run_seconds < 2 * self.heartbeat_seconds:
            raise SettingsError(
                f"{ENV_PREFIX}STALE_RUN_SECONDS ({self.stale_run_seconds}) must be at least twice "
                f"{ENV_PREFIX}HEARTBEAT_SECONDS ({self.heartbeat_seconds}), or a slow heartbeat "
                "would make a live run look dead."
            )

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: object) -> Settings:
        """Build settings from ``environ`` (default ``os.environ``), then apply ``overrides``."""
        env = os.environ if environ is None else environ

        settings = cls(
            data_dir=Path(env.get(f"{ENV_PREFIX}DATA_DIR", "data")),
            database_url=env.get(f"{ENV_PREFIX}DATABASE_URL") or None,
            queue_url=env.get(f"{ENV_PREFIX}QUEUE_URL") or None,
            rate_limit_storage_url=env.get(f"{ENV_PREFIX}RATE_LIMIT_STORAGE", "memory://"),
            rate_limit=env.get(f"{ENV_PREFIX}RATE_LIMIT", "5000/hour"),
            token_rate_limit=env.get(f"{ENV_PREFIX}TOKEN_RATE_LIMIT", "5000/hour"),
            idempotency_ttl_seconds=_read_int(env, f"{ENV_PREFIX}IDEMPOTENCY_TTL_SECONDS", 86_400),
            max_body_bytes=_read_int(env, f"{ENV_PREFIX}MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES),
            encryption_keys=env.get(f"{ENV_PREFIX}ENCRYPTION_KEYS") or None,
            provider_base_urls=_read_provider_urls(env),
            workflows_dir=_read_path(env, f"{ENV_PREFIX}WORKFLOWS_DIR"),
            queue_name=env.get(f"{ENV_PREFIX}QUEUE_NAME") or "synctoscale",
            worker_threads=_read_count(env, f"{ENV_PREFIX}WORKER_THREADS", DEFAULT_WORKER_THREADS),
            heartbeat_seconds=_read_seconds(env, f"{ENV_PREFIX}HEARTBEAT_SECONDS", 5.0),
            stale_run_seconds=_read_seconds(env, f"{ENV_PREFIX}STALE_RUN_SECONDS", 60.0),
            sweep_seconds=_read_seconds(env, f"{ENV_PREFIX}SWEEP_SECONDS", 30.0),
            requeue_seconds=_read_seconds(env, f"{ENV_PREFIX}REQUEUE_SECONDS", 300.0),
        )
        clean = {name: value for name, value in overrides.items() if value is not None}
        return replace(settings, **clean)  # type: ignore[arg-type]

    @property
    def resolved_database_url(self) -> str:
        """Return the database URL, defaulting to a SQLite file in the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'synctoscale.db').resolve()}"


def _read_int(env: os._Environ[str] | dict[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default

    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}.") from None
    if value <= 0:
        raise SettingsError(f"{name} must be greater than zero, got {value}.")
    return value


def _read_path(env: os._Environ[str] | dict[str, str], name: str) -> Path | None:
    raw = env.get(name)
    return Path(raw) if raw else None


def _read_count(env: os._Environ[str] | dict[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default

    if not raw.isdigit():
        raise SettingsError(f"{name} must be a whole number of zero or more, got {raw!r}.")
    return int(raw)


def _read_seconds(env: os._Environ[str] | dict[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default

    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number of seconds, got {raw!r}.") from None
    if not value > 0 or value == float("inf"):
        raise SettingsError(f"{name} must be a finite number of seconds above zero, got {raw!r}.")
    return value


def _read_provider_urls(env: os._Environ[str] | dict[str, str]) -> dict[str, str]:
    """Collect ``SYNCTOSCALE_PROVIDER_<NAME>_URL`` variables into ``{name: base_url}``."""
    prefix, suffix = f"{ENV_PREFIX}PROVIDER_", "_URL"
    urls = {}
    for name, value in env.items():
        if name.startswith(prefix) and name.endswith(suffix) and value:
            provider = name[len(prefix) : -len(suffix)].lower()
            urls[provider] = value.rstrip("/")
    return urls
