"""HubSpot CRM connector: create, update, read and search contacts (CRM API v3).

Sources (HubSpot developer docs): https://developers.hubspot.com/docs/api/CRM/Contacts
(``POST /crm/v3/objects/contacts`` with a ``properties`` object, ``PATCH`` by id or with
``idProperty=email``, ``POST .../search`` with ``filterGroups``),
https://developers.hubspot.com/docs/api-reference/error-handling (401, 403, 429 and the error
body ``{status, message, correlationId, category, errors, context, links}``) and
https://developers.hubspot.com/docs/api-reference/legacy/account/account-information/get-account-details.md.
A duplicate create returns 409 with ``category: CONFLICT`` and the message "Contact already
exists. Existing ID: <id>"; a missing scope returns 403 with ``category: MISSING_SCOPES`` and
the required scopes in ``errors[].context``; a rate limit returns 429 with
``errorType: RATE_LIMIT`` and a ``policyName``.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

import httpx
from pydantic import BaseModel, ConfigDict, Field, model_validator

from synctoscale.connectors.base import ConnectorError, FailureKind, Identity
from synctoscale.connectors.http import HttpConnector, invalid_input, parse_input, path_segment

__all__ = ["HubSpotConnector", "HubSpotCredentials"]

CONTACTS = "/crm/v3/objects/contacts"
# Friendlier input names accepted for HubSpot's internal property names.
PROPERTY_ALIASES = {"first_name": "firstname", "last_name": "lastname", "phone_number": "phone"}
# HubSpot recommends at least one of these on a new contact; email deduplicates contacts.
IDENTIFYING_PROPERTIES = ("email", "firstname", "lastname")
_EXISTING_ID = re.compile(r"Existing ID:\s*(\d+)")
_CONTACT_ID = r"^\d{1,20}$"

_KINDS = {
    "INVALID_AUTHENTICATION": FailureKind.INVALID_CREDENTIALS,
    "EXPIRED_AUTHENTICATION": FailureKind.INVALID_CREDENTIALS,
    "MISSING_SCOPES": FailureKind.INSUFFICIENT_SCOPES,
    "OBJECT_NOT_FOUND": FailureKind.NOT_FOUND,
    "CONFLICT": FailureKind.CONFLICT,
    "OBJECT_ALREADY_EXISTS": FailureKind.CONFLICT,
    "VALIDATION_ERROR": FailureKind.INVALID_REQUEST,
    "PROPERTY_DOESNT_EXIST": FailureKind.INVALID_REQUEST,
    "RATE_LIMIT": FailureKind.RATE_LIMITED,
    "RATE_LIMITS": FailureKind.RATE_LIMITED,
}


class HubSpotCredentials(BaseModel):
    """A private app access token or an OAuth access token."""

    model_config = ConfigDict(extra="forbid")

    access_token: str = Field(min_length=1, max_length=2000)


Property = str | int | float | bool | None


class ContactInput(BaseModel):
    """Contact properties as top-level keys, a ``properties`` object, or both."""

    model_config = ConfigDict(extra="allow")

    properties: dict[str, Property] = Field(default_factory=dict)

    def merged(self) -> dict[str, str]:
        """Return every property as HubSpot takes it: internal names, string values, no nulls."""
        values: dict[str, Property] = {**(self.model_extra or {}), **self.properties}
        merged: dict[str, str] = {}
        for name, value in values.items():
            if value is None:
                continue
            if isinstance(value, dict | list):
                kind = type(value).__name__
                raise ValueError(f"property {name!r} must be a single value, not a {kind}")
            merged[PROPERTY_ALIASES.get(name, name)] = _text(value)
        return merged


class ContactKey(BaseModel):
    """Names one contact by HubSpot id or by email."""

    model_config = ConfigDict(extra="allow")

    contact_id: str | None = Field(None, pattern=_CONTACT_ID)
    email: str | None = Field(None, min_length=3)

    @model_validator(mode="after")
    def _has_key(self) -> ContactKey:
        if self.contact_id is None and self.email is None:
            raise ValueError("send contact_id or email to name the contact")
        return self

    def path(self) -> tuple[str, dict[str, str]]:
        if self.contact_id is not None:
            return f"{CONTACTS}/{self.contact_id}", {}
        assert self.email is not None
        return f"{CONTACTS}/{path_segment(self.email)}", {"idProperty": "email"}


class UpdateContactInput(ContactKey, ContactInput):
    """A contact key plus the properties to set. With ``contact_id``, ``email`` is set too."""


class GetContactInput(ContactKey):
    model_config = ConfigDict(extra="forbid")

    properties: list[str] | None = None


class Filter(BaseModel):
    model_config = ConfigDict(extra="forbid")

    propertyName: str = Field(min_length=1)
    operator: str = Field("EQ", min_length=2)
    value: Property = None


class SearchContactsInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str | None = None
    filters: list[Filter] = Field(default_factory=list)
    properties: list[str] | None = None
    limit: int = Field(10, ge=1, le=100)
    after: str | None = None

    @model_validator(mode="after")
    def _has_filter(self) -> SearchContactsInput:
        if self.email is None and not self.filters:
            raise ValueError("send email or filters; a search needs at least one filter")
        return self


class HubSpotConnector(HttpConnector):
    provider = "hubspot"
    display_name = "HubSpot"
    actions = frozenset({"create_contact", "update_contact", "get_contact", "search_contacts"})
    credentials_model: ClassVar[type[BaseModel]] = HubSpotCredentials
    auth_types = ("private_app", "oauth")
    default_base_url = "https://api.hubapi.com"

    def identify(self) -> Identity:
        """Read the account details, then one contact, which needs the contacts read scope."""
        with self.session():
            details = self.send("GET", "/account-info/v3/details").json()
            self.send("GET", CONTACTS, params={"limit": 1})
        keys = ("portalId", "uiDomain", "timeZone")
        account = {key: details[key] for key in keys if key in details}
        return Identity(account=account)

    def create_contact(self, values: dict[str, Any]) -> dict[str, Any]:
        contact = parse_input(ContactInput, values, "create_contact")
        properties = _properties(contact, "create_contact")
        if not any(properties.get(name) for name in IDENTIFYING_PROPERTIES):
            raise invalid_input(
                "create_contact", "email", "send email, firstname or lastname; email is best"
            )
        body = self.send("POST", CONTACTS, json={"properties": properties}).json()
        return _contact_output(body)

    def update_contact(self, values: dict[str, Any]) -> dict[str, Any]:
        update = parse_input(UpdateContactInput, values, "update_contact")
        properties = _properties(update, "update_contact")
        if update.contact_id is not None and update.email is not None:
            properties.setdefault("email", update.email)
        if not properties:
            raise invalid_input("update_contact", "properties", "send at least one property")
        path, params = update.path()
        body = self.send("PATCH", path, params=params, json={"properties": properties}).json()
        return _contact_output(body)

    def get_contact(self, values: dict[str, Any]) -> dict[str, Any]:
        request = parse_input(GetContactInput, values, "get_contact")
        path, params = request.path()
        if request.properties:
            params["properties"] = ",".join(request.properties)
        return _contact_output(self.send("GET", path, params=params).json())

    def search_contacts(self, values: dict[str, Any]) -> dict[str, Any]:
        search = parse_input(SearchContactsInput, values, "search_contacts")
        filters = [item.model_dump() for item in search.filters]
        if search.email is not None:
            filters.append({"propertyName": "email", "operator": "EQ", "value": search.email})
        body: dict[str, Any] = {"filterGroups": [{"filters": filters}], "limit": search.limit}
        if search.properties:
            body["properties"] = search.properties
        if search.after:
            body["after"] = search.after
        found = self.send("POST", f"{CONTACTS}/search", json=body, expected=(200,)).json()
        results = found.get("results", [])
        return {
            "total": found.get("total", len(results)),
            "results": results,
            "contact_ids": [item.get("id") for item in results],
            "next_after": found.get("paging", {}).get("next", {}).get("after"),
        }

    def error_from(self, response: httpx.Response) -> ConnectorError:
        try:
            body = response.json()
        except ValueError:
            body = {}
        if not isinstance(body, dict):
            body = {}

        code = str(body.get("category") or body.get("errorType") or "")
        message = str(body.get("message") or response.reason_phrase)
        kind = _KINDS.get(code)
        if kind is None and response.status_code == 403:
            kind = FailureKind.FORBIDDEN
        details: dict[str, Any] = {}
        if body.get("correlationId"):
            details["correlation_id"] = body["correlationId"]

        existing = _EXISTING_ID.search(message)
        if existing:
            details["existing_id"] = existing.group(1)
        scopes = _required_scopes(body)
        if scopes:
            details["required_scopes"] = scopes
            message = f"{message} Required scopes: {', '.join(scopes)}."
        if body.get("policyName"):
            details["policy_name"] = body["policyName"]
        return self.http_error(
            response,
            f"HubSpot returned {response.status_code}: {message}",
            error_code=code or None,
            kind=kind,
            details=details,
        )


def _properties(contact: ContactInput, action: str) -> dict[str, str]:
    try:
        return contact.merged()
    except ValueError as exc:
        raise invalid_input(action, "properties", str(exc)) from None


def _contact_output(body: dict[str, Any]) -> dict[str, Any]:
    return {
        "record_id": body.get("id"),
        "id": body.get("id"),
        "properties": body.get("properties", {}),
        "created_at": body.get("createdAt"),
        "updated_at": body.get("updatedAt"),
        "archived": body.get("archived", False),
    }


def _required_scopes(body: dict[str, Any]) -> list[str]:
    scopes: list[str] = []
    for error in body.get("errors") or []:
        context = error.get("context") or {} if isinstance(error, dict) else {}
        for key in ("requiredGranularScopes", "requiredScopes"):
            scopes.extend(str(scope) for scope in context.get(key) or [])
    return list(dict.fromkeys(scopes))


def _text(value: str | int | float | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
