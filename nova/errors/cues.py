"""Keyword cues: phrases that point to a category whatever the provider's wording.

The cues serve twice: as extra features of the trained classifier, so phrases learned from
one provider carry over to providers it has not seen, and on their own as the keyword-rule
baseline in ``benchmarks/error_eval.py``.
"""

from __future__ import annotations

import re

__all__ = ["CUES", "cue_tokens", "keyword_category"]

_PATTERNS: dict[str, str] = {
    "invalid_credentials": (
        r"invalid[ _](api[ _])?key|invalid[ _]auth|not[ _]authed|bad credentials"
        r"|authentication failed|couldn't authenticate|\bauthenticate\b"
        r"|incorrect (username|password)|invalid (username|password)|invalid[ _]client"
        r"|api key|token[ _]revoked|unauthenticated|invalid token|invalid credentials"
        r"|credentials (not found|missing)|account[ _](inactive|disabled|locked)"
        r"|user (locked|disabled)|password (is )?expired|wrong password"
    ),
    "token_expired": (
        r"(token|session|grant|code)s? (has |have )?(been )?expired|expired[ _](token"
        r"|session|authentication)|invalid[ _]grant|refresh[ _]token"
        r"|session (is )?(not valid|invalid|expired)|invalid session|lifetime validation"
        r"|re-?authori[sz]|already redeemed|fresh (auth )?token|expired \d* ?second"
        r"|token (has )?expired|credential refresh"
    ),
    "insufficient_permissions": (
        r"permission|not permitted|not authori[sz]ed to|access[ _]denied|forbidden"
        r"|insufficient|missing[ _]scope|\bscopes?\b|not allowed to|\black|privilege"
        r"|\broles?\b|consent|policy|restricted"
    ),
    "rate_limited": (
        r"rate[ _-]?limit|ratelimited|too many requests|throttl|slow down|retry-after"
        r"|retry after|per (second|minute)|secondly|concurren|burst|\b429\b"
    ),
    "quota_exceeded": (
        r"quota|daily|per day|\b24 ?h|exhausted|storage|\bseats?\b|\bplan\b|upgrade"
        r"|payment|maximum number|max limit|limit (reached|exceeded)|exceeded (its|the"
        r"|their) limit"
    ),
    "not_found": (
        r"not[ _]found|does not exist|doesn't exist|no such|could not be (found"
        r"|discovered)|\bdeleted\b|\bgone\b|resource[ _]missing|unknown (user|channel"
        r"|record)|\b404\b"
    ),
    "validation_error": (
        r"invalid|\brequired\b|must (be|provide)|malformed|not valid|format|bad request"
        r"|missing (a )?(required )?(parameter|argument|field|value)|unprocessable"
        r"|validation|too (long|short)|out of range|well-formed|not a valid|cannot be"
    ),
    "duplicate_record": (
        r"already[ _](exists|in|taken|been|active)|duplicate|name[ _]taken|same value"
        r"|unique|existing id"
    ),
    "conflict": (
        r"conflict|\block|etag|precondition|modified|archived|concurren|idempoten"
        r"|current (state|status)|inactive|suspended|disabled"
    ),
    "payload_too_large": (
        r"too (large|long|big)|max(imum)? (file |stream |query )?(size|length)"
        r"|size exceeded|entity too large|payload|\b41[34]\b|too much data"
        r"|too many (attachments|items|terms)|uri too|exceeds? (the )?max"
    ),
    "timeout": (
        r"timed? ?out|timeout|deadline|etimedout|esockettimedout|\b504\b|gateway time"
        r"|no response|\b52[24]\b"
    ),
    "network_error": (
        r"connection (refused|reset|closed|aborted)|econnrefused|econnreset|enotfound"
        r"|eai_again|getaddrinfo|name resolution|name or service|\bdns\b|\bssl\b|\btls\b"
        r"|certificate|handshake|disconnected|unreachable|broken pipe|epipe|peer closed"
        r"|protocol ?error|connect ?error|network|socket"
    ),
    "provider_unavailable": (
        r"internal[ _](server[ _])?error|unavailable|bad gateway|server[ -]side"
        r"|server error|maintenance|temporar|backend ?error|outage|read[ -]only"
        r"|try again later|\b50[0-3]\b|fatal[ _]error"
    ),
    "configuration_error": (
        r"not enabled|disabled for|not supported|unsupported|deprecated|method not allowed"
        r"|endpoint|api version|base url|misconfigur|not configured|not installed|regist"
        r"|tenant|redirect|token type|live mode|test mode|subdomain|protocol|feature"
    ),
    "mapping_error": (
        r"no such column|property .{0,40}(does not|doesn't) exist|unknown field"
        r"|unrecognized field|field mapping|\bmaps?\b|mapping|source path|sobject type"
        r"|not a (field|property)|wrong type|incorrect field type"
    ),
    "unknown": (
        r"unexpected|something went wrong|unknown error|unhandled|exception\b|nonetype"
        r"|undefined|nullpointer|null pointer|panic|traceback|\bgeneric\b|unspecified|oops"
        r"|\bfailed\.$"
    ),
}

# The patterns are lower case and run on lower-cased text: re.IGNORECASE makes these long
# alternations about five times slower.
CUES: dict[str, re.Pattern[str]] = {
    category: re.compile(pattern) for category, pattern in _PATTERNS.items()
}


def cue_tokens(text: str) -> str:
    """Return one ``cue_<category>`` token for every category whose phrases occur in text."""
    lowered = text.lower()
    return " ".join(
        f"cue_{category}" for category, pattern in CUES.items() if pattern.search(lowered)
    )


# The keyword baseline tries narrow phrases before broad ones ("invalid", "permission").
_KEYWORD_ORDER = (
    "mapping_error",
    "duplicate_record",
    "token_expired",
    "rate_limited",
    "quota_exceeded",
    "payload_too_large",
    "timeout",
    "network_error",
    "not_found",
    "invalid_credentials",
    "configuration_error",
    "provider_unavailable",
    "conflict",
    "insufficient_permissions",
    "validation_error",
)


def keyword_category(text: str) -> str:
    """Classify by the first category in a fixed narrow-to-broad order whose phrases occur.

    This is the keyword-rule baseline; ``unknown`` when no phrase occurs.
    """
    lowered = text.lower()
    for category in _KEYWORD_ORDER:
        if CUES[category].search(lowered):
            return category
    return "unknown"
