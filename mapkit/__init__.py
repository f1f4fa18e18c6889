"""Validate, coerce and infer the schema of integration payloads.

>>> result = validate({"start_date": "12/01/2025"}, {"start_date": "date"})
>>> result.valid, result.issues[0].code, result.issues[0].suggestion
(False, 'ambiguous_date', ['2025-12-01', '2025-01-12'])
"""

from mapkit.api import coerce, validate
from mapkit.compiled import Validator, compile
from mapkit.detection import DateFormatGuess, detect_date_format
from mapkit.errors import CoercionError, SchemaError
from mapkit.inference import FieldProfile, SchemaProfile, infer_schema, profile
from mapkit.issues import ISSUE_CODES, Issue, ValidationResult
from mapkit.jsontext import validate_json

__all__ = [
    "ISSUE_CODES",
    "CoercionError",
    "DateFormatGuess",
    "FieldProfile",
    "Issue",
    "SchemaError",
    "SchemaProfile",
    "ValidationResult",
    "Validator",
    "coerce",
    "compile",
    "detect_date_format",
    "infer_schema",
    "profile",
    "validate",
    "validate_json",
]
