"""Alembic revisions, numbered 0001, 0002, ..."""
