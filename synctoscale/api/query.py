"""Reject query parameters that an endpoint does not take.

FastAPI ignores a query parameter it does not know, so ``GET /runs?state=failed`` (for
``status``) returns every run and the caller never learns of the typo. The app runs
``reject_unknown_query`` before every endpoint. It compares the request's parameter names
with the ones the endpoint and its dependencies declare, and raises a 422 for the others.
"""

from __future__ import annotations

import logging

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from rapidfuzz import process

from synctoscale.errors import invalid_request

__all__ = ["declared_query_names", "reject_unknown_query"]

logger = logging.getLogger(__name__)

# Minimum rapidfuzz ratio (0 to 100) for a declared name to be suggested as the intended one.
_SUGGESTION_CUTOFF = 60


def declared_query_names(dependant: Dependant) -> frozenset[str]:
    """Return the query parameter names of an endpoint and of all its dependencies."""
    names = {field.alias for field in dependant.query_params}
    for dependency in dependant.dependencies:
        names |= declared_query_names(dependency)
    return frozenset(names)


def _problem(name: str, known: frozenset[str]) -> str:
    if not known:
        return "unknown query parameter; this endpoint takes none, so remove it"

    closest = process.extractOne(name, sorted(known), score_cutoff=_SUGGESTION_CUTOFF)
    takes = ", ".join(sorted(known))
    if closest is not None:
        return f"unknown query parameter; did you mean '{closest[0]}'? This endpoint takes {takes}"
    return f"unknown query parameter; this endpoint takes {takes}"


def reject_unknown_query(request: Request) -> None:
    """Raise a 422 naming each query parameter the matched endpoint does not declare."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return

    # Routes are not hashable, so the names are not cached. Walking a few dependencies
    # takes microseconds.
    known = declared_query_names(route.dependant)
    unknown = [name for name in dict.fromkeys(request.query_params) if name not in known]
    if unknown:
        logger.debug("unknown query parameters %s on %s", unknown, route.path)
        details = [
            {"field": name, "problem": _problem(name, known), "type": "unknown_query_parameter"}
            for name in unknown
        ]
        raise invalid_request(details)
