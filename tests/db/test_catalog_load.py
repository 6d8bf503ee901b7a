"""load_catalog: rows -> Catalog snapshot; latest price per item and condition, pinned prices, rollbacks."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from advisor.db import load_catalog
from advisor.db.database import open_database
from advisor.db.models import ImportBatch, PricePoint, utc_now
from advisor.db.seed import upgrade_catalog


@pytest.fixture
def engine(db_url: str, mini_seed: dict) -> sa.Engine:
    eng = open_database(db_url, seed=False)
    upgrade_catalog(eng, mini_seed)
    yield eng
    eng.dispose()


def _add_price(
    engine: sa.Engine, price_usd: float, day: int, *, pinned: bool = False, kind: str = "feed"
) -> int:
    with Session(engine) as s:
        batch = ImportBatch(kind=kind, source_name="test feed", item_count=1, created_at=utc_now())
        s.add(batch)
        s.flush()
        s.add(
            PricePoint(
                item_kind="hardware",
                item_id="rtx-4090",
                price_usd=price_usd,
                condition="new",
                vendor="Shop",
                observed_at=dt.datetime(2026, 10, day, tzinfo=dt.UTC),
                source="test feed",
                batch_id=batch.id,
                pinned=pinned,
            )
        )
        s.commit()
        assert batch.id is not None
        return batch.id


def test_snapshot_has_records_and_engine_inputs(engine: sa.Engine) -> None:
    catalog = load_catalog(engine)
    model = catalog.model("DeepSeek-V4-Pro")
    assert (model.total_params_b, model.active_params_b) == (1600, 49)
    assert catalog.device("4090").bandwidth_gbs == 1008
    assert [s.name for s in catalog.scenarios] == ["Team chat on 2x4090"]
    assert catalog.latest_price("rtx-4090", "new").price_usd == 1599.0
    assert catalog.latest_price("rtx-4090", "used").price_usd == 1450.0
    assert catalog.latest_price("desktop-am5", "new").price_usd == 1800.0


def test_newer_price_wins_and_rolled_back_batch_is_ignored(engine: sa.Engine) -> None:
    batch_id = _add_price(engine, 1499.0, 20)
    assert load_catalog(engine).latest_price("rtx-4090", "new").price_usd == 1499.0
    with Session(engine) as s:
        batch = s.get(ImportBatch, batch_id)
        batch.rolled_back_at = utc_now()
        s.add(batch)
        s.commit()
    assert load_catalog(engine).latest_price("rtx-4090", "new").price_usd == 1599.0


def test_pinned_price_beats_a_newer_one(engine: sa.Engine) -> None:
    _add_price(engine, 1650.0, 3, pinned=True)
    _add_price(engine, 1499.0, 25)
    catalog = load_catalog(engine)
    assert catalog.latest_price("rtx-4090", "new").price_usd == 1650.0
    assert catalog.latest_price("rtx-4090", "used").price_usd == 1450.0  # pinning "new" leaves "used" alone
    with Session(engine) as s:
        assert len(s.exec(select(PricePoint).where(PricePoint.item_id == "rtx-4090")).all()) == 4
