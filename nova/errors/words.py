"""Tell names (fields, resources, scopes) apart from the English words and values around them.

The extractors in ``parameters`` and ``fields`` find a candidate by its position in a message,
such as the word after "parameter" or before "was not found". These checks reject candidates
that are grammar ("argument whose name", "team_id was not found"), a value
("'ABC123' is not a valid ID value") or a word that names no particular resource ("access to
this resource"), so the fix falls back to its generic wording.
"""

from __future__ import annotations

import re

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

__all__ = [
    "FIELD_NAME_STOP_WORDS",
    "FUNCTION_WORDS",
    "is_function_word",
    "is_identifier",
    "is_resource_word",
    "looks_like_value",
]

FIELD_NAME_STOP_WORDS = frozenset({"amount", "first", "last", "name"})
"""Words in scikit-learn's stop-word list that providers also use as field names: Slack's
``name``, Stripe's ``amount``, GitHub GraphQL's ``first`` and ``last``."""

# NOTE: the word lists are English. In a message in another language no candidate is rejected
# as grammar, so a fix may still name a word that is not a field.
FUNCTION_WORDS = frozenset(ENGLISH_STOP_WORDS) - FIELD_NAME_STOP_WORDS
"""scikit-learn's English stop words (318 words: "was", "has", "whose", "this", "which", ...),
minus the ones that are also field names."""

# Nouns a message uses for "the thing" without naming it. A scope or lookup built from them
# ("resource.read", "The Resource was not found") would mislead.
_GENERIC_NOUNS = frozenset(
    {
        "action",
        "api",
        "apis",
        "data",
        "endpoint",
        "entity",
        "feature",
        "function",
        "information",
        "item",
        "method",
        "object",
        "operation",
        "property",
        "record",
        "request",
        "resource",
        "service",
        "uri",
        "url",
        "value",
    }
)
# Whole-token shapes of values rather than names: numbers, codes such as ABC123 (capitals with
# a digit), all-capital error codes with an underscore (API_DISABLED_FOR_ORG), UUIDs, e-mail
# addresses, URLs and anything with a space.
_VALUE_SHAPES = re.compile(
    r"[+-]?\d[\d.,]*"
    r"|(?=[A-Z0-9-]*\d)[A-Z0-9-]+"
    r"|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+"
    r"|[0-9a-fA-F]{8}-[0-9a-fA-F-]{27}"
    r"|.*(?:@|://|\s).*"
)
# snake_case, camelCase, dotted or indexed paths, and names with digits: the forms a person
# writing prose does not use for an ordinary word.
_IDENTIFIER = re.compile(r"[A-Za-z_$][\w$]*(?:(?:\.|\[\d*\]\.?)[\w$]+)*(?:\[\d*\])?")
_IDENTIFIER_MARK = re.compile(r"_|\d|[a-z][A-Z]|\.\w|\[")


def is_function_word(word: str) -> bool:
    """Return whether ``word`` is an English stop word that no field is named after."""
    return word.lower() in FUNCTION_WORDS


def looks_like_value(token: str) -> bool:
    """Return whether ``token`` is shaped like a value (``ABC123``, ``42``) or an error code."""
    return _VALUE_SHAPES.fullmatch(token) is not None


def is_identifier(token: str) -> bool:
    """Return whether ``token`` is written like a program name: snake_case, camelCase, dotted."""
    return _IDENTIFIER.fullmatch(token) is not None and _IDENTIFIER_MARK.search(token) is not None


def is_resource_word(word: str) -> bool:
    """Return whether ``word`` can name a resource.

    A resource word is not empty, not a function word, not shaped like a value and not a
    generic noun such as "resource" or "operation". A plural is checked by its singular, so
    "resources" and "operations" are generic too.
    """
    lowered = word.lower()
    if not lowered or is_function_word(lowered) or looks_like_value(word):
        return False
    return lowered not in _GENERIC_NOUNS and lowered.removesuffix("s") not in _GENERIC_NOUNS
