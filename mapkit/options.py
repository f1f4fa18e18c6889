"""Validation options: null tokens, phone region, two-digit-year pivot and the like."""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Any, Final, Literal

import phonenumbers

__all__ = ["DEFAULT_NULL_TOKENS", "DEFAULT_TWO_DIGIT_YEAR_PIVOT", "ValidationOptions"]

# "NA" is left out on purpose: it is the ISO 3166 code for Namibia and a common region code.
DEFAULT_NULL_TOKENS: Final = ("", "N/A", "n/a", "null", "NULL", "None", "-")

# Two-digit years below the pivot are read as 20YY, the others as 19YY, so with 50 the years
# 00-49 become 2000-2049 and 50-99 become 1950-1999 (the rule RFC 5280 sets for UTCTime).
# A fixed pivot keeps results independent of the day the code runs, unlike a window around
# today. It keeps birth dates from 1950 on in the past. Set it for older or newer data.
DEFAULT_TWO_DIGIT_YEAR_PIVOT: Final = 50

UnexpectedFields = Literal["warn", "error", "ignore"]


@dataclass(frozen=True, slots=True)
class ValidationOptions:
    """Options that change how values are read; see ``mapkit.validate`` for each one."""

    null_tokens: frozenset[str] = frozenset(DEFAULT_NULL_TOKENS)
    default_region: str | None = None
    two_digit_year_pivot: int = DEFAULT_TWO_DIGIT_YEAR_PIVOT
    decimal_comma: bool | None = None
    unexpected_fields: UnexpectedFields = "warn"
    include_got: bool = True
    default_timezone: str | None = None

    @classmethod
    def from_kwargs(cls, options: Mapping[str, Any]) -> ValidationOptions:
        """Build options from keyword arguments, raising ``TypeError`` or ``ValueError`` if bad."""
        known = {option.name for option in fields(cls)}
        unknown = sorted(set(options) - known)
        if unknown:
            raise TypeError(
                f"unknown option {', '.join(unknown)}; the options are {', '.join(sorted(known))}"
            )
        values = dict(options)
        if "null_tokens" in values:
            values["null_tokens"] = _null_tokens(values["null_tokens"])
        created = cls(**values)
        created._check()
        return created

    def _check(self) -> None:
        if self.default_region is not None and (
            self.default_region not in phonenumbers.SUPPORTED_REGIONS
        ):
            raise ValueError(
                f"default_region {self.default_region!r} is not a region phonenumbers knows; "
                "use an ISO 3166 alpha-2 code such as 'US' or 'DE'"
            )
        pivot = self.two_digit_year_pivot
        if not isinstance(pivot, int) or isinstance(pivot, bool) or not 0 <= pivot <= 100:
            raise ValueError(
                f"two_digit_year_pivot must be an integer from 0 to 100, "
                f"not {self.two_digit_year_pivot!r}"
            )
        if self.decimal_comma not in (None, True, False):
            raise ValueError(
                f"decimal_comma must be None, True or False, not {self.decimal_comma!r}"
            )
        if self.unexpected_fields not in ("warn", "error", "ignore"):
            raise ValueError(
                f"unexpected_fields must be 'warn', 'error' or 'ignore', "
                f"not {self.unexpected_fields!r}"
            )
        if self.default_timezone is not None:
            try:
                zoneinfo.ZoneInfo(self.default_timezone)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
                raise ValueError(
                    f"default_timezone {self.default_timezone!r} is not an IANA time zone name; "
                    "use a name such as 'UTC' or 'Europe/Berlin'"
                ) from error


def _null_tokens(tokens: Iterable[str] | str) -> frozenset[str]:
    if isinstance(tokens, str):
        raise ValueError("null_tokens must be a list of strings, for example ['', 'N/A']")
    tokens = tuple(tokens)
    if not all(isinstance(token, str) for token in tokens):
        raise ValueError("null_tokens must be a list of strings, for example ['', 'N/A']")
    return frozenset(token.strip() for token in tokens)
