"""Datasette metadata and canned queries for `govreports serve` (see crawler/serve.py)."""
