"""``POST /mapping/validate`` through a real server: the seed example and bad input."""

from __future__ import annotations

from typing import Any

import pytest

from tests.synctoscale.conftest import LiveServer

SEED_REQUEST = {
    "payload": {"first_name": "Jordan", "start_date": "12/01/2025"},
    "expected_schema": {"first_name": "string", "start_date": "date"},
}


def validate(server: LiveServer, body: dict[str, Any]) -> Any:
    with server.client() as client:
        return client.post("/mapping/validate", json=body)


def test_seed_example_gives_seed_response(live_server: LiveServer) -> None:
    response = validate(live_server, SEED_REQUEST)

    assert response.status_code == 200
    body = response.json()
    assert body["valid"] is False
    assert len(body["issues"]) == 1
    issue = body["issues"][0]
    assert issue["field"] == "start_date"
    assert issue["expected"] == "YYYY-MM-DD"
    assert issue["code"] == "ambiguous_date"
    assert issue["suggestion"] == ["2025-12-01", "2025-01-12"]
    assert issue["severity"] == "error"


def test_declared_format_makes_seed_value_valid(live_server: LiveServer) -> None:
    schema = {"first_name": "string", "start_date": {"type": "date", "format": "MM/DD/YYYY"}}

    response = validate(live_server, {**SEED_REQUEST, "expected_schema": schema})

    body = response.json()
    assert body["valid"] is True
    assert body["issues"] == []
    assert body["data"] == {"first_name": "Jordan", "start_date": "2025-12-01"}


def test_coerce_returns_canonical_data(live_server: LiveServer) -> None:
    body = {
        "payload": {"employee_id": "00417", "salary": "1,234.50", "active": "Yes", "age": "42"},
        "expected_schema": {
            "employee_id": "string",
            "salary": "number",
            "active": "boolean",
            "age": "integer",
        },
        "coerce": True,
    }

    result = validate(live_server, body).json()

    assert result["valid"] is True
    assert result["data"] == {"employee_id": "00417", "salary": 1234.5, "active": True, "age": 42}


def test_strict_mode_suggests_canonical_value(live_server: LiveServer) -> None:
    body = {"payload": {"age": "42"}, "expected_schema": {"age": "integer"}}

    issue = validate(live_server, body).json()["issues"][0]

    assert issue["field"] == "age"
    assert issue["code"] == "type_mismatch"
    assert issue["suggestion"] == 42


def test_options_reach_mapkit(live_server: LiveServer) -> None:
    body = {
        "payload": {"phone": "(201) 555-0143", "email": "ana@@example.com"},
        "expected_schema": {"phone": "phone", "email": "email"},
        "coerce": True,
        "options": {"default_region": "US", "include_got": False},
    }

    result = validate(live_server, body).json()

    assert result["data"]["phone"] == "+12015550143"
    assert [issue["field"] for issue in result["issues"]] == ["email"]
    assert "got" not in result["issues"][0]


def test_large_integer_survives_exactly(live_server: LiveServer) -> None:
    big = 2**53 + 1
    with live_server.client() as client:
        response = client.post(
            "/mapping/validate",
            content=f'{{"payload": {{"n": {big}}}, "expected_schema": {{"n": "integer"}}}}',
            headers={"Content-Type": "application/json"},
        )

    assert response.json()["data"]["n"] == big
    assert str(big) in response.text


@pytest.mark.parametrize(
    ("schema", "field"),
    [
        ({"start_date": "dat"}, "expected_schema.start_date"),
        ({"start_date": {"type": "date", "format": "QQ/ZZ"}}, "expected_schema.start_date"),
        ({"start_date": {"type": "date", "colour": "red"}}, "expected_schema.start_date"),
    ],
)
def test_invalid_schema_is_422(live_server: LiveServer, schema: dict[str, Any], field: str) -> None:
    response = validate(
        live_server, {"payload": {"start_date": "2025-01-01"}, "expected_schema": schema}
    )

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_schema"
    assert error["details"][0]["field"].startswith(field)
    assert error["details"][0]["problem"]


