"""Where the app's catalog lives: the database when advisor.db is there, otherwise an in-memory sample.

No Qt here. A store hands out validated catalog records (advisor.catalog.schema) by kind, saves and deletes
them, and tells listeners what changed. Saving validates first: a bad record raises InputError naming the field
and nothing is written.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ValidationError

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
            from ui.sample import sample_records

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


def open_store() -> MemoryStore:
    """The database-backed store when advisor.db provides one, else the seed catalog or the sample, in memory."""
    try:
        from ui.db_store import DbStore

        return DbStore.open()
    except ImportError as exc:  # advisor.db not there yet in this checkout
        log.info("no database store (%s); using the in-memory sample", exc)
    except InputError:
        raise
    return MemoryStore()
