"""The lexicon: abbreviations, synonym concepts, qualifiers and modifiers found in names."""

from __future__ import annotations

from pathlib import Path

import pytest

from nova.mapping.describe import describe_field
from nova.mapping.lexicon import lexicon_path, load_lexicon
from nova.mapping.sources import Field

LEXICON = load_lexicon()


@pytest.mark.parametrize(
    ("name", "concept"),
    [
        ("fname", "first_name"),
        ("givenName", "first_name"),
        ("name.givenName", "first_name"),
        ("surname", "last_name"),
        ("DOB", "birth_date"),
        ("DateofHire", "hire_date"),
        ("start_date", "hire_date"),
        ("e-mail", "email"),
        ("workEmail", "email"),
        ('emails[type eq "work"].value', "email"),
        ("cell", "mobile_phone"),
        ("phones[0].value", "phone"),
        ("zipcode", "postal_code"),
        ("ADDRESS_POSTCODE", "postal_code"),
        ("town", "city"),
        ("supervisorEId", "manager"),
        ("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value", "manager"),
        ("HasOptedOutOfEmail", "email_opt_out"),
        ("hs_email_optout", "email_opt_out"),
        ("numemployees", "employee_count"),
        ("last_order_name", None),
        ("email_consent", None),
        ("favouriteColour", None),
    ],
)
def test_concept_table(name: str, concept: str | None) -> None:
    assert describe_field(Field(name), LEXICON).concept == concept


@pytest.mark.parametrize(
    ("name", "qualifiers"),
    [
        ("workEmail", {"work"}),
        ("homePhone", {"personal"}),
        ("privateEmail", {"personal"}),
        ("mobilePhone", {"mobile"}),
        ('phoneNumbers[type eq "mobile"].value', {"mobile"}),
        ("supervisorEmail", {"manager"}),
        ("email", set()),
    ],
)
def test_qualifier_table(name: str, qualifiers: set[str]) -> None:
    assert describe_field(Field(name), LEXICON).qualifiers == qualifiers


@pytest.mark.parametrize(
    ("name", "modifiers"),
    [
        ("email_consent", {"consent"}),
        ("email_marketing_consent.state", {"marketing", "consent", "state"}),
        ("verified_email", {"verified"}),
        ("email", set()),
    ],
)
def test_modifier_table(name: str, modifiers: set[str]) -> None:
    assert describe_field(Field(name), LEXICON).modifiers == modifiers


@pytest.mark.parametrize(
    ("tokens", "expected"),
    [
        (("dob",), ("date", "of", "birth")),
        (("dept", "id"), ("department", "id")),
        (("hs", "lead", "status"), ("lead", "status")),
        (("emails",), ("email",)),
    ],
)
def test_expand_abbreviations_table(tokens: tuple[str, ...], expected: tuple[str, ...]) -> None:
    assert LEXICON.expand(tokens) == expected


def test_lexicon_file_is_repository_data() -> None:
    path = lexicon_path()

    assert path.is_file()
    assert path.name == "lexicon.json"


def test_lexicon_loads_from_given_path(tmp_path: Path) -> None:
    path = tmp_path / "lexicon.json"
    path.write_text(
        '{"abbreviations": {"nm": "name"}, "synonyms": {"label": ["nm"]}, "expected_kinds": {},'
        ' "qualifiers": {}, "modifiers": [], "stopwords": [], "generic_leaves": [],'
        ' "words": ["name"]}',
        encoding="utf-8",
    )

    lexicon = load_lexicon(path)

    assert lexicon.expand(("nm",)) == ("name",)
    assert lexicon.concept(("name",)) == "label"
