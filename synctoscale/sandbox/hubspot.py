"""An emulation of the HubSpot CRM v3 contacts API and the account details endpoint.

Errors use HubSpot's body ``{status: "error", message, correlationId, category, ...}``:
401 ``INVALID_AUTHENTICATION``, 403 ``MISSING_SCOPES`` with the required scopes, 404
``OBJECT_NOT_FOUND``, 409 ``CONFLICT`` ("Contact already exists. Existing ID: …"), 400
``VALIDATION_ERROR``, and 429 with ``errorType: RATE_LIMIT``.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from synctoscale.sandbox.common import (
    Reject,
    bearer_token,
    config_of,
    read_body,
    requested_failure,
    state_of,
)
from synctoscale.sandbox.state import now_iso
from synctoscale.sandbox.triggers import Grant, Trigger, grant_for

router = APIRouter(prefix="/hubspot", include_in_schema=False)

READ, WRITE = "crm.objects.contacts.read", "crm.objects.contacts.write"
SCOPES_BY_GRANT = {
    Grant.FULL: {"oauth", READ, WRITE},
    Grant.READ_ONLY: {"oauth", READ},
    Grant.NO_SCOPE: {"oauth"},
}
KNOWN_PROPERTIES = frozenset(
    {
        "email",
        "firstname",
        "lastname",
        "phone",
        "mobilephone",
        "company",
        "jobtitle",
        "website",
        "city",
        "country",
        "lifecyclestage",
        "hs_lead_status",
        "employee_id",
    }
)
LIFECYCLE_STAGES = frozenset(
    {
        "subscriber",
        "lead",
        "marketingqualifiedlead",
        "salesqualifiedlead",
        "opportunity",
        "customer",
        "evangelist",
        "other",
    }
)


def _error(status: int, category: str, message: str, **extra: Any) -> JSONResponse:
    body = {
        "status": "error",
        "message": message,
        "correlationId": str(uuid.uuid4()),
        "category": category,
        **extra,
    }
    return JSONResponse(body, status_code=status)


def _require(request: Request, scope: str) -> None:
    """Raise Reject unless the bearer token is valid and carries ``scope``."""
    grant = grant_for(bearer_token(request))
    if grant in (Grant.MISSING, Grant.INVALID):
        raise Reject(
            _error(
                401,
                "INVALID_AUTHENTICATION",
                "Authentication credentials not found. This API supports OAuth 2.0 "
                "authentication and private app access tokens.",
            )
        )
    if scope not in SCOPES_BY_GRANT[grant]:
        raise Reject(
            _error(
                403,
                "MISSING_SCOPES",
                "This app hasn't been granted all required scopes to make this call. Read more "
                "about required scopes here: https://developers.hubspot.com/scopes.",
                errors=[
                    {
                        "message": "One or more of the following scopes are required.",
                        "context": {"requiredGranularScopes": [scope]},
                    }
                ],
                links={"scopes": "https://developers.hubspot.com/scopes"},
            )
        )


async def _raise_failure(request: Request, emails: list[object]) -> None:
    """Raise Reject with the failure the request's email addresses or header ask for."""
    failure = await requested_failure(request, "hubspot", emails)
    if failure is Trigger.RATE_LIMITED:
        body = {
            "status": "error",
            "message": "You have reached your secondly limit.",
            "errorType": "RATE_LIMIT",
            "correlationId": str(uuid.uuid4()),
            "policyName": "SECONDLY",
        }
        headers = {"Retry-After": str(config_of(request).retry_after_seconds)}
        raise Reject(JSONResponse(body, status_code=429, headers=headers))
    if failure is Trigger.OUTAGE:
        raise Reject(_error(503, "SERVICE_UNAVAILABLE", "The service is temporarily unavailable."))
    if failure is Trigger.INVALID:
        raise Reject(_invalid_email(next((str(item) for item in emails if item), "")))


async def _written_properties(request: Request, *keys: str) -> dict[str, Any]:
    """Check a create or update request and return the properties it sets."""
    _require(request, WRITE)
    body = await read_body(request)
    properties = body.get("properties") if body else None
    if not isinstance(properties, dict):
        message = "Invalid input JSON: 'properties' is required."
        raise Reject(_error(400, "VALIDATION_ERROR", message))
    await _raise_failure(request, [properties.get("email"), *keys])
    _check_properties(properties)
    return properties


def _invalid_email(email: str) -> JSONResponse:
    return _invalid_property("email", f"Email address {email} is invalid", "INVALID_EMAIL")


@router.get("/account-info/v3/details")
async def account_details(request: Request) -> Response:
    _require(request, "oauth")
    body = {
        "portalId": 8675309,
        "accountType": "STANDARD",
        "timeZone": "US/Eastern",
        "companyCurrency": "USD",
        "additionalCurrencies": [],
        "utcOffset": "-05:00",
        "utcOffsetMilliseconds": -18000000,
        "uiDomain": "app.hubspot.com",
        "dataHostingLocation": "na1",
    }
    return JSONResponse(body)


