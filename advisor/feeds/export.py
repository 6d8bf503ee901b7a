"""Writing a feed: the latest stored price per item and condition, as JSON or CSV (by file suffix).

This is how a team publishes its own price list: `prices export prices.json` on the maintainer's machine,
put the file on any web server, and everyone adds it as a source. Prices are written in USD (the
database's unit; the original currency stays in the exporter's history). The file is written to a temp
file in the same folder and renamed, so a reader never sees half a feed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session, col, select

from advisor.atomic import atomic_write
from advisor.csv_safe import neutralise
from advisor.db.models import PricePoint
from advisor.errors import InputError
from advisor.feeds.records import FEED_FORMAT, ITEM_FIELDS
from advisor.feeds.resolve import PRICED_TABLES


def latest_price_items(engine: sa.Engine) -> list[dict[str, object]]:
    """Feed items (dicts in ITEM_FIELDS order) for the latest price of every item and condition."""
    names: dict[tuple[str, str], str] = {}
    latest: dict[tuple[str, str, str], PricePoint] = {}
    with Session(engine) as session:
        for kind, table in PRICED_TABLES.items():
            for row in session.exec(select(table)).all():
                names[(kind, row.id)] = row.name
        for point in session.exec(
            select(PricePoint)
            .where(col(PricePoint.retracted_by).is_(None))  # a point the user removed is not exported
            .order_by(col(PricePoint.observed_at), col(PricePoint.id))
        ):
            latest[(point.item_kind, point.item_id, point.condition)] = point
    items: list[dict[str, object]] = []
    for (kind, item_id, condition), point in sorted(latest.items()):
        # Export the catalog id as name: ids are unique and every catalog resolves them.
        if (kind, item_id) not in names:
            continue  # a price of an item since deleted from the catalog
        items.append(
            {
                "kind": kind,
                "name": item_id,
                "price": round(point.price_usd, 2),
                "currency": "USD",
                "condition": condition,
                "vendor": point.vendor,
                "url": point.url,
                "observed_at": point.observed_at.date().isoformat(),
            }
        )
    return items


def export_feed(engine: sa.Engine, path: Path, *, publisher: str = "Rig Advisor export") -> int:
    """Write the latest prices to ``path`` (.json or .csv); returns the number of items written."""
    suffix = path.suffix.lower()
    if suffix not in (".json", ".csv"):
        raise InputError("export file must end in .json or .csv", field=str(path))
    if not path.parent.is_dir():
        raise InputError(f"folder {path.parent} does not exist", field=str(path))
    items = latest_price_items(engine)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    if suffix == ".json":
        doc = {
            "format": FEED_FORMAT,
            "publisher": publisher,
            "published_at": now.isoformat().replace("+00:00", "Z"),
            "currency": "USD",
            "items": items,
        }
        text = json.dumps(doc, indent=1, ensure_ascii=False) + "\n"
    else:
        buffer = io.StringIO()
        buffer.write(f"# format: {FEED_FORMAT}\n# publisher: {' '.join(publisher.split())}\n")
        buffer.write(f"# published_at: {now.isoformat().replace('+00:00', 'Z')}\n# currency: USD\n")
        writer = csv.DictWriter(buffer, fieldnames=list(ITEM_FIELDS), lineterminator="\n")
        writer.writeheader()
        # feed text comes from strangers: no cell may run as a spreadsheet formula (OWASP CSV injection)
        writer.writerows({k: neutralise(v) for k, v in item.items()} for item in items)
        text = buffer.getvalue()
    with atomic_write(path, encoding="utf-8", newline="") as fh:
        fh.write(text)
    return len(items)
