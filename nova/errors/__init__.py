"""Classify provider errors into Nova's taxonomy and recommend a fix."""

from nova.errors.classifier import (
    Classification,
    ErrorClassifier,
    RunnerUp,
    classify_error,
    classify_errors,
    classify_stored_error,
)
from nova.errors.storage import ModelNotFoundError
from nova.errors.taxonomy import CATEGORIES, Category, get_category

__all__ = [
    "CATEGORIES",
    "Category",
    "Classification",
    "ErrorClassifier",
    "ModelNotFoundError",
    "RunnerUp",
    "classify_error",
    "classify_errors",
    "classify_stored_error",
    "get_category",
]
