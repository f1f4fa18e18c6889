"""Suggest a target-to-source field mapping with ranked candidates and explanations."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from nova.mapping.assignment import assign, rank_candidates
from nova.mapping.describe import FieldDescription, describe_fields
from nova.mapping.explain import Signal, explain_pairs
from nova.mapping.features import pair_features
from nova.mapping.lexicon import load_lexicon
from nova.mapping.model import PairModel, load_model, one_thread
from nova.mapping.sources import source_fields, target_fields

__all__ = ["Candidate", "MappingSuggestion", "TargetSuggestion", "suggest_mapping"]

CANDIDATE_LIMIT = 5
# Candidates scoring below this are noise and are left out of the ranked list.
CANDIDATE_FLOOR = 0.01


@dataclass(frozen=True)
class Candidate:
    """A source field that could fill a target, with its calibrated score in [0, 1]."""

    source: str
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "score": self.score}


@dataclass(frozen=True)
class TargetSuggestion:
    """The suggestion for one target field and why it was made."""

    target: str
    source: str | None
    score: float
    auto_accept: bool
    candidates: tuple[Candidate, ...]
    explanation: tuple[Signal, ...]
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "score": self.score,
            "auto_accept": self.auto_accept,
            "reason": self.reason,
            "explanation": [signal.to_dict() for signal in self.explanation],
        }


@dataclass(frozen=True)
class MappingSuggestion:
    """A one-to-one mapping from every target field to a source field or ``None``."""

    mapping: dict[str, str | None]
    suggestions: dict[str, TargetSuggestion]
    unmapped_targets: list[str]
    unmapped_sources: list[str]
    suggest_threshold: float
    auto_accept_threshold: float
    candidates: dict[str, list[Candidate]] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "candidates", {
            target: list(suggestion.candidates) for target, suggestion in self.suggestions.items()
        })

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON shape of ``POST /nova/v1/mapping/suggest``."""
        return {
            "suggested_mapping": dict(self.mapping),
            "suggestions": {t: s.to_dict() for t, s in self.suggestions.items()},
            "candidates": {t: [c.to_dict() for c in cs] for t, cs in self.candidates.items()},
            "unmapped_targets": list(self.unmapped_targets),
            "unmapped_sources": list(self.unmapped_sources),
            "thresholds": {"suggest": self.suggest_threshold,
                           "auto_accept": self.auto_accept_threshold},
        }


def suggest_mapping(
    source: Any, target: Any, *, samples: Any = None, model: PairModel | None = None
) -> MappingSuggestion:
    """Suggest which source field fills each target field.

    ``source`` is a list of field names or field objects (``name``, ``type``, ``samples``), or
    one sample record whose nested keys become dot paths. ``target`` is a list of names or
    field objects, or a compact schema. ``samples`` adds sample values, as a dict of source
    field name to values or as a list of sample records. Raises ``MappingInputError`` (a
    ``ValueError``) naming the problem when an argument cannot be read.
    """
    lexicon = load_lexicon()
    model = model or load_model()
    sources = describe_fields(source_fields(source, samples), lexicon)
    targets = describe_fields(target_fields(target), lexicon)

    with one_thread():
        features = pair_features(targets, sources)
        scores = model.score(features).reshape(len(targets), len(sources))
        chosen = assign(scores, model.suggest_threshold)

        explained = [(t, chosen.get(t, int(np.argmax(scores[t])))) for t in range(len(targets))]
        rows = [t * len(sources) + s for t, s in explained]
        pairs = [(targets[t], sources[s]) for t, s in explained]
        explanations = explain_pairs(model, features[rows], pairs, scores.ravel()[rows])

    ranked = rank_candidates(scores, CANDIDATE_LIMIT)
    suggestions = {}
    for t, target_description in enumerate(targets):
        s = chosen.get(t)
        score = _rounded(scores[t, s]) if s is not None else 0.0
        suggestions[target_description.field.name] = TargetSuggestion(
            target=target_description.field.name,
            source=sources[s].field.name if s is not None else None,
            score=score,
            auto_accept=s is not None and score >= model.auto_accept_threshold,
            candidates=tuple(Candidate(sources[i].field.name, _rounded(scores[t, i]))
                             for i in ranked[t] if scores[t, i] >= CANDIDATE_FLOOR),
            explanation=tuple(explanations[t]),
            reason=_reason(t, chosen, scores, sources, explained[t][1], model),
        )

    mapping = {name: suggestion.source for name, suggestion in suggestions.items()}
    used = set(chosen.values())
    return MappingSuggestion(
        mapping=mapping,
        suggestions=suggestions,
        unmapped_targets=[name for name, source_name in mapping.items() if source_name is None],
        unmapped_sources=[d.field.name for i, d in enumerate(sources) if i not in used],
        suggest_threshold=model.suggest_threshold,
        auto_accept_threshold=model.auto_accept_threshold,
    )


def _rounded(value: float) -> float:
    return round(float(value), 4)


def _reason(target: int, chosen: dict[int, int], scores: np.ndarray,
            sources: list[FieldDescription], best: int, model: PairModel) -> str:
    best_name = sources[best].field.name
    best_score = _rounded(scores[target, best])
    if target in chosen:
        verdict = "auto-accept" if best_score >= model.auto_accept_threshold else "review"
        return f"'{best_name}' scores {best_score:.2f} ({verdict})"
    if best_score >= model.suggest_threshold:
        return (f"the closest source '{best_name}' ({best_score:.2f}) fits another target "
                "better")
    return (f"no source scores {model.suggest_threshold:.2f} or more; the closest is "
            f"'{best_name}' ({best_score:.2f})")
