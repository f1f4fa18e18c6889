"""Describe one field for matching: normalised tokens, lexicon concept, qualifiers, value kind."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from nova.mapping.lexicon import Lexicon
from nova.mapping.names import parse_field_name
from nova.mapping.sources import Field
from nova.mapping.values import ValueProfile, profile_many, profile_values

__all__ = ["FieldDescription", "describe_field", "describe_fields"]

# Declared types specific enough to say what values a field holds; "string" and "any" are not.
SPECIFIC_TYPES = frozenset({
    "email", "phone", "url", "uuid", "date", "datetime", "time", "boolean", "integer", "number",
})
_NON_ALPHANUMERIC = re.compile(r"[^a-z0-9]")


@dataclass(frozen=True)
class NameDescription:
    """The reading of a field's name: normalised tokens, lexicon concept, qualifiers, modifiers."""

    tokens: tuple[str, ...]
    leaf: tuple[str, ...]
    context: tuple[str, ...]
    compact: str
    concept: str | None
    qualifiers: frozenset[str]
    modifiers: frozenset[str]


@dataclass(frozen=True)
class FieldDescription(NameDescription):
    """Everything the features read about one field: its name, samples and expected kind."""

    field: Field
    value: ValueProfile
    expected_kind: str | None

    @property
    def text(self) -> str:
        return " ".join(self.tokens)

    @property
    def leaf_text(self) -> str:
        return " ".join(self.leaf)

    @property
    def canonical(self) -> frozenset[str]:
        """The concept (or the tokens, without one) plus qualifier groups, for set overlap."""
        base = {f"concept:{self.concept}"} if self.concept else set(self.tokens)
        return frozenset(base | {f"qualifier:{group}" for group in self.qualifiers})

    @property
    def value_kind(self) -> str | None:
        """The kind the samples show, else a specific declared type, else None."""
        if self.value.kind is not None:
            return self.value.kind
        declared = self.field.type
        return declared if declared in SPECIFIC_TYPES else None


def describe_fields(fields: Sequence[Field], lexicon: Lexicon) -> list[FieldDescription]:
    """Describe many fields, profiling all their samples in one batch."""
    values = profile_many([field.samples for field in fields])
    return [describe_field(field, lexicon, value) for field, value in zip(fields, values,
                                                                          strict=True)]


def describe_field(field: Field, lexicon: Lexicon,
                   value: ValueProfile | None = None) -> FieldDescription:
    """Normalise a field's name with the lexicon and profile its samples (unless given)."""
    name = _describe_name(field.name, lexicon)
    expected = field.type if field.type in SPECIFIC_TYPES else None
    if expected is None and name.concept is not None:
        expected = lexicon.expected_kinds.get(name.concept)

    return FieldDescription(
        **vars(name),
        field=field,
        value=value if value is not None else profile_values(field.samples),
        expected_kind=expected,
    )


# Schemas repeat across requests, so the name half of a description is cached.
@lru_cache(maxsize=16384)
def _describe_name(raw_name: str, lexicon: Lexicon) -> NameDescription:
    name = parse_field_name(raw_name, lexicon.vocabulary)
    leaf = _content(lexicon.expand(name.leaf), lexicon)
    context = _content(lexicon.expand(name.context), lexicon)
    filters = _content(lexicon.expand(name.filters), lexicon)

    if not leaf or all(token in lexicon.generic_leaves for token in name.leaf):
        # ``phones[0].value`` or ``manager.value``: the parent segment names the field.
        leaf, context = context or leaf, ()

    tokens = tuple(dict.fromkeys((*context, *filters, *leaf)))
    return NameDescription(
        tokens=tokens,
        leaf=leaf,
        context=context,
        compact=_NON_ALPHANUMERIC.sub("", raw_name.rsplit(".", 1)[-1].lower()),
        concept=_concept(leaf, context, lexicon),
        qualifiers=lexicon.qualifier_groups(tokens),
        modifiers=frozenset(tokens) & lexicon.modifiers,
    )


def _content(tokens: tuple[str, ...], lexicon: Lexicon) -> tuple[str, ...]:
    return tuple(token for token in tokens if token and token not in lexicon.stopwords)


def _concept(leaf: tuple[str, ...], context: tuple[str, ...], lexicon: Lexicon) -> str | None:
    """Look the name up as a whole, then without qualifiers, then by its longest known suffix.

    Suffixes are two words or more, because a single trailing word such as ``name`` in
    ``last_order_name`` is too vague to identify the field.
    """
    unqualified = tuple(token for token in leaf if token not in lexicon.qualifiers)
    for phrase in ((*context, *leaf), leaf, unqualified):
        concept = lexicon.concept(phrase) if phrase else None
        if concept:
            return concept

    for start in range(1, len(leaf) - 1):
        concept = lexicon.concept(leaf[start:])
        if concept:
            return concept
    return None
