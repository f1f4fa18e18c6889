"""Value profiles of sample values, read through mapkit."""

from __future__ import annotations

from typing import Any

import pytest

from nova.mapping.values import ValueProfile, profile_values


@pytest.mark.parametrize(
    ("samples", "expected"),
    [
        (["avery.quill@example.com", "jordan.vale@example.org"], ValueProfile("email")),
        ([True, False], ValueProfile("boolean")),
        (["true", "false"], ValueProfile("boolean")),
        (["36", "30"], ValueProfile("integer")),
        ([62000.0, 31.5], ValueProfile("number")),
        (["2021-03-15", "2023-11-01"], ValueProfile("date", "YYYY-MM-DD")),
        (["12/01/2025", "13/01/2025"], ValueProfile("date", "DD/MM/YYYY")),
        (["2024-05-02T14:11:09Z"], ValueProfile("datetime")),
        (["https://example.com/avatars/4021.png"], ValueProfile("url")),
        (["9f1c2a7e-4b1d-4c55-9a0e-3f2b8d1e6a10"], ValueProfile("uuid")),
        (["Avery", "Jordan"], ValueProfile("string")),
        (["Avery", None, ""], ValueProfile("string")),
        ([], ValueProfile(None)),
        ([None, ""], ValueProfile(None)),
    ],
)
def test_profile_values_table(samples: list[Any], expected: ValueProfile) -> None:
    profile = profile_values(samples)

    assert profile.kind == expected.kind
    if expected.date_format:
        assert profile.date_format == expected.date_format
