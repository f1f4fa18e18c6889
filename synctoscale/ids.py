"""Generate the prefixed random identifiers used in URLs (``proj_…``, ``run_…``)."""

import secrets


def new_id(prefix: str, nbytes: int = 8) -> str:
    """Return ``prefix_`` followed by ``2 * nbytes`` random hex digits."""
    return f"{prefix}_{secrets.token_hex(nbytes)}"
