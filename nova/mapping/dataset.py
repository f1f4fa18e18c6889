"""Read the labelled mapping cases in ``datasets/mapping`` and turn them into training rows."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nova.mapping.describe import describe_fields
from nova.mapping.features import pair_features
from nova.mapping.lexicon import Lexicon
from nova.mapping.sources import Field

__all__ = ["MappingCase", "case_rows", "dataset_dir", "load_cases"]


@dataclass(frozen=True)
class MappingCase:
    """One labelled system pair: source fields, target fields and the correct mapping."""

    id: str
    source_system: str
    target_system: str
    source: tuple[Field, ...]
    target: tuple[Field, ...]
    mapping: dict[str, str | None]

    @property
    def system_pair(self) -> str:
        """The source and target systems; evaluation never splits cases of one system pair."""
        return f"{self.source_system} -> {self.target_system}"


def dataset_dir() -> Path:
    """Return ``datasets/mapping`` at the repository root (it is not shipped in the wheel)."""
    return Path(__file__).resolve().parents[2] / "datasets" / "mapping"


def load_cases(directory: Path | None = None) -> list[MappingCase]:
    """Read every ``cases_*.jsonl`` file, in file-name order."""
    folder = directory or dataset_dir()
    cases: list[MappingCase] = []
    for path in sorted(folder.glob("cases_*.jsonl")):
        with path.open(encoding="utf-8") as handle:
            cases.extend(_case(json.loads(line)) for line in handle if line.strip())
    return cases


def _case(row: dict) -> MappingCase:
    def fields(items: list[dict]) -> tuple[Field, ...]:
        return tuple(
            Field(item["name"], item.get("type"), tuple(item.get("samples") or ()))
            for item in items
        )

    return MappingCase(
        id=row["id"],
        source_system=row["source_system"],
        target_system=row["target_system"],
        source=fields(row["source_fields"]),
        target=fields(row["target_fields"]),
        mapping=dict(row["mapping"]),
    )


def case_rows(case: MappingCase, lexicon: Lexicon) -> tuple[np.ndarray, np.ndarray]:
    """Return the feature matrix and 0/1 labels for every (target, source) pair of a case."""
    targets = describe_fields(case.target, lexicon)
    sources = describe_fields(case.source, lexicon)
    features = pair_features(targets, sources)

    labels = np.array(
        [case.mapping.get(t.name) == s.name for t in case.target for s in case.source],
        dtype=np.int8,
    )
    return features, labels
