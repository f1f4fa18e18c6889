"""Schema inference and field profiles."""

from __future__ import annotations

from typing import Any

import pytest

import mapkit

CSV_ROWS = [
    {
        "id": "10026",
        "name": "Adams, Lee  ",
        "zip": "1960",
        "born": "07/10/83",
        "hired": "07/05/11",
        "left": "",
        "rate": "4.6",
        "remote": "No",
        "manager": "22",
        "country": "NA",
    },
    {
        "id": "10084",
        "name": "Baker, Kim",
        "zip": "02148",
        "born": "05/25/75",
        "hired": "03/30/15",
        "left": "06/16/16",
        "rate": "5",
        "remote": "Yes",
        "manager": "",
        "country": "US",
    },
    {
        "id": "10196",
        "name": "Chen, Jo",
        "zip": "01810",
        "born": "09/19/88",
        "hired": "07/05/11",
        "left": "09/24/12",
        "rate": "3.02",
        "remote": "no",
        "manager": "20",
        "country": "DE",
    },
]


def test_infer_csv_rows() -> None:
    schema = mapkit.infer_schema(CSV_ROWS)

    assert schema == {
        "id": "integer",
        "name": "string",
        "zip": "string",
        "born": {"type": "date", "format": "MM/DD/YY"},
        "hired": {"type": "date", "format": "MM/DD/YY"},
        "left": {"type": "date", "format": "MM/DD/YY", "nullable": True},
        "rate": "number",
        "remote": "boolean",
        "manager": "integer?",
        "country": "string",
    }


def test_inferred_schema_validates_rows() -> None:
    schema = mapkit.infer_schema(CSV_ROWS)
    results = [mapkit.validate(row, schema, coerce=True) for row in CSV_ROWS]

    assert all(result.valid for result in results)
    assert results[0].data["born"] == "1983-07-10"
    assert results[0].data["left"] is None
    assert results[1].data["zip"] == "02148"


def test_profile_fields() -> None:
    result = mapkit.profile(CSV_ROWS)
    fields = {item.path: item for item in result.fields}

    assert result.records == 3
    assert result.text_source is True
    assert fields["left"].nullable is True
    assert fields["left"].nulls == 1
    assert fields["name"].padded == 1
    assert fields["born"].format == "MM/DD/YY"
    assert any("1975-1988" in note for note in fields["born"].notes)
    assert fields["zip"].type == "string"


def test_zip_with_lost_zeros_stays_string() -> None:
    result = mapkit.profile([{"Zip": "1960"}, {"Zip": "2148"}, {"Zip": "89139"}])

    assert result.schema == {"Zip": "string"}
    assert any("leading zeros" in note for note in result.fields[0].notes)


def test_json_strings_stay_strings() -> None:
    records = [{"employeeNumber": "187", "costCenter": "10", "active": True}]

    assert mapkit.infer_schema(records) == {
        "employeeNumber": "string",
        "costCenter": "string",
        "active": "boolean",
    }


@pytest.mark.parametrize(
    ("records", "text_source"),
    [
        ([{"costCenter": "10"}], True),
        ([{"costCenter": "10", "left": None}], True),
        ([{"profile": {"costCenter": "10"}}], False),
        ([{"costCenter": "10", "tags": ["a"]}], False),
        ([{"costCenter": "10"}, {"costCenter": "11", "active": True}], False),
    ],
)
def test_text_source_decided_from_records(
    records: list[dict[str, Any]], text_source: bool
) -> None:
    assert mapkit.profile(records).text_source is text_source


def test_nested_json_strings_stay_strings() -> None:
    # Shaped like an Okta user: nested objects whose values are all strings.
    records = [{"id": "00ub0oNGTSWTBKOLGLNR",
                "profile": {"costCenter": "10", "employeeNumber": "187", "zipCode": "94107"},
                "credentials": {"provider": {"type": "OKTA", "name": "OKTA"}}}]

    schema = mapkit.infer_schema(records)

    assert schema["profile"] == {"costCenter": "string", "employeeNumber": "string",
                                 "zipCode": "string"}
    assert mapkit.validate(records[0], schema).valid is True


