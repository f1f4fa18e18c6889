"""``GET /rate_limit``: the caller's rate-limit windows, without counting the request."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel

from synctoscale.auth import Principal, current_principal
from synctoscale.jsonbody import StrictJSONRoute
from synctoscale.ratelimit import RATE_LIMIT_PATH, RateLimitDecision

router = APIRouter(route_class=StrictJSONRoute, tags=["rate limits"])


class WindowModel(BaseModel):
    limit: int
    remaining: int
    reset: str


class RateLimitResponse(WindowModel):
    """The tighter window at the top level, both windows below it."""

    project: WindowModel
    token: WindowModel


@router.get(RATE_LIMIT_PATH, response_model=RateLimitResponse, summary="Show rate-limit status")
def get_rate_limit(
    request: Request, _principal: Annotated[Principal, Depends(current_principal)]
) -> dict[str, Any]:
    decision: RateLimitDecision = request.state.rate_limit
    return {
        **decision.tightest.to_dict(),
        "project": decision.project.to_dict(),
        "token": decision.token.to_dict(),
    }
