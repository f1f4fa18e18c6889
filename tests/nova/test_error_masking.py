"""Masking of the variable parts of error messages."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nova.errors.masking import mask_message


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("No such customer: cus_FAKE0000000001", "No such customer: xid"),
        ("See https://api.example.com/v1/users?id=7 for more", "See xurl for more"),
        ("User jordan.lee@example.com is suspended", "User xemail is suspended"),
        ("connect ECONNREFUSED 127.0.0.1:443", "connect ECONNREFUSED xhost"),
        (
            "request-id 15038357-2dee-45b7-9d84-a3adae7b7c47 failed",
            "request-id xuuid failed",
        ),
        ("The OAuth token expired 7 second(s) ago.", "The OAuth token expired xnum second(s) ago."),
        ("timeout of 60000ms exceeded", "timeout of 60000ms exceeded"),
        ("Okta E0000047 and AADSTS50076 stay", "Okta E0000047 and AADSTS50076 stay"),
        (
            "Invalid string value: 'asdf'. Allowed values: [mostpopular]",
            "Invalid string value: xvalue . Allowed values: [mostpopular]",
        ),
        ("The user doesn't exist", "The user doesn't exist"),
        # Hyphens before an id stay, and an address joined to a long run is still masked.
        ("trace --req-1234abcd5678efgh failed", "trace -- xid failed"),
        ("sent to x-y-z-jordan.lee@example.com today", "sent to xemail today"),
        ("", ""),
    ],
)
def test_mask_message(message: str, expected: str) -> None:
    assert mask_message(message) == expected


@given(st.text(max_size=200))
def test_masking_is_idempotent(message: str) -> None:
    once = mask_message(message)

    assert mask_message(once) == once


@given(st.emails())
def test_masking_removes_emails(address: str) -> None:
    masked = mask_message(f"User {address} is not allowed")

    assert address not in masked
    assert not re.search(r"\w@\w", masked)


@pytest.mark.parametrize(
    ("unit", "expected"),
    [("a-", None), ("x", None), ("a.", None), ("1", "bad xnum value"), ("ab1_", "bad xid value")],
)
def test_mask_long_run(unit: str, expected: str | None) -> None:
    # A pattern tried from every position of these 100,000-character runs would take seconds
    # to minutes. A run that is no id, number or address stays as it is.
    message = f"bad {unit * (100_000 // len(unit))} value"

    assert mask_message(message) == (expected or message)
