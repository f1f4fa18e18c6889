"""Keyword cues: library messages for unknown names, and the patterns built from phrases."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nova.errors.cues import CUE_FAMILIES, CUES, _alternation, cue_tokens, keyword_category
from nova.errors.dataset import load_examples


def _is_valid_regex(phrase: str) -> bool:
    try:
        re.compile(phrase)
    except re.error:
        return False
    return True


# Written in each library's own wording, with field names of an HR sync.
UNKNOWN_NAME_MESSAGES = [
    "Additional properties are not allowed ('fname' was unexpected)",
    "1 validation error for Employee\nfname\n  Extra inputs are not permitted",
    "extra keys not allowed @ data['fname']",
    'json: unknown field "fname"',
    "unknown field `fname`, expected one of `first_name`, `last_name`",
    'Unrecognized field "fname" (class Employee), not marked as ignorable',
    'Cannot query field "fname" on type "Employee".',
    "The property 'fname' does not exist on type 'Microsoft.Graph.user'.",
    "unknown attribute 'fname' for Employee.",
    "Cannot resolve keyword 'fname' into field. Choices are: first_name, id",
    "table employees has no column named fname",
    "Unknown column 'fname' in 'field list'",
    'column "fname" of relation "employees" does not exist',
]

BAD_VALUE_MESSAGES = [
    "'2025-13-01' is not a valid date for hire_date",
    "first_name: ensure this value has at most 50 characters",
    "Field required: last_name",
]


@pytest.mark.parametrize("message", UNKNOWN_NAME_MESSAGES)
def test_unknown_name_cues_mapping(message: str) -> None:
    assert "cue_mapping_error" in cue_tokens(message).split()
    assert keyword_category(message) == "mapping_error"


@pytest.mark.parametrize("message", BAD_VALUE_MESSAGES)
def test_bad_value_cues_no_mapping(message: str) -> None:
    assert "cue_mapping_error" not in cue_tokens(message).split()


def _flat_match(phrases: list[str], text: str) -> bool:
    return any(re.search(phrase, text) for phrase in phrases)


def test_nested_patterns_match_flat_phrases() -> None:
    examples = load_examples()
    texts = [f"{row.message} {row.error_code or ''}".lower() for row in examples[::7]]
    for category, pattern in CUES.items():
        phrases = [
            phrase
            for family in CUE_FAMILIES.values()
            for phrase in family["cues"].get(category, [])
        ]
        for text in texts:
            assert bool(pattern.search(text)) == _flat_match(phrases, text), (category, text)


# Short words over a small alphabet share leading letters, as cue phrases do.
_WORDS = st.text(alphabet="abé? |", min_size=1, max_size=5).filter(_is_valid_regex)


@given(st.lists(_WORDS, min_size=1, max_size=12), st.text(alphabet="abé ", max_size=20))
def test_alternation_keeps_matches(phrases: list[str], text: str) -> None:
    assert bool(re.search(_alternation(phrases), text)) == _flat_match(phrases, text)
