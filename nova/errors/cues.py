"""Keyword cues: phrases that point to a category whatever the provider's wording.

The phrases are data in ``cues.json`` beside this module, grouped in families that name
their source (the taxonomy's definitions and anchor codes, HTTP reason phrases, OAuth error
codes, system error names). They serve twice: as extra features of the trained classifier,
so a phrase carries over to providers it has not seen, and on their own as the keyword-rule
baseline in ``benchmarks/error_eval.py``. The ``translations`` family carries the
taxonomy's condition words into 14 other languages, so a localised message meets the same
cue tokens as an English one.
"""

from __future__ import annotations

import json
import re
from importlib import resources
from typing import Any

from nova.errors.taxonomy import CATEGORIES

__all__ = ["CUES", "CUE_FAMILIES", "cue_tokens", "keyword_category"]


def _load_families() -> dict[str, dict[str, Any]]:
    text = resources.files(__package__).joinpath("cues.json").read_text(encoding="utf-8")
    families: dict[str, dict[str, Any]] = json.loads(text)["families"]
    for family, entry in families.items():
        unknown = set(entry["cues"]) - set(CATEGORIES)
        if unknown:
            raise ValueError(f"cues.json family {family!r} names unknown categories {unknown}")
    return families


CUE_FAMILIES: dict[str, dict[str, Any]] = _load_families()
"""The cue families of ``cues.json``: ``source`` and ``cues`` (category -> regexes)."""


def _category_pattern(category: str) -> re.Pattern[str] | None:
    phrases = [
        phrase for entry in CUE_FAMILIES.values() for phrase in entry["cues"].get(category, [])
    ]
    return re.compile(_alternation(phrases)) if phrases else None


def _alternation(phrases: list[str]) -> str:
    """Join regexes into one alternation, sharing the leading letters of literal phrases.

    Python's ``re`` tries every branch of an alternation at every position of the text.
    Phrases that start with the same literal character are nested under it, one character
    per level (``duplicate|duplikat`` becomes ``d(?:u(?:p(?:…)))``). A position where no
    phrase starts then fails after one comparison per distinct leading character instead of
    one per phrase. The matched texts are the same.
    """
    nested: dict[str, list[str]] = {}
    others: list[str] = []
    for phrase in phrases:
        if _leading_literal(phrase):
            nested.setdefault(phrase[0], []).append(phrase[1:])
        else:
            others.append(phrase)

    branches = []
    for first, tails in nested.items():
        tail = _alternation(tails) if len(tails) > 1 else tails[0]
        branches.append(f"{re.escape(first)}(?:{tail})")
    branches += [f"(?:{phrase})" for phrase in others]
    return "|".join(branches)


def _leading_literal(phrase: str) -> bool:
    """Tell whether a regex starts with a plain character that it always matches first."""
    if not phrase or phrase[0] in "\\([.^$|)]" or phrase[1:2] in ("?", "*", "+", "{"):
        return False
    return not _has_top_level_alternation(phrase)


def _has_top_level_alternation(phrase: str) -> bool:
    depth, escaped, in_class = 0, False, False
    for character in phrase:
        if escaped:
            escaped = False
        elif character == "\\":
            escaped = True
        elif in_class:
            in_class = character != "]"
        elif character == "[":
            in_class = True
        elif character in "()":
            depth += 1 if character == "(" else -1
        elif character == "|" and depth == 0:
            return True
    return False


# The patterns are lower case and run on lower-cased text, because re.IGNORECASE makes
# these long alternations several times slower.
CUES: dict[str, re.Pattern[str]] = {
    category: pattern
    for category in CATEGORIES
    if (pattern := _category_pattern(category)) is not None
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
