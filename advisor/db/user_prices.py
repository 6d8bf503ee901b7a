"""A price point the user enters by hand (desktop app, Price history > Add price point): appended as its own
import batch of kind "manual", so it shows in the history with its batch and rolls back like a feed.

Prices are history: this never changes or removes a stored point; rolling the batch back
(advisor.feeds.rollback_batch) removes exactly the point added here.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session

from advisor.catalog.schema import PricePoint
from advisor.db.convert import new_price_row
from advisor.db.models import CATALOG_TABLES, PRICED_KINDS, ImportBatch, utc_now
from advisor.errors import InputError

SOURCE_NAME = "entered by hand"


def add_price_point(engine: sa.Engine, kind: str, item_id: str, point: PricePoint) -> int:
    """Append `point` [USD] for the catalog item `kind`/`item_id` (kind: hardware | hosts | systems) as
    one new batch; returns the batch id. InputError (nothing written) for an unknown item or kind."""
    if kind not in PRICED_KINDS:
        raise InputError(f"{kind!r} has no prices (priced: {', '.join(sorted(PRICED_KINDS))})", field="kind")
    with Session(engine) as session:
        if session.get(CATALOG_TABLES[kind], item_id) is None:
            raise InputError(f"{item_id!r} is not in the {kind} catalog", field="item")
        batch = ImportBatch(
            kind="manual",
            source_name=SOURCE_NAME,
            item_count=1,
            note=f"{point.condition} price of {kind} {item_id}",
            created_at=utc_now(),
        )
        session.add(batch)
        session.flush()
        session.add(new_price_row(PRICED_KINDS[kind], item_id, point, batch.id))
        session.commit()
        assert batch.id is not None
        return batch.id
