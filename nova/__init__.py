"""Suggest field mappings and classify provider errors with trained models."""
