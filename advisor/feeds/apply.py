"""Writing a diff: one transaction under one ImportBatch; rollback of one batch; price history.

Price points are appended, never updated: the history of an item is every observation ever applied,
and a batch can be taken back out exactly (its points are deleted, the batch row is kept and marked
``rolled_back_at`` for the record). Apply is all-or-nothing: a crash, a cancel or an error mid-way leaves
the database as it was (one transaction; SQLite WAL / PostgreSQL make that hold even if the process is
killed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, col, select

from advisor.db.models import FeedSource, ImportBatch, PricePoint, utc_now
from advisor.errors import InputError, NotFoundError
from advisor.feeds.diff import FeedDiff
from advisor.feeds.records import Feed, FeedCancelled
from advisor.feeds.resolve import CatalogItem, CatalogNames

INSERT_CHUNK = 2000  # rows per executemany: progress granularity without slowing the insert
SOURCE_MAX_CHARS = 300


@dataclass(frozen=True)
class ApplyResult:
    batch_id: int | None  # None when there was nothing to append
    points_added: int
    skipped_unknown: int
    skipped_stored: int


@dataclass(frozen=True)
class HistoryPoint:
    """One stored observation of an item [USD], oldest first in :func:`price_history`."""

    observed_at: dt.datetime
    price_usd: float
    currency: str
    price_original: float | None
    condition: str
    vendor: str
    source: str
    batch_id: int | None
    pinned: bool
    point_id: int = 0  # the row's id: what an edit or a delete names


@dataclass(frozen=True)
class BatchInfo:
    id: int
    created_at: dt.datetime
    kind: str
    source_name: str
    item_count: int
    note: str
    rolled_back_at: dt.datetime | None


def apply_diff(
    engine: sa.Engine,
    feed: Feed,
    diff: FeedDiff,
    *,
    source_name: str,
    batch_kind: str = "feed",
    content_hash: str | None = None,
    feed_source_id: int | None = None,
    http_cache: tuple[str | None, str | None] | None = None,
    progress_callback: Callable[[int, int], bool] | None = None,
    note: str = "",
    retract: Sequence[int] = (),
) -> ApplyResult:
    """Append ``diff.to_apply`` as price points under a new ImportBatch, in ONE transaction.

    ``retract``: ids of live price points the batch removes (a user's edit replaces one, a delete removes
    one and adds none); they stop counting until the batch is rolled back. NotFoundError names one that
    does not exist or was already removed.

    ``feed_source_id`` / ``http_cache`` (ETag, Last-Modified) update the FeedSource in the same
    transaction, so its validators only move when the feed was really applied. ``progress_callback(done,
    total)`` after each chunk; returning True cancels (everything is rolled back, FeedCancelled raised).
    """
    rows = diff.to_apply
    source = (f"feed: {feed.publisher}" if feed.publisher else f"feed: {source_name}")[:SOURCE_MAX_CHARS]
    with Session(engine) as session:
        try:
            batch_id = None
            if rows or retract:
                when = feed.published_at.date().isoformat() if feed.published_at else "undated"
                batch = ImportBatch(
                    kind=batch_kind,
                    source_name=source_name[:SOURCE_MAX_CHARS],
                    item_count=len(rows),
                    note=f"{feed.publisher or 'unknown publisher'}, published {when}: {diff.summary()}{note}",
                    content_hash=content_hash,
                    created_at=utc_now(),
                )
                session.add(batch)
                session.flush()
                batch_id = batch.id
                _insert_points(session, rows, batch_id, source, progress_callback)
                for point_id in retract:
                    point = session.get(PricePoint, point_id)
                    if point is None or point.retracted_by is not None:
                        raise NotFoundError(f"no live price point {point_id} (it was removed or replaced)",
                                            "price point")
                    point.retracted_by = batch_id
                    session.add(point)
            if feed_source_id is not None:
                feed_source = session.get(FeedSource, feed_source_id)
                if feed_source is not None:
                    feed_source.last_checked = utc_now()
                    if http_cache is not None:
                        feed_source.etag, feed_source.last_modified = http_cache
            session.commit()
        except BaseException:
            session.rollback()
            raise
    return ApplyResult(batch_id, len(rows), len(diff.unknown), len(diff.stored))


def _insert_points(session: Session, rows, batch_id, source, progress) -> None:  # type: ignore[no-untyped-def]
    values = [
        {
            "item_kind": change.target.kind,
            "item_id": change.target.id,
            "price_usd": change.item.price_usd,
            "currency": change.item.currency,
            "price_original": change.item.price,
            "condition": change.item.condition,
            "vendor": change.item.vendor,
            "url": change.item.url,
            "observed_at": change.item.observed_at,
            "source": source,
            "batch_id": batch_id,
            "pinned": False,
        }
        for change in rows
    ]
    for start in range(0, len(values), INSERT_CHUNK):
        # Core executemany, not ORM objects: 10,000 rows in well under a second.
        session.execute(sa.insert(PricePoint), values[start : start + INSERT_CHUNK])
        done = min(start + INSERT_CHUNK, len(values))
        if progress and progress(done, len(values)):
            raise FeedCancelled("apply cancelled; nothing was written")


MAX_BATCH_ID = 2**63 - 1  # SQLite INTEGER / PostgreSQL BIGINT


def rollback_batch(engine: sa.Engine, batch_id: int) -> int:
    """Delete exactly the price points of batch ``batch_id`` and mark the batch rolled back.

    Returns the number of points removed. Raises InputError for an unknown, seed or already rolled
    back batch.
    """
    if not 1 <= batch_id <= MAX_BATCH_ID:  # larger does not fit the database's 64-bit integer
        raise NotFoundError(f"no import batch {batch_id} (`prices batches` lists them)", "batch")
    with Session(engine) as session:
        batch = session.get(ImportBatch, batch_id)
        if batch is None:
            raise NotFoundError(
                f"no import batch {batch_id} (`prices batches` lists them)", "batch"
            )
        if batch.kind == "seed":
            raise InputError(
                f"batch {batch_id} is the bundled seed catalog; it cannot be rolled back", "batch"
            )
        if batch.rolled_back_at is not None:
            raise InputError(
                f"batch {batch_id} was already rolled back at {batch.rolled_back_at:%Y-%m-%d %H:%M}", "batch"
            )
        result = session.execute(sa.delete(PricePoint).where(col(PricePoint.batch_id) == batch_id))
        # the points this batch removed or replaced (a user's edit or delete) count again
        session.execute(sa.update(PricePoint).where(col(PricePoint.retracted_by) == batch_id)
                        .values(retracted_by=None))
        batch.rolled_back_at = utc_now()
        session.add(batch)
        session.commit()
        return int(result.rowcount or 0)  # type: ignore[attr-defined]


def list_batches(engine: sa.Engine, limit: int = 50) -> list[BatchInfo]:
    """The most recent import batches, newest first."""
    with Session(engine) as session:
        rows = session.exec(select(ImportBatch).order_by(col(ImportBatch.id).desc()).limit(limit)).all()
        return [
            BatchInfo(b.id or 0, b.created_at, b.kind, b.source_name, b.item_count, b.note, b.rolled_back_at)
            for b in rows
        ]


def resolve_item(engine: sa.Engine, name: str, names: CatalogNames | None = None) -> CatalogItem:
    """The priced catalog item ``name`` (or id / alias) refers to, any kind; NotFoundError with suggestions."""
    names = names or CatalogNames.load(engine)
    found = [hit for kind in ("hardware", "host", "system") if (hit := names.resolve(kind, name)) is not None]
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        kinds = ", ".join(f"{i.kind} {i.id}" for i in found)
        raise InputError(f"{name!r} is ambiguous ({kinds}); use the item id", "item")
    close = [s for kind in ("hardware", "host", "system") for s in names.suggestions(kind, name)]
    hint = f"; did you mean: {', '.join(s.name for s in close[:3])}?" if close else ""
    raise NotFoundError(f"no priced catalog item named {name!r}{hint}", "item")


def price_history(engine: sa.Engine, item: CatalogItem) -> list[HistoryPoint]:
    """Every stored observation of ``item``, oldest first (ties by insertion order)."""
    with Session(engine) as session:
        rows = session.exec(
            select(PricePoint)
            .where(PricePoint.item_kind == item.kind, PricePoint.item_id == item.id,
                   col(PricePoint.retracted_by).is_(None))
            .order_by(col(PricePoint.observed_at), col(PricePoint.id))
        ).all()
        return [
            HistoryPoint(
                observed_at=r.observed_at if r.observed_at.tzinfo else r.observed_at.replace(tzinfo=dt.UTC),
                price_usd=r.price_usd,
                currency=r.currency,
                price_original=r.price_original,
                condition=r.condition,
                vendor=r.vendor,
                source=r.source,
                batch_id=r.batch_id,
                pinned=r.pinned,
                point_id=r.id or 0,
            )
            for r in rows
        ]
