"""The OpenAPI document describes every workflow, run, trigger and error endpoint."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.synctoscale.conftest import LiveServer

OPERATIONS = [
    ("post", "/workflows", "WorkflowDefinition", "WorkflowOut"),
    ("get", "/workflows", None, "Page_WorkflowOut_"),
    ("get", "/workflows/{workflow_id}", None, "WorkflowOut"),
    ("put", "/workflows/{workflow_id}", "WorkflowDefinition", "WorkflowOut"),
    ("post", "/workflows/{workflow_id}/run", "RunRequest", "RunQueued"),
    ("get", "/runs", None, "Page_RunSummary_"),
    ("get", "/runs/{run_id}", None, "RunDetail"),
    ("post", "/runs/{run_id}/retry", None, "RunQueued"),
    ("post", "/runs/{run_id}/cancel", None, "RunSummary"),
    ("post", "/triggers/event", "EventRequest", "EventQueued"),
    ("get", "/errors/{run_id}", None, "ErrorLookup"),
]


@pytest.fixture
def document(live_server: LiveServer) -> dict[str, Any]:
    return dict(httpx.get(f"{live_server.base_url}/openapi.json").json())


@pytest.mark.parametrize(("method", "path", "request_model", "response_model"), OPERATIONS)
def test_operation_has_models(
    document: dict[str, Any],
    method: str,
    path: str,
    request_model: str | None,
    response_model: str,
) -> None:
    operation = document["paths"][path][method]

    success = next(code for code in operation["responses"] if code.startswith("2"))
    schema = operation["responses"][success]["content"]["application/json"]["schema"]
    assert schema["$ref"].endswith(f"/{response_model}")
    if request_model is not None:
        body = operation["requestBody"]["content"]["application/json"]["schema"]
        assert body["$ref"].endswith(f"/{request_model}")


def test_every_reference_resolves(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]

    def refs(node: Any) -> list[str]:
        if isinstance(node, dict):
            found = [node["$ref"]] if "$ref" in node else []
            return found + [ref for value in node.values() for ref in refs(value)]
        if isinstance(node, list):
            return [ref for item in node for ref in refs(item)]
        return []

    missing = {ref for ref in refs(document) if ref.rsplit("/", 1)[-1] not in schemas}
    assert missing == set()


def test_error_responses_use_error_shape(document: dict[str, Any]) -> None:
    wrong = [
        (path, method, status)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        for status, response in operation["responses"].items()
        if status[0] in "45"
        and response.get("content", {}).get("application/json", {}).get("schema")
        != {"$ref": "#/components/schemas/ErrorResponse"}
    ]

    assert wrong == []
    assert "HTTPValidationError" not in document["components"]["schemas"]
    error = document["components"]["schemas"]["ErrorDetail"]
    assert set(error["properties"]) == {"code", "message", "details"}


@pytest.mark.parametrize(
    ("method", "path", "statuses"),
    [
        ("post", "/mapping/validate", {"400", "401", "413", "415", "422", "429"}),
        ("get", "/runs/{run_id}", {"401", "404", "422", "429"}),
        ("get", "/rate_limit", {"401", "429"}),
    ],
)
def test_operation_lists_its_errors(
    document: dict[str, Any], method: str, path: str, statuses: set[str]
) -> None:
    listed = set(document["paths"][path][method]["responses"])

    assert statuses <= listed
