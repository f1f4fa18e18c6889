"""Validate payloads against a full JSON Schema with jsonschema, reported as mapkit issues.

Each jsonschema error becomes an :class:`~mapkit.Issue` with the same field paths and codes as
compact schemas: ``required`` gives ``missing``, ``type`` gives ``type_mismatch`` (or
``null_not_allowed`` for null), ``enum`` and ``const`` give ``not_in_enum``, and so on.
Formats ``email``, ``date`` and ``date-time`` are checked by mapkit's own readers, so an
email needs more than an ``@`` and a date reports the same codes as a compact ``date`` field.
"""

from __future__ import annotations

import re
from typing import Any, Final

import jsonschema
import jsonschema.validators
import referencing.exceptions

from mapkit.dates import is_canonical_date, is_canonical_datetime
from mapkit.issues import Issue, ValidationResult
from mapkit.jsonschema_refs import OFFLINE_REGISTRY, find_ref, ref_error
from mapkit.options import ValidationOptions
from mapkit.paths import ROOT, join_index, join_key
from mapkit.schema import JsonSchemaSpec, ScalarSpec
from mapkit.types import read_value
from mapkit.types.emails import is_canonical_email
from mapkit.validation import Diagnosis

__all__ = ["JsonSchemaChecker"]

_CODES: Final = {
    "enum": "not_in_enum",
    "const": "not_in_enum",
    "minimum": "out_of_range",
    "maximum": "out_of_range",
    "exclusiveMinimum": "out_of_range",
    "exclusiveMaximum": "out_of_range",
    "multipleOf": "out_of_range",
    "minLength": "too_short",
    "minItems": "too_short",
    "minProperties": "too_short",
    "maxLength": "too_long",
    "maxItems": "too_long",
    "maxProperties": "too_long",
    "pattern": "pattern_mismatch",
}
_FORMAT_TYPES: Final = {"date": "date", "date-time": "datetime", "email": "email",
                        "idn-email": "email"}


def _format_checker() -> jsonschema.FormatChecker:
    checker = jsonschema.FormatChecker()
    checker.checks("email")(lambda value: not isinstance(value, str) or is_canonical_email(value))
    checker.checks("idn-email")(
        lambda value: not isinstance(value, str) or is_canonical_email(value))
    checker.checks("date")(lambda value: not isinstance(value, str) or is_canonical_date(value))
    checker.checks("date-time")(
        lambda value: not isinstance(value, str) or is_canonical_datetime(value))
    return checker


