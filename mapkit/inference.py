"""Infer a compact ``expected_schema`` from records, judged over every row.

Each field's type is the narrowest one that every non-null value fits, so one decimal makes a
column ``number`` and one zero-padded code (``02134``) makes it ``string``. Text from CSV
(every value a string) may become numbers, booleans and dates. Strings in JSON records stay
strings unless they are dates, emails, UUIDs, URLs or E.164 phones, because a JSON producer
that quotes ``"187"`` chose text. The inferred schema validates the records it came from
(with ``coerce=True`` for text sources).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Final

from mapkit.dates import is_canonical_datetime, is_canonical_time
from mapkit.detection import detect_date_format
from mapkit.formats import parse_format
from mapkit.options import DEFAULT_NULL_TOKENS, DEFAULT_TWO_DIGIT_YEAR_PIVOT
from mapkit.paths import ROOT, join_index, join_key
from mapkit.types.booleans import BOOLEAN_TOKENS
from mapkit.types.emails import is_canonical_email
from mapkit.types.numbers import decimal_comma_setting, read_number_text
from mapkit.types.phones import is_canonical_phone
from mapkit.types.text import is_canonical_url, is_canonical_uuid

__all__ = ["FieldProfile", "SchemaProfile", "infer_schema", "profile"]

_INTEGER_TEXT: Final = re.compile(r"[+-]?(?:0|[1-9][0-9]*)")
_ZERO_PADDED: Final = re.compile(r"[+-]?0[0-9]+")
# Columns of digits under these names are codes, whatever their values look like: a number
# type would drop the leading zeros that ZIP and FIPS codes often have.
_CODE_NAMES: Final = re.compile(r"zip|postal|postcode|plz|fips|iban|ssn|phone", re.IGNORECASE)
_TEMPORAL_NAMES: Final = re.compile(r"date|time|_at$|At$|created|updated|modified|stamp",
                                    re.IGNORECASE)
_ISO_FORMATS: Final = frozenset({"YYYY-MM-DD"})


@dataclass(frozen=True, slots=True)
class FieldProfile:
    """Profile of one field over all records.

    ``required_share`` is the share of parent objects that have the field. ``nulls`` counts
    nulls and null tokens, and ``padded`` the strings with spaces around them.
    ``date_candidates`` lists the formats of a date column whose values fit them all.
    """

    path: str
    type: str
    format: str | None
    nullable: bool
    required: bool
    required_share: float
    present: int
    nulls: int
    distinct: int
    padded: int = 0
    decimal_comma: bool | None = None
    date_candidates: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SchemaProfile:
    """The inferred compact schema and a profile of each field (nested paths included)."""

    schema: dict[str, Any]
    fields: list[FieldProfile]
    records: int
    text_source: bool

    def to_dict(self) -> dict[str, Any]:
        """Return the profile as JSON data."""
        return {"records": self.records, "text_source": self.text_source,
                "schema": self.schema, "fields": [asdict(item) for item in self.fields]}


def infer_schema(records: Iterable[Mapping[str, Any]], *, text_source: bool | None = None,
                 null_tokens: Iterable[str] = DEFAULT_NULL_TOKENS,
                 two_digit_year_pivot: int = DEFAULT_TWO_DIGIT_YEAR_PIVOT) -> dict[str, Any]:
    """Infer a compact schema from records, such as ``{"zip": "string", "hired": "date"}``."""
    return profile(records, text_source=text_source, null_tokens=null_tokens,
                   two_digit_year_pivot=two_digit_year_pivot).schema


def profile(records: Iterable[Mapping[str, Any]], *, text_source: bool | None = None,
            null_tokens: Iterable[str] = DEFAULT_NULL_TOKENS,
            two_digit_year_pivot: int = DEFAULT_TWO_DIGIT_YEAR_PIVOT) -> SchemaProfile:
    """Profile records field by field and infer their schema.

    ``text_source`` is true when every value arrived as text, as from CSV. None decides it
    from the records: true only when every record is flat and every value is a string or
    null, as in ``csv.DictReader`` rows. A nested object, an array, a number or a boolean
    anywhere means JSON records, whose strings stay strings. Pass ``text_source=False`` for
    flat JSON records whose values are all strings, such as ``[{"costCenter": "10"}]``.
    """
    rows = list(records)
    for index, row in enumerate(rows):
        if not isinstance(row, Mapping):
            raise ValueError(f"record {index} is not an object; infer_schema takes a list of "
                             "objects, such as the rows of a CSV file")
    if text_source is None:
        text_source = all(_is_text_row(row) for row in rows)
    inference = _Inference(text_source, frozenset(token.strip() for token in null_tokens),
                           two_digit_year_pivot)
    schema = inference.object_fields(rows, ROOT)
    fields = [item for item in inference.slots if item is not None]
    return SchemaProfile(schema, fields, len(rows), text_source)


def _is_text_row(row: Mapping[str, Any]) -> bool:
    """Tell whether a record looks like a CSV row: flat, with only strings and nulls."""
    return all(value is None or isinstance(value, str) for value in row.values())


@dataclass
class _Judgement:
    """The type of one column and what led to it."""

    type: str
    format: str | None = None
    decimal_comma: bool | None = None
    date_candidates: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list)


class _Inference:
    def __init__(self, text_source: bool, null_tokens: frozenset[str], pivot: int) -> None:
        self.text_source = text_source
        self.null_tokens = null_tokens
        self.pivot = pivot
        # A field's slot is taken before its nested fields are judged, so parents come first.
        self.slots: list[FieldProfile | None] = []

    def object_fields(self, rows: list[Mapping[str, Any]], path: str) -> dict[str, Any]:
        keys: dict[str, None] = {}
        for row in rows:
            keys.update(dict.fromkeys(row))
        schema: dict[str, Any] = {}
        for key in keys:
            values = [row[key] for row in rows if key in row]
            schema[key] = self.field(values, len(rows), join_key(path, key), key)
        return schema

    def field(self, values: list[Any], parents: int, path: str, name: str) -> Any:
        slot = len(self.slots)
        self.slots.append(None)
        present = len(values)
        required = present == parents
        non_null = [value for value in values if value is not None]
        tokens = [value for value in non_null
                  if isinstance(value, str) and value.strip() in self.null_tokens]
        candidates = [value for value in non_null if not (
            isinstance(value, str) and value.strip() in self.null_tokens)]

        judgement, nested = self.judge(candidates, path, name)
        if judgement.type in ("string", "any") and tokens:
            # Null tokens are ordinary text in a string column.
            judgement, nested = self.judge(non_null, path, name)
            tokens = []
        nulls = len(values) - len(non_null) + len(tokens)
        nullable = nulls > 0
        self.slots[slot] = _field_profile(path, values, judgement, nullable=nullable,
                                          required=required, parents=parents, nulls=nulls)
        return _node(judgement, nested, nullable=nullable, required=required)

    def judge(self, values: list[Any], path: str, name: str) -> tuple[_Judgement, Any]:
        if not values:
            return _Judgement("any", notes=["no non-null value"]), None
        if all(isinstance(value, Mapping) for value in values):
            return _Judgement("object"), self.object_fields(values, path)
        if all(isinstance(value, list) for value in values):
            items = [item for value in values for item in value]
            item_path = join_index(path, "")
            if not items:
                return _Judgement("array"), "any"
            return _Judgement("array"), self.field(items, len(items), item_path, name)
        if any(isinstance(value, Mapping | list) for value in values):
            return _Judgement("any", notes=["mixes objects or arrays with other values"]), None
        return self.scalar(values, name), None

    def scalar(self, values: list[Any], name: str) -> _Judgement:
        kinds = {_json_kind(value) for value in values}
        if kinds == {"boolean"}:
            return _Judgement("boolean")
        if kinds == {"integer"}:
            judgement = _Judgement("integer")
            if _CODE_NAMES.search(name):
                judgement.notes.append("integers in a code column: leading zeros may be lost")
            return _with_epoch_hint(judgement, values, name)
        if kinds <= {"integer", "number"}:
            return _Judgement("number")
        if kinds == {"string"}:
            return self.strings([str(value) for value in values], name)
        return _Judgement("any", notes=[f"mixes {', '.join(sorted(kinds))} values"])

    def strings(self, texts: list[str], name: str) -> _Judgement:
        # E.164 text such as +14155550100 also reads as a signed integer, so phones are
        # checked before numbers. Short signed numbers (+5, +100) are not valid phones.
        if all(is_canonical_phone(text) for text in texts):
            return _Judgement("phone")
        if self.text_source:
            judgement = _text_number_or_boolean(texts, name)
            if judgement is not None:
                return judgement
        temporal = self.temporal(texts)
        if temporal is not None:
            return temporal
        for type_name, check in (("email", is_canonical_email), ("uuid", is_canonical_uuid)):
            if all(check(text) for text in texts):
                return _Judgement(type_name)
        if all("://" in text and is_canonical_url(text) for text in texts):
            return _Judgement("url")
        return _Judgement("string")

    def temporal(self, texts: list[str]) -> _Judgement | None:
        # A column is temporal only if every value is, so a first value that fits no format
        # settles it without reading the rest (most text columns end here).
        first = detect_date_format(texts[:1], two_digit_year_pivot=self.pivot, null_tokens=())
        if first.matched == 0:
            return None
        guess = detect_date_format(texts, two_digit_year_pivot=self.pivot, null_tokens=())
        if guess.matched != len(texts) or guess.kind is None:
            return None
        candidates = guess.candidates
        if any(parse_format(candidate).kind == "numeric" or not any(
                not char.isalnum() for char in candidate) for candidate in candidates):
            return None  # digits alone (20250112, 45678) are not taken for dates
        if guess.ambiguous:
            return _Judgement("string", date_candidates=candidates, notes=[
                f"{guess.kind}s that read as {' or '.join(candidates)}; no value tells them "
                "apart, so declare the format"])
        text_format = guess.format
        assert text_format is not None
        return _temporal_judgement(guess.kind, text_format, texts, self.pivot)


def _field_profile(path: str, values: list[Any], judgement: _Judgement, *, nullable: bool,
                   required: bool, parents: int, nulls: int) -> FieldProfile:
    texts = [value for value in values if isinstance(value, str)]
    padded = sum(1 for text in texts if text != text.strip())
    notes = list(judgement.notes)
    if padded:
        notes.append(f"{padded} of {len(texts)} strings have spaces around them")
    return FieldProfile(
        path=path, type=judgement.type, format=judgement.format, nullable=nullable,
        required=required, required_share=len(values) / parents if parents else 0.0,
        present=len(values), nulls=nulls, distinct=len({repr(value) for value in values}),
        padded=padded, decimal_comma=judgement.decimal_comma,
        date_candidates=judgement.date_candidates, notes=tuple(notes),
    )


def _json_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return type(value).__name__


def _with_epoch_hint(judgement: _Judgement, values: list[Any], name: str) -> _Judgement:
    if not _TEMPORAL_NAMES.search(name):
        return judgement
    guess = detect_date_format(values)
    if guess.format in ("unix_seconds", "unix_milliseconds"):
        judgement.notes.append(
            f'looks like {guess.format}; declare {{"type": "datetime", "format": '
            f'"{guess.format}"}} to read it as a date-time')
    return judgement


def _text_number_or_boolean(texts: list[str], name: str) -> _Judgement | None:
    stripped = [text.strip() for text in texts]
    if any(_ZERO_PADDED.fullmatch(text) for text in stripped):
        return _Judgement("string", notes=["zero-padded digits: kept as text"])
    if all(_INTEGER_TEXT.fullmatch(text) for text in stripped):
        if _CODE_NAMES.search(name):
            return _Judgement("string", notes=_code_notes(stripped))
        return _Judgement("integer")
    if all(text.lower() in BOOLEAN_TOKENS for text in stripped):
        return _Judgement("boolean")
    decimal_comma = decimal_comma_setting(stripped)
    readings = [read_number_text(text, decimal_comma) for text in stripped]
    if all(reading is not None and len(reading) == 1 for reading in readings):
        return _Judgement("number", decimal_comma=decimal_comma)
    if all(reading is not None for reading in readings):
        return _Judgement("string", notes=[
            "numbers whose separators could group thousands or mark decimals; "
            "set decimal_comma and use type number"])
    return None


def _code_notes(digits: list[str]) -> list[str]:
    widths = {len(text.lstrip("+-")) for text in digits}
    notes = ["digits in a code column: kept as text"]
    if len(widths) > 1:
        notes.append(f"codes have {min(widths)} to {max(widths)} digits, so leading zeros "
                     "were probably lost upstream")
    return notes


def _temporal_judgement(kind: str, text_format: str, texts: list[str],
                        pivot: int) -> _Judgement:
    if kind == "date":
        judgement = _Judgement("date", None if text_format in _ISO_FORMATS else text_format)
        if "YY" in parse_format(text_format).tokens:
            judgement.notes.append(_century_note(text_format, texts, pivot))
        return judgement
    if kind == "time":
        canonical = all(is_canonical_time(text) for text in texts)
        return _Judgement("time", None if canonical else text_format)
    if all(is_canonical_datetime(text) for text in texts):
        return _Judgement("datetime")
    if parse_format(text_format).has_offset:
        return _Judgement("datetime", text_format)
    return _Judgement("string", notes=[
        f"date-times in {text_format} without a UTC offset; declare the format with "
        "type datetime and set default_timezone"])


def _century_note(text_format: str, texts: list[str], pivot: int) -> str:
    years = []
    for text in texts:
        parsed = parse_format(text_format).read(text, pivot)
        if parsed is not None:
            years.append(parsed.value.year)  # type: ignore[union-attr]
    return (f"two-digit years read as {min(years)}-{max(years)} "
            f"(two_digit_year_pivot {pivot}); check the century")


def _node(judgement: _Judgement, nested: Any, *, nullable: bool, required: bool) -> Any:
    if judgement.type == "object":
        fields = nested
        # A nested field called "type" could make the object read as a long form.
        explicit = "type" in fields and isinstance(fields["type"], str)
        if explicit or nullable or not required:
            return {"type": "object", "fields": fields, **_flags(nullable, required)}
        return fields
    if judgement.type == "array":
        if nullable or not required:
            return {"type": "array", "items": nested, **_flags(nullable, required)}
        return [nested]
    extras: dict[str, Any] = {}
    if judgement.format is not None:
        extras["format"] = judgement.format
    if judgement.decimal_comma is not None:
        extras["decimal_comma"] = judgement.decimal_comma
    if not extras:
        # "any" accepts null already, so only a field that may be missing needs the "?".
        optional = not required if judgement.type == "any" else nullable or not required
        return judgement.type + ("?" if optional else "")
    return {"type": judgement.type, **extras, **_flags(nullable, required)}


def _flags(nullable: bool, required: bool) -> dict[str, bool]:
    flags = {}
    if not required:
        flags["required"] = False
    if nullable:
        flags["nullable"] = True
    return flags
