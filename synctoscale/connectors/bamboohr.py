"""BambooHR connector: read, add and update employees, and list the ones that changed.

Sources (BambooHR API docs): https://documentation.bamboohr.com/docs/api-details (requests go
to ``https://api.bamboohr.com/api/gateway.php/{company subdomain}/``, HTTP Basic auth with the
API key as user name, the status codes 400 to 503, and a 503 when requests are throttled) and
https://documentation.bamboohr.com/reference/get-changed-employee-ids (``since`` as ISO 8601
with an offset, and ``{"latest", "employees": {id: {id, action, lastChanged}}}``). Employee
id 0 names the API key's own user. BambooHR puts the reason for an error in the
``X-BambooHR-Error-Message`` response header, not in the body.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, ClassVar, Literal

import httpx
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from synctoscale.connectors.base import ConnectorError, FailureKind, Identity
from synctoscale.connectors.http import (
    HttpConnector,
    invalid_input,
    parse_input,
    status_code_name,
)

__all__ = ["BambooHRConnector", "BambooHRCredentials"]

ERROR_HEADER = "X-BambooHR-Error-Message"
DEFAULT_FIELDS = (
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
)


# The subdomain becomes a URL path segment, so it is limited to one DNS host label.
SUBDOMAIN_PATTERN = r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$"


class BambooHRCredentials(BaseModel):
    """An API key and the company subdomain (``acme`` for ``acme.bamboohr.com``)."""

    model_config = ConfigDict(extra="forbid")

    api_key: str = Field(min_length=1, max_length=200)
    subdomain: str = Field(pattern=SUBDOMAIN_PATTERN)


def _split_commas(value: Any) -> Any:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


def _integer_as_text(value: Any) -> Any:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


# Employee ids are whole numbers; 0 is the API key's own user.
EmployeeId = Annotated[str, BeforeValidator(_integer_as_text), Field(pattern=r"^\d{1,12}$")]
FieldNames = Annotated[list[str], BeforeValidator(_split_commas), Field(min_length=1)]


class GetEmployeeInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    employee_id: EmployeeId
    fields: FieldNames = Field(default_factory=lambda: list(DEFAULT_FIELDS))
    only_current: bool = True


class UpdateEmployeeInput(BaseModel):
    """The employee id plus the fields to set, as top-level keys or in ``fields``."""

    model_config = ConfigDict(extra="allow")

    employee_id: EmployeeId
    fields: dict[str, Any] = Field(default_factory=dict)

    def values(self) -> dict[str, Any]:
        return {**(self.model_extra or {}), **self.fields}


class AddEmployeeInput(BaseModel):
    model_config = ConfigDict(extra="allow")

    firstName: str = Field(min_length=1)
    lastName: str = Field(min_length=1)


class ChangedEmployeesInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    since: datetime = Field(description="ISO 8601 moment with a UTC offset.")
    type: Literal["inserted", "updated", "deleted"] | None = None

    @field_validator("since")
    @classmethod
    def _has_offset(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("since needs a UTC offset, such as 2025-01-20T14:00:00Z")
        return value


class BambooHRConnector(HttpConnector):
    provider = "bamboohr"
    display_name = "BambooHR"
    actions = frozenset(
        {"get_employee", "add_employee", "update_employee", "list_changed_employees"}
    )
    credentials_model: ClassVar[type[BaseModel]] = BambooHRCredentials
    auth_types = ("api_key",)
    default_base_url = "https://api.bamboohr.com/api/gateway.php"

    def auth(self) -> httpx.Auth:
        # The API key is the user name; BambooHR ignores the password.
        return httpx.BasicAuth(self.credentials.get("api_key", ""), "x")

    @property
    def company_path(self) -> str:
        """Return ``/<subdomain>/v1``, after checking the subdomain is one host label."""
        subdomain = self.credentials.get("subdomain", "")
        if not re.fullmatch(SUBDOMAIN_PATTERN, subdomain):
            raise ConnectorError(
                "invalid_subdomain",
                "The BambooHR subdomain in the connection's credentials is missing or not a "
                "host name label; store the company's subdomain, such as acme for "
                "acme.bamboohr.com.",
                kind=FailureKind.INVALID_CREDENTIALS,
            )
        return f"/{subdomain}/v1"

    def identify(self) -> Identity:
        with self.session():
            params = {"fields": "firstName,lastName,workEmail"}
            user = self.send("GET", f"{self.company_path}/employees/0/", params=params).json()
        name = " ".join(str(user.get(key) or "") for key in ("firstName", "lastName")).strip()
        return Identity(account={"employee_id": user.get("id"), "name": name})

    def get_employee(self, values: dict[str, Any]) -> dict[str, Any]:
        request = parse_input(GetEmployeeInput, values, "get_employee")
        params = {"fields": ",".join(request.fields)}
        if request.only_current:
            params["onlyCurrent"] = "true"
        path = f"{self.company_path}/employees/{request.employee_id}/"
        employee = self.send("GET", path, params=params, expected=(200,)).json()
        return {"record_id": str(employee.get("id", request.employee_id)), **employee}

    def add_employee(self, values: dict[str, Any]) -> dict[str, Any]:
        employee = parse_input(AddEmployeeInput, values, "add_employee")
        path = f"{self.company_path}/employees/"
        response = self.send("POST", path, json=employee.model_dump(), expected=(200, 201))
        employee_id = _created_id(response)
        return {"record_id": employee_id, "id": employee_id}

    def update_employee(self, values: dict[str, Any]) -> dict[str, Any]:
        update = parse_input(UpdateEmployeeInput, values, "update_employee")
        changes = update.values()
        if not changes:
            raise invalid_input("update_employee", "fields", "send at least one field to set")
        path = f"{self.company_path}/employees/{update.employee_id}/"
        self.send("POST", path, json=changes, expected=(200, 204))
        return {"record_id": update.employee_id, "updated_fields": sorted(changes)}

    def list_changed_employees(self, values: dict[str, Any]) -> dict[str, Any]:
        request = parse_input(ChangedEmployeesInput, values, "list_changed_employees")
        params = {"since": request.since.isoformat(timespec="seconds")}
        if request.type:
            params["type"] = request.type
        path = f"{self.company_path}/employees/changed/"
        body = self.send("GET", path, params=params, expected=(200,)).json()
        changes = body.get("employees") or {}
        employees = sorted(changes.values(), key=lambda item: str(item.get("lastChanged", "")))
        return {"latest": body.get("latest"), "count": len(employees), "employees": employees}

    def error_from(self, response: httpx.Response) -> ConnectorError:
        reason = response.headers.get(ERROR_HEADER) or response.reason_phrase
        status = response.status_code
        # 503 is how BambooHR throttles, so it is retried like a 429.
        return self.http_error(
            response,
            f"BambooHR returned {status}: {reason}",
            error_code=status_code_name(status),
            details={"error_message": response.headers.get(ERROR_HEADER)},
        )


def _created_id(response: httpx.Response) -> str | None:
    """Read the new employee's id from the ``Location`` header, or from a JSON body."""
    location = response.headers.get("location")
    if location:
        return location.rstrip("/").rsplit("/", 1)[-1]
    try:
        body = response.json()
    except ValueError:
        return None
    return str(body["id"]) if isinstance(body, dict) and "id" in body else None
