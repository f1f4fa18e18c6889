"""The SyncToScale HTTP service: API, storage, workflow engine and connectors."""

__version__ = "0.1.0"
