"""Alembic migration environment (shipped inside the package so installed apps can migrate)."""
