"""The one-call entry points: ``validate`` and ``coerce``."""

from __future__ import annotations

from typing import Any

from mapkit.errors import CoercionError
from mapkit.issues import Issue, ValidationResult
from mapkit.jsonschema_input import JsonSchemaChecker
from mapkit.options import ValidationOptions
from mapkit.paths import ROOT
from mapkit.schema import JsonSchemaSpec, parse_schema, parse_type_spec
from mapkit.validation import Diagnosis, diagnose

__all__ = ["coerce", "validate", "validate_parsed"]


def validate(payload: Any, expected_schema: Any, *, coerce: bool = False,
             **options: Any) -> ValidationResult:
    """Validate a payload against an expected schema.

    Strict mode (the default) reports every value that is not in its canonical form, with the
    canonical value as ``suggestion`` when exactly one exists. ``coerce=True`` accepts values
    that convert without loss and reports only the rest. A payload that is not an object gives
    one ``type_mismatch`` issue at field ``""``; this function does not raise for bad payloads.

    Options:
        null_tokens: strings that mean null in non-text fields (default ``""``, ``N/A``,
            ``n/a``, ``null``, ``NULL``, ``None``, ``-``; not ``NA``, the code of Namibia).
        default_region: ISO 3166 region for phone numbers written without ``+`` (default None,
            which reports such numbers).
        two_digit_year_pivot: two-digit years below it are 20YY, the others 19YY (default 50).
        decimal_comma: True if the comma marks decimals, False if the point does, None to
            decide per value and report text such as ``1,234`` as ambiguous.
        unexpected_fields: ``"warn"`` (default), ``"error"`` or ``"ignore"``.
        include_got: False leaves the value, and the suggestion derived from it, out of issues.
        default_timezone: IANA time zone for date-times that arrive without an offset.

    Raises:
        SchemaError: the expected schema is invalid.
        TypeError, ValueError: an option is unknown or invalid.
    """
    return validate_parsed(payload, expected_schema, coerce=coerce, options=options)


def validate_parsed(payload: Any, expected_schema: Any, *, coerce: bool, options: dict[str, Any],
                    text_issues: dict[str, list[Issue]] | None = None) -> ValidationResult:
    """Validate a payload, adding issues already found in its JSON text."""
    spec = parse_schema(expected_schema)
    parsed_options = ValidationOptions.from_kwargs(options)
    if isinstance(spec, JsonSchemaSpec):
        return JsonSchemaChecker(spec, parsed_options).validate(payload, text_issues)
    return diagnose(payload, spec, parsed_options, coerce=coerce, text_issues=text_issues)


def coerce(value: Any, type_spec: Any, **options: Any) -> Any:
    """Convert one value to its canonical form, as ``validate(..., coerce=True)`` would.

    ``type_spec`` is anything a schema field takes: ``"date"``, ``"integer?"``,
    ``{"type": "date", "format": "DD/MM/YYYY"}``, ``["email"]``. Warnings are not raised.

    Raises:
        CoercionError: the value has no single lossless canonical form. ``.issue`` explains why.
        SchemaError: the type spec is invalid.
    """
    spec = parse_type_spec(type_spec)
    diagnosis = Diagnosis(ValidationOptions.from_kwargs(options), coerce=True)
    canonical = diagnosis.check(value, spec, ROOT)
    errors = [issue for issue in diagnosis.issues if issue.severity == "error"]
    if errors:
        raise CoercionError(errors[0])
    return canonical
