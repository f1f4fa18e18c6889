"""Describe one field for matching: normalised tokens, lexicon concept, qualifiers, value kind."""

from __future__ import annotations

import re
from dataclasses import dataclass

from nova.mapping.lexicon import Lexicon
from nova.mapping.names import parse_field_name
from nova.mapping.sources import Field
from nova.mapping.values import ValueProfile, profile_values

__all__ = ["FieldDescription", "describe_field"]

# Declared types specific enough to say what values a field holds; "string" and "any" are not.
SPECIFIC_TYPES = frozenset({
    "email", "phone", "url", "uuid", "date", "datetime", "time", "boolean", "integer", "number",
})
_NON_ALPHANUMERIC = re.compile(r"[^a-z0-9]")


@dataclass(frozen=True)
class FieldDescription:
    """Everything the features read about one field."""

    field: Field
    tokens: tuple[str, ...]
    leaf: tuple[str, ...]
    context: tuple[str, ...]
    compact: str
    concept: str | None
    qualifiers: frozenset[str]
    modifiers: frozenset[str]
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


def describe_field(field: Field, lexicon: Lexicon) -> FieldDescription:
    """Normalise a field's name with the lexicon and profile its samples."""
    name = parse_field_name(field.name, lexicon.vocabulary)
    leaf = _content(lexicon.expand(name.leaf), lexicon)
    context = _content(lexicon.expand(name.context), lexicon)
    filters = _content(lexicon.expand(name.filters), lexicon)

    if not leaf or all(token in lexicon.generic_leaves for token in name.leaf):
        # ``phones[0].value`` or ``manager.value``: the parent segment names the field.
        leaf, context = context or leaf, ()

    tokens = tuple(dict.fromkeys((*context, *filters, *leaf)))
    concept = _concept(leaf, context, lexicon)
    expected = field.type if field.type in SPECIFIC_TYPES else None
    if expected is None and concept is not None:
        expected = lexicon.expected_kinds.get(concept)

    return FieldDescription(
        field=field,
        tokens=tokens,
        leaf=leaf,
        context=context,
        compact=_NON_ALPHANUMERIC.sub("", field.name.rsplit(".", 1)[-1].lower()),
        concept=concept,
        qualifiers=lexicon.qualifier_groups(tokens),
        modifiers=frozenset(tokens) & lexicon.modifiers,
        value=profile_values(field.samples),
        expected_kind=expected,
    )


def _content(tokens: tuple[str, ...], lexicon: Lexicon) -> tuple[str, ...]:
    return tuple(token for token in tokens if token and token not in lexicon.stopwords)


def _concept(leaf: tuple[str, ...], context: tuple[str, ...], lexicon: Lexicon) -> str | None:
    """Look the name up as a whole, then without qualifiers, then by its longest known suffix.

    Suffixes are two words or more, because a single trailing word such as ``name`` in
    ``last_order_name`` tells too little about the field.
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
