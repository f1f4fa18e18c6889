"""Phone numbers, read by phonenumbers and written in E.164 (``+12015550143``).

A number written with a ``+`` and its country code is read as it is. A number without one
needs ``default_region``; without that option it is reported, because guessing the country
would dial someone else.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Final

import phonenumbers

from mapkit.options import ValidationOptions
from mapkit.schema import ScalarSpec
from mapkit.types.base import Finding, convertible, invalid, type_mismatch

__all__ = ["is_canonical_phone", "read_phone"]

_E164: Final = re.compile(r"\+[1-9][0-9]{1,14}")


@lru_cache(maxsize=8192)
def _parse(text: str, region: str | None) -> tuple[str | None, str | None]:
    """Return (E.164 form, None) for a valid number, or (None, reason) for an invalid one."""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as error:
        return None, _parse_problem(error)
    if not phonenumbers.is_possible_number(number):
        reason = phonenumbers.is_possible_number_with_reason(number)
        return None, _POSSIBLE_PROBLEMS.get(reason, "is not a possible phone number")
    if not phonenumbers.is_valid_number(number):
        return None, "is not a valid number in its country's numbering plan"
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), None


_POSSIBLE_PROBLEMS: Final = {
    phonenumbers.ValidationResult.TOO_SHORT: "has too few digits for its country",
    phonenumbers.ValidationResult.TOO_LONG: "has too many digits for its country",
    phonenumbers.ValidationResult.INVALID_COUNTRY_CODE: "has a country code that does not exist",
    phonenumbers.ValidationResult.INVALID_LENGTH: "has a digit count no number in its country has",
}


def _parse_problem(error: phonenumbers.NumberParseException) -> str:
    if error.error_type == phonenumbers.NumberParseException.INVALID_COUNTRY_CODE:
        return "has no country code (or one that does not exist)"
    if error.error_type == phonenumbers.NumberParseException.TOO_LONG:
        return "has more digits than any phone number"
    return "is not a phone number"


def is_canonical_phone(value: Any) -> bool:
    """Tell whether a value is a valid phone number written in E.164."""
    if not isinstance(value, str) or _E164.fullmatch(value) is None:
        return False
    canonical, _ = _parse(value, None)
    return canonical == value


def read_phone(value: Any, spec: ScalarSpec, options: ValidationOptions) -> Finding:
    """Read a value as a phone number and convert it to E.164.

    A valid number in another spelling converts; strict mode reports it as a warning only,
    because the number is right and only its spelling differs.
    """
    if not isinstance(value, str):
        return type_mismatch(value, "a phone number string")
    if is_canonical_phone(value):
        return Finding(value)

    has_country_code = value.strip().startswith("+")
    if not has_country_code and options.default_region is None:
        return invalid(value, "invalid_format", "has no country code",
                       hint="write it with + and the country code, or set default_region")
    canonical, problem = _parse(value, None if has_country_code else options.default_region)
    if canonical is None:
        return invalid(value, "invalid_format", problem or "is not a phone number")
    return convertible(canonical, "is a valid number not written in E.164", code="invalid_format",
                       strict_severity="warning")
