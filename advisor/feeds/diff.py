"""What applying a feed would change: new price points, changed prices (old/new/%), unchanged, unknown names.

Compared with the latest stored price of the same item and condition (what scenarios use): "changed" and
"unchanged" observations become the item's latest price; "new" ones are the first price of an item, or an
observation older than the latest stored one (history filled in; the current price stays). An observation
already stored (same item, condition, vendor, day and price to the cent) is "already stored" and is not
appended again, so applying the same feed twice adds nothing. Unknown names are listed with suggestions;
they are applied only once the user maps them to a catalog item (``mapping``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlmodel import Session, col

from advisor.db.models import PricePoint
from advisor.errors import InputError
from advisor.feeds.records import Feed, FeedInvalidError, FeedItem, Problem
from advisor.feeds.resolve import CatalogItem, CatalogNames, name_key

UNCHANGED_TOLERANCE_USD = 0.005  # below a cent the price is the same


@dataclass(frozen=True)
class PriceChange:
    """One feed item matched to a catalog item, compared with the latest stored price [USD]."""

    item: FeedItem
    target: CatalogItem
    status: str  # new | changed | unchanged | stored
    old_price_usd: float | None = None
    old_observed_at: dt.datetime | None = None

    @property
    def change_pct(self) -> float | None:
        """(new - old) / old x 100 [%]; None without an old price."""
        if self.old_price_usd is None:
            return None
        return (self.item.price_usd - self.old_price_usd) / self.old_price_usd * 100.0


@dataclass(frozen=True)
class UnknownItem:
    """A feed name no catalog item answers to; ``suggestions`` are the closest catalog items of its kind."""

    item: FeedItem
    suggestions: tuple[CatalogItem, ...]


@dataclass(frozen=True)
class FeedDiff:
    new: tuple[PriceChange, ...] = ()
    changed: tuple[PriceChange, ...] = ()
    unchanged: tuple[PriceChange, ...] = ()
    stored: tuple[PriceChange, ...] = ()  # identical observation already in the database: skipped
    unknown: tuple[UnknownItem, ...] = ()
    mapped: Mapping[str, str] = field(default_factory=dict)  # folded feed name -> item id the user chose

    @property
    def to_apply(self) -> tuple[PriceChange, ...]:
        """The price points an apply appends (new, changed and re-observed unchanged prices)."""
        return self.new + self.changed + self.unchanged

    def summary(self) -> str:
        return (
            f"{len(self.new)} new, {len(self.changed)} changed, {len(self.unchanged)} unchanged, "
            f"{len(self.stored)} already stored, {len(self.unknown)} unknown"
        )


def compute_diff(
    engine: sa.Engine,
    feed: Feed,
    *,
    mapping: Mapping[str, str] | None = None,
    names: CatalogNames | None = None,
) -> FeedDiff:
    """Compare ``feed`` with the database. ``mapping``: feed name -> catalog item id, for unknown names.

    Raises InputError if a mapping names an item id that does not exist, FeedInvalidError if two feed
    items turn out to be the same observation once their names are resolved.
    """
    names = names or CatalogNames.load(engine)
    folded_mapping = {name_key(k): v.strip() for k, v in (mapping or {}).items()}
    latest, stored_keys = _stored_prices(engine, {i.kind for i in feed.items})
    buckets: dict[str, list[PriceChange]] = {"new": [], "changed": [], "unchanged": [], "stored": []}
    unknown: list[UnknownItem] = []
    first_seen: dict[tuple, str] = {}
    duplicates: list[Problem] = []
    for item in feed.items:
        target = names.resolve(item.kind, item.name)
        mapped_id = folded_mapping.get(name_key(item.name))
        if mapped_id is not None:
            target = names.get(item.kind, mapped_id)
            if target is None:
                raise InputError(
                    f"no {item.kind} item with id {mapped_id!r} (mapping for {item.name!r})", "map"
                )
        if target is None:
            unknown.append(UnknownItem(item, names.suggestions(item.kind, item.name)))
            continue
        # Two spellings of one item ("RTX 4090", "GeForce RTX 4090") on the same day and vendor: a duplicate.
        same = (target.kind, target.id, item.condition, item.vendor.casefold(), item.observed_at.date())
        if same in first_seen:
            duplicates.append(
                Problem(
                    item.where, "name", f"duplicate of {first_seen[same]}: both are {target.kind} {target.id}"
                )
            )
            continue
        first_seen[same] = item.where
        key = (target.kind, target.id, item.condition)
        if _point_key(
            target.kind, target.id, item.condition, item.vendor, item.observed_at, item.price_usd
        ) in (stored_keys):
            buckets["stored"].append(PriceChange(item, target, "stored"))
            continue
        old = latest.get(key)
        if old is None or item.observed_at < old[1]:
            # No price yet, or an older observation filling in history: the current price stays.
            buckets["new"].append(PriceChange(item, target, "new"))
        else:
            status = "unchanged" if abs(item.price_usd - old[0]) < UNCHANGED_TOLERANCE_USD else "changed"
            buckets[status].append(PriceChange(item, target, status, old[0], old[1]))
    if duplicates:
        raise FeedInvalidError(duplicates)
    return FeedDiff(
        new=tuple(buckets["new"]),
        changed=tuple(buckets["changed"]),
        unchanged=tuple(buckets["unchanged"]),
        stored=tuple(buckets["stored"]),
        unknown=tuple(unknown),
        mapped=folded_mapping,
    )


def _point_key(
    kind: str, item_id: str, condition: str, vendor: str, when: dt.datetime, price_usd: float
) -> tuple:
    return (kind, item_id, condition, vendor.casefold(), when.date(), round(price_usd, 2))


def _stored_prices(
    engine: sa.Engine, kinds: set[str]
) -> tuple[dict[tuple[str, str, str], tuple[float, dt.datetime]], set[tuple]]:
    """Latest (price, observed_at) per (kind, id, condition), and the keys of every stored observation."""
    latest: dict[tuple[str, str, str], tuple[float, dt.datetime]] = {}
    keys: set[tuple] = set()
    if not kinds:
        return latest, keys
    query = (
        sa.select(
            col(PricePoint.item_kind),
            col(PricePoint.item_id),
            col(PricePoint.condition),
            col(PricePoint.vendor),
            col(PricePoint.observed_at),
            col(PricePoint.price_usd),
        )
        .where(col(PricePoint.item_kind).in_(sorted(kinds)), col(PricePoint.retracted_by).is_(None))
        .order_by(col(PricePoint.observed_at), col(PricePoint.id))
    )
    with Session(engine) as session:
        for kind, item_id, condition, vendor, observed_at, price_usd in session.execute(query):
            when = observed_at if observed_at.tzinfo else observed_at.replace(tzinfo=dt.UTC)
            latest[(kind, item_id, condition)] = (price_usd, when)  # ordered: the last one wins
            keys.add(_point_key(kind, item_id, condition, vendor, when, price_usd))
    return latest, keys
