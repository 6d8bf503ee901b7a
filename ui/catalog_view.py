"""The lookups advisor.engine.recommend expects of a catalog, answered from a store's records.

recommend(scenario, catalog) calls catalog.model / quant / system / device / host / api_offer (InputError
for an unknown name) and catalog.latest_price(item_id, condition). Names resolve case-insensitively through
ids, names and aliases. No Qt.
"""

from __future__ import annotations

from typing import Any

from advisor.errors import NotFoundError
from ui.store import MemoryStore


class StoreCatalog:
    """A read-only snapshot of a store's records with the Catalog lookup methods."""

    def __init__(self, store: MemoryStore) -> None:
        self._by_kind: dict[str, dict[str, Any]] = {}
        self._records: dict[str, list[Any]] = {}
        for kind in ("hardware", "hosts", "systems", "models", "quants", "api_offers"):
            recs = store.records(kind)
            self._records[kind] = recs
            index: dict[str, Any] = {}
            for rec in recs:
                for key in (getattr(rec, "id", ""), getattr(rec, "name", ""), *getattr(rec, "aliases", [])):
                    index.setdefault(str(key).lower(), rec)
            self._by_kind[kind] = index

    def _find(self, kind: str, name: str) -> Any:
        rec = self._by_kind[kind].get(str(name).lower())
        if rec is None:
            known = ", ".join(sorted(r.id for r in self._records[kind])[:10])
            raise NotFoundError(f"{name!r} is not in the catalog (known: {known})", field=kind)
        return rec

    def model(self, name: str) -> Any:
        return self._find("models", name)

    def quant(self, name: str) -> Any:
        return self._find("quants", name)

    def system(self, name: str) -> Any:
        return self._find("systems", name)

    def device(self, name: str) -> Any:
        return self._find("hardware", name)

    def host(self, name: str) -> Any:
        return self._find("hosts", name)

    def api_offer(self, name: str) -> Any:
        return self._find("api_offers", name)

    def latest_price(self, item_id: str, condition: str = "new") -> Any:
        """The newest price point of a system, hardware or host in `condition`, or None."""
        for kind in ("systems", "hardware", "hosts"):
            rec = self._by_kind[kind].get(str(item_id).lower())
            if rec is None:
                continue
            points = [p for p in getattr(rec, "prices", []) if p.condition == condition]
            if points:
                return max(points, key=lambda p: p.observed_at)
            return None
        return None
