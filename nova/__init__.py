"""Suggest field mappings and classify provider errors with trained models."""

from nova.mapping import MappingSuggestion, suggest_mapping

__all__ = ["MappingSuggestion", "suggest_mapping"]
