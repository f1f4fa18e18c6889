"""Load the field-name lexicon: abbreviations, synonyms, qualifiers and modifiers.

The lexicon is data, kept in ``datasets/mapping/lexicon.json`` at the repository root; a built
wheel carries a copy at ``nova/mapping/data/lexicon.json``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from nova.mapping.names import split_words

__all__ = ["Lexicon", "lexicon_path", "load_lexicon"]

_PACKAGED = Path(__file__).resolve().parent / "data" / "lexicon.json"
_REPOSITORY = Path(__file__).resolve().parents[2] / "datasets" / "mapping" / "lexicon.json"


@dataclass(frozen=True, eq=False)
class Lexicon:
    """Word knowledge about HR, CRM and identity field names, indexed for look-ups.

    Instances compare and hash by identity, so caches can key on the loaded lexicon.
    """

    abbreviations: dict[str, tuple[str, ...]]
    concepts: dict[str, str]
    expected_kinds: dict[str, str]
    qualifiers: dict[str, str]
    modifiers: frozenset[str]
    stopwords: frozenset[str]
    generic_leaves: frozenset[str]
    vocabulary: frozenset[str]

    def expand(self, tokens: Iterable[str]) -> tuple[str, ...]:
        """Replace abbreviations by their words; an abbreviation mapped to "" is dropped."""
        expanded: list[str] = []
        for token in tokens:
            expanded.extend(self.abbreviations.get(token, (token,)))
        return tuple(expanded)

    def concept(self, tokens: Iterable[str]) -> str | None:
        """Return the concept whose synonym phrase is exactly these (expanded) tokens."""
        return self.concepts.get(" ".join(tokens))

    def qualifier_groups(self, tokens: Iterable[str]) -> frozenset[str]:
        """Return the qualifier groups (``work``, ``personal``, ...) named by these tokens."""
        return frozenset(self.qualifiers[token] for token in tokens if token in self.qualifiers)


def lexicon_path() -> Path:
    """Return the lexicon file: the wheel's packaged copy, else the repository's data file."""
    return _PACKAGED if _PACKAGED.is_file() else _REPOSITORY


@lru_cache(maxsize=4)
def load_lexicon(path: Path | None = None) -> Lexicon:
    """Read and index the lexicon file (``lexicon_path()`` unless given)."""
    raw = json.loads((path or lexicon_path()).read_text(encoding="utf-8"))

    abbreviations = {
        key: tuple(split_words(value)) for key, value in raw["abbreviations"].items()
    }
    vocabulary = set(raw["words"]) | set(abbreviations)
    for expansion in abbreviations.values():
        vocabulary.update(expansion)

    # Phrases are indexed the way field names are normalised: abbreviations expanded, empty
    # expansions and stopwords dropped.
    stopwords = frozenset(raw["stopwords"])
    concepts: dict[str, str] = {}
    for concept, phrases in raw["synonyms"].items():
        for phrase in phrases:
            words = split_words(phrase)
            vocabulary.update(words)
            expanded = [word for token in words for word in abbreviations.get(token, (token,))]
            key = " ".join(word for word in expanded if word and word not in stopwords)
            concepts.setdefault(key, concept)

    qualifiers = {word: group for group, words in raw["qualifiers"].items() for word in words}
    vocabulary.update(qualifiers)
    vocabulary.update(raw["modifiers"])

    return Lexicon(
        abbreviations=abbreviations,
        concepts=concepts,
        expected_kinds=dict(raw["expected_kinds"]),
        qualifiers=qualifiers,
        modifiers=frozenset(raw["modifiers"]),
        stopwords=stopwords,
        generic_leaves=frozenset(raw["generic_leaves"]),
        vocabulary=frozenset(vocabulary),
    )
