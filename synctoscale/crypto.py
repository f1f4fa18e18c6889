"""Encrypt provider credentials at rest with AES-256-GCM and a ring of rotating keys.

Keys are written ``key_id:base64`` and separated by commas, as in
``SYNCTOSCALE_ENCRYPTION_KEYS=k2:<44 base64 chars>,k1:<...>``. The first key encrypts, and
every key decrypts, so an old key stays listed until ``synctoscale connections rotate-key``
has moved every row to the new one. Without the variable, the keys are read from
``DATA_DIR/encryption-keys``, which the API creates on its first start. Every process of a
deployment must see the same keys, so a deployment on more than one machine sets the variable.

Each ciphertext is a random 96-bit nonce followed by the GCM output. The associated data
names the row (``project_id`` and row id), so a ciphertext copied into another row or
project fails authentication instead of decrypting.
"""

from __future__ import annotations

import base64
import binascii
import logging
import os
import re
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from synctoscale.settings import ENV_PREFIX, Settings, SettingsError

logger = logging.getLogger(__name__)

__all__ = [
    "KEY_FILE_NAME",
    "DecryptionError",
    "EncryptionKeyMissing",
    "KeyRing",
    "Sealed",
    "add_key_to_file",
    "generate_key_line",
    "load_keyring",
    "parse_keys",
]

KEY_FILE_NAME = "encryption-keys"
KEYS_VARIABLE = f"{ENV_PREFIX}ENCRYPTION_KEYS"
KEY_BYTES = 32  # AES-256
NONCE_BYTES = 12  # the 96-bit nonce GCM is specified for (NIST SP 800-38D)
KEY_ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


class DecryptionError(Exception):
    """Stored credentials that cannot be decrypted: an unknown key id or a failed tag check."""


class EncryptionKeyMissing(Exception):
    """No encryption key is configured in this process."""


@dataclass(frozen=True)
class Sealed:
    """A ciphertext and the id of the key that made it."""

    key_id: str
    ciphertext: bytes


def parse_keys(text: str, source: str = KEYS_VARIABLE) -> dict[str, bytes]:
    """Parse ``id:base64,id:base64`` into ``{key id: key}``, active key first.

    Raises SettingsError naming the entry and the problem, never the key material.
    """
    keys: dict[str, bytes] = {}
    entries = [entry.strip() for entry in text.replace("\n", ",").split(",") if entry.strip()]
    if not entries:
        raise SettingsError(f"{source} holds no key; write it as key_id:base64_key.")

    for position, entry in enumerate(entries, start=1):
        key_id, separator, encoded = entry.partition(":")
        key_id = key_id.strip()
        where = f"{source}, entry {position}"
        if not separator:
            raise SettingsError(f"{where} has no ':'; write each key as key_id:base64_key.")
        if not KEY_ID_PATTERN.match(key_id):
            raise SettingsError(f"{where}: the key id must be 1 to 40 letters, digits, '_' or '-'.")
        if key_id in keys:
            raise SettingsError(f"{where}: the key id {key_id!r} appears twice.")
        keys[key_id] = _decode_key(encoded.strip(), f"{where} ({key_id})")
    return keys


