"""Editing records and scenarios: validation before writing, references, user_edited, price batches."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from advisor.db.database import open_database
from advisor.db.models import ImportBatch, PricePoint, utc_now
from advisor.db.records import (
    delete_record,
    delete_scenario,
    get_record,
    get_scenario,
    is_user_edited,
    list_records,
    list_scenarios,
    save_record,
    save_scenario,
)
from advisor.db.seed import upgrade_catalog
from advisor.errors import InputError, NotFoundError


@pytest.fixture
def engine(sqlite_url: str, mini_seed: dict) -> sa.Engine:
    eng = open_database(sqlite_url, seed=False)
    upgrade_catalog(eng, mini_seed)
    yield eng
    eng.dispose()


def test_bad_record_names_the_field_and_writes_nothing(engine: sa.Engine) -> None:
    bad = get_record(engine, "hardware", "rtx-4090").model_dump()
    bad["memory_gb"] = -24
    with pytest.raises(InputError, match=r"hardware\[rtx-4090\]\.memory_gb"):
        save_record(engine, "hardware", bad)
    assert get_record(engine, "hardware", "rtx-4090").memory_gb == 24
    assert not is_user_edited(engine, "hardware", "rtx-4090")


def test_system_must_reference_existing_hardware(engine: sa.Engine) -> None:
    system = get_record(engine, "systems", "2x4090-am5").model_copy(
        update={"id": "x", "accelerator": "rtx-9090"}
    )
    with pytest.raises(NotFoundError, match=r"systems\[x\]\.accelerator: unknown hardware id 'rtx-9090'"):
        save_record(engine, "systems", system)
    assert [r.id for r in list_records(engine, "systems")] == ["2x4090-am5"]


def test_saving_marks_user_edited_and_new_prices_go_to_a_manual_batch(engine: sa.Engine) -> None:
    gpu = get_record(engine, "hardware", "rtx-3090")
    price = {
        "price_usd": 799.0,
        "condition": "used",
        "vendor": "eBay",
        "observed_at": "2026-11-02",
        "source": "my purchase",
    }
    save_record(engine, "hardware", {**gpu.model_dump(), "prices": [price]})
    assert is_user_edited(engine, "hardware", "rtx-3090")
    save_record(
        engine, "hardware", {**gpu.model_dump(), "prices": [price]}
    )  # same price again: not stored twice
    with Session(engine) as s:
        rows = s.exec(select(PricePoint).where(PricePoint.item_id == "rtx-3090")).all()
        assert [(r.price_usd, r.condition) for r in rows] == [(799.0, "used")]
        assert s.get(ImportBatch, rows[0].batch_id).kind == "manual"


def test_rolled_back_prices_are_not_listed(engine: sa.Engine) -> None:
    with Session(engine) as s:
        batch = s.exec(select(ImportBatch)).one()
        batch.rolled_back_at = utc_now()
        s.add(batch)
        s.commit()
    assert get_record(engine, "hardware", "rtx-4090").prices == []


def test_delete_refuses_hardware_in_use_then_deletes_with_prices(engine: sa.Engine) -> None:
    with pytest.raises(InputError, match="used by systems 2x4090-am5"):
        delete_record(engine, "hardware", "rtx-4090")
    delete_record(engine, "systems", "2x4090-am5")
    delete_record(engine, "hardware", "rtx-4090")
    assert [r.id for r in list_records(engine, "hardware")] == ["rtx-3090"]
    with Session(engine) as s:
        assert s.exec(select(PricePoint).where(PricePoint.item_id == "rtx-4090")).all() == []
    with pytest.raises(NotFoundError, match="closest: rtx-3090"):
        get_record(engine, "hardware", "rtx-4090")


def test_unknown_kind_is_not_found(engine: sa.Engine) -> None:
    with pytest.raises(NotFoundError, match="unknown catalog kind 'toasters'"):
        list_records(engine, "toasters")


def test_scenarios_round_trip(engine: sa.Engine) -> None:
    original = get_scenario(engine, "team chat on 2x4090")  # case-insensitive
    copy = original.model_copy(update={"name": "Copy", "as_of": dt.date(2026, 11, 2)})
    save_scenario(engine, copy)
    assert [s.name for s in list_scenarios(engine)] == ["Copy", "Team chat on 2x4090"]
    assert get_scenario(engine, "Copy").workload == {"model": "llama-3.1-8b", "tokens_in_per_month": 100e6}
    with pytest.raises(InputError, match="scenario.candidates"):
        save_scenario(engine, {**copy.model_dump(), "candidates": "not a list"})
    delete_scenario(engine, "Copy")
    with pytest.raises(NotFoundError, match="unknown scenario 'Copy'"):
        get_scenario(engine, "Copy")