class JsonSchemaChecker:
    """A jsonschema validator built once for one schema."""

    def __init__(self, spec: JsonSchemaSpec, options: ValidationOptions) -> None:
        validator_class = jsonschema.validators.validator_for(
            spec.schema, default=jsonschema.Draft202012Validator)
        self._validator = validator_class(spec.schema, format_checker=_format_checker(),
                                          registry=OFFLINE_REGISTRY)
        self._schema = spec.schema
        self._options = options

    def validate(self, payload: Any,
                 text_issues: dict[str, list[Issue]] | None = None) -> ValidationResult:
        """Validate one payload; the data is the payload unchanged.

        ``text_issues`` (from parsing JSON text) are added after the schema's issues. Raises
        :class:`~mapkit.SchemaError` for a reference in the schema that does not resolve.
        """
        diagnosis = Diagnosis(self._options, coerce=False, text_issues=text_issues)
        try:
            errors = sorted(self._validator.iter_errors(payload),
                            key=lambda error: _payload_position(payload, list(error.absolute_path)))
        except referencing.exceptions.Unresolvable as unresolvable:
            # Reached only for a reference that check_refs does not follow at parse time, such
            # as a $dynamicRef to a missing anchor. jsonschema wraps referencing's error, so it
            # is unwrapped to tell the kinds apart.
            cause = getattr(unresolvable, "_wrapped", unresolvable)
            path, ref = find_ref(self._schema, cause)
            raise ref_error(path, ref, cause) from None
        for error in errors:
            self._report(diagnosis, error)
        unique = []
        seen: set[tuple[str, str, str]] = set()
        for issue in diagnosis.issues:
            key = (issue.field, issue.code, issue.reason)
            if key not in seen:
                seen.add(key)
                unique.append(issue)
        diagnosis.issues = unique
        diagnosis.flush_text_issues()
        return diagnosis.result(payload)

    def _report(self, diagnosis: Diagnosis, error: jsonschema.ValidationError) -> None:
        path = _path(error.absolute_path)
        keyword = str(error.validator)
        instance = error.instance
        if keyword == "required":
            for name in error.validator_value:
                if isinstance(instance, dict) and name not in instance:
                    field = join_key(path, name)
                    diagnosis.report(field, "missing", "a value", reason="is missing",
                                     hint="add the field")
            return
        if keyword in ("additionalProperties", "unevaluatedProperties"):
            for name in _extra_keys(error):
                field = join_key(path, name)
                diagnosis.report(field, "unexpected_field", "only the fields of the schema",
                                 got=instance[name], reason="is not allowed by the schema",
                                 hint="Remove it, or add it to the schema")
            return
        if keyword == "format" and error.validator_value in _FORMAT_TYPES:
            self._report_format(diagnosis, error, path)
            return
        code, expected = _code_and_expected(keyword, error)
        diagnosis.report(path, code, expected, got=instance, reason=_reason(error))

    def _report_format(self, diagnosis: Diagnosis, error: jsonschema.ValidationError,
                       path: str) -> None:
        spec = ScalarSpec(type=_FORMAT_TYPES[str(error.validator_value)])
        finding = read_value(error.instance, spec, self._options)
        problem = finding.problem
        if problem is None:
            return
        diagnosis.report(path, problem.code, spec.expected, got=error.instance,
                         reason=problem.reason, suggestion=problem.suggestion, hint=problem.hint)


def _code_and_expected(keyword: str, error: jsonschema.ValidationError) -> tuple[str, str]:
    if keyword == "type":
        expected = _describe_types(error.validator_value)
        return ("null_not_allowed" if error.instance is None else "type_mismatch"), expected
    if keyword in ("enum", "const"):
        members = error.validator_value if keyword == "enum" else [error.validator_value]
        return "not_in_enum", "one of: " + ", ".join(str(member) for member in members)
    if keyword == "format":
        return "invalid_format", f"{error.validator_value} format"
    code = _CODES.get(keyword, "type_mismatch")
    return code, f"{keyword} {error.validator_value}"


def _describe_types(types: Any) -> str:
    names = [types] if isinstance(types, str) else list(types)
    return " or ".join(str(name) for name in names)


def _reason(error: jsonschema.ValidationError) -> str:
    # jsonschema's messages start with the value itself; keep only what follows it.
    message = error.message
    instance_text = repr(error.instance)
    if message.startswith(instance_text):
        message = message[len(instance_text):].strip()
    return message or "does not match the schema"


def _extra_keys(error: jsonschema.ValidationError) -> list[str]:
    if not isinstance(error.instance, dict) or not isinstance(error.schema, dict):
        return []
    properties = error.schema.get("properties", {})
    patterns = error.schema.get("patternProperties", {})
    return [key for key in error.instance
            if key not in properties and not any(re.search(pattern, key) for pattern in patterns)]


def _path(parts: Any) -> str:
    path = ROOT
    for part in parts:
        path = join_index(path, part) if isinstance(part, int) else join_key(path, str(part))
    return path


def _payload_position(payload: Any, parts: list[Any]) -> list[int]:
    """Return the position of a path in payload order, for sorting issues."""
    position = []
    node = payload
    for part in parts:
        if isinstance(node, dict) and part in node:
            position.append(list(node).index(part))
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            position.append(part)
            node = node[part]
        else:
            position.append(1 << 30)
            break
    return position
