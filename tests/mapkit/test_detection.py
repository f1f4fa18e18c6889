"""Date-format detection over single values and columns."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

import mapkit

SINGLE_CASES = [
    ("2025-01-12", "YYYY-MM-DD"),
    ("13/01/2025", "DD/MM/YYYY"),
    ("01/13/2025", "MM/DD/YYYY"),
    ("1/5/2025", None),  # M/D/YYYY or D/M/YYYY
    ("Jan 5, 2025", "MMM D, YYYY"),
    ("January 15, 2025", "MMMM DD, YYYY"),
    ("05-Jan-2025", "DD-MMM-YYYY"),
    ("20250112", "YYYYMMDD"),
    ("2013-06-24T16:39:18.000Z", "YYYY-MM-DDTHH:mm:ss.SSSZ"),
    ("2025-01-12 09:30:00", "YYYY-MM-DD HH:mm:ss"),
    ("01/13/2025 02:05 PM", "MM/DD/YYYY hh:mm A"),
    ("14:05", "HH:mm"),
    (1502138686, "unix_seconds"),
    (1502138686000, "unix_milliseconds"),
    (45678, "excel_serial"),
]


@pytest.mark.parametrize(("value", "expected"), SINGLE_CASES)
def test_single_value_format(value: Any, expected: str | None) -> None:
    guess = mapkit.detect_date_format(value)

    assert guess.format == expected
    assert guess.total == 1


def test_ambiguous_single_value_lists_both() -> None:
    guess = mapkit.detect_date_format("12/01/2025")

    assert guess.format is None
    assert guess.ambiguous is True
    assert guess.candidates == ("MM/DD/YYYY", "DD/MM/YYYY")


def test_two_digit_year_candidates() -> None:
    guess = mapkit.detect_date_format(["07/10/12"])

    assert guess.ambiguous is True
    assert set(guess.candidates) == {"MM/DD/YY", "DD/MM/YY", "YY/MM/DD"}


def test_column_decided_by_unambiguous_value() -> None:
    values = ["03/04/2025", "05/06/2025", "20/06/2025"]

    assert mapkit.detect_date_format(values).format == "DD/MM/YYYY"


def test_column_independent_of_row_order() -> None:
    values = ["12-01-98", "12-04-98", "20-12-98", "11-11-98", "bad"]
    guesses = {mapkit.detect_date_format(list(order)) for order in itertools.permutations(values)}

    assert len(guesses) == 1
    assert guesses.pop().format == "DD-MM-YY"


def test_mixed_widths_use_narrow_tokens() -> None:
    guess = mapkit.detect_date_format(["1/5/2025", "12/15/2025", "3/31/2025"])

    assert guess.format == "M/D/YYYY"


def test_counts_and_unmatched_values() -> None:
    guess = mapkit.detect_date_format(["2025-01-12", "2025-02-01", "soon", None, "N/A", ""])

    assert guess.format == "YYYY-MM-DD"
    assert guess.matched == 2
    assert guess.total == 3
    assert guess.unmatched == ("soon",)
    assert guess.kind == "date"


def test_impossible_dates_do_not_fit() -> None:
    guess = mapkit.detect_date_format(["2025-02-31"])

    assert guess.format is None
    assert guess.unmatched == ("2025-02-31",)


def test_no_dates_at_all() -> None:
    guess = mapkit.detect_date_format(["MAR1", "SEP2", "2024-01"])

    assert guess.format is None
    assert guess.ambiguous is False
    assert guess.candidates == ()
    assert guess.matched == 0


def test_pivot_changes_nothing_in_format() -> None:
    guess = mapkit.detect_date_format(["08/14/62"], two_digit_year_pivot=70)

    assert guess.format == "MM/DD/YY"


def test_booleans_are_not_dates() -> None:
    assert mapkit.detect_date_format([True, False]).format is None


@pytest.mark.parametrize("separator", ["\x1c", "\x1d", "\x1e", "\x1f", "\x85", "\u2028"])
def test_number_with_separator_stripped(separator: str) -> None:
    # str.strip() removes these characters and float() does not. Hypothesis found "0\x1f".
    guess = mapkit.detect_date_format([f"45000{separator}"])

    assert guess.matched == 1
    assert "excel_serial" in guess.candidates
