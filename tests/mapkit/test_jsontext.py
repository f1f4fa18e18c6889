"""validate_json: problems in JSON text that json.loads would hide."""

from __future__ import annotations

import pytest

import mapkit


def test_duplicate_key_is_an_issue() -> None:
    result = mapkit.validate_json(
        '{"email": "a@example.com", "email": "b@example.com"}', {"email": "email"}
    )

    assert result.valid is False
    assert result.issues[0].field == "email"
    assert result.issues[0].code == "invalid_format"
    assert result.issues[0].got == ["a@example.com", "b@example.com"]
    assert result.data == {"email": "b@example.com"}


def test_nested_duplicate_key_path() -> None:
    result = mapkit.validate_json('{"a": [{"b": 1, "b": 2}]}', {"a": [{"b": "integer"}]})

    assert [issue.field for issue in result.issues] == ["a[0].b"]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ('{"n": NaN}', "type_mismatch"),
        ('{"n": Infinity}', "type_mismatch"),
        ('{"n": -Infinity}', "type_mismatch"),
        ('{"n": 1e999}', "out_of_range"),
        ('{"n": -1e999}', "out_of_range"),
    ],
)
def test_non_finite_numbers(text: str, code: str) -> None:
    result = mapkit.validate_json(text, {"n": "number"})

    assert result.valid is False
    assert [(issue.field, issue.code) for issue in result.issues] == [("n", code)]


def test_nan_in_any_field_and_unknown_field() -> None:
    result = mapkit.validate_json('{"a": NaN, "b": {"c": NaN}}', {"a": "any"})

    assert result.valid is False
    assert {issue.field for issue in result.issues if issue.severity == "error"} == {"a", "b.c"}


def test_big_integer_literal_exact() -> None:
    result = mapkit.validate_json('{"id": 9007199254740993}', {"id": "integer"})

    assert result.valid is True
    assert result.data == {"id": 9007199254740993}


@pytest.mark.parametrize("sign", ["", "-"])
def test_overlong_integer_is_an_issue(sign: str) -> None:
    text = sign + "1" + "0" * 5000

    result = mapkit.validate_json(f'{{"id": {text}}}', {"id": "integer"})

    assert result.valid is False
    assert [(issue.field, issue.code) for issue in result.issues] == [("id", "out_of_range")]
    assert "an integer of 5001 digits, more than the 4300" in result.issues[0].message
    assert "send it as a string" in result.issues[0].message.lower()
    assert result.issues[0].got == text


def test_integer_at_digit_limit_is_exact() -> None:
    text = "9" * 4300

    result = mapkit.validate_json(f'{{"id": {text}}}', {"id": "integer"})

    assert result.valid is True
    assert result.data == {"id": int(text)}


def test_invalid_json_text() -> None:
    result = mapkit.validate_json('{"a": ', {"a": "string"})

    assert result.valid is False
    assert result.issues[0].field == ""
    assert result.issues[0].code == "invalid_format"
    assert "line 1" in result.issues[0].message


def test_bytes_with_bom() -> None:
    result = mapkit.validate_json(b'\xef\xbb\xbf{"a": "x"}', {"a": "string"})

    assert result.valid is True


def test_not_an_object() -> None:
    result = mapkit.validate_json("[1, 2]", {"a": "string"})

    assert result.issues[0].code == "type_mismatch"
    assert result.issues[0].field == ""


def test_include_got_false_in_text_issues() -> None:
    result = mapkit.validate_json(
        '{"n": NaN, "a": 1, "a": 2}', {"n": "number", "a": "integer"}, include_got=False
    )

    assert all("got" not in issue.to_dict() for issue in result.issues)


def test_rejects_non_text() -> None:
    with pytest.raises(TypeError):
        mapkit.validate_json(42, {"a": "string"})  # type: ignore[arg-type]


def test_json_schema_input_with_nan() -> None:
    schema = {"type": "object", "properties": {"n": {"type": "number"}}}
    result = mapkit.validate_json('{"n": NaN}', schema)

    assert result.valid is False
    assert result.issues[0].field == "n"
