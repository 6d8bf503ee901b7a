"""Price history data for the Price history page (no Qt): priced items, their points and import batches.

Over the database (a store with an `engine`) the points come from advisor.feeds.price_history, so each one
carries its import batch; over the in-memory sample they come from the records' `prices` and have no batch
(nothing there can be rolled back).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from advisor.app.store import MemoryStore, record_key

# store kind -> PricePoint.item_kind (advisor.feeds)
FEED_KIND = {"hardware": "hardware", "hosts": "host", "systems": "system"}
CONDITIONS = ("new", "used", "refurb")  # plotted; rental rates (USD per GPU-hour) are listed, not plotted


@dataclass(frozen=True)
class PricedItem:
    kind: str  # store kind: hardware | hosts | systems
    id: str
    name: str

    @property
    def label(self) -> str:
        return f"{self.name}  [{self.kind}]"


@dataclass(frozen=True)
class HistoryRow:
    """One stored observation [USD]; batch_id None for the in-memory sample."""

    item: PricedItem
    observed_at: dt.datetime  # UTC
    price_usd: float
    condition: str
    vendor: str
    source: str
    url: str = ""
    batch_id: int | None = None
    point_id: int | None = None  # the stored row (an edit or a delete names it); None for the sample
    currency: str = "USD"  # as quoted
    price_original: float | None = None  # the quoted price in that currency

    def as_dict(self, batch: Batch | None = None) -> dict[str, Any]:
        """The table row (DictTableModel keys)."""
        return {
            "observed_at": self.observed_at.date().isoformat(),
            "kind": self.item.kind,
            "item": self.item.name,
            "price_usd": self.price_usd,
            "condition": self.condition,
            "vendor": self.vendor,
            "source": self.source,
            "batch": "" if self.batch_id is None else self.batch_id,
            "batch_kind": batch.kind if batch else "",
            "url": self.url,
            "point": "" if self.point_id is None else self.point_id,
        }


@dataclass(frozen=True)
class Batch:
    """An import batch: kind is seed | feed | import | ...; only non-seed, live batches can be rolled back."""

    id: int
    kind: str
    source_name: str
    created_at: dt.datetime
    rolled_back: bool

    @property
    def can_roll_back(self) -> bool:
        return self.kind != "seed" and not self.rolled_back

    def describe(self) -> str:
        return f"batch {self.id} ({self.kind}) from {self.source_name}, {self.created_at:%Y-%m-%d %H:%M} UTC"


def _utc(value: dt.date | dt.datetime) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)


def has_database(store: MemoryStore) -> bool:
    return getattr(store, "engine", None) is not None


def priced_items(store: MemoryStore) -> list[PricedItem]:
    """Hardware, hosts and systems of the catalog, by name (items without prices included: a feed may add)."""
    items = [
        PricedItem(kind, record_key(rec), str(getattr(rec, "name", record_key(rec))))
        for kind in FEED_KIND
        for rec in store.records(kind)
    ]
    return sorted(items, key=lambda i: (i.name.lower(), i.kind))


def item_history(store: MemoryStore, item: PricedItem) -> list[HistoryRow]:
    """Every stored price of `item`, oldest first."""
    engine = getattr(store, "engine", None)
    if engine is not None:
        from advisor.feeds import CatalogItem, price_history

        points = price_history(engine, CatalogItem(FEED_KIND[item.kind], item.id, item.name))
        urls = {  # HistoryPoint has no url; the record's points do (same observation, same price)
            (_utc(p.observed_at).date(), p.price_usd, p.condition, p.vendor): p.url
            for p in getattr(store.get(item.kind, item.id), "prices", [])
        }
        return [
            HistoryRow(
                item,
                _utc(p.observed_at),
                p.price_usd,
                p.condition,
                p.vendor,
                p.source,
                urls.get((p.observed_at.date(), p.price_usd, p.condition, p.vendor), ""),
                p.batch_id,
                p.point_id or None,
                p.currency,
                p.price_original,
            )
            for p in points
        ]
    rec = store.get(item.kind, item.id)
    rows = [
        HistoryRow(item, _utc(p.observed_at), p.price_usd, p.condition, p.vendor, p.source, p.url)
        for p in getattr(rec, "prices", [])
    ]
    return sorted(rows, key=lambda r: r.observed_at)


def batches(store: MemoryStore, limit: int = 10_000) -> dict[int, Batch]:
    """Import batches by id (empty for the in-memory sample)."""
    engine = getattr(store, "engine", None)
    if engine is None:
        return {}
    from advisor.feeds import list_batches

    return {
        b.id: Batch(b.id, b.kind, b.source_name, _utc(b.created_at), b.rolled_back_at is not None)
        for b in list_batches(engine, limit=limit)
    }


def roll_back(store: MemoryStore, batch: Batch) -> int:
    """Remove the batch's price points (advisor.feeds.rollback_batch) and reload the store; points removed.

    InputError for the seed batch or one already rolled back (the feeds layer checks again).
    """
    from advisor.errors import InputError

    engine = getattr(store, "engine", None)
    if engine is None:
        raise InputError("the in-memory sample has no import batches", field="batch")
    if not batch.can_roll_back:
        why = "it is the bundled seed catalog" if batch.kind == "seed" else "it was already rolled back"
        raise InputError(f"batch {batch.id} cannot be rolled back: {why}", field="batch")
    from advisor.feeds import rollback_batch

    removed = rollback_batch(engine, batch.id)
    reload = getattr(store, "reload", None)
    if reload is not None:
        reload()
    return removed
