"""Feed item names -> catalog items (hardware / host / system rows), case- and punctuation-insensitive.

A publisher writes "NVIDIA RTX-4090" where the catalog says "GeForce RTX 4090" with alias "RTX 4090":
names, ids and aliases are compared after folding case and dropping spaces and punctuation. Names that do
not resolve get the closest catalog names as suggestions, for the user to map (never guessed silently).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, select

from advisor.db.models import Accelerator, CatalogRow, Host, System

# PricePoint.item_kind -> catalog table
PRICED_TABLES: dict[str, type[CatalogRow]] = {"hardware": Accelerator, "host": Host, "system": System}

_NOT_ALNUM = re.compile(r"[^0-9a-z+]+")


def name_key(name: str) -> str:
    """The comparison form of a name.

    >>> name_key("GeForce RTX-4090 ") == name_key("geforce rtx 4090")
    True
    """
    return _NOT_ALNUM.sub("", name.casefold())


@dataclass(frozen=True)
class CatalogItem:
    kind: str  # PricePoint.item_kind
    id: str
    name: str


class CatalogNames:
    """Every priced catalog item by kind and folded name/id/alias, loaded once per diff."""

    def __init__(self, items: list[tuple[CatalogItem, list[str]]]) -> None:
        self.by_id: dict[tuple[str, str], CatalogItem] = {}
        self._by_key: dict[tuple[str, str], CatalogItem | None] = {}
        self._alias_keys: set[tuple[str, str]] = set()
        for item, _aliases in items:
            self.by_id[(item.kind, item.id)] = item
        # ids and names first, aliases after: an alias never shadows another item's own name
        for item, _ in items:
            for text in (item.id, item.name):
                self._add(item, text, alias=False)
        for item, aliases in items:
            for text in aliases:
                self._add(item, text, alias=True)

    def _add(self, item: CatalogItem, text: str, *, alias: bool) -> None:
        key = (item.kind, name_key(text))
        if not key[1]:
            return
        if key not in self._by_key:
            self._by_key[key] = item
            if alias:
                self._alias_keys.add(key)
        elif self._by_key[key] != item and (not alias or key in self._alias_keys):
            # Two items under one folded name (or one alias): resolve neither; the user maps it.
            self._by_key[key] = None
        # Otherwise an alias never shadows a name or id another item already has.

    @classmethod
    def load(cls, engine: sa.Engine) -> CatalogNames:
        items: list[tuple[CatalogItem, list[str]]] = []
        with Session(engine) as session:
            for kind, table in PRICED_TABLES.items():
                for row in session.exec(select(table)).all():
                    items.append((CatalogItem(kind, row.id, row.name), list(row.aliases or [])))
        return cls(items)

    def resolve(self, kind: str, name: str) -> CatalogItem | None:
        """The one item of ``kind`` that ``name`` (or an alias, or the id) names; None if unknown/ambiguous."""
        return self._by_key.get((kind, name_key(name)))

    def get(self, kind: str, item_id: str) -> CatalogItem | None:
        return self.by_id.get((kind, item_id))

    def suggestions(self, kind: str, name: str, limit: int = 3) -> tuple[CatalogItem, ...]:
        """The closest catalog items of ``kind`` by name (for "did you mean" and mapping)."""
        candidates = {item.name: item for (k, _), item in self.by_id.items() if k == kind}
        close = difflib.get_close_matches(name, list(candidates), n=limit, cutoff=0.5)
        return tuple(candidates[c] for c in close)