@router.get("/crm/v3/objects/contacts")
async def list_contacts(request: Request, limit: int = 10) -> Response:
    _require(request, READ)
    contacts = list(state_of(request).hubspot_contacts.values())[: max(1, min(limit, 100))]
    return JSONResponse({"results": contacts})


@router.post("/crm/v3/objects/contacts")
async def create_contact(request: Request) -> Response:
    properties = await _written_properties(request)

    state = state_of(request)
    with state.lock:
        email = str(properties.get("email") or "").lower()
        existing = _find_by_email(state.hubspot_contacts, email) if email else None
        if existing is not None:
            message = f"Contact already exists. Existing ID: {existing['id']}"
            return _error(409, "CONFLICT", message)
        contact_id = state.next_hubspot_id()
        created = now_iso()
        contact = {
            "id": contact_id,
            "properties": {
                **{key: str(value) for key, value in properties.items()},
                "createdate": created,
                "lastmodifieddate": created,
                "hs_object_id": contact_id,
            },
            "createdAt": created,
            "updatedAt": created,
            "archived": False,
        }
        state.hubspot_contacts[contact_id] = contact
    return JSONResponse(contact, status_code=201)


@router.post("/crm/v3/objects/contacts/search")
async def search_contacts(request: Request) -> Response:
    _require(request, READ)
    body = await read_body(request) or {}
    filters = [
        item
        for group in body.get("filterGroups") or []
        for item in (group.get("filters") or [] if isinstance(group, dict) else [])
    ]
    await _raise_failure(request, [item.get("value") for item in filters])
    for item in filters:
        if item.get("operator") not in ("EQ", "NEQ", "HAS_PROPERTY", "CONTAINS_TOKEN"):
            message = f"Unsupported operator {item.get('operator')!r} in the sandbox."
            return _error(400, "VALIDATION_ERROR", message)

    contacts = state_of(request).hubspot_contacts.values()
    found = [contact for contact in contacts if all(_matches(contact, item) for item in filters)]
    limit = int(body.get("limit") or 10)
    return JSONResponse({"total": len(found), "results": found[:limit]})


@router.get("/crm/v3/objects/contacts/{contact_key}")
async def get_contact(contact_key: str, request: Request) -> Response:
    _require(request, READ)
    contact = _lookup(request, contact_key)
    if contact is None:
        return _error(404, "OBJECT_NOT_FOUND", "resource not found")
    return JSONResponse(contact)


@router.patch("/crm/v3/objects/contacts/{contact_key}")
async def update_contact(contact_key: str, request: Request) -> Response:
    properties = await _written_properties(request, contact_key)

    state = state_of(request)
    with state.lock:
        contact = _lookup(request, contact_key)
        if contact is None:
            return _error(404, "OBJECT_NOT_FOUND", "resource not found")
        contact["properties"].update({key: str(value) for key, value in properties.items()})
        contact["updatedAt"] = contact["properties"]["lastmodifieddate"] = now_iso()
    return JSONResponse(contact)


def _lookup(request: Request, contact_key: str) -> dict[str, Any] | None:
    contacts = state_of(request).hubspot_contacts
    if request.query_params.get("idProperty") == "email":
        return _find_by_email(contacts, contact_key.lower())
    return contacts.get(contact_key)


def _find_by_email(contacts: dict[str, dict[str, Any]], email: str) -> dict[str, Any] | None:
    for contact in contacts.values():
        if str(contact["properties"].get("email", "")).lower() == email:
            return contact
    return None


def _check_properties(properties: dict[str, Any]) -> None:
    """Raise Reject with HubSpot's VALIDATION_ERROR for an unknown property or bad value."""
    for name, value in properties.items():
        if name not in KNOWN_PROPERTIES:
            message = f'Property "{name}" does not exist'
            raise Reject(_invalid_property(name, message, "PROPERTY_DOESNT_EXIST"))
        if name == "lifecyclestage" and str(value) not in LIFECYCLE_STAGES:
            message = f"{value} was not one of the allowed options"
            raise Reject(_invalid_property(name, message, "INVALID_OPTION"))
    email = str(properties.get("email") or "")
    if email and ("@" not in email or email.startswith("@") or email.endswith("@")):
        raise Reject(_invalid_email(email))


def _invalid_property(name: str, message: str, error: str) -> JSONResponse:
    detail = {"isValid": False, "message": message, "error": error, "name": name}
    return _error(
        400, "VALIDATION_ERROR", f"Property values were not valid: {json.dumps([detail])}"
    )


def _matches(contact: dict[str, Any], condition: dict[str, Any]) -> bool:
    value = contact["properties"].get(str(condition.get("propertyName")))
    operator = condition.get("operator")
    wanted = str(condition.get("value", "")).lower()
    if operator == "HAS_PROPERTY":
        return value not in (None, "")
    text = str(value or "").lower()
    if operator == "EQ":
        return text == wanted
    if operator == "NEQ":
        return text != wanted
    return wanted in text.split()
