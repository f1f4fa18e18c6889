"""Suggest field mappings and classify provider errors with trained models."""

from nova.errors import CATEGORIES, Classification, classify_error, classify_errors

__all__ = ["CATEGORIES", "Classification", "classify_error", "classify_errors"]
