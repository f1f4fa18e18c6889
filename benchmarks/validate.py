"""Compare mapkit's compiled validator with jsonschema and pydantic v2 on HR-like records.

All validators run in this one process over the same generated records: first all valid, then
a mix in which about 5% of the records have one defect. The script prints records per second
and mapkit's speed as a multiple of each peer's.

    python benchmarks/validate.py                 # 100,000 records
    python benchmarks/validate.py --records 20000 --repeat 5
"""

from __future__ import annotations

import argparse
import platform
import random
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from importlib.metadata import version
from typing import Any, Literal, NotRequired

import jsonschema
import pydantic
import pydantic_core
from pydantic import BaseModel, EmailStr, TypeAdapter
from typing_extensions import TypedDict  # pydantic rejects typing.TypedDict before 3.12

import mapkit

STATUSES = ("active", "terminated", "on_leave")

MAPKIT_SCHEMA = {
    "employee_id": "string",
    "first_name": "string",
    "last_name": "string",
    "email": "email",
    "hire_date": "date",
    "salary": "number",
    "active": "boolean",
    "status": {"type": "string", "enum": list(STATUSES)},
    "manager_id": "integer?",
    "address": {"street": "string", "city": "string", "zip": "string"},
}

JSON_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
        "employee_id": {"type": "string"},
        "first_name": {"type": "string"},
        "last_name": {"type": "string"},
        "email": {"type": "string", "format": "email"},
        "hire_date": {"type": "string", "format": "date"},
        "salary": {"type": "number"},
        "active": {"type": "boolean"},
        "status": {"enum": list(STATUSES)},
        "manager_id": {"type": ["integer", "null"]},
        "address": {
            "type": "object",
            "properties": {
                "street": {"type": "string"},
                "city": {"type": "string"},
                "zip": {"type": "string"},
            },
            "required": ["street", "city", "zip"],
        },
    },
    "required": [
        "employee_id",
        "first_name",
        "last_name",
        "email",
        "hire_date",
        "salary",
        "active",
        "status",
        "address",
    ],
}


class Address(BaseModel):
    street: str
    city: str
    zip: str


class Employee(BaseModel):
    employee_id: str
    first_name: str
    last_name: str
    email: EmailStr
    hire_date: date
    salary: float
    active: bool
    status: Literal["active", "terminated", "on_leave"]
    manager_id: int | None = None
    address: Address


class AddressDict(TypedDict):
    street: str
    city: str
    zip: str


class EmployeeDict(TypedDict):
    employee_id: str
    first_name: str
    last_name: str
    email: EmailStr
    hire_date: date
    salary: float
    active: bool
    status: Literal["active", "terminated", "on_leave"]
    manager_id: NotRequired[int | None]
    address: AddressDict


FIRST_NAMES = ("Ana", "Kim", "Jordan", "Mara", "Ines", "Lee", "Sam", "Noor", "Yuki", "Omar")
LAST_NAMES = ("Lopez", "Okafor", "Duarte", "Chen", "Baker", "Adams", "Novak", "Haddad")
CITIES = ("Boston", "Hollywood", "Berlin", "Lagos", "Porto", "Osaka")


def make_record(rng: random.Random, index: int) -> dict[str, Any]:
    """Build one valid HR-like record."""
    first = rng.choice(FIRST_NAMES)
    last = rng.choice(LAST_NAMES)
    hired = date(2000, 1, 1) + timedelta(days=rng.randrange(9000))
    return {
        "employee_id": f"{index:06d}",
        "first_name": first,
        "last_name": last,
        "email": f"{first.lower()}.{last.lower()}{index}@example.com",
        "hire_date": hired.isoformat(),
        "salary": round(rng.uniform(30000, 150000), 2),
        "active": rng.random() < 0.8,
        "status": rng.choice(STATUSES),
        "manager_id": rng.randrange(1, 500) if rng.random() < 0.9 else None,
        "address": {
            "street": f"{rng.randrange(1, 999)} Main St",
            "city": rng.choice(CITIES),
            "zip": f"{rng.randrange(100000):05d}",
        },
    }


DEFECTS: list[Callable[[dict[str, Any]], None]] = [
    lambda record: record.update(email=record["email"].replace("@", "@@")),
    lambda record: record.update(hire_date="2023-02-31"),
    lambda record: record.update(salary="a lot"),
    lambda record: record.update(status="retired"),
    lambda record: record.pop("last_name"),
    lambda record: record["address"].update(zip=2134),
]


def make_records(count: int, invalid_share: float, seed: int) -> list[dict[str, Any]]:
    """Build records, giving ``invalid_share`` of them one defect each."""
    rng = random.Random(seed)
    records = [make_record(rng, index) for index in range(count)]
    for record in records:
        if rng.random() < invalid_share:
            rng.choice(DEFECTS)(record)
    return records


