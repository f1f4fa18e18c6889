"""The committed error dataset, its frozen split, its label log and the cue lexicon."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from nova.errors.cues import CUE_FAMILIES
from nova.errors.dataset import (
    NOT_EXAMPLES,
    ErrorExample,
    default_dataset_dir,
    load_examples,
    provider_group,
)
from nova.errors.split import frozen_ids_digest, load_split, split_examples
from nova.errors.taxonomy import CATEGORIES, disambiguation_rules

DATASET_DIR = default_dataset_dir()
EXAMPLE_FILES = sorted(
    path for path in DATASET_DIR.glob("*.jsonl") if path.name not in NOT_EXAMPLES
)
# Rows from providers new to the dataset, scored by the committed model and not trained on.
PENDING_DIR = DATASET_DIR / "pending"
PENDING_FILES = sorted(
    path for path in PENDING_DIR.glob("*.jsonl") if path.name not in NOT_EXAMPLES
)
FIELD_TYPES = {
    "id": (str,),
    "provider": (str,),
    "http_status": (int, type(None)),
    "error_code": (str, type(None)),
    "message": (str,),
    "category": (str,),
    "provenance": (str,),
}


def _rows(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


@pytest.fixture(scope="module")
def examples() -> list[ErrorExample]:
    return load_examples()


@pytest.mark.parametrize("path", EXAMPLE_FILES + PENDING_FILES, ids=lambda path: path.name)
def test_rows_follow_schema(path: Path) -> None:
    for number, row in enumerate(_rows(path), start=1):
        where = f"{path.name}:{number}"
        assert set(row) == set(FIELD_TYPES), where
        for field, types in FIELD_TYPES.items():
            assert isinstance(row[field], types), f"{where}: {field}"
        assert str(row["message"]).strip(), where
        assert str(row["provenance"]).strip(), where
        assert row["category"] in CATEGORIES, where
        status = row["http_status"]
        assert status is None or (not isinstance(status, bool) and 100 <= int(status) <= 599)


def test_dataset_has_several_files() -> None:
    names = {path.name for path in EXAMPLE_FILES}

    assert "public_sources.jsonl" in names
    assert "seed_cases.jsonl" in names


def test_no_id_twice_across_files() -> None:
    ids = Counter(str(row["id"]) for path in EXAMPLE_FILES for row in _rows(path))

    repeated = [identifier for identifier, count in ids.items() if count > 1]
    assert repeated == []


def test_every_category_present(examples: list[ErrorExample]) -> None:
    development, _ = split_examples(examples, load_split())

    assert {example.category for example in examples} == set(CATEGORIES)
    assert {example.category for example in development} == set(CATEGORIES)


def test_frozen_groups_disjoint_from_development(examples: list[ErrorExample]) -> None:
    split = load_split()
    development, frozen = split_examples(examples, split)

    development_groups = {provider_group(example) for example in development}
    frozen_groups = {provider_group(example) for example in frozen}
    assert development_groups.isdisjoint(frozen_groups)
    assert frozen_groups == set(split.frozen_groups)
    assert len(development) + len(frozen) == len(examples)


def test_frozen_rows_unchanged(examples: list[ErrorExample]) -> None:
    split = load_split()
    _, frozen = split_examples(examples, split)

    assert len(frozen) == split.frozen_rows
    assert frozen_ids_digest(frozen) == split.frozen_ids_sha256


def test_frozen_split_size_and_spread(examples: list[ErrorExample]) -> None:
    split = load_split()
    _, frozen = split_examples(examples, split)

    assert len(split.frozen_groups) >= 8
    assert len({example.category for example in frozen}) >= 12


def test_relabels_log_matches_data(examples: list[ErrorExample]) -> None:
    by_id = {example.id: example for example in examples}
    rules = disambiguation_rules()
    entries = _rows(DATASET_DIR / "relabels.jsonl")

    assert entries
    assert len({entry["id"] for entry in entries}) == len(entries)
    for entry in entries:
        assert set(entry) == {"id", "old", "new", "rule", "by"}, entry
        assert entry["by"] in {"audit", "adjudication"}, entry
        assert entry["id"] in by_id, entry
        assert by_id[str(entry["id"])].category == entry["new"], entry
        assert entry["old"] != entry["new"], entry
        assert entry["old"] in CATEGORIES, entry
        assert entry["rule"] in rules, entry


def test_frozen_relabels_only_by_adjudication(examples: list[ErrorExample]) -> None:
    _, frozen = split_examples(examples, load_split())
    frozen_ids = {example.id for example in frozen}

    audited = {
        str(entry["id"])
        for entry in _rows(DATASET_DIR / "relabels.jsonl")
        if entry["by"] != "adjudication"
    }
    assert audited.isdisjoint(frozen_ids)


@pytest.mark.parametrize("family", sorted(CUE_FAMILIES))
def test_cue_family_is_sourced_and_compiles(family: str) -> None:
    entry = CUE_FAMILIES[family]

    assert entry["source"].strip()
    assert set(entry["cues"]) <= set(CATEGORIES)
    for category, phrases in entry["cues"].items():
        assert phrases, category
        for phrase in phrases:
            assert phrase == phrase.lower(), phrase
            re.compile(phrase)


def test_taxonomy_rules_have_unique_ids() -> None:
    text = (Path(__file__).resolve().parents[2] / "nova/errors/taxonomy.json").read_text()
    ids = [rule["id"] for rule in json.loads(text)["disambiguation_rules"]]

    assert len(ids) == len(set(ids))
    assert set(ids) == set(disambiguation_rules())


@pytest.mark.parametrize(
    ("provider", "group"),
    [
        ("google_drive", "google"),
        ("firebase", "google"),
        ("microsoft_entra", "microsoft"),
        ("azure_blob_storage", "microsoft"),
        ("cloudant", "couchdb"),
        ("owncloud", "nextcloud"),
        ("stripe", "stripe"),
    ],
)
def test_provider_group_joins_families(provider: str, group: str) -> None:
    example = ErrorExample(
        id=f"{provider}-1",
        provider=provider,
        http_status=None,
        error_code=None,
        message="Not found.",
        category="not_found",
        provenance="written for this test",
    )

    assert provider_group(example) == group


def test_pending_rows_outside_training(examples: list[ErrorExample]) -> None:
    pending = load_examples(PENDING_DIR)

    trained_groups = {provider_group(example) for example in examples}
    assert pending
    assert {example.id for example in pending}.isdisjoint(example.id for example in examples)
    assert {provider_group(example) for example in pending}.isdisjoint(trained_groups)


def test_pending_relabels_match_rows() -> None:
    by_id = {example.id: example for example in load_examples(PENDING_DIR)}
    entries = _rows(PENDING_DIR / "relabels.jsonl")

    assert len({entry["id"] for entry in entries}) == len(entries)
    for entry in entries:
        assert entry["by"] in {"adjudication", "audit"}, entry
        assert by_id[str(entry["id"])].category == entry["new"] != entry["old"], entry
        assert entry["rule"] in disambiguation_rules(), entry
