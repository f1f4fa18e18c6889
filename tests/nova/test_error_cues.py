"""Keyword cues: library messages for unknown names, and localised messages."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nova.errors.cues import CUE_FAMILIES, CUES, _alternation, cue_tokens, keyword_category
from nova.errors.dataset import load_examples
from nova.errors.taxonomy import CATEGORIES


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


# Localised messages written for this test, one per category the translations cover.
LOCALISED_MESSAGES = [
    ("La contraseña del usuario de la API es incorrecta", "invalid_credentials"),
    ("Die Sitzung ist abgelaufen, bitte erneut anmelden", "token_expired"),
    ("Zugriff verweigert: fehlende Berechtigung für dieses Konto", "insufficient_permissions"),
    ("Слишком много запросов, повторите позже", "rate_limited"),
    ("Dzienny limit wywołań API został wykorzystany", "quota_exceeded"),
    ("Nie znaleziono faktury o podanym numerze", "not_found"),
    ("O campo cpf é obrigatório", "validation_error"),
    ("Un contact avec cet e-mail existe déjà", "duplicate_record"),
    ("Il documento è bloccato da un altro utente", "conflict"),
    ("Il file ha dimensioni troppo grande per l'invio", "payload_too_large"),
    ("リクエストがタイムアウトしました", "timeout"),
    ("连接被拒绝，请检查网络", "network_error"),
    ("Servicio no disponible por mantenimiento", "provider_unavailable"),
    ("Die API ist für diesen Mandanten nicht aktiviert", "configuration_error"),
    ("Error de mapeo en el paso 3", "mapping_error"),
    ("Wystąpił nieoczekiwany błąd", "unknown"),
]

# English wording near the translated phrases, which the translations must leave alone.
ENGLISH_MESSAGES = [
    "x509: certificate has expired or is not yet valid",
    "The refresh token was invalidated by the user",
    "Archive is too large to upload",
    "inactive recipient",
    "medium priority queue is full",
    "Schema mismatch: column amount changed type",
    "Embedding dimension 384 does not match collection dimensionality 768",
    "Session expired; sign in again",
]


def _translation_categories(text: str) -> set[str]:
    lowered = text.lower()
    return {
        category
        for category, phrases in CUE_FAMILIES["translations"]["cues"].items()
        if any(re.search(phrase, lowered) for phrase in phrases)
    }


@pytest.mark.parametrize(("message", "category"), LOCALISED_MESSAGES)
def test_localised_message_meets_its_category_cue(message: str, category: str) -> None:
    assert f"cue_{category}" in cue_tokens(message).split()


def test_translations_cover_every_category() -> None:
    assert set(CUE_FAMILIES["translations"]["cues"]) == set(CATEGORIES)


@pytest.mark.parametrize("message", ENGLISH_MESSAGES)
def test_translations_leave_english_alone(message: str) -> None:
    assert _translation_categories(message) == set()


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
