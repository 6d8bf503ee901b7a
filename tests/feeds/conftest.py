"""Feed test fixtures: a real database with a small known catalog, feed builders, a database dump."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from advisor.db.database import open_database
from advisor.db.models import Accelerator, Host, System

AS_OF = dt.date(2026, 10, 1)
SRC = "test fixture"


def add_catalog(engine: sa.Engine) -> None:
    """Two GPUs, one host, one system: names and aliases the feeds below refer to."""
    gpu = dict(source=SRC, as_of=AS_OF, vendor="NVIDIA", kind="gpu", memory_gb=32.0, bandwidth_gbs=1792.0,
               fp16_tflops=209.5, tdp_w=575.0, idle_w=30.0, link="pcie5", link_bandwidth_gbs=64.0)
    with Session(engine) as session:
        session.add(Accelerator(id="rtx-5090", name="GeForce RTX 5090", aliases=["RTX 5090", "5090"], **gpu))
        session.add(Accelerator(id="rtx-4090", name="GeForce RTX 4090", aliases=["RTX 4090"],
                                **{**gpu, "memory_gb": 24.0, "bandwidth_gbs": 1008.0}))
        session.add(Host(id="epyc-9004-host", name="EPYC 9004 host", source=SRC, as_of=AS_OF, cpu="EPYC 9354",
                         ram_gb=384, ram_bandwidth_gbs=460, cpu_tflops=4.0, idle_w=120, load_w=400))
        session.flush()
        session.add(System(id="dual-4090", name="Dual RTX 4090 workstation", source=SRC, as_of=AS_OF,
                           accelerator="rtx-4090", count=2, host="epyc-9004-host", idle_w=180))
        session.commit()


@pytest.fixture
def engine(sqlite_url: str) -> Iterator[sa.Engine]:
    """A migrated SQLite file with the test catalog (no bundled seed: exact, known contents)."""
    eng = open_database(sqlite_url, seed=False)
    add_catalog(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def any_engine(db_url: str) -> Iterator[sa.Engine]:
    """The same on both backends: a SQLite file and a real PostgreSQL database."""
    eng = open_database(db_url, seed=False)
    add_catalog(eng)
    yield eng
    eng.dispose()


def dump(engine: sa.Engine) -> str:
    """The whole database as text, to compare before/after byte for byte."""
    if engine.dialect.name == "sqlite":
        conn = sqlite3.connect(engine.url.database or "")
        try:
            return "\n".join(conn.iterdump())
        finally:
            conn.close()
    lines = []
    with engine.connect() as conn:
        for table in sa.inspect(engine).get_table_names():
            rows = conn.execute(sa.text(f'SELECT * FROM "{table}"')).all()
            lines.extend(f"{table}: {tuple(r)}" for r in sorted(rows, key=repr))
    return "\n".join(lines)


def item(name: str = "RTX 5090", price: Any = 3499.0, **extra: Any) -> dict[str, Any]:
    base = {"kind": "hardware", "name": name, "price": price, "currency": "USD", "condition": "new",
            "vendor": "Micro Center", "url": "https://example.com/5090", "observed_at": "2026-11-01"}
    base.update(extra)
    return base


def feed_doc(items: list[dict[str, Any]], **header: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {"format": "rig-advisor-prices/1", "publisher": "Test Co price desk",
                           "published_at": "2026-11-02", "currency": "USD", "items": items}
    doc.update(header)
    return doc


def feed_bytes(items: list[dict[str, Any]], **header: Any) -> bytes:
    return json.dumps(feed_doc(items, **header)).encode()


GOOD_ITEMS = [
    item("RTX 5090", 3499.0),
    item("GeForce RTX 4090", 1899.0, vendor="Newegg"),
    item("rtx-4090", 1350.0, condition="used", vendor="eBay"),
    item("EPYC 9004 host", 6200.0, kind="host", vendor=""),
    item("Dual RTX 4090 workstation", 9800.0, kind="system", vendor="Puget"),
]

GOOD_CSV = (
    "# format: rig-advisor-prices/1\n"
    "# publisher: CSV desk\n"
    "kind,name,price,currency,condition,vendor,url,observed_at\n"
    "gpu,RTX 5090,3399.00,USD,new,Micro Center,https://example.com/5090,2026-11-05\n"
    "gpu,RTX 4090,1700,USD,used,eBay,,2026-11-05\n"
)
