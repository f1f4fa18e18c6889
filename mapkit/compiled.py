"""Compiled validators: the per-schema work done once, then reused for every payload."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from mapkit.fastpath import build_fast_validator
from mapkit.fitting import fit_spec
from mapkit.issues import Issue, ValidationResult
from mapkit.jsonschema_input import JsonSchemaChecker
from mapkit.options import ValidationOptions
from mapkit.schema import JsonSchemaSpec, ObjectSpec, parse_schema
from mapkit.validation import diagnose

__all__ = ["Validator", "compile"]


def _never(payload: Any) -> bool:
    return False


def compile(expected_schema: Any, *, coerce: bool = False,
            **options: Any) -> Validator:
    """Compile a schema into a reusable :class:`Validator`.

    Takes the same options as ``mapkit.validate``. Raises :class:`~mapkit.SchemaError` for an
    invalid schema and ``TypeError`` or ``ValueError`` for an unknown or invalid option.
    """
    return Validator(parse_schema(expected_schema), ValidationOptions.from_kwargs(options),
                     coerce=coerce)


class Validator:
    """Validator for one schema, compiled once.

    It has a pydantic-core fast path for canonical payloads and the detailed diagnosis for
    the rest, or a jsonschema validator for JSON Schema input. ``settled`` maps field paths
    to the column settings that :meth:`fit` declared.
    """

    def __init__(self, spec: ObjectSpec | JsonSchemaSpec, options: ValidationOptions, *,
                 coerce: bool, settled: dict[str, dict[str, Any]] | None = None) -> None:
        self.spec = spec
        self.options = options
        self.coerce = coerce
        self.settled: dict[str, dict[str, Any]] = settled or {}
        self._json_schema: JsonSchemaChecker | None = None
        self._is_canonical: Callable[[Any], bool] = _never
        if isinstance(spec, JsonSchemaSpec):
            self._json_schema = JsonSchemaChecker(spec, options)
        else:
            self._is_canonical = build_fast_validator(spec, options).isinstance_python

    def validate(self, payload: Any, *,
                 text_issues: dict[str, list[Issue]] | None = None) -> ValidationResult:
        """Validate one payload.

        ``text_issues`` are issues already found in the payload's JSON text, by field path.
        """
        if not text_issues and self._is_canonical(payload):
            return ValidationResult(True, [], payload)
        return self.diagnose(payload, text_issues=text_issues)

    def diagnose(self, payload: Any, *,
                 text_issues: dict[str, list[Issue]] | None = None) -> ValidationResult:
        """Validate one payload with the detailed diagnosis only, skipping the fast path."""
        if self._json_schema is not None:
            return self._json_schema.validate(payload, text_issues)
        assert isinstance(self.spec, ObjectSpec)
        return diagnose(payload, self.spec, self.options, coerce=self.coerce,
                        text_issues=text_issues)

    def validate_many(self, payloads: Iterable[Any]) -> Iterator[ValidationResult]:
        """Validate payloads one at a time as they are consumed, keeping none in memory."""
        is_canonical = self._is_canonical
        for payload in payloads:
            if is_canonical(payload):
                yield ValidationResult(True, [], payload)
            else:
                yield self.diagnose(payload)

    def fit(self, records: Iterable[Any]) -> Validator:
        """Return a validator whose open date formats and decimal marks are settled from the
        whole column of each field in ``records``.

        A field keeps what its schema declares; fitting only fills in what the schema leaves
        open, when the column shows it. See :attr:`settled` for what was filled in.
        """
        if not isinstance(self.spec, ObjectSpec):
            return self
        spec, settled = fit_spec(self.spec, records, self.options)
        return Validator(spec, self.options, coerce=self.coerce, settled=settled)
