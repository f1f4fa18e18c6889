"""The frozen test split: provider groups kept out of all development work.

``datasets/errors/splits.json`` names whole provider groups (see dataset.provider_group)
whose rows are scored once, by a model trained on the other groups. Labels, cues, features
and model settings are chosen with grouped cross-validation on the development groups only.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from nova.errors.dataset import ErrorExample, default_dataset_dir, provider_group

__all__ = [
    "SPLITS_FILENAME",
    "FrozenSplit",
    "frozen_ids_digest",
    "load_split",
    "split_examples",
]

SPLITS_FILENAME = "splits.json"


@dataclass(frozen=True)
class FrozenSplit:
    """The frozen provider groups and the fingerprint of their rows when they were chosen."""

    seed: int
    frozen_groups: tuple[str, ...]
    frozen_rows: int
    frozen_ids_sha256: str
    rule: str


def load_split(directory: Path | None = None) -> FrozenSplit:
    """Read ``splits.json`` from ``directory`` (default: ``datasets/errors``)."""
    path = (directory or default_dataset_dir()) / SPLITS_FILENAME
    if not path.is_file():
        raise FileNotFoundError(
            f"no {SPLITS_FILENAME} in {path.parent}; choose the frozen groups with "
            "`python datasets/errors/frozen_split.py choose --seed N`"
        )
    data = json.loads(path.read_text(encoding="utf-8"))
    return FrozenSplit(
        seed=int(data["seed"]),
        frozen_groups=tuple(data["frozen_groups"]),
        frozen_rows=int(data["frozen_rows"]),
        frozen_ids_sha256=str(data["frozen_ids_sha256"]),
        rule=str(data["rule"]),
    )


def frozen_ids_digest(examples: Sequence[ErrorExample]) -> str:
    """Return a SHA-256 over the sorted ids, to detect rows added to or removed from a set."""
    digest = hashlib.sha256()
    for identifier in sorted(example.id for example in examples):
        digest.update(identifier.encode("utf-8") + b"\n")
    return digest.hexdigest()


def split_examples(
    examples: Sequence[ErrorExample], split: FrozenSplit
) -> tuple[list[ErrorExample], list[ErrorExample]]:
    """Return (development, frozen) examples, keeping the input order in each."""
    frozen_groups = set(split.frozen_groups)
    development = [example for example in examples if provider_group(example) not in frozen_groups]
    frozen = [example for example in examples if provider_group(example) in frozen_groups]
    return development, frozen
