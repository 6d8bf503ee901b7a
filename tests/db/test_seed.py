"""Seeding and catalog upgrades on SQLite and PostgreSQL, with a small known seed."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from pydantic import BaseModel
from sqlmodel import Session, select

from advisor.db.database import open_database
from advisor.db.models import ImportBatch, PricePoint
from advisor.db.records import get_record, get_scenario, list_records, save_record, save_scenario
from advisor.db.seed import upgrade_catalog
from tests.db.conftest import mini_seed_records

COUNTED = (
    "accelerator",
    "host",
    "system",
    "llm",
    "quant_format",
    "api_offer",
    "tariff",
    "pue_preset",
    "scenario",
    "price_point",
    "import_batch",
)


def row_counts(engine: sa.Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t: conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one() for t in COUNTED}


def _with(seed: dict[str, list[BaseModel]], kind: str, index: int, **changes: object) -> None:
    seed[kind][index] = seed[kind][index].model_copy(update=changes)


def test_first_run_loads_everything_under_one_seed_batch(db_url: str, mini_seed: dict) -> None:
    engine = open_database(db_url, seed=False)
    result = upgrade_catalog(engine, mini_seed)
    assert (result.inserted, result.updated, result.prices_added) == (11, 0, 3)
    assert row_counts(engine) == {
        "accelerator": 2,
        "host": 1,
        "system": 1,
        "llm": 2,
        "quant_format": 1,
        "api_offer": 1,
        "tariff": 1,
        "pue_preset": 1,
        "scenario": 1,
        "price_point": 3,
        "import_batch": 1,
    }
    with Session(engine) as s:
        batch = s.exec(select(ImportBatch)).one()
        assert (batch.kind, batch.item_count) == ("seed", 14)
        assert {p.batch_id for p in s.exec(select(PricePoint))} == {batch.id}
    v4 = get_record(engine, "models", "deepseek-v4-pro")
    assert (v4.total_params_b, v4.active_params_b) == (1600, 49)
    engine.dispose()


def test_seeding_twice_changes_nothing(db_url: str, mini_seed: dict) -> None:
    engine = open_database(db_url, seed=False)
    upgrade_catalog(engine, mini_seed)
    before = row_counts(engine)
    again = upgrade_catalog(engine, mini_seed_records())
    assert again.skipped
    assert row_counts(engine) == before
    engine.dispose()


def test_upgrade_updates_unedited_keeps_user_edited_adds_new(db_url: str, mini_seed: dict) -> None:
    engine = open_database(db_url, seed=False)
    upgrade_catalog(engine, mini_seed)
    # The user edits the RTX 3090 (their own measured bandwidth) and the scenario.
    edited = get_record(engine, "hardware", "rtx-3090").model_copy(update={"bandwidth_gbs": 900.0})
    save_record(engine, "hardware", edited)
    save_scenario(
        engine, get_scenario(engine, "Team chat on 2x4090").model_copy(update={"description": "mine"})
    )
    # A user record the seed does not know.
    save_record(
        engine,
        "tariffs",
        {
            "id": "my-tariff",
            "name": "My tariff",
            "source": "my bill",
            "as_of": "2026-09-01",
            "region": "DE",
            "usd_per_kwh": 0.41,
        },
    )

    new_seed = mini_seed_records()
    _with(new_seed, "hardware", 0, fp16_tflops=170.0)  # 4090 changed in the seed, not edited by the user
    _with(new_seed, "hardware", 1, bandwidth_gbs=937.0)  # 3090 changed in the seed, edited by the user
    _with(new_seed, "scenarios", 0, description="seed v2")
    new_seed["quants"].append(
        new_seed["quants"][0].model_copy(update={"id": "q8_0", "name": "Q8_0", "bits_per_weight": 8.5})
    )
    result = upgrade_catalog(engine, new_seed)
    assert (result.inserted, result.updated, result.kept_user_edited, result.prices_added) == (1, 1, 2, 0)

    assert get_record(engine, "hardware", "rtx-4090").fp16_tflops == 170.0
    assert get_record(engine, "hardware", "rtx-3090").bandwidth_gbs == 900.0
    assert get_scenario(engine, "Team chat on 2x4090").description == "mine"
    assert get_record(engine, "quants", "q8_0").bits_per_weight == 8.5
    assert get_record(engine, "tariffs", "my-tariff").usd_per_kwh == 0.41
    assert row_counts(engine)["price_point"] == 3  # seed prices not duplicated
    engine.dispose()


def test_new_seed_price_is_appended_as_history(db_url: str, mini_seed: dict) -> None:
    engine = open_database(db_url, seed=False)
    upgrade_catalog(engine, mini_seed)
    new_seed = mini_seed_records()
    gpu = new_seed["hardware"][0]
    cheaper = gpu.prices[0].model_copy(
        update={"price_usd": 1499.0, "observed_at": gpu.prices[0].observed_at.replace(day=20)}
    )
    _with(new_seed, "hardware", 0, prices=[*gpu.prices, cheaper])
    result = upgrade_catalog(engine, new_seed)
    assert (result.updated, result.prices_added) == (0, 1)
    prices = [p.price_usd for p in get_record(engine, "hardware", "rtx-4090").prices if p.condition == "new"]
    assert prices == [1599.0, 1499.0]
    engine.dispose()


def test_a_failing_seed_writes_nothing(db_url: str, mini_seed: dict) -> None:
    """A system naming hardware that does not exist violates a foreign key: the whole seed rolls back."""
    engine = open_database(db_url, seed=False)
    _with(mini_seed, "systems", 0, accelerator="no-such-gpu")
    with pytest.raises(sa.exc.IntegrityError):
        upgrade_catalog(engine, mini_seed)
    assert set(row_counts(engine).values()) == {0}
    engine.dispose()


def test_list_records_sorted_by_name_with_prices(sqlite_url: str, mini_seed: dict) -> None:
    engine = open_database(sqlite_url, seed=False)
    upgrade_catalog(engine, mini_seed)
    names = [r.name for r in list_records(engine, "hardware")]
    assert names == ["GeForce RTX 3090", "GeForce RTX 4090"]
    gpu = list_records(engine, "gpu")[1]
    assert [(p.price_usd, p.condition) for p in gpu.prices] == [(1599.0, "new"), (1450.0, "used")]
    engine.dispose()
