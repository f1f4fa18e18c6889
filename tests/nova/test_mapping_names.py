"""Field-name normalisation: camelCase, acronyms, paths, SCIM filters, run-together words."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nova.mapping.lexicon import load_lexicon
from nova.mapping.names import parse_field_name, split_run_together, split_words

VOCABULARY = load_lexicon().vocabulary


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("firstName", ["first", "name"]),
        ("first_name", ["first", "name"]),
        ("FIRST_NAME", ["first", "name"]),
        ("first-name", ["first", "name"]),
        ("First Name", ["first", "name"]),
        ("EmpID", ["emp", "id"]),
        ("HTTPServer", ["http", "server"]),
        ("address1", ["address", "1"]),
        ("image_512", ["image", "512"]),
        ("userPrincipalName", ["user", "principal", "name"]),
        ("DaysLateLast30", ["days", "late", "last", "30"]),
        ("", []),
    ],
)
def test_split_words_table(text: str, expected: list[str]) -> None:
    assert split_words(text) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("hiredate", ["hire", "date"]),
        ("firstname", ["first", "name"]),
        ("lastmodifieddate", ["last", "modified", "date"]),
        ("associatedcompanyid", ["associated", "company", "id"]),
        ("mobilephone", ["mobile", "phone"]),
        ("dateof", ["date", "of"]),
        ("surname", ["surname"]),
        ("email", ["email"]),
        ("qwertyuiop", ["qwertyuiop"]),
        ("abc", ["abc"]),
    ],
)
def test_split_run_together_table(word: str, expected: list[str]) -> None:
    assert split_run_together(word, VOCABULARY) == expected


@pytest.mark.parametrize(
    ("name", "leaf", "context", "filters"),
    [
        ("hireDate", ("hire", "date"), (), ()),
        ("DateofHire", ("date", "of", "hire"), (), ()),
        ("name.givenName", ("given", "name"), ("name",), ()),
        ("phones[0].value", ("value",), ("phones",), ()),
        ('emails[type eq "work"].value', ("value",), ("emails",), ("work",)),
        (
            'addresses[type eq "work"].streetAddress',
            ("street", "address"),
            ("addresses",),
            ("work",),
        ),
        (
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber",
            ("employee", "number"),
            (),
            (),
        ),
        (
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value",
            ("value",),
            ("manager",),
            (),
        ),
        ("work.reportsTo.email", ("email",), ("work", "reports", "to"), ()),
        ("  e-mail ", ("e", "mail"), (), ()),
    ],
)
def test_parse_field_name_table(
    name: str, leaf: tuple[str, ...], context: tuple[str, ...], filters: tuple[str, ...]
) -> None:
    parsed = parse_field_name(name, VOCABULARY)

    assert parsed.leaf == leaf
    assert parsed.context == context
    assert parsed.filters == filters


def test_tokens_keep_path_order_once() -> None:
    parsed = parse_field_name("name.givenName", VOCABULARY)

    assert parsed.tokens == ("name", "given")


@given(st.text(max_size=60))
def test_parse_any_text_gives_lowercase_tokens(name: str) -> None:
    parsed = parse_field_name(name, VOCABULARY)

    for token in parsed.tokens:
        assert token == token.lower()
        assert token.isalnum()
