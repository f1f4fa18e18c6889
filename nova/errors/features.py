"""Turn error records into the four text columns the classifier's vectorizers read.

A record is a mapping with ``message`` and optional ``error_code``, ``provider`` and
``http_status``. The columns are the masked message, the error code split into words,
the HTTP status as class tokens, the provider name, the keyword cues found in the
message and code, and the masked message followed by the code's words, which the word
vectors read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from nova.errors.cues import cue_tokens
from nova.errors.masking import mask_message

__all__ = ["COLUMNS", "code_tokens", "prepare_records", "status_tokens"]

COLUMNS = ("message", "error_code", "http_status", "provider", "cues", "message_and_code")

_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_CODE_SEPARATORS = re.compile(r"[^A-Za-z0-9]+")
_CODE_PREFIX = re.compile(r"^([A-Za-z]+)(\d+)$")


def code_tokens(error_code: object) -> str:
    """Split an error code into lower-case words.

    ``invalid_permission`` -> ``invalid permission``, ``InvalidAuthenticationToken`` ->
    ``invalid authentication token``, ``E0000047`` -> ``e0000047 e``. A code with digits keeps
    its whole form, because families such as Okta's E-codes are distinct by number.
    """
    if error_code is None:
        return ""
    text = str(error_code).strip()
    words = []
    for part in _CODE_SEPARATORS.split(text):
        if not part:
            continue
        prefix = _CODE_PREFIX.match(part)
        if prefix:
            words.extend([part.lower(), prefix.group(1).lower()])
            continue
        words.extend(word.lower() for word in _CAMEL_BOUNDARY.split(part))
    return " ".join(words)


def status_tokens(http_status: object, *, missing: str = "snone") -> str:
    """Describe an HTTP status as tokens: the exact code and its class (``s429 s4xx``).

    A missing status becomes ``missing`` (an empty string adds no feature).
    """
    if http_status is None or http_status == "":
        return missing
    status = int(str(http_status))
    # Slack and other RPC-style APIs report failures inside a 200 response.
    return f"s{status} s{status // 100}xx"


def _provider_token(provider: object) -> str:
    return "" if provider is None else str(provider).strip().lower()


def prepare_records(
    records: Iterable[Mapping[str, Any]],
    missing_status: str = "snone",
    code_in_message: bool = False,
) -> np.ndarray:
    """Build the (n, 6) object array of feature columns, in COLUMNS order.

    ``missing_status`` is the status token of a record without an HTTP status.
    ``code_in_message`` appends the error code's words to the masked message, so the
    message n-grams learn ``rate_limit_exceeded`` and "rate limit exceeded" as one.
    """
    rows = []
    for record in records:
        message = str(record.get("message") or "")
        code = code_tokens(record.get("error_code"))
        masked = mask_message(message)
        rows.append(
            (
                f"{masked} {code}" if code_in_message and code else masked,
                code,
                status_tokens(record.get("http_status"), missing=missing_status),
                _provider_token(record.get("provider")),
                cue_tokens(f"{message} {code}"),
                f"{masked} {code}",
            )
        )
    return np.array(rows, dtype=object).reshape(len(rows), len(COLUMNS))
