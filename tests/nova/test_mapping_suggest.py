"""suggest_mapping end to end with the committed model."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nova
from nova.mapping import MappingInputError, ModelNotFoundError, suggest_mapping
from nova.mapping.model import MODELS_DIR_VARIABLE

HR_SOURCE = [
    "employeeNumber",
    "firstName",
    "lastName",
    "workEmail",
    "homeEmail",
    "mobilePhone",
    "hireDate",
    "dateOfBirth",
    "department",
    "jobTitle",
    "isPhotoUploaded",
]
HR_TARGET = {
    "employee_number": "string",
    "first_name": "string",
    "last_name": "string",
    "work_email": "email",
    "personal_email": "email",
    "mobile_phone_number": "phone",
    "hire_date": "date",
    "date_of_birth": "date",
    "job_title": "string",
    "favourite_colour": "string",
}
HR_EXPECTED = {
    "employee_number": "employeeNumber",
    "first_name": "firstName",
    "last_name": "lastName",
    "work_email": "workEmail",
    "personal_email": "homeEmail",
    "mobile_phone_number": "mobilePhone",
    "hire_date": "hireDate",
    "date_of_birth": "dateOfBirth",
    "job_title": "jobTitle",
    "favourite_colour": None,
}


def test_seed_example_maps_exactly() -> None:
    suggestion = nova.suggest_mapping(["fname", "workEmail"], ["first_name", "email"])

    assert suggestion.mapping == {"first_name": "fname", "email": "workEmail"}
    assert suggestion.to_dict()["suggested_mapping"] == {
        "first_name": "fname",
        "email": "workEmail",
    }


def test_hr_schema_maps_every_target() -> None:
    suggestion = suggest_mapping(HR_SOURCE, HR_TARGET)

    assert suggestion.mapping == HR_EXPECTED
    assert suggestion.unmapped_targets == ["favourite_colour"]
    assert suggestion.unmapped_sources == ["department", "isPhotoUploaded"]


def test_email_consent_loses_to_work_email() -> None:
    suggestion = suggest_mapping(["email_consent", "workEmail", "fname"], ["email"])

    assert suggestion.mapping == {"email": "workEmail"}


@pytest.mark.parametrize(
    "source",
    [
        [{"name": "email_consent", "type": "boolean"}],
        [{"name": "email_consent", "samples": [True, False, True]}],
        {"email_consent": "true", "fname": "Avery"},
    ],
)
def test_email_consent_never_fills_email(source: object) -> None:
    suggestion = suggest_mapping(source, ["email"])

    assert suggestion.mapping == {"email": None}
    assert suggestion.unmapped_targets == ["email"]


def test_email_consent_alone_is_not_auto_accepted() -> None:
    suggestion = suggest_mapping(["email_consent"], ["email"])

    assert suggestion.suggestions["email"].auto_accept is False


@pytest.mark.parametrize(
    ("source", "target"),
    [
        (["fname", "hire_date"], ["favourite_colour"]),
        (["workEmail", "mobilePhone"], ["annual_revenue"]),
        (["id", "created_at"], {"shoe_size": "integer"}),
    ],
)
def test_implausible_target_maps_to_none(source: list[str], target: object) -> None:
    suggestion = suggest_mapping(source, target)

    assert list(suggestion.mapping.values()) == [None]


def test_nested_source_record_maps_paths() -> None:
    record = {
        "name": {"givenName": "Avery", "familyName": "Quill"},
        "emails": [{"value": "avery.quill@example.com", "type": "work"}],
        "active": True,
    }

    suggestion = suggest_mapping(record, ["first_name", "last_name", "email"])

    assert suggestion.mapping == {
        "first_name": "name.givenName",
        "last_name": "name.familyName",
        "email": "emails[0].value",
    }


def test_nested_target_schema_maps_paths() -> None:
    target = {"name": {"givenName": "string", "familyName": "string"}, "userName": "string"}

    suggestion = suggest_mapping(["firstName", "lastName", "login"], target)

    assert suggestion.mapping == {
        "name.givenName": "firstName",
        "name.familyName": "lastName",
        "userName": "login",
    }


def test_candidates_ranked_with_unit_scores() -> None:
    suggestion = suggest_mapping(HR_SOURCE, HR_TARGET)

    for target, candidates in suggestion.candidates.items():
        scores = [candidate.score for candidate in candidates]
        assert scores == sorted(scores, reverse=True), target
        assert all(0.0 <= score <= 1.0 for score in scores), target
        chosen = suggestion.mapping[target]
        if chosen is not None:
            assert chosen in [candidate.source for candidate in candidates], target


def test_suggestions_carry_explanations() -> None:
    suggestion = suggest_mapping(HR_SOURCE, HR_TARGET)

    for target, item in suggestion.suggestions.items():
        assert item.reason, target
        if item.source is not None:
            assert item.explanation, target
            assert all(signal.detail for signal in item.explanation), target


def test_auto_accept_follows_threshold() -> None:
    suggestion = suggest_mapping(HR_SOURCE, HR_TARGET)

    for item in suggestion.suggestions.values():
        expected = item.source is not None and item.score >= suggestion.auto_accept_threshold
        assert item.auto_accept is expected


def test_to_dict_has_every_response_key() -> None:
    body = suggest_mapping(["fname", "workEmail"], ["first_name", "email"]).to_dict()

    assert set(body) == {
        "suggested_mapping",
        "suggestions",
        "candidates",
        "unmapped_targets",
        "unmapped_sources",
        "thresholds",
    }
    assert body["suggestions"]["email"]["source"] == "workEmail"
    assert body["candidates"]["email"][0] == {
        "source": "workEmail",
        "score": body["suggestions"]["email"]["score"],
    }
    assert set(body["thresholds"]) == {"suggest", "auto_accept"}


FIELD_NAMES = st.sampled_from(
    [
        "fname",
        "first_name",
        "lastName",
        "surname",
        "email",
        "workEmail",
        "homeEmail",
        "email_consent",
        "phone",
        "mobilePhone",
        "cell",
        "hireDate",
        "start_date",
        "DOB",
        "city",
        "town",
        "zip",
        "postal_code",
        "manager",
        "supervisor",
        "title",
        "jobTitle",
        "id",
    ]
)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(FIELD_NAMES, min_size=1, max_size=12, unique=True),
    st.lists(FIELD_NAMES, min_size=1, max_size=12, unique=True),
)
def test_no_source_used_twice(source: list[str], target: list[str]) -> None:
    suggestion = suggest_mapping(source, target)

    used = [name for name in suggestion.mapping.values() if name is not None]
    assert len(used) == len(set(used))
    assert set(suggestion.mapping) == set(target)
    assert set(used) | set(suggestion.unmapped_sources) == set(source)
    assert set(used).isdisjoint(suggestion.unmapped_sources)


def test_bad_input_raises_mapping_input_error() -> None:
    with pytest.raises(MappingInputError, match="source has no fields"):
        suggest_mapping([], ["email"])


def test_missing_model_names_the_fix(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(MODELS_DIR_VARIABLE, str(tmp_path))

    with pytest.raises(ModelNotFoundError, match="synctoscale nova train mapping"):
        suggest_mapping(["fname"], ["first_name"])
