"""Adapters: translate between the outside world (files, database, X12) and the core."""
