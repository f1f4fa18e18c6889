"""Reading sources and targets: names, field objects, sample records, schemas, bad input."""

from __future__ import annotations

from typing import Any

import pytest

from nova.mapping.sources import Field, MappingInputError, source_fields, target_fields


def test_record_nests_into_dot_paths() -> None:
    record = {
        "id": "4021",
        "name": {"givenName": "Avery", "familyName": "Quill"},
        "emails": [{"value": "avery.quill@example.com", "type": "work"}],
        "tags": ["vip", "beta"],
        "manager": None,
    }

    fields = source_fields(record)

    assert [f.name for f in fields] == [
        "id",
        "name.givenName",
        "name.familyName",
        "emails[0].value",
        "emails[0].type",
        "tags",
        "manager",
    ]
    assert fields[1].samples == ("Avery",)
    assert fields[5] == Field("tags", "array", ("vip", "beta"))
    assert fields[6].samples == ()


def test_field_objects_keep_type_and_samples() -> None:
    fields = source_fields(
        [{"name": "hireDate", "type": "date?", "samples": ["2021-03-15"]}, "fname"]
    )

    assert fields == [Field("hireDate", "date", ("2021-03-15",)), Field("fname")]


@pytest.mark.parametrize(
    ("samples", "expected"),
    [
        ({"fname": ["Avery", "Jordan"]}, ("Avery", "Jordan")),
        ([{"fname": "Avery"}, {"fname": "Jordan"}, {"other": 1}], ("Avery", "Jordan")),
    ],
)
def test_samples_merge_by_field_name(samples: Any, expected: tuple[str, ...]) -> None:
    fields = source_fields(["fname", "lname"], samples)

    assert fields[0].samples == expected
    assert fields[1].samples == ()


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        (
            {"first_name": "string", "start_date": "date?"},
            [Field("first_name", "string"), Field("start_date", "date")],
        ),
        (
            {"name": {"givenName": "string"}, "emails": ["email"]},
            [Field("name.givenName", "string"), Field("emails", "array")],
        ),
        ({"start_date": {"type": "date", "format": "DD/MM/YYYY"}}, [Field("start_date", "date")]),
        (
            {
                "type": "object",
                "properties": {
                    "email": {"type": "string", "format": "email"},
                    "age": {"type": ["integer", "null"]},
                    "address": {"type": "object", "properties": {"city": {"type": "string"}}},
                },
            },
            [Field("email", "email"), Field("age", "integer"), Field("address.city", "string")],
        ),
    ],
)
def test_target_schema_table(schema: dict[str, Any], expected: list[Field]) -> None:
    assert target_fields(schema) == expected


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ([], "source has no fields"),
        ({}, "source has no fields"),
        ("fname", "source must be a list"),
        ([3], r"source\[0\] must be a field name"),
        ([{"type": "string"}], r"source\[0\] must be a field name"),
        (["fname", "fname"], "names the field 'fname' twice"),
        (["  "], "empty field name"),
        ([{"name": "x", "type": "colour"}], r"source\[0\].type: unknown type 'colour'"),
    ],
)
def test_bad_source_raises(source: Any, message: str) -> None:
    with pytest.raises(MappingInputError, match=message) as raised:
        source_fields(source)

    assert raised.value.argument == "source"


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ([], "target has no fields"),
        (42, "target must be a list"),
        ({"start_date": "day"}, "start_date: unknown type 'day'"),
        ({"start_date": 5}, "start_date: unknown type 5"),
    ],
)
def test_bad_target_raises(target: Any, message: str) -> None:
    with pytest.raises(MappingInputError, match=message) as raised:
        target_fields(target)

    assert raised.value.argument == "target"


def test_scalar_samples_raise() -> None:
    with pytest.raises(MappingInputError) as by_name:
        source_fields(["fname"], {"fname": "Ada"})
    with pytest.raises(MappingInputError) as in_field:
        source_fields([{"name": "fname", "samples": "Ada"}])

    assert str(by_name.value) == (
        "samples['fname'] must be a list of sample values, not str; "
        "wrap a single value in a list: ['Ada']"
    )
    assert by_name.value.argument == "samples"
    assert str(in_field.value).startswith("source[0].samples must be a list of sample values")
    assert in_field.value.argument == "source"


@pytest.mark.parametrize("samples", ["text", 7, [1, 2], {"lname": ["Quill"]}])
def test_bad_samples_raise(samples: Any) -> None:
    with pytest.raises(MappingInputError, match="samples") as raised:
        source_fields(["fname"], samples)

    assert raised.value.argument == "samples"


def test_record_keys_with_dots_are_quoted() -> None:
    record = {"urn:x:2.0:User": {"costCenter": "4130"}, "steps": 3, "a[b]": "c"}

    names = [f.name for f in source_fields(record)]

    assert names == ['["urn:x:2.0:User"].costCenter', '["steps"]', '["a[b]"]']


def test_schema_keys_with_dots_are_quoted() -> None:
    fields = target_fields({"address.zip": "string", "name": {"first.name": "string"}})

    assert [f.name for f in fields] == ['["address.zip"]', 'name["first.name"]']
