"""Suggest field mappings and classify provider errors with trained models."""

from nova.errors import CATEGORIES, Classification, classify_error, classify_errors
from nova.mapping import MappingSuggestion, suggest_mapping

__all__ = [
    "CATEGORIES",
    "Classification",
    "MappingSuggestion",
    "classify_error",
    "classify_errors",
    "suggest_mapping",
]