@pytest.mark.parametrize(
    ("ref", "problem"),
    [
        ("#/nope", "points to nothing in the schema"),
        ("https://example.invalid/a.json", "does not fetch schemas"),
    ],
)
def test_unresolvable_ref_is_422(live_server: LiveServer, ref: str, problem: str) -> None:
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": {"a": {"$ref": ref}},
    }
    response = validate(live_server, {"payload": {"a": "x"}, "expected_schema": schema})

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_schema"
    assert error["details"][0]["field"] == "expected_schema.properties.a.$ref"
    assert error["details"][0]["type"] == "invalid_schema"
    assert problem in error["details"][0]["problem"]
    assert "$defs" in error["message"]


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"two_digit_year_pivot": 120}, "options.two_digit_year_pivot"),
        ({"default_region": "XX"}, "options.default_region"),
        ({"default_timezone": "Mars/Olympus"}, "options.default_timezone"),
        ({"unexpected_fields": "explode"}, "options.unexpected_fields"),
        ({"no_such_option": True}, "options.no_such_option"),
    ],
)
def test_invalid_option_is_422(
    live_server: LiveServer, options: dict[str, Any], field: str
) -> None:
    response = validate(live_server, {"payload": {}, "expected_schema": {}, "options": options})

    detail = response.json()["error"]["details"][0]
    assert response.status_code == 422
    assert detail["field"] == field
    assert "type" in detail


def test_bracketed_schema_path_in_422(live_server: LiveServer) -> None:
    schema = {"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"manager": "mgr"}}

    response = validate(live_server, {"payload": {}, "expected_schema": schema})

    field = response.json()["error"]["details"][0]["field"]
    assert (
        field
        == 'expected_schema["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"].manager'
    )


def test_missing_fields_in_schema_order(live_server: LiveServer) -> None:
    schema = {"zeta": "string", "alpha": "string", "mid": "string"}

    issues = validate(live_server, {"payload": {}, "expected_schema": schema}).json()["issues"]

    assert [issue["field"] for issue in issues] == ["zeta", "alpha", "mid"]
    assert {issue["code"] for issue in issues} == {"missing"}


def test_unexpected_field_is_warning(live_server: LiveServer) -> None:
    body = {
        "payload": {"first_name": "Ana", "fname": "Ana"},
        "expected_schema": {"first_name": "string"},
    }

    result = validate(live_server, body).json()

    assert result["valid"] is True
    assert result["issues"][0]["code"] == "unexpected_field"
    assert result["issues"][0]["severity"] == "warning"


@pytest.mark.parametrize(
    ("extra", "field", "kind"),
    [
        ({"coerce": "yes"}, "coerce", "a string"),
        ({"coerce": 1}, "coerce", "a number"),
        ({"options": {"include_got": "false"}}, "options.include_got", "a string"),
        ({"options": {"decimal_comma": 0}}, "options.decimal_comma", "a number"),
    ],
)
def test_boolean_field_needs_json_boolean(
    live_server: LiveServer, extra: dict[str, Any], field: str, kind: str
) -> None:
    body = {"payload": {"a": "1"}, "expected_schema": {"a": "integer"}, **extra}
    with live_server.client() as client:
        response = client.post("/mapping/validate", json=body)

    problem = f"Input should be true or false, not {kind}"
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["message"] == f"Invalid request: {field}: {problem}"
    assert error["details"] == [{"field": field, "problem": problem, "type": "bool_type"}]


@pytest.mark.parametrize(
    ("pivot", "problem"),
    [
        (
            "50",
            "Input should be an integer, not a string. Send it as a JSON number, without quotes",
        ),
        ("fifty", "Input should be an integer, not a string"),
        ("50.0", "Input should be an integer, not a string"),
        (True, "Input should be an integer, not true or false"),
        (50.5, "Input should be an integer, not a number"),
    ],
)
def test_year_pivot_needs_json_integer(live_server: LiveServer, pivot: Any, problem: str) -> None:
    body = {
        "payload": {"hired": "01/02/03"},
        "expected_schema": {"hired": {"type": "date", "format": "MM/DD/YY"}},
        "options": {"two_digit_year_pivot": pivot},
    }
    with live_server.client() as client:
        response = client.post("/mapping/validate", json=body)

    field = "options.two_digit_year_pivot"
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["message"] == f"Invalid request: {field}: {problem}"
    assert error["details"] == [{"field": field, "problem": problem, "type": "int_type"}]
