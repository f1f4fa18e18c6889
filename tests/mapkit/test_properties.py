"""Properties that hold for every schema, payload and value hypothesis can generate."""

from __future__ import annotations

import math
from datetime import timedelta, timezone
from typing import Any

import phonenumbers
from email_validator import validate_email
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mapkit
import mapkit.schema
from mapkit.types.emails import FAST_EMAIL_PATTERN, MAX_EMAIL_LENGTH

SCALAR_TYPES = [
    "string",
    "integer",
    "number",
    "boolean",
    "date",
    "datetime",
    "time",
    "email",
    "phone",
    "url",
    "uuid",
    "any",
]

# Strings that exercise the readers: dates in several formats, number text, null tokens,
# booleans, phones, emails, codes with leading zeros and junk.
INTERESTING_TEXT = [
    "",
    " ",
    "N/A",
    "NA",
    "null",
    "-",
    "None",
    "yes",
    "No",
    "y",
    "0",
    "1",
    "true",
    "maybe",
    "42",
    "-7",
    "42.0",
    "42.5",
    "1,234",
    "1.234",
    "1,234.50",
    "1.234,56",
    "3,5",
    "007",
    "02134",
    "1e3",
    "1e999",
    "NaN",
    "Infinity",
    "2025-01-12",
    "2025-02-31",
    "12/01/2025",
    "13/01/2025",
    "01/13/2025",
    "07/10/83",
    "2021-W53-1",
    "2020-W53-1",
    "2024-10",
    "1A2B",
    "Jan 5, 2025",
    "2025-01-12T09:30:00Z",
    "2025-01-12T09:30:00",
    "2025-03-01T00:30:00+02:00",
    "2013-06-24T16:39:18.000Z",
    "09:30:00",
    "9:30",
    "2:05 pm",
    "ana@example.com",
    "ana@@example.com",
    " ana@example.com ",
    "+12015550143",
    "+1 201 555 0143",
    "(201) 555-0143",
    "+4420794609581234",
    "https://example.com/a",
    "example.com",
    "123e4567-e89b-12d3-a456-426614174000",
    "123E4567-E89B-12D3-A456-426614174000",
    "45678",
    "1502138686",
    "Active",
    "active",
    "terminated",
    "\u00e9t\u00e9",
    "x" * 300,
]

FORMATS = {
    "date": ["DD/MM/YYYY", "MM/DD/YY", "YYYY-MM-DD", "MMM D, YYYY", "excel_serial", "unix_seconds"],
    "datetime": ["YYYY-MM-DD HH:mm Z", "MM/DD/YYYY hh:mm A", "unix_seconds"],
    "time": ["HH:mm", "hh:mm A"],
}

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(INTERESTING_TEXT)
    | st.text(max_size=20)
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@st.composite
def scalar_schemas(draw: st.DrawFn) -> Any:
    type_name = draw(st.sampled_from(SCALAR_TYPES))
    if draw(st.booleans()):
        return type_name + draw(st.sampled_from(["", "?"]))
    node: dict[str, Any] = {"type": type_name}
    if type_name in FORMATS and draw(st.booleans()):
        node["format"] = draw(st.sampled_from(FORMATS[type_name]))
    if type_name in ("integer", "number") and draw(st.booleans()):
        node["minimum"] = draw(st.integers(-100, 100))
    if type_name == "string" and draw(st.booleans()):
        node["enum"] = draw(
            st.lists(
                st.sampled_from(["active", "terminated", "NA", ""]),
                min_size=1,
                max_size=3,
                unique=True,
            )
        )
    if type_name == "string" and draw(st.booleans()):
        node["max_length"] = draw(st.integers(0, 10))
    if type_name == "string" and draw(st.booleans()):
        node["pattern"] = draw(st.sampled_from(["^[A-Z]", "[0-9]$", "^x*$"]))
    if draw(st.booleans()):
        node["nullable"] = draw(st.booleans())
    if draw(st.booleans()):
        node["required"] = draw(st.booleans())
    if draw(st.booleans()):
        node["null_tokens"] = draw(st.lists(st.sampled_from(["N/A", "-", "", "x"]), max_size=2))
    return node


field_names = st.sampled_from(
    ["name", "type", "value", "a.b", "urn:x:2.0:User", "[0]", "", "start_date", "zip", "emails"]
)

schemas = st.recursive(
    scalar_schemas(),
    lambda children: (
        st.lists(children, min_size=1, max_size=1)
        | st.dictionaries(field_names, children, min_size=1, max_size=4)
    ),
    max_leaves=8,
)
top_level_schemas = st.dictionaries(field_names, schemas, min_size=1, max_size=5)

option_sets = st.fixed_dictionaries(
    {},
    optional={
        "unexpected_fields": st.sampled_from(["warn", "error", "ignore"]),
        "include_got": st.booleans(),
        "default_region": st.sampled_from(["US", "GB", "DE"]),
        "decimal_comma": st.sampled_from([None, True, False]),
        "two_digit_year_pivot": st.integers(0, 100),
        "default_timezone": st.sampled_from(["UTC", "Europe/Berlin"]),
        "null_tokens": st.lists(st.sampled_from(["N/A", "-", "", "2025-01-12", "0"]), max_size=3),
    },
)


