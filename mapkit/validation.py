"""Diagnose a payload against a parsed schema, value by value.

This is the detailed path: it reads every value, builds the canonical ``data`` and reports
one issue per problem, in payload order (missing fields after the fields present in the same
object). The compiled validator runs it only for payloads that fail its fast check.
"""

from __future__ import annotations

from typing import Any

from mapkit.constraints import check_constraints, enum_match, in_enum
from mapkit.issues import ABSENT, Issue, Severity, ValidationResult
from mapkit.options import ValidationOptions
from mapkit.paths import ROOT, join_index, join_key
from mapkit.schema import ArraySpec, JsonSchemaSpec, ObjectSpec, ScalarSpec, Spec
from mapkit.types import read_value
from mapkit.types.base import Problem, describe_type

__all__ = ["Diagnosis", "diagnose", "null_tokens_for"]

# Codes of JSON-text issues about a value (NaN, Infinity, overflow) rather than a repeated key.
_TEXT_VALUE_CODES = frozenset({"type_mismatch", "out_of_range"})

_MISSING_HINT = 'add the field, or mark it optional in the schema (a trailing "?")'

# Types whose values are text as they arrive, so null tokens apply only when the field
# declares its own.
_TEXT_TYPES = frozenset({"string", "any"})


def null_tokens_for(spec: Spec, options: ValidationOptions) -> frozenset[str]:
    """Return the strings that mean null in a field.

    These are the field's own tokens if it declares some, else none for text fields and the
    options' tokens for the others.
    """
    if spec.null_tokens is not None:
        return spec.null_tokens
    if isinstance(spec, ScalarSpec) and spec.type in _TEXT_TYPES:
        return frozenset()
    return options.null_tokens


def diagnose(payload: Any, spec: ObjectSpec, options: ValidationOptions, *, coerce: bool,
             text_issues: dict[str, list[Issue]] | None = None) -> ValidationResult:
    """Validate a payload against a compact or long-form schema and build its canonical data.

    ``text_issues`` contains issues found while parsing JSON text, by field path. Each is
    reported where the walk reaches its field, and any left over at the end.
    """
    diagnosis = Diagnosis(options, coerce=coerce, text_issues=text_issues)
    if isinstance(payload, dict):
        data = diagnosis.check(payload, spec, ROOT)
    else:
        diagnosis.report(ROOT, "type_mismatch", "object", got=payload,
                         reason=f"is {describe_type(payload)}, not an object",
                         hint="send the payload as a JSON object")
        data = payload
    diagnosis.flush_text_issues()
    return diagnosis.result(data)


