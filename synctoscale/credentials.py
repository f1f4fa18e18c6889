"""Seal connection credentials into their row and open them again, for the API and the engine.

Credentials are a JSON object of strings. They are encrypted with the active key and the
associated data ``synctoscale/connection/<project id>/<connection id>``, so a ciphertext
copied to another row or project fails to decrypt. Nothing here logs a credential value.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from synctoscale.crypto import KEYS_VARIABLE, DecryptionError, KeyRing, Sealed
from synctoscale.engine.steps import StepFailure
from synctoscale.store import connections as connection_store
from synctoscale.store.db import Database
from synctoscale.store.models import Connection

logger = logging.getLogger(__name__)

__all__ = [
    "CredentialVault",
    "CredentialsUnavailable",
    "EngineCredentials",
    "RotationReport",
    "associated_data",
    "rotate_credentials",
]


class CredentialsUnavailable(Exception):
    """A connection's credentials cannot be used; ``code`` says why, ``message`` what to do."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def associated_data(project_id: str, connection_id: str) -> bytes:
    return f"synctoscale/connection/{project_id}/{connection_id}".encode()


class CredentialVault:
    """Encrypts and decrypts connection credentials with the process's key ring."""

    def __init__(self, keyring: KeyRing | None) -> None:
        self.keyring = keyring

    def seal(self, project_id: str, connection_id: str, credentials: Mapping[str, Any]) -> Sealed:
        keyring = self._require_keyring()
        plaintext = json.dumps(dict(credentials), sort_keys=True).encode("utf-8")
        return keyring.encrypt(plaintext, associated_data(project_id, connection_id))

    def open(self, connection: Connection) -> dict[str, str]:
        """Return the decrypted credentials; raise CredentialsUnavailable with the reason."""
        if connection.key_id is None or connection.credentials_ciphertext is None:
            raise CredentialsUnavailable(
                "connection_missing_credentials",
                f"Connection {connection.id!r} has no credentials yet; send them with "
                f"PUT /connections/{connection.id}/credentials.",
            )

        keyring = self._require_keyring()
        sealed = Sealed(connection.key_id, connection.credentials_ciphertext)
        try:
            plaintext = keyring.decrypt(
                sealed, associated_data(connection.project_id, connection.id)
            )
        except DecryptionError as exc:
            logger.error(
                "could not decrypt the credentials of connection %s: %s",
                connection.id,
                exc,
                extra={"connection_id": connection.id, "project_id": connection.project_id},
            )
            raise CredentialsUnavailable(
                "credentials_unreadable",
                f"The stored credentials of connection {connection.id!r} cannot be decrypted: "
                f"{exc}. Restore the key, or send the credentials again with "
                f"PUT /connections/{connection.id}/credentials.",
            ) from None

        credentials: dict[str, str] = json.loads(plaintext)
        return credentials

    def _require_keyring(self) -> KeyRing:
        if self.keyring is None:
            raise CredentialsUnavailable(
                "encryption_key_missing",
                f"No encryption key is configured in this process; set {KEYS_VARIABLE} to the "
                "same keys the API uses.",
            )
        return self.keyring


class EngineCredentials:
    """The engine's credentials lookup: read the connection and decrypt its credentials.

    Every problem becomes a StepFailure that names the connection, so the run fails with an
    error a person can act on instead of calling the provider without credentials.
    """

    def __init__(self, database: Database, vault: CredentialVault) -> None:
        self.database = database
        self.vault = vault

    def __call__(self, project_id: str, connection_id: str, provider: str) -> Mapping[str, str]:
        with self.database.session() as session:
            connection = connection_store.get_connection(session, project_id, connection_id)
            if connection is None:
                raise StepFailure(
                    "connection_not_found",
                    f"Connection {connection_id!r} does not exist in this project; it may have "
                    "been deleted. Point the step at another connection.",
                    provider=provider,
                )
            if connection.provider != provider:
                raise StepFailure(
                    "connection_provider_mismatch",
                    f"Connection {connection_id!r} is a {connection.provider} connection, but "
                    f"the step calls {provider}.",
                    provider=provider,
                )
            session.expunge(connection)

        try:
            return self.vault.open(connection)
        except CredentialsUnavailable as exc:
            raise StepFailure(exc.code, exc.message, provider=provider) from None


@dataclass
class RotationReport:
    """What ``rotate_credentials`` did: counts, and the rows it could not move."""

    rotated: int = 0
    current: int = 0  # already under the active key
    changed: int = 0  # replaced by someone else while rotating; those are already current
    failed: dict[str, str] = field(default_factory=dict)


def rotate_credentials(database: Database, keyring: KeyRing) -> RotationReport:
    """Re-encrypt every connection's credentials with the active key.

    Each row is updated in its own transaction and only if it still holds the ciphertext
    that was read, so a rotation can run while the API serves requests. A row that does not
    decrypt is reported and left as it is.
    """
    vault = CredentialVault(keyring)
    report = RotationReport()
    with database.session() as session:
        rows = list(connection_store.iter_sealed_connections(session))
        for row in rows:
            session.expunge(row)

    for row in rows:
        if row.key_id == keyring.active_key_id:
            report.current += 1
            continue
        try:
            credentials = vault.open(row)
        except CredentialsUnavailable as exc:
            report.failed[row.id] = exc.message
            continue

        sealed = vault.seal(row.project_id, row.id, credentials)
        with database.session() as session:
            if connection_store.replace_ciphertext(session, row, sealed):
                report.rotated += 1
            else:
                report.changed += 1
    logger.info(
        "credential rotation to key %s: %d rotated, %d already current, %d failed",
        keyring.active_key_id,
        report.rotated,
        report.current,
        len(report.failed),
    )
    return report
