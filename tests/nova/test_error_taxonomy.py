"""The taxonomy data and the fix sentences rendered from it."""

from __future__ import annotations

import pytest

from nova.errors.taxonomy import CATEGORIES, get_category, render_fix, render_sentence

EXPECTED_CATEGORIES = (
    "invalid_credentials",
    "token_expired",
    "insufficient_permissions",
    "rate_limited",
    "quota_exceeded",
    "not_found",
    "validation_error",
    "duplicate_record",
    "conflict",
    "payload_too_large",
    "timeout",
    "network_error",
    "provider_unavailable",
    "configuration_error",
    "mapping_error",
    "unknown",
)


def test_categories_are_the_sixteen_names() -> None:
    assert CATEGORIES == EXPECTED_CATEGORIES


@pytest.mark.parametrize("name", EXPECTED_CATEGORIES)
def test_category_has_definition_and_template(name: str) -> None:
    category = get_category(name)

    assert category.definition
    assert category.fix_template
    assert category.retry_hint in {
        "always",
        "never",
        "after_refresh",
        "after_reset",
        "after_refetch",
        "once",
    }


@pytest.mark.parametrize("name", EXPECTED_CATEGORIES)
def test_fix_without_parameters_has_no_placeholder(name: str) -> None:
    sentence = render_fix(name, {})

    assert "{" not in sentence
    assert "[" not in sentence
    assert "  " not in sentence
    assert " ;" not in sentence
    assert sentence[0].isupper()


@pytest.mark.parametrize("name", EXPECTED_CATEGORIES)
def test_fix_sentence_uses_template_parameters(name: str) -> None:
    category = get_category(name)
    values = {parameter: f"<{parameter}>" for parameter in category.parameters}

    sentence = render_fix(name, values)

    for parameter in category.parameters:
        assert f"<{parameter}>" in sentence


@pytest.mark.parametrize(
    ("category", "parameters", "expected"),
    [
        (
            "insufficient_permissions",
            {
                "missing_permission": "directory.write",
                "provider": "Google Directory",
                "resource": "directory",
            },
            (
                "Grant directory.write to the Google Directory connection (scope, role "
                "or membership in "
                "directory), then re-authenticate so the new grant is in the token."
            ),
        ),
        (
            "insufficient_permissions",
            {"missing_permission": "chat:write"},
            (
                "Grant chat:write to the connection, then re-authenticate so the new "
                "grant is in the token."
            ),
        ),
        (
            "rate_limited",
            {"provider": "Slack"},
            (
                "Slack throttled the run; retry with exponential backoff and jitter, "
                "and lower concurrency "
                "or batch the calls."
            ),
        ),
        (
            "rate_limited",
            {"provider": "Slack", "retry_after_seconds": "30"},
            (
                "Slack throttled the run; retry after 30s with exponential backoff and "
                "jitter, and lower "
                "concurrency or batch the calls."
            ),
        ),
        (
            "duplicate_record",
            {"unique_field": "email"},
            "A record with the same email already exists; switch the step to upsert/update or "
            "de-duplicate on email.",
        ),
        (
            "validation_error",
            {"provider": "Okta", "field": "email", "constraint": "Does not match required pattern"},
            (
                "Okta rejected field 'email': Does not match required pattern. Correct "
                "the value and re-run."
            ),
        ),
        (
            "validation_error",
            {},
            "The provider rejected the request. Correct the value and re-run.",
        ),
        (
            "validation_error",
            {"field": "zip", "constraint": "text matching ^[0-9]{5}$"},
            (
                "The provider rejected field 'zip': text matching ^[0-9]{5}$. Correct the "
                "value and re-run."
            ),
        ),
        (
            "not_found",
            {"resource_type": "customer", "resource_id": "cus_123", "provider": "Stripe"},
            "The customer 'cus_123' was not found in Stripe; check the ID/lookup value, whether it "
            "was deleted, and that the run targets the right account.",
        ),
        (
            "timeout",
            {"provider": "", "timeout_seconds": None},
            (
                "The call timed out; retry with backoff, reduce page/batch size, or "
                "raise the step timeout."
            ),
        ),
    ],
)
def test_render_fix_fills_and_drops(
    category: str, parameters: dict[str, str], expected: str
) -> None:
    assert render_fix(category, parameters) == expected


@pytest.mark.parametrize(
    ("template", "parameters", "expected"),
    [
        ("Send {field}.", {"field": "^[0-9]{5}$"}, "Send ^[0-9]{5}$."),
        ("Send[ {field}].", {"field": "{zip}"}, "Send {zip}."),
        ("Send[ {field}| it].", {"field": "[a|b]"}, "Send [a|b]."),
        ("Send {field}.", {}, ""),
    ],
)
def test_render_sentence_keeps_braces_in_values(
    template: str, parameters: dict[str, str], expected: str
) -> None:
    assert render_sentence(template, parameters) == expected


def test_unknown_category_name_is_rejected() -> None:
    with pytest.raises(KeyError, match="expected one of invalid_credentials"):
        get_category("permission_denied")
