"""An emulation of the BambooHR employee endpoints under ``/api/gateway.php/{subdomain}/v1``.

BambooHR authenticates with HTTP Basic (the API key as user name) and states the reason for
an error in the ``X-BambooHR-Error-Message`` header, with an empty body.
"""

from __future__ import annotations

import base64
import binascii
import re
from datetime import date, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from synctoscale.sandbox.common import (
    Reject,
    config_of,
    read_body,
    requested_failure,
    state_of,
)
from synctoscale.sandbox.state import BambooCompany
from synctoscale.sandbox.triggers import Grant, Trigger, grant_for

router = APIRouter(prefix="/bamboohr/api/gateway.php/{subdomain}/v1", include_in_schema=False)

ERROR_HEADER = "X-BambooHR-Error-Message"
EDITABLE_FIELDS = frozenset(
    {
        "firstName",
        "lastName",
        "displayName",
        "workEmail",
        "jobTitle",
        "department",
        "location",
        "status",
        "hireDate",
        "supervisorEId",
        "mobilePhone",
        "employeeNumber",
    }
)
_SUBDOMAIN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")


def _error(status: int, message: str, **headers: str) -> Response:
    return Response(status_code=status, headers={ERROR_HEADER: message, **headers})


def _require(request: Request, subdomain: str, *, write: bool) -> None:
    """Raise Reject unless the API key may read (or, with ``write``, change) employees."""
    if not _SUBDOMAIN.match(subdomain):
        raise Reject(_error(404, "Company not found"))
    grant = _grant(request)
    if grant is Grant.MISSING:
        raise Reject(_error(401, "API key missing"))
    if grant is Grant.INVALID:
        raise Reject(_error(401, "Invalid API key"))
    if grant is Grant.NO_SCOPE or (write and grant is Grant.READ_ONLY):
        raise Reject(_error(403, "The API key's user does not have permission for this action"))


def _grant(request: Request) -> Grant:
    header = request.headers.get("authorization", "")
    if not header.lower().startswith("basic "):
        return Grant.MISSING
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return Grant.INVALID
    return grant_for(decoded.partition(":")[0])


async def _raise_failure(request: Request, emails: list[object]) -> None:
    """Raise Reject with the failure the request's email addresses or header ask for."""
    failure = await requested_failure(request, "bamboohr", emails)
    if failure is Trigger.RATE_LIMITED:
        retry_after = str(config_of(request).retry_after_seconds)
        raise Reject(_error(429, "Rate limit exceeded", **{"Retry-After": retry_after}))
    if failure is Trigger.OUTAGE:
        raise Reject(_error(503, "Service temporarily unavailable"))
    if failure is Trigger.INVALID:
        raise Reject(_error(400, "Invalid value for field workEmail"))


async def _written_fields(request: Request, subdomain: str) -> dict[str, Any]:
    """Check an add or update request and return the fields it sets."""
    _require(request, subdomain, write=True)
    body = await read_body(request)
    if body is None:
        raise Reject(_error(400, "The request body is not valid JSON"))
    await _raise_failure(request, [body.get("workEmail")])
    _check_values(body)
    return body


@router.get("/employees/changed/")
async def changed_employees(
    subdomain: str, request: Request, since: str = "", type: str | None = None
) -> Response:
    _require(request, subdomain, write=False)
    try:
        moment = datetime.fromisoformat(since.replace("Z", "+00:00"))
    except ValueError:
        return _error(400, "Invalid or missing since parameter")
    if moment.tzinfo is None:
        return _error(400, "Invalid or missing since parameter")
    if type is not None and type not in ("inserted", "updated", "deleted"):
        return _error(400, "Invalid type parameter")

    company = state_of(request).bamboo(subdomain)
    changes = {
        employee_id: change
        for employee_id, change in company.changes.items()
        if datetime.fromisoformat(change["lastChanged"]) >= moment
        and (type is None or change["action"].lower() == type)
    }
    latest = max((change["lastChanged"] for change in changes.values()), default=None)
    return JSONResponse({"latest": latest, "employees": changes})


@router.get("/employees/{employee_id}/")
async def get_employee(
    subdomain: str, employee_id: str, request: Request, fields: str = ""
) -> Response:
    _require(request, subdomain, write=False)
    company = state_of(request).bamboo(subdomain)
    employee = company.employees.get("1" if employee_id == "0" else employee_id)
    if employee is None:
        return _error(404, "Employee not found")
    await _raise_failure(request, [employee.get("workEmail")])

    names = [name.strip() for name in fields.split(",") if name.strip()]
    body = {"id": employee["id"], **{name: employee[name] for name in names if name in employee}}
    return JSONResponse(body)


@router.post("/employees/")
async def add_employee(subdomain: str, request: Request) -> Response:
    body = await _written_fields(request, subdomain)
    if not body.get("firstName") or not body.get("lastName"):
        return _error(400, "firstName and lastName are required")

    state = state_of(request)
    with state.lock:
        company = state.bamboo(subdomain)
        if _email_taken(company, body.get("workEmail")):
            return _error(409, "An employee with this work email already exists")
        employee_id = str(next(company.next_id))
        company.employees[employee_id] = {"id": employee_id, **_known(body)}
        company.record_change(employee_id, "Inserted")
    location = f"{request.base_url}bamboohr/api/gateway.php/{subdomain}/v1/employees/{employee_id}"
    return Response(status_code=201, headers={"Location": location})


@router.post("/employees/{employee_id}/")
async def update_employee(subdomain: str, employee_id: str, request: Request) -> Response:
    body = await _written_fields(request, subdomain)

    state = state_of(request)
    with state.lock:
        company = state.bamboo(subdomain)
        employee = company.employees.get(employee_id)
        if employee is None:
            return _error(404, "Employee not found")
        if _email_taken(company, body.get("workEmail"), but=employee_id):
            return _error(409, "An employee with this work email already exists")
        # BambooHR ignores fields it does not know, as the real API does.
        employee.update(_known(body))
        company.record_change(employee_id, "Updated")
    return Response(status_code=200)


def _known(body: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in body.items() if key in EDITABLE_FIELDS}


def _check_values(body: dict[str, Any]) -> None:
    hire_date = body.get("hireDate")
    if hire_date is not None:
        try:
            date.fromisoformat(str(hire_date))
        except ValueError:
            message = "Invalid value for field hireDate; expected YYYY-MM-DD"
            raise Reject(_error(400, message)) from None
    email = body.get("workEmail")
    if email is not None and "@" not in str(email):
        raise Reject(_error(400, "Invalid value for field workEmail"))


def _email_taken(company: BambooCompany, email: object, but: str | None = None) -> bool:
    if not email:
        return False
    wanted = str(email).lower()
    return any(
        str(employee.get("workEmail", "")).lower() == wanted and employee_id != but
        for employee_id, employee in company.employees.items()
    )
