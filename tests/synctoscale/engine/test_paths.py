"""Source paths: parsing, step references and lookups that fail with a reason."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from synctoscale.engine.paths import (
    PathSyntaxError,
    SourcePathNotFound,
    parse_source_path,
)

PAYLOAD = {
    "email": "a@example.com",
    "address": {"zip": "10115"},
    "emails": [{"value": "x@example.com"}],
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"manager": "m1"},
    "steps": {"count": 2},
    "a b": 1,
}


@pytest.mark.parametrize(
    ("text", "step", "parts"),
    [
        ("email", None, ("email",)),
        ("address.zip", None, ("address", "zip")),
        ("emails[0].value", None, ("emails", 0, "value")),
        ('["a.b"].c', None, ("a.b", "c")),
        ('x["quote\\"d"]', None, ("x", 'quote"d')),
        ("steps.check.output", "check", ()),
        ("steps.check.output.email", "check", ("email",)),
        ("steps.check.output.items[2]", "check", ("items", 2)),
        ('["steps"].count', None, ("steps", "count")),
    ],
)
def test_parse(text: str, step: str | None, parts: tuple[Any, ...]) -> None:
    path = parse_source_path(text)

    assert path.step == step
    assert path.parts == parts


@pytest.mark.parametrize(
    ("text", "message_part"),
    [
        ("", "empty"),
        ("a..b", "no field name"),
        (".a", "cannot start"),
        ("a.", "no field name"),
        ("a[x]", "bad bracket"),
        ("a[", "bad bracket"),
        ("a[-1]", "bad bracket"),
        ('a"b', "expected '.'"),
        ("steps.x", "steps.<step id>.output"),
        ("steps.x.input.y", "steps.<step id>.output"),
        ("steps[0].output", "steps.<step id>.output"),
    ],
)
def test_malformed_path_is_rejected(text: str, message_part: str) -> None:
    with pytest.raises(PathSyntaxError, match=message_part.replace(".", r"\.")):
        parse_source_path(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("email", "a@example.com"),
        ("address.zip", "10115"),
        ("emails[0].value", "x@example.com"),
        ('["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"].manager', "m1"),
        ('["steps"].count', 2),
        ("a b", 1),
        ("steps.first.output.id", 7),
    ],
)
def test_resolve(text: str, expected: Any) -> None:
    assert parse_source_path(text).resolve(PAYLOAD, {"first": {"id": 7}}) == expected


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("missing", "the payload has no key 'missing'"),
        ("address.city", "address has no key 'city'"),
        ("emails[3].value", "emails has 1 item(s), no index 3"),
        ("email.domain", "email is a string, not an object"),
        ("address[0]", "address is an object, not an array"),
        ("steps.later.output.id", "step 'later' has no output yet"),
        ("steps.first.output.name", "steps.first.output has no key 'name'"),
    ],
)
def test_missing_value_names_problem(text: str, problem: str) -> None:
    with pytest.raises(SourcePathNotFound) as caught:
        parse_source_path(text).resolve(PAYLOAD, {"first": {"id": 7}})

    assert caught.value.problem == problem
    assert caught.value.path == text


def test_null_value_is_found_not_missing() -> None:
    assert parse_source_path("manager").resolve({"manager": None}, {}) is None


keys = st.text(alphabet=st.characters(codec="utf-8", exclude_characters='.[]"'), min_size=1)


@given(st.lists(keys, min_size=1, max_size=4).filter(lambda parts: parts[0] != "steps"))
def test_dotted_keys_resolve_nested_value(parts: list[str]) -> None:
    nested: Any = "leaf"
    for key in reversed(parts):
        nested = {key: nested}

    assert parse_source_path(".".join(parts)).resolve(nested, {}) == "leaf"
