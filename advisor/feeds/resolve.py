"""Feed item names -> catalog items (hardware / host / system rows) through the catalog's Resolver.

Resolution is advisor.catalog.resolve.Resolver's (case, spacing, punctuation and vendor words such as
"NVIDIA GeForce" ignored; a memory suffix dropped when that is unambiguous), over the rows in the database
(so user-added items resolve too). Names that do not resolve get the closest catalog items as
suggestions, for the user to map: a feed name is never guessed silently.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, select

from advisor.catalog.resolve import Resolver, normalise
from advisor.db.models import Accelerator, CatalogRow, Host, System

# PricePoint.item_kind -> catalog table
PRICED_TABLES: dict[str, type[CatalogRow]] = {"hardware": Accelerator, "host": Host, "system": System}


def name_key(name: str) -> str:
    """The comparison form of a name (the catalog's normalisation).

    >>> name_key("NVIDIA GeForce RTX-4090 ") == name_key("rtx 4090")
    True
    """
    return normalise(name)


@dataclass(frozen=True)
class CatalogItem:
    kind: str  # PricePoint.item_kind
    id: str
    name: str


class CatalogNames:
    """Every priced catalog item, one Resolver per kind; loaded once per diff."""

    def __init__(self, items: list[tuple[CatalogItem, list[str]]]) -> None:
        self.by_id: dict[tuple[str, str], CatalogItem] = {(item.kind, item.id): item for item, _ in items}
        self._resolvers = {
            kind: Resolver(
                [(item.id, item.name, aliases) for item, aliases in items if item.kind == kind], kind=kind
            )
            for kind in PRICED_TABLES
        }
        self._by_name = {(item.kind, item.name): item for item, _ in items}

    @classmethod
    def load(cls, engine: sa.Engine) -> CatalogNames:
        items: list[tuple[CatalogItem, list[str]]] = []
        with Session(engine) as session:
            for kind, table in PRICED_TABLES.items():
                for row in session.exec(select(table)).all():
                    items.append((CatalogItem(kind, row.id, row.name), list(row.aliases or [])))
        return cls(items)

    def resolve(self, kind: str, name: str) -> CatalogItem | None:
        """The item of ``kind`` that ``name`` (or an alias, or the id) names; None if unknown."""
        resolver = self._resolvers.get(kind)
        found = resolver.get(name) if resolver else None
        return self.by_id.get((kind, found)) if found else None

    def get(self, kind: str, item_id: str) -> CatalogItem | None:
        return self.by_id.get((kind, item_id))

    def suggestions(self, kind: str, name: str, limit: int = 3) -> tuple[CatalogItem, ...]:
        """The closest catalog items of ``kind`` by name (for "did you mean" and mapping)."""
        resolver = self._resolvers.get(kind)
        if resolver is None:
            return ()
        close = resolver.closest(name, n=limit)
        return tuple(self._by_name[(kind, n)] for n in close if (kind, n) in self._by_name)
