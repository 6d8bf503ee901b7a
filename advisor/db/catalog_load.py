"""Database rows -> advisor.catalog.Catalog, the in-memory snapshot the engine, UI and CLI look things up in.

Prices: every live price point (its import batch not rolled back, the point not removed by a user edit) goes in oldest first, so the catalog's
"latest price per item and condition" is the newest observation, and on the same day the row stored last
(a feed import beats the seed). Where the user pinned a price for an item and condition, only the pinned
point(s) of that pair go in, so the pinned price is the one every scenario uses.
"""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from sqlmodel import Session, col, select

from advisor.catalog import Catalog
from advisor.catalog.schema import PricePoint as PricePointRecord
from advisor.catalog.schema import ScenarioRecord
from advisor.db.convert import CATALOG_KINDS, price_row_to_point, row_to_record
from advisor.db.models import CATALOG_TABLES, ImportBatch, PricePoint, Scenario


def live_prices(session: Session) -> dict[str, list[PricePointRecord]]:
    """item id -> price points in catalog order (pinned ones replace the rest of their condition)."""
    rows = session.exec(
        select(PricePoint)
        .outerjoin(ImportBatch, col(PricePoint.batch_id) == col(ImportBatch.id))
        .where(col(ImportBatch.rolled_back_at).is_(None), col(PricePoint.retracted_by).is_(None))
        .order_by(col(PricePoint.observed_at), col(PricePoint.id))
    ).all()
    pinned = {(r.item_id, r.condition) for r in rows if r.pinned}
    out: dict[str, list[PricePointRecord]] = defaultdict(list)
    for row in rows:
        if (row.item_id, row.condition) in pinned and not row.pinned:
            continue
        out[row.item_id].append(price_row_to_point(row))
    return dict(out)


def load_catalog(engine: sa.Engine) -> Catalog:
    """A snapshot of the whole catalog in the database (records sorted by name, prices as above).

    Cost: one query per table plus one for prices (tens of ms for the bundled catalog).
    """
    with Session(engine) as session:
        records: dict[str, list] = {}
        for kind in CATALOG_KINDS:
            table = CATALOG_TABLES[kind]
            rows = session.exec(select(table).order_by(col(table.name), col(table.id))).all()
            records[kind] = [row_to_record(kind, row, []) for row in rows]
        scenarios = [
            ScenarioRecord.model_validate(row.body)
            for row in session.exec(select(Scenario).order_by(col(Scenario.name))).all()
        ]
        prices = live_prices(session)
    return Catalog(**records, scenarios=scenarios, prices=prices)
