"""Compute the feature matrix for every (target, source) pair in one pass.

Row ``t * n_sources + s`` describes target ``t`` against source ``s``. Fuzzy scores come from
rapidfuzz's ``cdist`` and set overlaps from matrix products, so a 60 by 40 matrix costs a few
milliseconds rather than 2,400 Python-level comparisons.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import JaroWinkler, Prefix

from nova.mapping.describe import FieldDescription

__all__ = ["FEATURE_GROUPS", "FEATURE_NAMES", "NEUTRAL_VALUES", "pair_features"]

FEATURE_NAMES = (
    "name_ratio",            # rapidfuzz ratio of the normalised names, 0..1
    "name_token_set",        # token_set_ratio of the normalised names
    "leaf_token_sort",       # token_sort_ratio of the last path segments
    "raw_prefix",            # shared prefix of the raw last segments / the shorter length
    "raw_jaro_winkler",      # Jaro-Winkler similarity of the raw last segments, letters only
    "token_jaccard",         # shared words / all words
    "token_overlap",         # shared words / words of the shorter name
    "exact_name",            # 1 when the normalised names are equal
    "canonical_jaccard",     # word-set overlap after lexicon concepts replace synonym phrases
    "concept_match",         # both names are the same lexicon concept
    "concept_conflict",      # both names are lexicon concepts, and different ones
    "qualifier_match",       # a shared qualifier group such as work or personal
    "qualifier_conflict",    # qualifiers on both sides, none shared (work vs personal)
    "qualifier_one_side",    # qualifier groups present on one side only
    "modifier_one_side",     # words such as consent, opt, verified present on one side only
    "context_overlap",       # path context (``name`` in ``name.givenName``) found in the other
    "type_compatibility",    # 1 same type, 0.5 unknown or loosely compatible, 0 conflicting
    "value_match",           # sample kind matches the kind the target expects
    "value_conflict",        # sample kind contradicts the kind the target expects
    "has_samples",           # the source field has sample values
    "best_for_target",       # this source has the highest base score for the target
    "best_for_source",       # this target has the highest base score for the source
    "gap_for_target",        # base score minus the best other source's, for this target
    "gap_for_source",        # base score minus the best other target's, for this source
)

FEATURE_GROUPS: dict[str, tuple[str, ...]] = {
    "name": ("name_ratio", "name_token_set", "leaf_token_sort", "raw_prefix",
             "raw_jaro_winkler", "token_jaccard", "token_overlap", "exact_name"),
    "lexicon": ("canonical_jaccard", "concept_match", "concept_conflict"),
    "qualifiers": ("qualifier_match", "qualifier_conflict", "qualifier_one_side"),
    "modifiers": ("modifier_one_side",),
    "path": ("context_overlap",),
    "type": ("type_compatibility",),
    "values": ("value_match", "value_conflict", "has_samples"),
    "competition": ("best_for_target", "best_for_source", "gap_for_target", "gap_for_source"),
}

# Values that carry no evidence either way; explanations swap a group to these to measure it.
NEUTRAL_VALUES: dict[str, float] = {
    **dict.fromkeys(FEATURE_NAMES, 0.0),
    "type_compatibility": 0.5,
    "best_for_target": 1.0,
    "best_for_source": 1.0,
}

_TYPE_ORDER = ("string", "integer", "number", "boolean", "date", "datetime", "time", "email",
               "phone", "url", "uuid", "any", "array", "object")
_TEXTUAL = {"string", "email", "phone", "url", "uuid"}
# Kinds close enough that one often stands for the other: Unix timestamps are integers, phone
# numbers are sometimes stored as integers.
_NEAR_KINDS = {frozenset({"date", "datetime"}), frozenset({"integer", "number"}),
               frozenset({"datetime", "integer"}), frozenset({"phone", "integer"})}
_STRICT_KINDS = {"email", "phone", "url", "uuid", "date", "datetime", "time", "boolean",
                 "integer", "number"}


def _type_score(a: str, b: str) -> float:
    if a == b:
        return 1.0
    pair = frozenset({a, b})
    if "any" in pair:
        return 0.5
    if pair in _NEAR_KINDS:
        return 0.75
    if "string" in pair:
        return 0.5
    if "array" in pair or "object" in pair or ("boolean" in pair and pair & _TEXTUAL):
        return 0.25
    return 0.0


_TYPE_TABLE = np.array([[_type_score(a, b) for b in _TYPE_ORDER] for a in _TYPE_ORDER])
_TYPE_INDEX = {name: index for index, name in enumerate(_TYPE_ORDER)}


def pair_features(
    targets: Sequence[FieldDescription], sources: Sequence[FieldDescription]
) -> np.ndarray:
    """Return the (len(targets) * len(sources), len(FEATURE_NAMES)) feature matrix."""
    columns: dict[str, np.ndarray] = {}
    columns.update(_fuzzy_columns(targets, sources))
    columns.update(_set_columns(targets, sources))
    columns.update(_lexicon_columns(targets, sources))
    columns.update(_type_and_value_columns(targets, sources))
    columns.update(_competition_columns(columns))
    return np.stack([columns[name].ravel() for name in FEATURE_NAMES], axis=1)


def _cdist(targets: list[str], sources: list[str], scorer: Any) -> np.ndarray:
    return process.cdist(targets, sources, scorer=scorer, dtype=np.float32) / 100.0


def _fuzzy_columns(targets, sources) -> dict[str, np.ndarray]:
    target_text = [d.text for d in targets]
    source_text = [d.text for d in sources]
    target_leaf = [d.leaf_text for d in targets]
    source_leaf = [d.leaf_text for d in sources]
    target_compact = [d.compact for d in targets]
    source_compact = [d.compact for d in sources]
    jaro = process.cdist(target_compact, source_compact,
                         scorer=JaroWinkler.normalized_similarity, dtype=np.float32)
    # Prefix.similarity is the length of the shared prefix: "dept" and "department" share 3.
    prefix = process.cdist(target_compact, source_compact, scorer=Prefix.similarity,
                           dtype=np.float32)
    shorter = np.minimum.outer([len(text) for text in target_compact],
                               [len(text) for text in source_compact])
    return {
        "name_ratio": _cdist(target_text, source_text, fuzz.ratio),
        "name_token_set": _cdist(target_text, source_text, fuzz.token_set_ratio),
        "leaf_token_sort": _cdist(target_leaf, source_leaf, fuzz.token_sort_ratio),
        "raw_prefix": _safe_divide(prefix, shorter.astype(np.float32)),
        "raw_jaro_winkler": jaro,
        "exact_name": np.equal.outer(np.array(target_text, dtype=object),
                                     np.array(source_text, dtype=object)).astype(np.float32),
    }


def _incidence(sets: list[frozenset[str]], index: dict[str, int]) -> np.ndarray:
    matrix = np.zeros((len(sets), len(index)), dtype=np.float32)
    for row, items in enumerate(sets):
        for item in items:
            matrix[row, index[item]] = 1.0
    return matrix


def _overlaps(target_sets, source_sets) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return intersection sizes and the two set sizes, broadcast to (targets, sources)."""
    index = {item: i for i, item in enumerate(sorted(set().union(*target_sets, *source_sets)))}
    left = _incidence(target_sets, index)
    right = _incidence(source_sets, index)
    return left @ right.T, left.sum(axis=1)[:, None], right.sum(axis=1)[None, :]


