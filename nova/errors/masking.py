"""Mask the parts of an error message that vary per request before features are built.

URLs, e-mail addresses, IP addresses and ports, UUIDs, record ids, quoted values and numbers
become fixed tokens, so "No such customer: cus_8Fz..." and "No such customer: cus_1Qa..." read alike
and no personal value reaches the model.
"""

from __future__ import annotations

import re

__all__ = ["MASK_TOKENS", "mask_message"]

MASK_TOKENS = ("xurl", "xemail", "xhost", "xuuid", "xid", "xvalue", "xnum")

_URL = re.compile(r"\b(?:https?|ftp|wss?)://[^\s'\"<>)\]}]+", re.IGNORECASE)
# The local part may hold any RFC 5322 "atext" character, such as = or '. A match starts
# only where a run of those characters starts, so a long run without "@" is scanned once
# rather than once per character.
_ATEXT = r"[\w.!#$%&'*+/=?^`{|}~-]"
_EMAIL = re.compile(rf"(?<!{_ATEXT}){_ATEXT}+@[\w-]+(?:\.[\w-]+)+")
_HOST_PORT = re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?\b")
_UUID = re.compile(
    r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.IGNORECASE
)
# A token of 12 or more characters that mixes letters and digits is an id, such as
# cus_FAKE0000000001. Shorter error codes such as E0000047 or AADSTS50076 stay. As with
# e-mail addresses, a match starts only where a run of id characters starts. Hyphens that
# open the run are kept (group 1), so "--req-1234abcd5678efgh" becomes "-- xid".
_RECORD_ID = re.compile(r"(?<![\w-])(-*)\b(?=[\w-]*\d)(?=[\w-]*[A-Za-z])[\w-]{12,}\b")
# A quoted word without spaces is a value the caller sent ('asdf', "properties"), not wording.
_QUOTED_VALUE = re.compile(r"(['\"`])[^'\"`\s]{1,60}\1")
_NUMBER = re.compile(r"(?<![\w.])[-+]?\d+(?:[.,]\d+)*(?![\w])")


def mask_message(message: str) -> str:
    """Return ``message`` with its variable parts replaced by the tokens in MASK_TOKENS."""
    masked = _URL.sub(" xurl ", message)
    masked = _EMAIL.sub(" xemail ", masked)
    masked = _HOST_PORT.sub(" xhost ", masked)
    masked = _UUID.sub(" xuuid ", masked)
    masked = _RECORD_ID.sub(r"\1 xid ", masked)
    masked = _QUOTED_VALUE.sub(" xvalue ", masked)
    masked = _NUMBER.sub(" xnum ", masked)
    return re.sub(r"\s+", " ", masked).strip()
