"""Validate, coerce and infer the schema of integration payloads."""