def _safe_divide(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    return np.divide(numerator, denominator, out=np.zeros_like(numerator),
                     where=denominator > 0)


def _set_columns(targets, sources) -> dict[str, np.ndarray]:
    shared, left, right = _overlaps([frozenset(d.tokens) for d in targets],
                                    [frozenset(d.tokens) for d in sources])
    union = left + right - shared
    canonical, c_left, c_right = _overlaps([d.canonical for d in targets],
                                           [d.canonical for d in sources])
    modifiers, m_left, m_right = _overlaps([d.modifiers for d in targets],
                                           [d.modifiers for d in sources])
    context_t, ct_left, _ = _overlaps([frozenset(d.context) for d in targets],
                                      [frozenset(d.tokens) for d in sources])
    context_s, _, cs_right = _overlaps([frozenset(d.tokens) for d in targets],
                                       [frozenset(d.context) for d in sources])
    return {
        "token_jaccard": _safe_divide(shared, union),
        "token_overlap": _safe_divide(shared, np.minimum(left, right)),
        "canonical_jaccard": _safe_divide(canonical, c_left + c_right - canonical),
        "modifier_one_side": np.minimum(m_left + m_right - 2 * modifiers, 3.0),
        "context_overlap": np.maximum(_safe_divide(context_t, np.broadcast_to(ct_left,
                                                                              context_t.shape)),
                                      _safe_divide(context_s, np.broadcast_to(cs_right,
                                                                              context_s.shape))),
    }


def _lexicon_columns(targets, sources) -> dict[str, np.ndarray]:
    target_concepts = np.array([d.concept or "" for d in targets], dtype=object)
    source_concepts = np.array([d.concept or "" for d in sources], dtype=object)
    both = np.logical_and.outer(target_concepts != "", source_concepts != "")
    same = np.equal.outer(target_concepts, source_concepts) & both

    groups = sorted({g for d in (*targets, *sources) for g in d.qualifiers})
    bit = {group: 1 << i for i, group in enumerate(groups)}
    target_bits = np.array([sum(bit[g] for g in d.qualifiers) for d in targets], dtype=np.int64)
    source_bits = np.array([sum(bit[g] for g in d.qualifiers) for d in sources], dtype=np.int64)
    shared = np.bitwise_and.outer(target_bits, source_bits)
    differing = np.bitwise_xor.outer(target_bits, source_bits)
    both_qualified = np.logical_and.outer(target_bits != 0, source_bits != 0)
    bit_counts = np.array([value.bit_count() for value in range(1 << len(groups))])
    one_side = bit_counts[differing]

    return {
        "concept_match": same.astype(np.float32),
        "concept_conflict": (both & ~same).astype(np.float32),
        "qualifier_match": (shared != 0).astype(np.float32),
        "qualifier_conflict": (both_qualified & (shared == 0)).astype(np.float32),
        "qualifier_one_side": np.minimum(one_side, 3).astype(np.float32),
    }


def _type_and_value_columns(targets, sources) -> dict[str, np.ndarray]:
    target_types = np.array([_TYPE_INDEX.get(d.field.type or "any", _TYPE_INDEX["any"])
                             for d in targets])
    source_types = np.array([_TYPE_INDEX.get(_source_type(d), _TYPE_INDEX["any"])
                             for d in sources])

    expected = np.array([_KIND_INDEX[d.expected_kind] for d in targets])
    kinds = np.array([_KIND_INDEX[d.value_kind] for d in sources])
    match = _VALUE_MATCH[np.ix_(expected, kinds)]
    conflict = _VALUE_CONFLICT[np.ix_(expected, kinds)]

    has_samples = np.array([1.0 if d.value.kind is not None else 0.0 for d in sources],
                           dtype=np.float32)
    return {
        "type_compatibility": _TYPE_TABLE[np.ix_(target_types, source_types)].astype(np.float32),
        "value_match": match,
        "value_conflict": conflict,
        "has_samples": np.broadcast_to(has_samples, match.shape).copy(),
    }


def _value_tables() -> tuple[dict[str | None, int], np.ndarray, np.ndarray]:
    """Build lookup tables of value match and conflict, indexed by (expected kind, kind)."""
    kinds: list[str | None] = [None, *_TYPE_ORDER]
    match = np.zeros((len(kinds), len(kinds)), dtype=np.float32)
    conflict = np.zeros_like(match)
    for row, expected in enumerate(kinds):
        for column, kind in enumerate(kinds):
            if expected is None or kind is None:
                continue
            if kind == expected:
                match[row, column] = 1.0
            elif frozenset({kind, expected}) in _NEAR_KINDS:
                match[row, column] = 0.5
            elif kind in _STRICT_KINDS and expected in _STRICT_KINDS:
                # A plain string never conflicts: it may hold a value mapkit could not parse.
                conflict[row, column] = 1.0
    return {kind: index for index, kind in enumerate(kinds)}, match, conflict


_KIND_INDEX, _VALUE_MATCH, _VALUE_CONFLICT = _value_tables()


def _source_type(description: FieldDescription) -> str:
    if description.field.type:
        return description.field.type
    return description.value.kind or "any"


def _competition_columns(columns: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Compare each pair's base score with the other candidates in its row and column."""
    base = 0.5 * columns["name_token_set"] + 0.5 * np.maximum(columns["concept_match"],
                                                              columns["canonical_jaccard"])
    return {
        "best_for_target": (base >= base.max(axis=1, keepdims=True)).astype(np.float32),
        "best_for_source": (base >= base.max(axis=0, keepdims=True)).astype(np.float32),
        "gap_for_target": base - _best_other(base, axis=1),
        "gap_for_source": base - _best_other(base, axis=0),
    }


def _best_other(base: np.ndarray, axis: int) -> np.ndarray:
    """For each cell, the highest score among the other cells on the same row or column."""
    if base.shape[axis] < 2:
        return np.zeros_like(base)
    ordered = np.sort(base, axis=axis)
    first = np.take(ordered, [-1], axis=axis)
    second = np.take(ordered, [-2], axis=axis)
    return np.where(base >= first, second, first)
