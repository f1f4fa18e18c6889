"""Suggest which source field fills each target field, with scores and explanations."""

from nova.mapping.explain import Signal
from nova.mapping.model import ModelNotFoundError
from nova.mapping.sources import MappingInputError
from nova.mapping.suggest import Candidate, MappingSuggestion, TargetSuggestion, suggest_mapping

__all__ = [
    "Candidate",
    "MappingInputError",
    "MappingSuggestion",
    "ModelNotFoundError",
    "Signal",
    "TargetSuggestion",
    "suggest_mapping",
]
