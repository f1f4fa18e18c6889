"""Split field names and paths into lower-case word tokens.

Handles camelCase, PascalCase with acronyms (``EmpID``), snake_case, kebab-case, spaces, dots,
digits, SCIM URN prefixes, array indexes (``phones[0]``), SCIM value filters
(``emails[type eq "work"]``) and run-together words (``hiredate``), which are split with a
word list passed in by the caller.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["FieldName", "parse_field_name", "split_run_together", "split_words"]

# An acronym before a capitalised word (``HTTPServer``), a capitalised or lower-case word, an
# acronym, or a number.
_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")
_FILTER = re.compile(r"\[([^\]]*)\]")
_FILTER_VALUE = re.compile(r"""eq\s+["']?([A-Za-z0-9_ -]+?)["']?\s*$""")
_URN_PREFIX = "urn:"
_MIN_SPLIT_LENGTH = 6


@dataclass(frozen=True)
class FieldName:
    """A field name or path broken into word tokens.

    ``leaf`` contains the tokens of the last path segment, ``context`` those of the segments
    before it, and ``filters`` the words from SCIM value filters such as ``[type eq "work"]``.
    """

    raw: str
    leaf: tuple[str, ...]
    context: tuple[str, ...]
    filters: tuple[str, ...]

    @property
    def tokens(self) -> tuple[str, ...]:
        """Context, filter and leaf tokens in path order, each word once."""
        return tuple(dict.fromkeys((*self.context, *self.filters, *self.leaf)))


def split_words(text: str) -> list[str]:
    """Split one name segment into lower-case words and numbers."""
    return [word.lower() for word in _WORD.findall(text)]


def split_run_together(word: str, vocabulary: Collection[str]) -> list[str]:
    """Split a word such as ``hiredate`` into known words, or return it whole.

    A word already in ``vocabulary``, a short word, or one that cannot be covered entirely by
    known words of two or more letters (``of`` included) stays as it is. Among the splits, the
    one with the fewest pieces wins, then the one with the longest pieces.
    """
    if word in vocabulary or len(word) < _MIN_SPLIT_LENGTH or not word.isalpha():
        return [word]

    pieces = _best_split(word, frozenset(vocabulary))
    return list(pieces) if pieces else [word]


@lru_cache(maxsize=4096)
def _best_split(word: str, vocabulary: frozenset[str]) -> tuple[str, ...] | None:
    # best[i] is the best split of word[:i]. Splits rank by piece count, then by the sum of
    # squared piece lengths, so "first name" beats "firs tname".
    best: list[tuple[int, int, tuple[str, ...]] | None] = [None] * (len(word) + 1)
    best[0] = (0, 0, ())
    for end in range(2, len(word) + 1):
        for start in range(0, end - 1):
            previous = best[start]
            piece = word[start:end]
            if previous is None or piece not in vocabulary:
                continue
            candidate = (previous[0] + 1, previous[1] - len(piece) ** 2, (*previous[2], piece))
            current = best[end]
            if current is None or candidate[:2] < current[:2]:
                best[end] = candidate

    final = best[len(word)]
    return final[2] if final is not None else None


def parse_field_name(name: str, vocabulary: Collection[str] = ()) -> FieldName:
    """Parse a field name or dot path into leaf, context and filter tokens."""
    text = name.strip()
    context: list[str] = []
    if text.lower().startswith(_URN_PREFIX) and ":" in text:
        # A SCIM extension attribute: the part after the last colon is the attribute path. The
        # URN before it names the schema, not the attribute, so it is dropped.
        _, text = text.rsplit(":", 1)

    filters: list[str] = []
    for match in _FILTER.finditer(text):
        value = _FILTER_VALUE.search(match.group(1))
        if value:
            filters.extend(split_words(value.group(1)))
    text = _FILTER.sub("", text)

    segments = [segment for segment in text.split(".") if segment.strip()]
    tokenised = [_segment_tokens(segment, vocabulary) for segment in segments] or [[]]
    for segment_tokens in tokenised[:-1]:
        context.extend(segment_tokens)

    return FieldName(
        raw=name,
        leaf=tuple(tokenised[-1]),
        context=tuple(context),
        filters=tuple(filters),
    )


def _segment_tokens(segment: str, vocabulary: Collection[str]) -> list[str]:
    tokens: list[str] = []
    for word in split_words(segment):
        tokens.extend(split_run_together(word, vocabulary))
    return tokens