Batch = Callable[[list[dict[str, Any]]], int]


def _per_record(check: Callable[[dict[str, Any]], bool]) -> Batch:
    return lambda records: sum(1 for record in records if not check(record))


def validators() -> dict[str, Batch]:
    """Build each validator once; return per validator a function from records to the number
    of invalid ones."""
    compiled = mapkit.compile(MAPKIT_SCHEMA)
    checker = jsonschema.Draft202012Validator(
        JSON_SCHEMA, format_checker=jsonschema.FormatChecker()
    )
    adapter = TypeAdapter(EmployeeDict)

    def with_pydantic_model(record: dict[str, Any]) -> bool:
        try:
            Employee.model_validate(record)
        except pydantic.ValidationError:
            return False
        return True

    def with_type_adapter(record: dict[str, Any]) -> bool:
        try:
            adapter.validate_python(record)
        except pydantic.ValidationError:
            return False
        return True

    return {
        "mapkit compile().validate": _per_record(lambda record: compiled.validate(record).valid),
        "mapkit compile().validate_many": lambda records: sum(
            1 for result in compiled.validate_many(records) if not result.valid
        ),
        "jsonschema Draft 2020-12 + FormatChecker": _per_record(checker.is_valid),
        "pydantic BaseModel.model_validate": _per_record(with_pydantic_model),
        "pydantic TypeAdapter(TypedDict)": _per_record(with_type_adapter),
    }


def measure_once(batch: Batch, records: list[dict[str, Any]]) -> tuple[float, int]:
    """Validate every record once; return records per second and the invalid count."""
    start = time.perf_counter()
    invalid = batch(records)
    return len(records) / (time.perf_counter() - start), invalid


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--records",
        type=int,
        default=100_000,
        help="records mapkit validates per round (default 100000)",
    )
    parser.add_argument(
        "--peer-records",
        type=int,
        default=5_000,
        help="the first N of those records go through each peer per round, "
        "to keep the run short (default 5000)",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="rounds; every validator runs once per round, in turn, and its "
        "best round counts (default 3)",
    )
    parser.add_argument("--seed", type=int, default=7, help="seed for the generated records")
    arguments = parser.parse_args()

    print(
        f"Python {platform.python_version()} on {platform.machine()}; pydantic "
        f"{pydantic.VERSION} (pydantic-core {pydantic_core.__version__}), jsonschema "
        f"{version('jsonschema')}, email-validator {version('email-validator')}"
    )
    print(
        f"mapkit: {arguments.records} records per round; peers: the first "
        f"{min(arguments.peer_records, arguments.records)}; best of {arguments.rounds} "
        "rounds\n"
    )

    sets = {
        "valid": make_records(arguments.records, 0.0, arguments.seed),
        "5% invalid": make_records(arguments.records, 0.05, arguments.seed + 1),
    }
    checks = validators()
    best: dict[str, dict[str, tuple[float, float]]] = {
        name: dict.fromkeys(sets, (0.0, 0.0)) for name in checks
    }
    # Validators take turns within each round, so a change in machine load between rounds
    # affects all of them alike.
    for round_number in range(arguments.rounds):
        for name, check in checks.items():
            for label, records in sets.items():
                sample = records if name.startswith("mapkit") else records[: arguments.peer_records]
                rate, _ = measure_once(check, sample)
                if rate > best[name][label][0]:
                    # The share of invalid records is counted on the peers' sample for all.
                    invalid = check(records[: arguments.peer_records])
                    best[name][label] = (rate, invalid / min(len(records), arguments.peer_records))
        print(f"  round {round_number + 1} of {arguments.rounds} done", file=sys.stderr)

    _print_table(best, sets)


def _print_table(
    results: dict[str, dict[str, tuple[float, float]]], sets: dict[str, list[dict[str, Any]]]
) -> None:
    mapkit_name = next(iter(results))
    header = ["validator"]
    for label in sets:
        header += [f"{label}: records/s", f"{label}: validate is", f"{label}: found invalid"]
    rows = [header]
    for name, by_set in results.items():
        row = [name]
        for label in sets:
            rate, invalid_share = by_set[label]
            ratio = results[mapkit_name][label][0] / rate
            shown = "-" if name.startswith("mapkit") else f"{ratio:.1f}x"
            row += [f"{rate:,.0f}", shown, f"{invalid_share:.1%}"]
        rows.append(row)
    widths = [max(len(row[column]) for row in rows) for column in range(len(header))]
    for index, row in enumerate(rows):
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=True)]
        print("| " + " | ".join(cells) + " |")
        if index == 0:
            print("|" + "|".join("-" * (width + 2) for width in widths) + "|")


if __name__ == "__main__":
    main()
