"""Keyword cues: the library messages for unknown names point to mapping_error."""

from __future__ import annotations

import pytest

from nova.errors.cues import cue_tokens, keyword_category

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
