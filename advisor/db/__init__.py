"""The database: SQLModel tables, opening + migrating + seeding, and the record functions the UI/CLI use.

    >>> from advisor.db import open_database, list_records
    >>> engine = open_database("sqlite://")          # in memory, migrated and seeded
    >>> [m.name for m in list_records(engine, "models")][:1]  # doctest: +SKIP

Submodules: models (tables), database (URL, open, session), migrate (Alembic), seed (catalog
first load / upgrade), records (list/save/delete records and scenarios), catalog_load (rows -> Catalog).
"""

from __future__ import annotations

from advisor.db.catalog_load import load_catalog
from advisor.db.database import database_url, open_database, session
from advisor.db.records import (
    delete_record,
    delete_scenario,
    get_record,
    get_scenario,
    list_records,
    list_scenarios,
    save_record,
    save_scenario,
)

__all__ = [
    "database_url",
    "delete_record",
    "delete_scenario",
    "get_record",
    "get_scenario",
    "list_records",
    "list_scenarios",
    "load_catalog",
    "open_database",
    "save_record",
    "save_scenario",
    "session",
]
