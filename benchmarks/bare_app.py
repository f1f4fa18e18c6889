"""The baseline for benchmarks/api.py: a FastAPI endpoint with no auth, limits or validation."""

from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()


class Body(BaseModel):
    payload: dict[str, Any]
    expected_schema: dict[str, Any]


@app.post("/mapping/validate")
def validate(body: Body) -> dict[str, Any]:
    return {"valid": True, "issues": [], "data": body.payload}
