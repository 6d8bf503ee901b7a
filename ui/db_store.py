"""The store over the database (advisor.db): every save and delete is one transaction there.

Records are cached per kind after the first read and refreshed after each write, so the live recompute
never waits for the database. A save is validated first (InputError names the field) and nothing is
written when it fails.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from advisor import db
from ui.store import RECORD_TYPES, MemoryStore, record_key, validate_record


class DbStore(MemoryStore):
    """MemoryStore whose writes go to the database first."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine
        super().__init__({kind: self._read(kind) for kind in RECORD_TYPES})
        self.description = db.database.describe(engine.url)

    @classmethod
    def open(cls, url: str | None = None) -> DbStore:
        return cls(db.open_database(url))

    def _read(self, kind: str) -> list[BaseModel]:
        if kind == "scenarios":
            return list(db.list_scenarios(self.engine))
        return list(db.list_records(self.engine, kind))

    def save(self, kind: str, record: BaseModel, replace_key: str | None = None) -> None:
        record = validate_record(kind, record.model_dump())
        key = record_key(record)
        if kind == "scenarios":
            db.save_scenario(self.engine, record)  # type: ignore[arg-type]
            if replace_key and replace_key != key:
                db.delete_scenario(self.engine, replace_key)
        else:
            db.save_record(self.engine, kind, record)
            if replace_key and replace_key != key:
                db.delete_record(self.engine, kind, replace_key)
        self._records[kind] = self._read(kind)
        self._changed(kind)

    def delete(self, kind: str, key: str) -> None:
        if kind == "scenarios":
            db.delete_scenario(self.engine, key)
        else:
            db.delete_record(self.engine, kind, key)
        self._records[kind] = self._read(kind)
        self._changed(kind)

    def reload(self) -> None:
        """Re-read every kind (after a price feed was applied outside the store) and tell listeners."""
        for kind in RECORD_TYPES:
            self._records[kind] = self._read(kind)
            self._changed(kind)
