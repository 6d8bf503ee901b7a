"""Where the catalog lives for the app layer: the database (DbStore) or records in memory (MemoryStore).

No Qt here. A store hands out validated catalog records (advisor.catalog.schema) by kind, saves and deletes
them, and tells listeners what changed. Saving validates first: a bad record raises InputError naming the field
and nothing is written.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ValidationError

from advisor import db
from advisor.catalog.schema import (
    ApiOfferRecord,
    HardwareRecord,
    HostRecord,
    ModelRecord,
    QuantRecord,
    ScenarioRecord,
    SystemRecord,
)
from advisor.errors import InputError

log = logging.getLogger(__name__)

RECORD_TYPES: dict[str, type[BaseModel]] = {
    "hardware": HardwareRecord,
    "hosts": HostRecord,
    "systems": SystemRecord,
    "models": ModelRecord,
    "quants": QuantRecord,
    "api_offers": ApiOfferRecord,
    "scenarios": ScenarioRecord,
}

Listener = Callable[[str], None]


def validate_record(kind: str, data: dict[str, Any]) -> BaseModel:
    """Build a record of `kind` from plain values; InputError(field=...) names the first bad field."""
    try:
        return RECORD_TYPES[kind].model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"]) or kind
        raise InputError(err["msg"], field=field) from None


def record_key(record: BaseModel) -> str:
    """The identity of a record: `id`, or `name` for scenarios."""
    return str(getattr(record, "id", None) or getattr(record, "name", ""))


class MemoryStore:
    """Records held in memory (the sample catalog, or whatever a test passes in)."""

    description = "in-memory sample catalog"

    def __init__(self, records: dict[str, list[BaseModel]] | None = None) -> None:
        if records is None:
            from advisor.app.sample import sample_records

            records = sample_records()
        self._records: dict[str, list[BaseModel]] = {k: list(records.get(k, [])) for k in RECORD_TYPES}
        self._listeners: list[Listener] = []
        self._catalog: Any = None  # advisor.catalog.Catalog over these records, rebuilt after a change

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def catalog(self) -> Any:
        """The records as an advisor.catalog.Catalog (the engine's lookups, with the catalog's name
        resolution), cached until the next change."""
        if self._catalog is None:
            from advisor.catalog import Catalog

            # the records were validated against these very schema types on the way in
            kinds = ("hardware", "hosts", "systems", "models", "quants", "api_offers")
            self._catalog = Catalog(**{kind: self._records[kind] for kind in kinds})  # type: ignore[arg-type]
        return self._catalog

    def _changed(self, kind: str) -> None:
        self._catalog = None
        for listener in list(self._listeners):
            listener(kind)

    def records(self, kind: str) -> list[BaseModel]:
        return list(self._records[kind])

    def get(self, kind: str, key: str) -> BaseModel | None:
        """By id (or scenario name), else by display name or alias, case-insensitively."""
        key_l = key.lower()
        for rec in self._records[kind]:
            if record_key(rec).lower() == key_l:
                return rec
        for rec in self._records[kind]:
            names = [str(getattr(rec, "name", "")), *getattr(rec, "aliases", [])]
            if key_l in (n.lower() for n in names):
                return rec
        return None

    def save(self, kind: str, record: BaseModel, replace_key: str | None = None) -> None:
        """Insert or replace (by `replace_key`, else the record's own key). The record is re-validated."""
        record = validate_record(kind, record.model_dump())
        self._write(kind, record, replace_key)
        self._changed(kind)

    def _write(self, kind: str, record: BaseModel, replace_key: str | None) -> None:
        key = replace_key or record_key(record)
        rows = self._records[kind]
        for i, rec in enumerate(rows):
            if record_key(rec) == key:
                rows[i] = record
                return
        rows.append(record)

    def delete(self, kind: str, key: str) -> None:
        self._delete(kind, key)
        self._changed(kind)

    def _delete(self, kind: str, key: str) -> None:
        self._records[kind] = [r for r in self._records[kind] if record_key(r) != key]

    def price_history(self) -> list[dict[str, Any]]:
        """Every price point of hardware, hosts and systems, newest first."""
        rows: list[dict[str, Any]] = []
        for kind in ("hardware", "hosts", "systems"):
            for rec in self._records[kind]:
                for p in getattr(rec, "prices", []):
                    rows.append(
                        {
                            "kind": kind,
                            "item": record_key(rec),
                            "price_usd": p.price_usd,
                            "condition": p.condition,
                            "vendor": p.vendor,
                            "observed_at": p.observed_at,
                            "source": p.source,
                            "url": p.url,
                        }
                    )
        rows.sort(key=lambda r: (str(r["observed_at"]), r["item"]), reverse=True)
        return rows


class DbStore(MemoryStore):
    """MemoryStore whose writes go to the database first (advisor.db): every save and delete is one
    transaction there.

    Records are cached per kind after the first read and refreshed after each write, so the live recompute
    never waits for the database. The engine's catalog is `advisor.db.load_catalog` -- the very snapshot the
    CLI computes with, so the app and the CLI answer from the same prices.
    """

    def __init__(self, engine: Any) -> None:
        self.engine = engine
        super().__init__({kind: self._read(kind) for kind in RECORD_TYPES})
        self.description = db.database.describe(engine.url)

    @classmethod
    def open(cls, url: str | None = None) -> DbStore:
        return cls(db.open_database(url))

    def catalog(self) -> Any:
        if self._catalog is None:
            self._catalog = db.load_catalog(self.engine)
        return self._catalog

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


def open_store(url: str | None = None) -> MemoryStore:
    """The database store (``url``, else RIG_ADVISOR_DB_URL, else the default file)."""
    return DbStore.open(url)


def recovery_message(store: MemoryStore) -> str | None:
    """What to tell the user when the default database was unusable and moved aside at start, else None."""
    engine = getattr(store, "engine", None)
    if engine is None:
        return None
    from advisor.db.recovery import recovery_of

    recovery = recovery_of(engine)
    return None if recovery is None else str(recovery.message())


def open_catalog(url: str | None = None) -> Any:
    """The user's catalog snapshot from the database (migrated and seeded on first use): what the CLI
    computes with, and what `DbStore.catalog()` returns in the app."""
    engine = db.open_database(url)
    try:
        return db.load_catalog(engine)
    finally:
        engine.dispose()
