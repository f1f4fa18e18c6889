"""Email addresses, checked for syntax by email-validator (no DNS look-up).

:data:`FAST_EMAIL_PATTERN` accepts a plain subset of addresses (ASCII, short dot-atoms, a
letter-only top-level domain) without calling email-validator. A property test checks that
email-validator accepts every address the pattern accepts. Everything else goes to
email-validator.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Final

from email_validator import EmailNotValidError, validate_email

from mapkit.options import ValidationOptions
from mapkit.schema import ScalarSpec
from mapkit.types.base import Finding, read_checked_text

__all__ = ["FAST_EMAIL_PATTERN", "MAX_EMAIL_LENGTH", "is_canonical_email", "read_email"]

# RFC 5321 limits: 64 characters before the @, 254 for the whole address.
MAX_EMAIL_LENGTH: Final = 254
_ATOM: Final = r"[A-Za-z0-9_+\-]"
# Local parts up to 64 characters: one atom, or two or three dot-separated atoms short enough
# that the dots cannot push the total past 64.
_LOCAL: Final = (
    rf"(?:{_ATOM}{{1,64}}|{_ATOM}{{1,30}}\.{_ATOM}{{1,30}}"
    rf"|{_ATOM}{{1,20}}\.{_ATOM}{{1,20}}\.{_ATOM}{{1,20}})"
)
# Labels of letters and digits joined by single hyphens, at most 62 characters. A double
# hyphen is left to email-validator because "ab--" labels are reserved for IDNA.
_LABEL: Final = r"[A-Za-z0-9]{1,20}(?:-[A-Za-z0-9]{1,20}){0,2}"
# Top-level domains of two or three letters: email-validator's special-use names (arpa,
# invalid, local, localhost, onion, test) are all longer, so no look-ahead is needed and the
# pattern runs in pydantic-core's Rust regex engine. Longer ones go to email-validator.
_TOP_LEVEL: Final = r"[A-Za-z]{2,3}"
# "$" ends the text in Rust's regex; Python code matches the pattern with fullmatch.
FAST_EMAIL_PATTERN: Final = rf"^{_LOCAL}@(?:{_LABEL}\.){{1,8}}{_TOP_LEVEL}$"
_FAST_EMAIL: Final = re.compile(FAST_EMAIL_PATTERN)


@lru_cache(maxsize=8192)
def _email_problem(text: str) -> str | None:
    if len(text) <= MAX_EMAIL_LENGTH and _FAST_EMAIL.fullmatch(text):
        return None
    try:
        validate_email(text, check_deliverability=False)
    except EmailNotValidError as error:
        reason = str(error).rstrip(".")
        return f"is not a valid email address: {reason[:1].lower()}{reason[1:]}"
    return None


def is_canonical_email(value: Any) -> bool:
    """Tell whether a value is an email address email-validator accepts, with nothing around it."""
    return isinstance(value, str) and _email_problem(value) is None


def read_email(value: Any, spec: ScalarSpec, options: ValidationOptions) -> Finding:
    """Read a value as an email address, kept as written (no case folding)."""
    return read_checked_text(value, _email_problem, "an email address string")