@st.composite
def shaped_values(draw: st.DrawFn, schema: Any) -> Any:
    """Draw a value close to what ``schema`` expects, often canonical, sometimes not."""
    if draw(st.integers(0, 9)) == 0:
        return draw(json_values)
    if isinstance(schema, list):
        return draw(st.lists(shaped_values(schema[0]), max_size=3))
    if isinstance(schema, dict) and not isinstance(schema.get("type"), str):
        return draw(shaped_objects(schema))
    if isinstance(schema, dict) and set(schema) - mapkit.schema.LONG_FORM_KEYS:
        return draw(shaped_objects(schema))
    type_name = schema["type"] if isinstance(schema, dict) else schema
    return draw(
        canonical_values(type_name.rstrip("?")) | st.sampled_from(INTERESTING_TEXT) | st.none()
    )


@st.composite
def shaped_objects(draw: st.DrawFn, schema: dict[str, Any]) -> dict[str, Any]:
    payload = {}
    for key, field_schema in schema.items():
        if draw(st.integers(0, 9)) > 0:
            payload[key] = draw(shaped_values(field_schema))
    if draw(st.integers(0, 4)) == 0:
        payload[draw(st.text(max_size=5))] = draw(json_scalars)
    return payload


def canonical_values(type_name: str) -> st.SearchStrategy[Any]:
    offsets = st.integers(-23 * 60, 23 * 60).map(
        lambda minutes: timezone(timedelta(minutes=minutes))
    )
    strategies: dict[str, st.SearchStrategy[Any]] = {
        "string": st.text(max_size=20),
        "integer": st.integers() | st.sampled_from([2**53 + 1, -(2**63), 10**30]),
        "number": st.integers() | st.floats(allow_nan=False, allow_infinity=False),
        "boolean": st.booleans(),
        "date": st.dates().map(lambda value: value.isoformat()),
        "datetime": st.datetimes(timezones=offsets).map(lambda value: value.isoformat()),
        "time": st.times().map(lambda value: value.isoformat()),
        "email": st.from_regex(FAST_EMAIL_PATTERN, fullmatch=True).filter(
            lambda value: len(value) <= MAX_EMAIL_LENGTH
        )
        | st.sampled_from(["ana@example.com", "jos\u00e9@example.org"]),
        "phone": st.sampled_from(["+12015550143", "+442079460958", "+4930901820"]),
        "url": st.sampled_from(["https://example.com", "http://example.org/a?b=c#d"]),
        "uuid": st.uuids().map(str),
        "any": json_values,
    }
    return strategies[type_name]


@st.composite
def canonical_payload(draw: st.DrawFn, schema: Any) -> Any:
    """Draw a value that meets ``schema``, so that the fast path gets to accept it."""
    if isinstance(schema, list):
        return draw(st.lists(canonical_payload(schema[0]), max_size=3))
    if isinstance(schema, dict) and (
        not isinstance(schema.get("type"), str) or set(schema) - mapkit.schema.LONG_FORM_KEYS
    ):
        payload = {}
        for key, field_schema in schema.items():
            if _is_required(field_schema) or draw(st.booleans()):
                payload[key] = draw(canonical_payload(field_schema))
        return payload
    node = schema if isinstance(schema, dict) else {"type": schema}
    type_name = node["type"].rstrip("?")
    nullable = node.get("nullable", node["type"].endswith("?"))
    if nullable and draw(st.integers(0, 4)) == 0:
        return None
    if "enum" in node:
        return draw(st.sampled_from(node["enum"]))
    if "minimum" in node:
        return draw(st.integers(min_value=node["minimum"], max_value=10**6))
    if "pattern" in node:
        return draw(
            st.from_regex(node["pattern"]).filter(
                lambda text: len(text) <= node.get("max_length", 10**6)
            )
        )
    if "max_length" in node:
        return draw(st.text(max_size=node["max_length"]))
    return draw(canonical_values(type_name))


def _is_required(schema: Any) -> bool:
    if isinstance(schema, str):
        return not schema.endswith("?")
    if (
        isinstance(schema, dict)
        and isinstance(schema.get("type"), str)
        and not (set(schema) - mapkit.schema.LONG_FORM_KEYS)
    ):
        return bool(schema.get("required", not schema["type"].endswith("?")))
    return True


@st.composite
def schemas_with_payloads(draw: st.DrawFn) -> tuple[dict[str, Any], Any]:
    schema = draw(top_level_schemas)
    payload = draw(canonical_payload(schema) | shaped_objects(schema) | json_values)
    return schema, payload


