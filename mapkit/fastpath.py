"""Compile a parsed schema into a pydantic-core validator that accepts only canonical payloads.

The fast path decides one question: would the detailed diagnosis find no issue at all and
leave the payload unchanged? It uses strict pydantic-core types (a string is never an integer
here), ISO 8601 patterns chained to pydantic-core's date parsing (so 31 February fails), a
conservative email pattern, and ``extra_behavior="forbid"`` so that unknown keys fall through.
Where no native check is known to agree with the diagnosis (phones, URLs, declared formats,
constraints), the field calls the diagnosis' own reader. Payloads it rejects are diagnosed in
full, so the fast path may reject more than necessary but must never accept more.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from pydantic_core import CoreSchema, SchemaValidator, core_schema

from mapkit.constraints import check_constraints
from mapkit.dates import DATE_PATTERN, DATETIME_PATTERN, TIME_PATTERN
from mapkit.options import ValidationOptions
from mapkit.schema import ArraySpec, ObjectSpec, ScalarSpec, Spec
from mapkit.types import is_canonical, read_value
from mapkit.types.emails import FAST_EMAIL_PATTERN, MAX_EMAIL_LENGTH
from mapkit.types.text import UUID_PATTERN
from mapkit.validation import null_tokens_for

__all__ = ["build_fast_validator"]

_TEMPORAL: dict[str, tuple[str, Callable[[], CoreSchema]]] = {
    "date": (DATE_PATTERN, core_schema.date_schema),
    "datetime": (DATETIME_PATTERN, core_schema.datetime_schema),
    "time": (TIME_PATTERN, core_schema.time_schema),
}


def build_fast_validator(spec: ObjectSpec, options: ValidationOptions) -> SchemaValidator:
    """Build the fast-path validator for a compact or long-form schema."""
    return SchemaValidator(_object_schema(spec, options, top_level=True))


def _schema(spec: Spec, options: ValidationOptions) -> CoreSchema:
    if isinstance(spec, ObjectSpec):
        inner = _object_schema(spec, options, top_level=False)
    elif isinstance(spec, ArraySpec):
        inner = core_schema.list_schema(_schema(spec.items, options), strict=True,
                                        min_length=spec.min_length, max_length=spec.max_length)
    else:
        assert isinstance(spec, ScalarSpec)
        inner = _scalar_schema(spec, options)
    nullable = spec.nullable or (isinstance(spec, ScalarSpec) and spec.type == "any")
    return core_schema.nullable_schema(inner) if nullable else inner


def _object_schema(spec: ObjectSpec, options: ValidationOptions, *, top_level: bool) -> CoreSchema:
    fields = {
        key: core_schema.typed_dict_field(_schema(field_spec, options),
                                          required=field_spec.required)
        for key, field_spec in spec.fields.items()
    }
    extra: Literal["ignore", "forbid"] = (
        "ignore" if options.unexpected_fields == "ignore" else "forbid")
    return core_schema.typed_dict_schema(fields, strict=True, extra_behavior=extra)


def _scalar_schema(spec: ScalarSpec, options: ValidationOptions) -> CoreSchema:
    if _is_plain_text_enum(spec, options):
        # A strict str check first makes the literal compare text with text only.
        assert spec.enum is not None
        return core_schema.chain_schema([core_schema.str_schema(strict=True),
                                         core_schema.literal_schema(list(spec.enum))])
    if _needs_reader(spec, options):
        return _reader_schema(spec, options)
    native = _native_schema(spec)
    assert native is not None
    return native


def _is_plain_text_enum(spec: ScalarSpec, options: ValidationOptions) -> bool:
    """Tell whether a field is a string enum with no other constraint and no null token."""
    others = (spec.minimum, spec.maximum, spec.min_length, spec.max_length, spec.pattern)
    return (spec.type == "string" and spec.enum is not None
            and all(isinstance(member, str) for member in spec.enum)
            and all(other is None for other in others) and not null_tokens_for(spec, options))


def _needs_reader(spec: ScalarSpec, options: ValidationOptions) -> bool:
    has_constraints = (spec.enum is not None or spec.minimum is not None
                       or spec.maximum is not None or spec.min_length is not None
                       or spec.max_length is not None or spec.pattern is not None)
    tokens = null_tokens_for(spec, options)
    # A null token that is also a canonical value would be read as null by the diagnosis.
    token_is_value = any(is_canonical(token, spec.type) for token in tokens)
    return (has_constraints or spec.format is not None or token_is_value
            or _native_schema(spec) is None)


def _native_schema(spec: ScalarSpec) -> CoreSchema | None:
    type_name = spec.type
    if type_name == "string":
        return core_schema.str_schema(strict=True)
    if type_name == "integer":
        return core_schema.int_schema(strict=True)
    if type_name == "number":
        return core_schema.float_schema(strict=True, allow_inf_nan=False)
    if type_name == "boolean":
        return core_schema.bool_schema(strict=True)
    if type_name in _TEMPORAL:
        pattern, parsed_schema = _TEMPORAL[type_name]
        return core_schema.chain_schema([
            core_schema.str_schema(strict=True, pattern=pattern), parsed_schema()])
    if type_name == "email":
        return core_schema.str_schema(strict=True, pattern=FAST_EMAIL_PATTERN,
                                      max_length=MAX_EMAIL_LENGTH)
    if type_name == "uuid":
        return core_schema.str_schema(strict=True, pattern=UUID_PATTERN)
    if type_name == "any":
        return core_schema.any_schema()
    return None


def _reader_schema(spec: ScalarSpec, options: ValidationOptions) -> CoreSchema:
    """Check a value with the diagnosis' own reader: accepted only if it stays unchanged."""

    tokens = null_tokens_for(spec, options)

    def accept(value: Any) -> Any:
        if isinstance(value, str) and value.strip() in tokens:
            raise ValueError("null token")
        finding = read_value(value, spec, options)
        if finding.problem is not None or finding.value is not value:
            raise ValueError("not canonical")
        if check_constraints(value, spec) is not None:
            raise ValueError("constraint")
        return value

    return core_schema.no_info_plain_validator_function(accept)