class Diagnosis:
    """Issues found so far in one payload, and the options that judge its values."""

    def __init__(self, options: ValidationOptions, *, coerce: bool,
                 text_issues: dict[str, list[Issue]] | None = None) -> None:
        self.options = options
        self.coerce = coerce
        self.issues: list[Issue] = []
        self._text_issues = dict(text_issues or {})

    def flush_text_issues(self) -> None:
        """Report the JSON-text issues whose fields the schema walk never reached."""
        for issues in self._text_issues.values():
            self.issues.extend(issues)
        self._text_issues.clear()

    def result(self, data: Any) -> ValidationResult:
        """Return the result for the payload checked so far."""
        valid = not any(issue.severity == "error" for issue in self.issues)
        return ValidationResult(valid=valid, issues=self.issues, data=data)

    def report(self, path: str, code: str, expected: str, *, got: Any = ABSENT,
               reason: str = "", severity: Severity = "error", suggestion: Any = ABSENT,
               hint: str = "") -> None:
        """Record an issue, leaving out the value and the suggestion when asked to."""
        if not self.options.include_got:
            got = ABSENT
            suggestion = ABSENT
        self.issues.append(Issue(field=path, code=code, expected=expected, got=got,
                                 severity=severity, suggestion=suggestion, reason=reason,
                                 hint=hint))

    def check(self, value: Any, spec: Spec, path: str) -> Any:
        """Check one value against its spec, record its issues and return its data value."""
        if self._report_text_issues(path):
            return value  # NaN or an overflow, which the JSON text issue reports
        if value is None:
            return self._check_null(value, spec, path)
        if isinstance(value, str) and self._is_null_token(value, spec):
            return self._check_null(value, spec, path)
        if isinstance(spec, ObjectSpec):
            return self._check_object(value, spec, path)
        if isinstance(spec, ArraySpec):
            return self._check_array(value, spec, path)
        if isinstance(spec, ScalarSpec):
            return self._check_scalar(value, spec, path)
        raise TypeError(f"cannot check a {type(spec).__name__} inside a compact schema")

    def _report_text_issues(self, path: str) -> bool:
        """Report the JSON-text issues of a field; tell whether one is about its value."""
        if not self._text_issues or path not in self._text_issues:
            return False
        text_issues = self._text_issues.pop(path)
        self.issues.extend(text_issues)
        return any(issue.code in _TEXT_VALUE_CODES for issue in text_issues)

    def _is_null_token(self, value: str, spec: Spec) -> bool:
        return value.strip() in null_tokens_for(spec, self.options)

    def _check_null(self, value: Any, spec: Spec, path: str) -> Any:
        if spec.nullable or (isinstance(spec, ScalarSpec) and spec.type == "any"):
            return None
        reason = "is null" if value is None else "is a null token"
        self.report(path, "null_not_allowed", _expected(spec), got=value,
                    reason=f"{reason}, but the field is not nullable",
                    hint='mark the field nullable in the schema (a trailing "?")')
        return value

    def _check_object(self, value: Any, spec: ObjectSpec, path: str) -> Any:
        if not isinstance(value, dict):
            self.report(path, "type_mismatch", "object", got=value,
                        reason=f"is {describe_type(value)}, not an object")
            return value
        data: dict[Any, Any] = {}
        changed = False
        for key, item in value.items():
            item_path = join_key(path, str(key))
            field_spec = spec.fields.get(key) if isinstance(key, str) else None
            if field_spec is None:
                self._report_text_issues(item_path)
                self._check_unexpected(item, item_path)
                data[key] = item
                continue
            checked = self.check(item, field_spec, item_path)
            changed = changed or checked is not item
            data[key] = checked
        for key, field_spec in spec.fields.items():
            if field_spec.required and key not in value:
                self.report(join_key(path, key), "missing", _expected(field_spec),
                            reason="is missing", hint=_MISSING_HINT)
        return data if changed else value

    def _check_unexpected(self, value: Any, path: str) -> None:
        mode = self.options.unexpected_fields
        if mode == "ignore":
            return
        self.report(path, "unexpected_field", "only the fields of the expected schema", got=value,
                    severity="warning" if mode == "warn" else "error",
                    reason="is not a field of the expected schema",
                    hint="Remove it, or add it to the schema")

    def _check_array(self, value: Any, spec: ArraySpec, path: str) -> Any:
        if not isinstance(value, list):
            self.report(path, "type_mismatch", spec.expected, got=value,
                        reason=f"is {describe_type(value)}, not an array")
            return value
        if spec.min_length is not None and len(value) < spec.min_length:
            self.report(path, "too_short", f"at least {spec.min_length} items", got=value,
                        reason=f"has {len(value)} items")
        if spec.max_length is not None and len(value) > spec.max_length:
            self.report(path, "too_long", f"at most {spec.max_length} items", got=value,
                        reason=f"has {len(value)} items")
        data = []
        changed = False
        for index, item in enumerate(value):
            checked = self.check(item, spec.items, join_index(path, index))
            changed = changed or checked is not item
            data.append(checked)
        return data if changed else value

    def _check_scalar(self, value: Any, spec: ScalarSpec, path: str) -> Any:
        finding = read_value(value, spec, self.options)
        problem = finding.problem
        if problem is None:
            return self._check_constraints(value, finding.value, spec, path)
        if not problem.convertible:
            self._report_problem(value, problem, spec, path, problem.strict_severity)
            return value
        if not self.coerce:
            self._report_problem(value, problem, spec, path, problem.strict_severity)
            return finding.value
        if problem.coerced_severity is not None:
            self._report_problem(value, problem, spec, path, problem.coerced_severity)
        return self._check_constraints(value, finding.value, spec, path)

    def _report_problem(self, value: Any, problem: Problem, spec: ScalarSpec, path: str,
                        severity: Severity) -> None:
        self.report(path, problem.code, spec.expected, got=value, reason=problem.reason,
                    severity=severity, suggestion=problem.suggestion, hint=problem.hint)

    def _check_constraints(self, value: Any, canonical: Any, spec: ScalarSpec, path: str) -> Any:
        violation = check_constraints(canonical, spec)
        if violation is None:
            return canonical
        if violation.code == "not_in_enum" and spec.enum is not None:
            member = enum_match(canonical, spec.enum)
            if member is not None and in_enum(member, spec.enum):
                return self._enum_spelling(value, member, spec, path)
        self.report(path, violation.code, violation.expected, got=value, reason=violation.reason)
        return canonical

    def _enum_spelling(self, value: Any, member: Any, spec: ScalarSpec, path: str) -> Any:
        """Accept an enum value that differs only in case or spaces when coercing."""
        if not self.coerce:
            self.report(path, "not_in_enum", spec.expected, got=value, suggestion=member,
                        reason="differs from an allowed value only in case or spaces")
        return member


def _expected(spec: Spec) -> str:
    if isinstance(spec, ScalarSpec | ObjectSpec | ArraySpec):
        return spec.expected
    assert isinstance(spec, JsonSchemaSpec)
    return "value"