def _decode_key(encoded: str, where: str) -> bytes:
    # altchars accepts the URL-safe alphabet too; the standard one still decodes.
    try:
        key = base64.b64decode(encoded + "=" * (-len(encoded) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError):
        raise SettingsError(f"{where}: the key is not valid base64.") from None
    if len(key) != KEY_BYTES:
        raise SettingsError(
            f"{where}: the key decodes to {len(key)} bytes; AES-256 needs exactly {KEY_BYTES}. "
            "Generate one with 'synctoscale connections new-key'."
        )
    return key


def generate_key_line(key_id: str | None = None) -> str:
    """Return a new ``key_id:base64`` entry with 32 random bytes."""
    key_id = key_id or f"k{secrets.token_hex(4)}"
    if not KEY_ID_PATTERN.match(key_id):
        raise ValueError(f"key id {key_id!r} must be 1 to 40 letters, digits, '_' or '-'")
    return f"{key_id}:{base64.b64encode(AESGCM.generate_key(bit_length=256)).decode('ascii')}"


class KeyRing:
    """The keys of one process: the first encrypts, all decrypt.

    A ring read from a key file reads the file again when it meets an unknown key id, so a
    key added by ``rotate-key --generate`` in another process is found without a restart.
    """

    def __init__(self, keys: dict[str, bytes], *, path: Path | None = None) -> None:
        if not keys:
            raise ValueError("a key ring needs at least one key")
        self._keys = dict(keys)
        self._path = path
        self._lock = threading.Lock()

    @property
    def active_key_id(self) -> str:
        return next(iter(self._keys))

    @property
    def key_ids(self) -> list[str]:
        return list(self._keys)

    def encrypt(self, plaintext: bytes, associated_data: bytes) -> Sealed:
        """Encrypt with the active key and a fresh random nonce."""
        key_id = self.active_key_id
        nonce = os.urandom(NONCE_BYTES)
        ciphertext = AESGCM(self._keys[key_id]).encrypt(nonce, plaintext, associated_data)
        return Sealed(key_id, nonce + ciphertext)

    def decrypt(self, sealed: Sealed, associated_data: bytes) -> bytes:
        """Decrypt ``sealed``; raise DecryptionError when the key is unknown or the tag fails."""
        key = self._key(sealed.key_id)
        nonce, ciphertext = sealed.ciphertext[:NONCE_BYTES], sealed.ciphertext[NONCE_BYTES:]
        try:
            return AESGCM(key).decrypt(nonce, ciphertext, associated_data)
        except InvalidTag:
            raise DecryptionError(
                f"the ciphertext failed authentication under key {sealed.key_id!r}: it was "
                "changed, or copied from another row or project"
            ) from None

    def _key(self, key_id: str) -> bytes:
        key = self._keys.get(key_id)
        if key is None and self._path is not None:
            self._reload()
            key = self._keys.get(key_id)
        if key is None:
            known = ", ".join(self._keys)
            raise DecryptionError(
                f"no encryption key with id {key_id!r} is configured (known: {known}); add it "
                f"to {KEYS_VARIABLE} as a second entry"
            )
        return key

    def _reload(self) -> None:
        assert self._path is not None
        with self._lock:
            try:
                self._keys = parse_keys(self._path.read_text(encoding="utf-8"), str(self._path))
            except (OSError, SettingsError) as exc:
                logger.warning("could not read the encryption key file again: %s", exc)


def load_keyring(settings: Settings, *, create: bool = False) -> KeyRing | None:
    """Return the keys from ``SYNCTOSCALE_ENCRYPTION_KEYS`` or the data directory's key file.

    With ``create``, a missing key file is created with one new key and mode 0600. Returns
    None when neither exists and ``create`` is False.
    """
    if settings.encryption_keys:
        return KeyRing(parse_keys(settings.encryption_keys))

    path = settings.data_dir / KEY_FILE_NAME
    if not path.exists():
        if not create:
            return None
        _create_key_file(path)
    return KeyRing(parse_keys(path.read_text(encoding="utf-8"), str(path)), path=path)


def _create_key_file(path: Path) -> None:
    """Write a new key file readable by its owner only; keep the file a concurrent start wrote.

    The key is written to a temporary file first and then hard-linked into place, which fails
    if the name exists, so no process ever reads a half-written key file.
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(generate_key_line() + "\n")
        try:
            os.link(temporary, path)
        except FileExistsError:
            return
    finally:
        temporary.unlink(missing_ok=True)
    logger.warning(
        "created encryption key file %s; a deployment of more than one machine must set %s "
        "to the same keys in every process instead",
        path,
        KEYS_VARIABLE,
    )


def add_key_to_file(path: Path) -> str:
    """Put a new key first in the key file at ``path`` and return its id.

    The file is replaced atomically with ``os.replace``, keeping mode 0600.
    """
    existing = parse_keys(path.read_text(encoding="utf-8"), str(path))
    line = generate_key_line()
    lines = [line]
    lines += [f"{key_id}:{base64.b64encode(key).decode()}" for key_id, key in existing.items()]

    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    os.replace(temporary, path)
    return line.partition(":")[0]
