"""The catalog: seed records (resources/catalog), their schema, name resolution and an in-memory snapshot.

    from advisor.catalog import Catalog
    catalog = Catalog.load()
    catalog.device("GeForce RTX 4090 24GB")   # -> advisor.engine.types.Device
"""

from __future__ import annotations

from advisor.catalog.resolve import Resolver
from advisor.catalog.seed import SeedCatalog, load_seed
from advisor.catalog.snapshot import Catalog

__all__ = ["Catalog", "Resolver", "SeedCatalog", "load_seed"]
