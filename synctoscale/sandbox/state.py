"""The sandbox's in-memory records, one set per sandbox process, with a few seeded people."""

from __future__ import annotations

import itertools
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

__all__ = ["SandboxState"]

# People every emulated provider contains from the start, so lookups work before any create.
SEED_PEOPLE = (
    ("Ada", "Lovelace", "ada@example.com", "Engineering"),
    ("Grace", "Hopper", "grace@example.com", "Engineering"),
    ("Alan", "Turing", "alan@example.com", "Research"),
)
SLACK_CHANNELS = {"C0GENERAL": "general", "C0ONBOARD": "onboarding"}


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class BambooCompany:
    """One BambooHR company (subdomain): employees by id and when each last changed."""

    employees: dict[str, dict[str, Any]] = field(default_factory=dict)
    changes: dict[str, dict[str, str]] = field(default_factory=dict)
    next_id: itertools.count[int] = field(default_factory=lambda: itertools.count(100))

    def record_change(self, employee_id: str, action: str) -> None:
        self.changes[employee_id] = {"id": employee_id, "action": action, "lastChanged": now_iso()}


class SandboxState:
    """Every record the sandbox holds; guard changes with ``lock``."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.flaky_seen: set[tuple[str, str]] = set()

        self.slack_users: dict[str, dict[str, Any]] = {}
        self.slack_invites: dict[str, dict[str, Any]] = {}
        self.slack_messages: list[dict[str, Any]] = []
        self._slack_ts = itertools.count(1)

        self.hubspot_contacts: dict[str, dict[str, Any]] = {}
        self._hubspot_ids = itertools.count(88171)

        self.bamboo_companies: dict[str, BambooCompany] = {}

        self.google_users: dict[str, dict[str, Any]] = {}
        self._google_ids = itertools.count(100000000000000000001)

        self._seed()

    def first_failure(self, provider: str, email: str) -> bool:
        """Return True the first time ``email`` reaches ``provider``, for the flaky trigger."""
        with self.lock:
            if (provider, email) in self.flaky_seen:
                return False
            self.flaky_seen.add((provider, email))
            return True

    def next_slack_ts(self) -> str:
        return f"{int(time.time())}.{next(self._slack_ts):06d}"

    def next_hubspot_id(self) -> str:
        return str(next(self._hubspot_ids))

    def next_google_id(self) -> str:
        return str(next(self._google_ids))

    def bamboo(self, subdomain: str) -> BambooCompany:
        """Return the company for ``subdomain``, seeding it on first use."""
        with self.lock:
            company = self.bamboo_companies.get(subdomain)
            if company is None:
                company = BambooCompany()
                for number, (first, last, email, department) in enumerate(SEED_PEOPLE, start=1):
                    employee_id = str(number)
                    company.employees[employee_id] = {
                        "id": employee_id,
                        "firstName": first,
                        "lastName": last,
                        "displayName": f"{first} {last}",
                        "workEmail": email,
                        "jobTitle": "Engineer",
                        "department": department,
                        "location": "London",
                        "status": "Active",
                        "hireDate": "2020-01-06",
                        "supervisorEId": None,
                    }
                    company.record_change(employee_id, "Inserted")
                self.bamboo_companies[subdomain] = company
            return company

    def google_user(self, key: str) -> dict[str, Any] | None:
        """Find a Directory user by id, primary email or alias."""
        lowered = key.lower()
        for user in self.google_users.values():
            emails = [user.get("primaryEmail", ""), *user.get("aliases", [])]
            if user["id"] == key or lowered in (email.lower() for email in emails):
                return user
        return None

    def _seed(self) -> None:
        for number, (first, last, email, _department) in enumerate(SEED_PEOPLE, start=1):
            user_id = f"U0SEED{number:04d}"
            self.slack_users[email] = {
                "id": user_id,
                "team_id": "T0SANDBOX",
                "name": first.lower(),
                "real_name": f"{first} {last}",
                "deleted": False,
                "is_bot": False,
                "tz": "Europe/London",
                "profile": {
                    "real_name": f"{first} {last}",
                    "display_name": first.lower(),
                    "email": email,
                },
            }

            google_id = self.next_google_id()
            self.google_users[google_id] = {
                "kind": "admin#directory#user",
                "id": google_id,
                "primaryEmail": email,
                "name": {"givenName": first, "familyName": last, "fullName": f"{first} {last}"},
                "isAdmin": number == 1,
                "suspended": False,
                "orgUnitPath": "/",
                "customerId": "C0sandbox",
                "creationTime": now_iso(),
                "aliases": [],
            }
