"""Every error leaves the API in the ``{"error": {code, message, details}}`` shape, never a 500."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.synctoscale.conftest import LiveServer

JSON = {"Content-Type": "application/json"}


@pytest.mark.parametrize(
    ("body", "status", "code", "message_part"),
    [
        (b'{"payload": {"a": 1', 400, "invalid_json", "not valid JSON"),
        (b"\xff\xfe{}", 400, "invalid_json", "not"),
        (b"[" * 100_000 + b"]" * 100_000, 400, "invalid_json", "nested too deeply"),
        (b'{"payload": {"a": 1, "a": 2}, "expected_schema": {}}', 422, "duplicate_key", "'a'"),
        (b'{"payload": {"a": NaN}, "expected_schema": {}}', 422, "invalid_number", "NaN"),
        (
            b'{"payload": {"a": -Infinity}, "expected_schema": {}}',
            422,
            "invalid_number",
            "Infinity",
        ),
        (b'{"payload": {"a": 1e999}, "expected_schema": {}}', 422, "invalid_number", "1e999"),
        (b'{"payload": {"a": 1}}', 422, "validation_error", "expected_schema"),
        (b'{"payload": [1, 2], "expected_schema": {}}', 422, "validation_error", "payload"),
        (b'{"payload": {}, "expected_schema": {}, "extra": 1}', 422, "validation_error", "extra"),
    ],
)
def test_bad_body_gets_clear_4xx(
    live_server: LiveServer, body: bytes, status: int, code: str, message_part: str
) -> None:
    with live_server.client() as client:
        response = client.post("/mapping/validate", content=body, headers=JSON)

    assert response.status_code == status
    error = response.json()["error"]
    assert error["code"] == code
    assert message_part in error["message"]
    assert "Traceback" not in response.text


@pytest.mark.parametrize(
    ("encoding", "detected"),
    [
        ("utf-16", "UTF-16"),
        ("utf-16-le", "UTF-16"),
        ("utf-16-be", "UTF-16"),
        ("utf-32", "UTF-32"),
        ("utf-32-le", "UTF-32"),
    ],
)
def test_utf16_and_utf32_bodies_are_400(
    live_server: LiveServer, encoding: str, detected: str
) -> None:
    body = '{"payload": {"a": 1}, "expected_schema": {"a": "integer"}}'.encode(encoding)
    with live_server.client() as client:
        response = client.post("/mapping/validate", content=body, headers=JSON)

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_json"
    assert error["message"] == (
        f"The request body is {detected} text, not UTF-8: JSON over HTTP must be UTF-8 "
        "(RFC 8259); encode the JSON as UTF-8."
    )
    assert error["details"] == {"encoding": detected}


def test_utf8_byte_order_mark_is_accepted(live_server: LiveServer) -> None:
    body = '{"payload": {"a": 1}, "expected_schema": {"a": "integer"}}'.encode("utf-8-sig")
    with live_server.client() as client:
        response = client.post("/mapping/validate", content=body, headers=JSON)

    assert response.status_code == 200
    assert response.json()["valid"] is True


@pytest.mark.parametrize(
    ("body", "code", "message", "details"),
    [
        (
            b'{"payload": {"salary": NaN}, "expected_schema": {"salary": "number"}}',
            "invalid_number",
            "payload.salary: NaN is not a JSON number; send a finite number or null.",
            {"token": "NaN", "field": "payload.salary"},
        ),
        (
            b'{"payload": {"x": {"a": 1, "a": 2}}, "expected_schema": {"x": "any"}}',
            "duplicate_key",
            "payload.x.a: the key 'a' appears twice in one JSON object; send each key once.",
            {"key": "a", "field": "payload.x.a"},
        ),
        (
            b'{"payload": {"rows": [1, -Infinity]}, "expected_schema": {}}',
            "invalid_number",
            "payload.rows[1]: -Infinity is not a JSON number; send a finite number or null.",
            {"token": "-Infinity", "field": "payload.rows[1]"},
        ),
        (
            b'{"payload": {"a.b": 1e999}, "expected_schema": {}}',
            "invalid_number",
            'payload["a.b"]: the number 1e999 is too large for a 64-bit float; '
            "send a smaller one.",
            {"token": "1e999", "field": 'payload["a.b"]'},
        ),
        (
            b'{"payload": {"a": {"b": NaN}, "a": 1}, "expected_schema": {}}',
            "invalid_number",
            "payload.a.b: NaN is not a JSON number; send a finite number or null.",
            {"token": "NaN", "field": "payload.a.b"},
        ),
        (
            b'{"payload": {"a": 1' + b"0" * 5000 + b'}, "expected_schema": {"a": "integer"}}',
            "invalid_number",
            "payload.a: the integer 10000000000000000000... has 5001 digits, more than the 4300 "
            "this service reads; send a shorter number (a field that takes text can take the "
            "digits as a JSON string).",
            {"token": "1" + "0" * 39, "field": "payload.a"},
        ),
        (
            b'{"payload": {"a": [-' + b"9" * 4301 + b'.5]}, "expected_schema": {}}',
            "invalid_number",
            "payload.a[0]: the number -" + "9" * 39 + " is too large for a 64-bit float; "
            "send a smaller one.",
            {"token": "-" + "9" * 39, "field": "payload.a[0]"},
        ),
        (
            b"NaN",
            "invalid_number",
            "NaN is not a JSON number; send a finite number or null.",
            {"token": "NaN", "field": ""},
        ),
        (
            b'{"payload": {"a": "x\\ud800"}, "expected_schema": {"a": "string"}}',
            "invalid_string",
            "payload.a: the string contains a \\u escape of one half of a UTF-16 surrogate "
            "pair, which is not a valid Unicode character. Send the character itself as UTF-8, "
            "or escape both halves of the pair.",
            {"field": "payload.a"},
        ),
        (
            b'{"payload": {"k\\uDC00": 1}, "expected_schema": {}}',
            "invalid_string",
            "payload.k\\udc00: the key contains a \\u escape of one half of a UTF-16 "
            "surrogate pair, which is not a valid Unicode character. Send the character itself "
            "as UTF-8, or escape both halves of the pair.",
            {"field": "payload.k\\udc00"},
        ),
        (
            b'{"payload": {"k\\ud800": 1, "k\\ud800": 2}, "expected_schema": {}}',
            "duplicate_key",
            "payload.k\\ud800: the key 'k\\ud800' appears twice in one JSON object; send each "
            "key once.",
            {"key": "k\\ud800", "field": "payload.k\\ud800"},
        ),
    ],
)
def test_strict_json_rejection_names_field(
    live_server: LiveServer, body: bytes, code: str, message: str, details: dict[str, str]
) -> None:
    with live_server.client() as client:
        response = client.post("/mapping/validate", content=body, headers=JSON)

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == code
    assert error["message"] == message
    assert error["details"] == details


def test_json_types_named_in_problems(live_server: LiveServer) -> None:
    body = {"payload": [1, 2], "expected_schema": "string"}
    with live_server.client() as client:
        response = client.post("/mapping/validate", json=body)

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["message"] == (
        "Invalid request: payload: Input should be a JSON object, not a JSON array "
        "(1 more problem(s) in details)"
    )
    assert error["details"] == [
        {
            "field": "payload",
            "problem": "Input should be a JSON object, not a JSON array",
            "type": "dict_type",
        },
        {
            "field": "expected_schema",
            "problem": "Input should be a JSON object, not a string",
            "type": "dict_type",
        },
    ]


def test_validation_error_details_name_field(live_server: LiveServer) -> None:
    with live_server.client() as client:
        response = client.post("/mapping/validate", json={"payload": "x", "expected_schema": {}})

    details = response.json()["error"]["details"]
    assert details[0]["field"] == "payload"
    assert details[0]["problem"]


def test_body_over_limit_is_413(live_server: LiveServer) -> None:
    limit = live_server.settings.max_body_bytes
    body = b'{"payload": {"note": "' + b"x" * limit + b'"}, "expected_schema": {}}'

    with live_server.client() as client:
        response = client.post("/mapping/validate", content=body, headers=JSON)

    assert response.status_code == 413
    error = response.json()["error"]
    assert error["code"] == "payload_too_large"
    assert str(limit) in error["message"]


def test_unknown_path_404_error_shape(live_server: LiveServer) -> None:
    with live_server.client() as client:
        response = client.get("/no/such/thing")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_wrong_method_405_error_shape(live_server: LiveServer) -> None:
    with live_server.client() as client:
        response = client.get("/mapping/validate")

    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.json()["error"] == {
        "code": "method_not_allowed",
        "message": "GET is not allowed on /mapping/validate; use POST.",
        "details": {},
    }


def test_chunked_body_over_limit_is_413(live_server: LiveServer) -> None:
    """A body sent without Content-Length is counted as it arrives."""
    limit = live_server.settings.max_body_bytes

    def chunks() -> Iterator[bytes]:
        yield b'{"payload": {"note": "'
        for _ in range(limit // 65536 + 2):
            yield b"x" * 65536
        yield b'"}, "expected_schema": {}}'

    with live_server.client() as client:
        response = client.post("/mapping/validate", content=chunks(), headers=JSON)

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded"])
def test_non_json_body_is_415(live_server: LiveServer, content_type: str | None) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    body = b'{"payload": {}, "expected_schema": {}}'

    with live_server.client() as client:
        response = client.post("/mapping/validate", content=body, headers=headers)

    assert response.status_code == 415
    error = response.json()["error"]
    assert error["code"] == "unsupported_media_type"
    assert "Content-Type: application/json" in error["message"]


def test_missing_body_is_422_not_415(live_server: LiveServer) -> None:
    with live_server.client() as client:
        response = client.post("/mapping/validate")

    assert response.status_code == 422
    assert response.json()["error"]["details"] == [
        {
            "field": "",
            "problem": "is empty; send a JSON object with payload and expected_schema",
            "type": "missing",
        }
    ]


def test_union_members_not_in_fields(live_server: LiveServer) -> None:
    body = {"source_fields": ["fname"], "target_fields": ["first_name"], "samples": 7}

    with live_server.client() as client:
        response = client.post("/nova/v1/mapping/suggest", json=body)

    assert response.status_code == 422
    fields = {detail["field"] for detail in response.json()["error"]["details"]}
    assert fields == {"samples"}
    assert "[" not in response.json()["error"]["message"]


def test_value_error_prefix_is_dropped(live_server: LiveServer) -> None:
    with live_server.client() as client:
        response = client.post("/nova/v1/errors/classify", json={"message": "x", "run_id": "r"})

    assert response.status_code == 422
    message = response.json()["error"]["message"]
    assert "Value error" not in message
    assert "or a 'run_id', not several" in message


def test_huge_body_bad_token_401(live_server: LiveServer) -> None:
    body = b"x" * (live_server.settings.max_body_bytes * 3)

    response = httpx.post(
        f"{live_server.base_url}/mapping/validate",
        content=body,
        headers={"Authorization": "Bearer sts_tok_000000000000_nope", **JSON},
    )

    assert response.status_code == 401


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/nova/v1/errors/classify", b'{"run_id": "run_\\ud800"}', "run_id"),
        ("/nova/v1/errors/classify", b'{"message": "denied \\udfff"}', "message"),
        ("/workflows/hello/run", b'{"payload": {"name": "A\\ud800"}}', "payload.name"),
    ],
)
def test_lone_surrogate_rejected_on_routes(
    live_server: LiveServer, path: str, body: bytes, field: str
) -> None:
    # Without the check, these requests failed with a 500, and a run stored with such a
    # payload could not be read back.
    with live_server.client() as client:
        response = client.post(path, content=body, headers=JSON)

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_string"
    assert error["details"] == {"field": field}


def test_surrogate_pair_escape_accepted(live_server: LiveServer) -> None:
    body = b'{"payload": {"a": "\\ud83d\\ude00"}, "expected_schema": {"a": "string"}}'
    with live_server.client() as client:
        response = client.post("/mapping/validate", content=body, headers=JSON)

    assert response.status_code == 200
    assert response.json()["valid"] is True
