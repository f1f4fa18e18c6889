"""Explain a pair's score: which signal groups raised or lowered it, in words a reviewer reads.

Each group of features (name similarity, lexicon, qualifiers, ...) is set to values that carry
no evidence, and the pair is scored again. The drop in score is that group's effect. All rows
go to the model in one batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from nova.mapping.describe import FieldDescription
from nova.mapping.features import FEATURE_GROUPS, FEATURE_NAMES, NEUTRAL_VALUES
from nova.mapping.model import PairModel

__all__ = ["Signal", "explain_pairs"]

_COLUMN = {name: index for index, name in enumerate(FEATURE_NAMES)}
_MIN_EFFECT = 0.01
_MAX_SIGNALS = 4


@dataclass(frozen=True)
class Signal:
    """One reason behind a score: the signal group, its effect on the score, and a sentence."""

    signal: str
    effect: float
    detail: str

    def to_dict(self) -> dict[str, str | float]:
        return {"signal": self.signal, "effect": round(self.effect, 3), "detail": self.detail}


def explain_pairs(
    model: PairModel,
    features: np.ndarray,
    pairs: Sequence[tuple[FieldDescription, FieldDescription]],
    scores: np.ndarray | None = None,
) -> list[list[Signal]]:
    """Return the strongest signals, largest effect first, for each (target, source) row.

    ``scores`` are the rows' scores when the caller already has them.
    """
    if len(pairs) == 0:
        return []

    groups = list(FEATURE_GROUPS)
    variants = np.repeat(features, len(groups), axis=0)
    for offset, group in enumerate(groups):
        for name in FEATURE_GROUPS[group]:
            variants[offset::len(groups), _COLUMN[name]] = NEUTRAL_VALUES[name]

    full = model.score(features) if scores is None else scores
    without = model.score(variants).reshape(len(pairs), len(groups))

    explanations = []
    for row, (target, source) in enumerate(pairs):
        effects = full[row] - without[row]
        order = np.argsort(-np.abs(effects))
        value = dict(zip(FEATURE_NAMES, features[row].tolist(), strict=True))
        signals = [
            Signal(groups[i], float(effects[i]), _detail(groups[i], value, target, source))
            for i in order[:_MAX_SIGNALS]
            if abs(effects[i]) >= _MIN_EFFECT
        ]
        explanations.append(signals)
    return explanations


def _detail(group: str, value: dict[str, float], target: FieldDescription,
            source: FieldDescription) -> str:
    t, s = target.field.name, source.field.name

    if group == "name":
        return _name_detail(value, target, source)
    if group == "lexicon":
        return _lexicon_detail(value, target, source)
    if group == "qualifiers":
        return _qualifier_detail(value, target, source)
    if group == "modifiers":
        words = sorted(target.modifiers ^ source.modifiers)
        return f"'{', '.join(words)}' changes the meaning of one name but not the other" \
            if words else "neither name carries a meaning-changing word such as consent or opt"
    if group == "path":
        return "the path context matches" if value["context_overlap"] > 0 \
            else "the path context does not match"
    if group == "type":
        return _type_detail(value["type_compatibility"], target, source)
    if group == "values":
        return _value_detail(value, target, source)
    if value["best_for_target"] and value["best_for_source"]:
        return f"'{s}' and '{t}' are each other's closest names"
    return f"another field is a closer name for '{t}' or '{s}'"


def _name_detail(value: dict[str, float], target: FieldDescription,
                 source: FieldDescription) -> str:
    """Describe how alike two names are by character edits, and when one's words are a subset.

    The token-set score reaches 100% whenever one name's words all occur in the other
    ('email' and 'work email'), so that case is reported as containment, not as likeness.
    """
    names = f"('{target.text}' and '{source.text}')"
    alike = f"names are {value['name_ratio']:.0%} alike after normalisation {names}"
    if value["name_token_set"] >= 0.999 and target.text != source.text:
        shorter, longer = sorted((target.text, source.text), key=len)
        return f"{alike}; every word of '{shorter}' is in '{longer}'"
    return alike


def _lexicon_detail(value: dict[str, float], target: FieldDescription,
                    source: FieldDescription) -> str:
    if value["concept_match"]:
        return f"the lexicon reads both as {target.concept}"
    if value["concept_conflict"]:
        return (f"the lexicon reads '{target.field.name}' as {target.concept} but "
                f"'{source.field.name}' as {source.concept}")
    return "the lexicon links neither name to the other"


def _qualifier_detail(value: dict[str, float], target: FieldDescription,
                      source: FieldDescription) -> str:
    if value["qualifier_conflict"]:
        return (f"qualifiers differ: {', '.join(sorted(target.qualifiers))} against "
                f"{', '.join(sorted(source.qualifiers))}")
    if value["qualifier_match"]:
        return f"both are {', '.join(sorted(target.qualifiers & source.qualifiers))}"
    only = sorted(target.qualifiers ^ source.qualifiers)
    if only:
        return f"only one name is qualified as {', '.join(only)}"
    return "neither name is qualified (work, personal, mobile, ...)"


def _type_detail(score: float, target: FieldDescription, source: FieldDescription) -> str:
    types = f"{source.field.type or 'untyped'} and {target.field.type or 'untyped'}"
    if score >= 1.0:
        return f"types agree ({types})"
    if score >= 0.5:
        return f"types are compatible ({types})"
    return f"types conflict ({types})"


def _value_detail(value: dict[str, float], target: FieldDescription,
                  source: FieldDescription) -> str:
    kind = source.value_kind
    if source.value.date_format:
        kind = f"{kind} ({source.value.date_format})"
    if value["value_conflict"]:
        return (f"'{source.field.name}' holds {kind} values but '{target.field.name}' expects "
                f"{target.expected_kind}")
    if value["value_match"]:
        return f"'{source.field.name}' holds {kind} values, as '{target.field.name}' expects"
    if not value["has_samples"]:
        return f"no sample values for '{source.field.name}'"
    return f"sample values of '{source.field.name}' look like {kind}"
