"""Issue and check project API tokens.

A token reads ``sts_<token id>_<secret>``. The token id is public and locates the stored row;
only the SHA-256 digest of the whole token is stored. SHA-256 without a salt or stretching is
enough here because the secret carries 256 random bits, so the digest cannot be brute-forced
the way a password's can.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

__all__ = ["TOKEN_PREFIX", "generate_token", "parse_token_id", "token_digest", "token_matches"]

TOKEN_PREFIX = "sts"  # noqa: S105 (the public prefix, not a secret)
_SECRET_BYTES = 32


def generate_token() -> tuple[str, str]:
    """Return a new ``(token_id, token)`` pair; the token is shown to its owner once."""
    token_id = f"tok_{secrets.token_hex(6)}"
    token = f"{TOKEN_PREFIX}_{token_id}_{secrets.token_urlsafe(_SECRET_BYTES)}"
    return token_id, token


def parse_token_id(token: str) -> str | None:
    """Return the token id inside ``token``, or None if it is not shaped like our tokens."""
    parts = token.split("_", 3)
    if len(parts) != 4 or parts[0] != TOKEN_PREFIX or parts[1] != "tok" or not parts[3]:
        return None
    return f"tok_{parts[2]}"


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_matches(token: str, stored_digest: str) -> bool:
    """Compare in constant time, so response timing reveals nothing about the stored digest."""
    return hmac.compare_digest(token_digest(token), stored_digest)