def test_flat_json_strings_with_text_source_false() -> None:
    assert mapkit.infer_schema([{"costCenter": "10"}], text_source=False) == {
        "costCenter": "string"
    }


STRING_KINDS = [
    (["ana@example.com", "kim@example.org"], "email"),
    (["123e4567-e89b-12d3-a456-426614174000"], "uuid"),
    (["https://example.com/a", "http://example.org"], "url"),
    (["+12015550143", "+442079460958"], "phone"),
    (["2025-01-12", "2024-02-29"], "date"),
    (["2013-06-24T16:39:18.000Z", "2013-07-02T21:36:25.344Z"], "datetime"),
    (["09:30:00"], "time"),
    (["555-555-5555"], "string"),
    (["MAR1", "SEP2"], "string"),
]


@pytest.mark.parametrize(("values", "expected"), STRING_KINDS)
def test_string_kinds(values: list[str], expected: str) -> None:
    records: list[dict[str, Any]] = [{"value": value, "n": 1} for value in values]

    assert mapkit.infer_schema(records)["value"] == expected


@pytest.mark.parametrize("name", ["tel", "phone"])
def test_csv_e164_phones_infer_phone(name: str) -> None:
    rows = [{name: "+14155550100"}, {name: "+442071838750"}]
    result = mapkit.profile(rows, text_source=True)

    assert result.schema == {name: "phone"}
    assert result.fields[0].notes == ()
    assert mapkit.validate(rows[0], result.schema, coerce=True).valid is True


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["+5", "-3", "+100"], "integer"),
        (["+14155550100", "+5"], "integer"),
        (["14155550100", "442071838750"], "integer"),
        (["+0415555010", "+14155550100"], "string"),
    ],
)
def test_csv_signed_integers_not_phones(values: list[str], expected: str) -> None:
    rows = [{"count": value} for value in values]

    assert mapkit.infer_schema(rows, text_source=True) == {"count": expected}


def test_ambiguous_date_column_stays_string() -> None:
    result = mapkit.profile([{"d": "01.01.2015"}, {"d": "01.01.2016"}])

    assert result.schema == {"d": "string"}
    assert set(result.fields[0].date_candidates) == {"DD.MM.YYYY", "MM.DD.YYYY"}


def test_decimal_comma_column() -> None:
    rows = [{"mw": "6.808,00"}, {"mw": "993,00"}, {"mw": "-"}]

    assert mapkit.infer_schema(rows) == {
        "mw": {"type": "number", "decimal_comma": True, "nullable": True}
    }


def test_nested_objects_and_arrays() -> None:
    records: list[dict[str, Any]] = [
        {"name": {"given": "Ana"}, "emails": [{"value": "a@example.com", "type": "work"}]},
        {"name": {"given": "Kim", "middle": "J"}, "emails": []},
    ]
    result = mapkit.profile(records)

    assert result.schema == {
        "name": {"given": "string", "middle": "string?"},
        "emails": [{"type": "object", "fields": {"value": "email", "type": "string"}}],
    }
    paths = [item.path for item in result.fields]
    assert paths.index("name") < paths.index("name.given")
    assert "emails[].value" in paths


def test_optional_and_mixed_fields() -> None:
    records: list[dict[str, Any]] = [{"a": 1, "b": "x", "c": None}, {"b": 2, "c": None}]
    schema = mapkit.infer_schema(records)

    assert schema == {"a": "integer?", "b": "any", "c": "any"}


def test_epoch_hint_for_time_named_integers() -> None:
    result = mapkit.profile([{"updated": 1502138686}])

    assert result.schema == {"updated": "integer"}
    assert any("unix_seconds" in note for note in result.fields[0].notes)


def test_empty_records() -> None:
    assert mapkit.infer_schema([]) == {}


def test_records_must_be_objects() -> None:
    with pytest.raises(ValueError, match="record 1 is not an object"):
        mapkit.infer_schema([{"a": 1}, [1]])  # type: ignore[list-item]


def test_profile_to_dict_is_json() -> None:
    data = mapkit.profile(CSV_ROWS).to_dict()

    assert data["records"] == 3
    assert data["fields"][0]["path"] == "id"