@settings(max_examples=250, suppress_health_check=[HealthCheck.too_slow])
@given(schemas_with_payloads(), st.booleans(), option_sets)
def test_validate_never_raises(
    case: tuple[dict[str, Any], Any], coerce: bool, options: dict[str, Any]
) -> None:
    schema, payload = case
    result = mapkit.validate(payload, schema, coerce=coerce, **options)

    assert result.valid is not any(issue.severity == "error" for issue in result.issues)
    for issue in result.issues:
        assert issue.code in mapkit.ISSUE_CODES
        assert issue.message
        issue.to_dict()


@settings(max_examples=200)
@given(
    st.text(max_size=60)
    | st.sampled_from(['{"a": NaN}', '{"a": 1, "a": 2}', "[1e999]", '{"a": {"b": -Infinity}}']),
    top_level_schemas,
)
def test_validate_json_never_raises(text: str, schema: dict[str, Any]) -> None:
    result = mapkit.validate_json(text, schema)

    assert all(issue.code in mapkit.ISSUE_CODES for issue in result.issues)


@settings(max_examples=250, suppress_health_check=[HealthCheck.too_slow])
@given(schemas_with_payloads(), st.booleans(), option_sets)
def test_fast_path_agrees_with_diagnosis(
    case: tuple[dict[str, Any], Any], coerce: bool, options: dict[str, Any]
) -> None:
    schema, payload = case
    validator = mapkit.compile(schema, coerce=coerce, **options)
    fast = validator.validate(payload)
    slow = validator.diagnose(payload)

    assert fast.valid == slow.valid
    assert fast.to_dict(include_data=True) == slow.to_dict(include_data=True)


@settings(max_examples=200)
@given(st.data())
def test_coerce_keeps_canonical_values(data: st.DataObject) -> None:
    type_name = data.draw(st.sampled_from(SCALAR_TYPES))
    value = data.draw(canonical_values(type_name))
    if type_name == "any" and value is None:
        return

    assert mapkit.coerce(value, type_name) == value


@settings(max_examples=400)
@given(st.sampled_from(SCALAR_TYPES), json_scalars, option_sets)
def test_coerce_is_idempotent(type_name: str, value: Any, options: dict[str, Any]) -> None:
    options.pop("unexpected_fields", None)
    try:
        first = mapkit.coerce(value, type_name + "?", **options)
    except mapkit.CoercionError:
        return
    second = mapkit.coerce(first, type_name + "?", **options)

    assert second == first
    assert type(second) is type(first)


@settings(max_examples=200)
@given(st.from_regex(FAST_EMAIL_PATTERN, fullmatch=True))
def test_fast_email_pattern_is_subset_of_email_validator(address: str) -> None:
    if len(address) > MAX_EMAIL_LENGTH:
        return
    validate_email(address, check_deliverability=False)


@settings(max_examples=300)
@given(st.emails())
def test_fast_email_pattern_never_wider(address: str) -> None:
    validator = mapkit.compile({"email": "email"})

    assert (
        validator.validate({"email": address}).valid
        == mapkit.validate({"email": address}, {"email": "email"}).valid
    )


def _example_phones() -> list[str]:
    numbers = (phonenumbers.example_number(region) for region in phonenumbers.SUPPORTED_REGIONS)
    return sorted(
        phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        for number in numbers
        if number is not None
    )


@given(st.sampled_from(_example_phones()), st.sampled_from(["integer", "number"]))
def test_phone_read_as_number_always_warns(phone: str, type_name: str) -> None:
    result = mapkit.validate({"tel": phone}, {"tel": type_name}, coerce=True)

    assert result.data == {"tel": int(phone)}
    assert [issue.severity for issue in result.issues] == ["warning"]
    assert "+ sign is dropped" in result.issues[0].message


record_values = (
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=False, allow_infinity=False, width=32)
    | st.sampled_from(INTERESTING_TEXT)
    | st.text(max_size=8)
)
record_keys = st.sampled_from(["id", "zip", "hired", "rate", "email", "note", "type"])
records_strategy = st.lists(
    st.dictionaries(
        record_keys,
        record_values
        | st.dictionaries(record_keys, record_values, max_size=2)
        | st.lists(record_values, max_size=2),
        max_size=6,
    ),
    max_size=8,
)
text_records_strategy = st.lists(
    st.dictionaries(
        record_keys, st.sampled_from(INTERESTING_TEXT) | st.text(max_size=8), max_size=6
    ),
    max_size=8,
)


@settings(max_examples=250, suppress_health_check=[HealthCheck.too_slow])
@given(records_strategy | text_records_strategy)
def test_inferred_schema_validates_its_records(records: list[dict[str, Any]]) -> None:
    result = mapkit.profile(records)

    for record in records:
        coerced = mapkit.validate(record, result.schema, coerce=True)
        assert coerced.valid, coerced.to_dict()
        if not result.text_source:
            strict = mapkit.validate(record, result.schema)
            assert strict.valid, strict.to_dict()


def test_float_canonical_numbers_are_finite() -> None:
    assert math.isfinite(mapkit.coerce(1e308, "number"))
