"""Turn the inputs of ``suggest_mapping`` into flat lists of fields.

A source is a list of field names, a list of field dicts (``name``, ``type``, ``samples``) or one
sample record. A target is a list of names or field dicts, or a compact schema (a full JSON
Schema is accepted too). Nested keys become dot paths (``name.givenName``), and lists of objects
become ``key[0].sub`` paths.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mapkit.paths import ROOT, join_key

__all__ = [
    "TYPE_NAMES",
    "Field",
    "MappingInputError",
    "source_fields",
    "target_fields",
]

TYPE_NAMES = frozenset({
    "string", "integer", "number", "boolean", "date", "datetime", "time", "email", "phone",
    "url", "uuid", "any", "array", "object",
})
_JSON_SCHEMA_TYPES = {"string": "string", "integer": "integer", "number": "number",
                      "boolean": "boolean", "array": "array", "object": "object", "null": "any"}
_JSON_SCHEMA_FORMATS = {"date": "date", "date-time": "datetime", "time": "time", "email": "email",
                        "uri": "url", "uuid": "uuid"}
_MAX_SAMPLES = 20


class MappingInputError(ValueError):
    """A source, target or samples argument that cannot be read as fields.

    ``argument`` names the argument at fault: ``source``, ``target`` or ``samples``.
    """

    def __init__(self, message: str, argument: str = "") -> None:
        super().__init__(message)
        self.argument = argument


@dataclass(frozen=True)
class Field:
    """One source or target field: its path, its declared type (if any) and sample values."""

    name: str
    type: str | None = None
    samples: tuple[Any, ...] = ()


def source_fields(source: Any, samples: Any = None) -> list[Field]:
    """Read a source (names, field dicts or a sample record) and merge extra ``samples`` in."""
    try:
        fields = _read_source(source)
    except MappingInputError as exc:
        raise MappingInputError(str(exc), "source") from None
    return _merge_samples(fields, samples) if samples is not None else fields


def target_fields(target: Any) -> list[Field]:
    """Read a target: field names, field dicts, a compact schema or a JSON Schema."""
    try:
        return _read_target(target)
    except MappingInputError as exc:
        raise MappingInputError(str(exc), "target") from None


def _read_source(source: Any) -> list[Field]:
    if isinstance(source, Mapping):
        fields = _fields_from_record(source)
    elif isinstance(source, Sequence) and not isinstance(source, str | bytes):
        fields = _fields_from_list(source, "source")
    else:
        raise MappingInputError(
            f"source must be a list of field names or field objects, or a sample record "
            f"(a JSON object); got {type(source).__name__}"
        )

    _check_fields(fields, "source")
    return fields


def _read_target(target: Any) -> list[Field]:
    if isinstance(target, Mapping):
        fields = _fields_from_schema(target)
    elif isinstance(target, Sequence) and not isinstance(target, str | bytes):
        fields = _fields_from_list(target, "target")
    else:
        raise MappingInputError(
            f"target must be a list of field names or field objects, or a compact schema "
            f"(a JSON object of field name to type); got {type(target).__name__}"
        )

    _check_fields(fields, "target")
    return fields


def _fields_from_list(items: Sequence[Any], role: str) -> list[Field]:
    fields = []
    for index, item in enumerate(items):
        if isinstance(item, str):
            fields.append(Field(item))
        elif isinstance(item, Mapping) and isinstance(item.get("name"), str):
            declared = item.get("type")
            field_type = _type_name(declared, f"{role}[{index}].type") if declared else None
            samples = _sample_tuple(item.get("samples"), f"{role}[{index}].samples", role)
            fields.append(Field(item["name"], field_type, samples))
        else:
            raise MappingInputError(
                f"{role}[{index}] must be a field name or an object with a string 'name', "
                f"not {item!r:.80}"
            )
    return fields


def _fields_from_record(record: Mapping[str, Any], prefix: str = ROOT) -> list[Field]:
    fields: list[Field] = []
    for key, value in record.items():
        path = _join(prefix, str(key))
        if isinstance(value, Mapping) and value:
            fields.extend(_fields_from_record(value, path))
        elif isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
            fields.extend(_fields_from_record(value[0], f"{path}[0]"))
        elif isinstance(value, list):
            fields.append(Field(path, "array", _sample_tuple(value, path, "")))
        else:
            fields.append(Field(path, None, () if value is None else (value,)))
    return fields


def _fields_from_schema(schema: Mapping[str, Any], prefix: str = ROOT) -> list[Field]:
    if _is_json_schema(schema):
        return _fields_from_json_schema(schema, prefix)

    fields: list[Field] = []
    for key, spec in schema.items():
        path = _join(prefix, str(key))
        if isinstance(spec, Mapping) and "type" not in spec:
            fields.extend(_fields_from_schema(spec, path))
        else:
            fields.append(Field(path, _type_name(spec, path)))
    return fields


def _fields_from_json_schema(schema: Mapping[str, Any], prefix: str) -> list[Field]:
    fields: list[Field] = []
    for key, spec in (schema.get("properties") or {}).items():
        path = _join(prefix, str(key))
        if not isinstance(spec, Mapping):
            raise MappingInputError(f"JSON Schema property {path!r} must be an object")
        if spec.get("type") == "object" and "properties" in spec:
            fields.extend(_fields_from_json_schema(spec, path))
            continue
        json_type = spec.get("type")
        if isinstance(json_type, list):
            json_type = next((t for t in json_type if t != "null"), "null")
        field_type = _JSON_SCHEMA_FORMATS.get(spec.get("format", ""))
        fields.append(Field(path, field_type or _JSON_SCHEMA_TYPES.get(str(json_type), "any")))
    return fields


def _is_json_schema(schema: Mapping[str, Any]) -> bool:
    return "$schema" in schema or (
        schema.get("type") == "object" and isinstance(schema.get("properties"), Mapping)
    )


def _type_name(spec: Any, where: str) -> str:
    if isinstance(spec, list):
        return "array"
    if isinstance(spec, Mapping):
        spec = spec.get("type")
    if not isinstance(spec, str) or spec.rstrip("?").lower() not in TYPE_NAMES:
        raise MappingInputError(
            f"{where}: unknown type {spec!r}; use one of {', '.join(sorted(TYPE_NAMES))}, "
            f"with a trailing '?' for optional fields"
        )
    return spec.rstrip("?").lower()


def _sample_tuple(values: Any, where: str, argument: str) -> tuple[Any, ...]:
    """Return up to ``_MAX_SAMPLES`` non-null values of a list, as the HTTP API requires.

    Raises ``MappingInputError`` naming ``where`` when ``values`` is not a list.
    """
    if values is None:
        return ()
    if not isinstance(values, list | tuple):
        raise MappingInputError(
            f"{where} must be a list of sample values, not {type(values).__name__}; "
            f"wrap a single value in a list: [{values!r:.40}]",
            argument,
        )
    return tuple(value for value in values[:_MAX_SAMPLES] if value is not None)


def _merge_samples(fields: list[Field], samples: Any) -> list[Field]:
    """Add sample values given per field name, or as a list of sample records."""
    by_name: dict[str, list[Any]] = {}
    if isinstance(samples, Mapping):
        known = {field.name for field in fields}
        for name, values in samples.items():
            if name not in known:
                raise MappingInputError(
                    f"samples names {name!r}, which is not a source field; use the source "
                    "field's name or path",
                    "samples",
                )
            by_name.setdefault(str(name), []).extend(
                _sample_tuple(values, f"samples[{name!r}]", "samples")
            )
    elif isinstance(samples, Sequence) and not isinstance(samples, str | bytes):
        for index, record in enumerate(samples):
            if not isinstance(record, Mapping):
                raise MappingInputError(
                    f"samples[{index}] must be a sample record (a JSON object), "
                    f"not {type(record).__name__}",
                    "samples",
                )
            for field in _fields_from_record(record):
                by_name.setdefault(field.name, []).extend(field.samples)
    else:
        raise MappingInputError(
            "samples must map source field names to lists of values, or be a list of sample "
            f"records; got {type(samples).__name__}",
            "samples",
        )

    return [
        Field(f.name, f.type, (*f.samples, *by_name.get(f.name, ()))[:_MAX_SAMPLES])
        for f in fields
    ]


def _check_fields(fields: list[Field], role: str) -> None:
    if not fields:
        raise MappingInputError(f"{role} has no fields; give at least one field name")

    seen: set[str] = set()
    for field in fields:
        if not field.name.strip():
            raise MappingInputError(f"{role} has an empty field name")
        if field.name in seen:
            raise MappingInputError(f"{role} names the field {field.name!r} twice")
        seen.add(field.name)


def _join(prefix: str, key: str) -> str:
    """Append a key to a field path in the syntax that workflow mappings read.

    A key with dots or brackets, such as a SCIM extension URN, becomes ``["key"]``, and a
    top-level key named ``steps`` is quoted too, because ``steps.`` starts a step-output path.
    """
    if prefix == ROOT and key == "steps":
        return '["steps"]'
    return join_key(prefix, key)
