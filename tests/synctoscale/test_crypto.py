"""AES-256-GCM key rings: key parsing, sealing, tamper detection, key files and rotation."""

from __future__ import annotations

import base64
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from synctoscale.crypto import (
    KEY_FILE_NAME,
    DecryptionError,
    KeyRing,
    Sealed,
    add_key_to_file,
    generate_key_line,
    load_keyring,
    parse_keys,
)
from synctoscale.settings import Settings, SettingsError

KEY_A = bytes(range(32))
KEY_B = bytes(range(100, 132))
LINE_A = f"a:{base64.b64encode(KEY_A).decode()}"
LINE_B = f"b:{base64.b64encode(KEY_B).decode()}"
AAD = b"synctoscale/connection/proj_1/conn_1"


def test_parse_keys_keeps_order() -> None:
    keys = parse_keys(f"{LINE_B}, {LINE_A}")

    assert list(keys) == ["b", "a"]
    assert keys["a"] == KEY_A


def test_parse_keys_url_safe_unpadded() -> None:
    encoded = base64.urlsafe_b64encode(KEY_B).decode().rstrip("=")

    assert parse_keys(f"k-1:{encoded}") == {"k-1": KEY_B}


@pytest.mark.parametrize(
    ("text", "message_part"),
    [
        ("", "holds no key"),
        ("nocolon", "has no ':'"),
        (f"bad id:{LINE_A[2:]}", "key id must be"),
        (f"{LINE_A},{LINE_A}", "appears twice"),
        ("a:not*base64", "not valid base64"),
        (f"a:{base64.b64encode(b'short').decode()}", "decodes to 5 bytes"),
        (f"a:{base64.b64encode(bytes(64)).decode()}", "decodes to 64 bytes"),
    ],
)
def test_bad_keys_raise_settings_error(text: str, message_part: str) -> None:
    with pytest.raises(SettingsError, match=message_part) as caught:
        parse_keys(text)

    assert LINE_A[2:] not in str(caught.value)


@given(plaintext=st.binary(max_size=2048), associated=st.binary(max_size=64))
def test_seal_then_open(plaintext: bytes, associated: bytes) -> None:
    ring = KeyRing({"a": KEY_A})

    sealed = ring.encrypt(plaintext, associated)

    assert sealed.key_id == "a"
    assert ring.decrypt(sealed, associated) == plaintext


@given(position=st.integers(min_value=0), bit=st.integers(min_value=0, max_value=7))
def test_any_flipped_bit_fails(position: int, bit: int) -> None:
    ring = KeyRing({"a": KEY_A})
    sealed = ring.encrypt(b'{"access_token": "xoxb-1"}', AAD)
    index = position % len(sealed.ciphertext)
    tampered = bytearray(sealed.ciphertext)
    tampered[index] ^= 1 << bit

    with pytest.raises(DecryptionError, match="failed authentication"):
        ring.decrypt(Sealed("a", bytes(tampered)), AAD)


def test_other_row_fails_to_open() -> None:
    ring = KeyRing({"a": KEY_A})
    sealed = ring.encrypt(b"secret", AAD)

    with pytest.raises(DecryptionError, match="copied from another row or project"):
        ring.decrypt(sealed, b"synctoscale/connection/proj_2/conn_1")


def test_unknown_key_id_is_named() -> None:
    sealed = KeyRing({"b": KEY_B}).encrypt(b"secret", AAD)

    with pytest.raises(DecryptionError, match="no encryption key with id 'b'"):
        KeyRing({"a": KEY_A}).decrypt(sealed, AAD)


def test_nonce_differs_per_seal() -> None:
    ring = KeyRing({"a": KEY_A})

    first = ring.encrypt(b"same", AAD)
    second = ring.encrypt(b"same", AAD)

    assert first.ciphertext != second.ciphertext
    assert first.ciphertext[:12] != second.ciphertext[:12]


def test_rotated_ring_reads_old_keys() -> None:
    old = KeyRing({"a": KEY_A}).encrypt(b"secret", AAD)
    ring = KeyRing({"b": KEY_B, "a": KEY_A})

    assert ring.decrypt(old, AAD) == b"secret"
    assert ring.encrypt(b"secret", AAD).key_id == "b"


def test_keys_variable_wins(tmp_path: Path) -> None:
    settings = Settings.from_env({"SYNCTOSCALE_ENCRYPTION_KEYS": f"{LINE_B},{LINE_A}"})
    settings = Settings(**{**vars(settings), "data_dir": tmp_path})

    ring = load_keyring(settings, create=True)

    assert ring is not None
    assert ring.key_ids == ["b", "a"]
    assert not (tmp_path / KEY_FILE_NAME).exists()


def test_key_file_created_once(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")

    assert load_keyring(settings) is None
    first = load_keyring(settings, create=True)
    second = load_keyring(settings, create=True)

    path = settings.data_dir / KEY_FILE_NAME
    assert first is not None
    assert second is not None
    assert first.key_ids == second.key_ids
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert list(tmp_path.joinpath("data").iterdir()) == [path]


def test_file_ring_finds_added_key(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    running = load_keyring(settings, create=True)
    assert running is not None

    new_id = add_key_to_file(tmp_path / KEY_FILE_NAME)
    rotated = load_keyring(settings)
    assert rotated is not None
    sealed = rotated.encrypt(b"secret", AAD)

    assert sealed.key_id == new_id
    assert running.decrypt(sealed, AAD) == b"secret"
    assert stat.S_IMODE((tmp_path / KEY_FILE_NAME).stat().st_mode) == 0o600


def test_generated_line_parses() -> None:
    keys = parse_keys(generate_key_line("k7"))

    assert list(keys) == ["k7"]
    assert len(keys["k7"]) == 32
