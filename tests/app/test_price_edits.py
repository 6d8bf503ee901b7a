"""A price typed in the app is a "user" import batch: validated at the field, in the history, rolled back like
a feed; a bad value writes nothing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from advisor.app import price_data, prices
from advisor.app.store import DbStore
from advisor.errors import InputError

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def store(sqlite_url: str):  # type: ignore[no-untyped-def]
    store = DbStore.open(sqlite_url)
    yield store
    store.engine.dispose()


def _dump(sqlite_url: str) -> str:
    import sqlite3

    con = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"))
    try:
        return "\n".join(con.iterdump())
    finally:
        con.close()


def test_add_price_point_is_a_user_batch_that_rolls_back(store: DbStore) -> None:
    result = prices.add_price_point(store, "hardware", "rtx-3090", 725.0, condition="used", vendor="eBay",
                                    url="https://www.ebay.com/sch/i.html?_nkw=rtx+3090", observed_at="2026-11-20")
    batch = price_data.batches(store)[result.batch_id]
    assert batch.kind == "user" and batch.can_roll_back
    assert store.catalog().latest_price("rtx-3090", "used").price_usd == 725.0
    item = next(i for i in price_data.priced_items(store) if i.id == "rtx-3090")
    row = next(r for r in price_data.item_history(store, item) if r.batch_id == result.batch_id)
    assert (row.price_usd, row.vendor, row.url) == (725.0, "eBay", "https://www.ebay.com/sch/i.html?_nkw=rtx+3090")
    assert price_data.roll_back(store, batch) == 1
    latest = store.catalog().latest_price("rtx-3090", "used")
    assert latest is None or latest.price_usd != 725.0


@pytest.mark.parametrize(("changes", "field"), [
    ({"price": -5.0}, "price"),
    ({"price": float("inf")}, "price"),
    ({"condition": "broken"}, "condition"),
    ({"observed_at": "2026-13-45"}, "observed_at"),
    ({"currency": "XXX"}, "currency"),
    ({"item": "no-such-gpu"}, "item"),
])
def test_bad_price_point_names_the_field_and_writes_nothing(store: DbStore, sqlite_url: str, changes: dict,
                                                            field: str) -> None:
    args = {"item": "rtx-3090", "price": 700.0, "condition": "used", "observed_at": "2026-11-20"} | changes
    before = _dump(sqlite_url)
    with pytest.raises(InputError) as err:
        prices.add_price_point(store, "hardware", args.pop("item"), args.pop("price"), **args)
    assert str(err.value).startswith(f"{field}:")
    assert _dump(sqlite_url) == before


def test_user_price_shows_in_the_cli_history(store: DbStore, sqlite_url: str) -> None:
    import os

    result = prices.add_price_point(store, "hardware", "rtx-3090", 710.0, condition="used", observed_at="2026-11-21")
    env = dict(os.environ, RIG_ADVISOR_DB_URL=sqlite_url)
    out = subprocess.run([sys.executable, str(ROOT / "main.py"), "prices", "history", "rtx-3090", "--json"],
                         capture_output=True, text=True, env=env, check=True).stdout
    points = [p for p in json.loads(out)["points"] if p["batch"] == result.batch_id]
    assert [(p["price_usd"], p["condition"]) for p in points] == [(710.0, "used")]


def _history(store: DbStore, item_id: str) -> list[price_data.HistoryRow]:
    item = next(i for i in price_data.priced_items(store) if i.id == item_id)
    return price_data.item_history(store, item)


def _cli_history(sqlite_url: str, item: str) -> list[tuple[float, str]]:
    import os

    env = dict(os.environ, RIG_ADVISOR_DB_URL=sqlite_url)
    out = subprocess.run([sys.executable, str(ROOT / "main.py"), "prices", "history", item, "--json"],
                         capture_output=True, text=True, env=env, check=True).stdout
    return [(p["price_usd"], p["condition"]) for p in json.loads(out)["points"]]


def test_edit_replaces_a_point_in_one_user_batch_and_rollback_restores_it(store: DbStore, sqlite_url: str) -> None:
    added = prices.add_price_point(store, "hardware", "rtx-3090", 725.0, condition="used", vendor="eBay",
                                   observed_at="2026-11-20")
    old = next(r for r in _history(store, "rtx-3090") if r.batch_id == added.batch_id)
    assert old.point_id is not None
    edit = prices.edit_price_point(store, old.point_id, "hardware", "rtx-3090", 690.0, condition="used",
                                   vendor="eBay", observed_at="2026-11-20")
    batch = price_data.batches(store)[edit.batch_id]
    assert batch.kind == "user" and edit.batch_id != added.batch_id
    rows = _history(store, "rtx-3090")
    assert old.point_id not in {r.point_id for r in rows}  # the old point no longer counts ...
    assert (690.0, "used") in _cli_history(sqlite_url, "rtx-3090")  # ... for the CLI either
    assert (725.0, "used") not in _cli_history(sqlite_url, "rtx-3090")
    assert store.catalog().latest_price("rtx-3090", "used").price_usd == 690.0
    price_data.roll_back(store, batch)  # undo the edit: the old point is back, the corrected one gone
    assert store.catalog().latest_price("rtx-3090", "used").price_usd == 725.0
    assert old.point_id in {r.point_id for r in _history(store, "rtx-3090")}
    assert (690.0, "used") not in _cli_history(sqlite_url, "rtx-3090")


def test_delete_removes_a_seed_point_until_its_batch_is_rolled_back(store: DbStore) -> None:
    seed_latest = store.catalog().latest_price("rtx-4090", "new")
    assert seed_latest is not None
    rows = _history(store, "rtx-4090")
    newest = max((r for r in rows if r.condition == "new"), key=lambda r: (r.observed_at, r.point_id or 0))
    assert newest.price_usd == seed_latest.price_usd
    result = prices.delete_price_point(store, newest.point_id)
    after = store.catalog().latest_price("rtx-4090", "new")
    assert after is None or after.observed_at <= seed_latest.observed_at and after is not seed_latest
    assert newest.point_id not in {r.point_id for r in _history(store, "rtx-4090")}
    price_data.roll_back(store, price_data.batches(store)[result.batch_id])
    assert store.catalog().latest_price("rtx-4090", "new").price_usd == seed_latest.price_usd


@pytest.mark.parametrize("point_id", [0, -3, 10**9])
def test_delete_or_edit_of_an_unknown_point_writes_nothing(store: DbStore, sqlite_url: str, point_id: int) -> None:
    before = _dump(sqlite_url)
    with pytest.raises(InputError) as err:
        prices.delete_price_point(store, point_id)
    assert str(err.value).startswith("price point:")
    with pytest.raises(InputError):
        prices.edit_price_point(store, point_id, "hardware", "rtx-3090", 700.0, condition="used",
                                observed_at="2026-11-20")
    assert _dump(sqlite_url) == before


def test_a_removed_point_cannot_be_removed_twice_and_a_bad_edit_keeps_it(store: DbStore, sqlite_url: str) -> None:
    added = prices.add_price_point(store, "hardware", "rtx-3090", 725.0, condition="used", observed_at="2026-11-20")
    point = next(r for r in _history(store, "rtx-3090") if r.batch_id == added.batch_id).point_id
    assert point is not None
    before = _dump(sqlite_url)
    with pytest.raises(InputError) as err:  # a bad corrected value: the old point stays, nothing written
        prices.edit_price_point(store, point, "hardware", "rtx-3090", -1.0, condition="used", observed_at="2026-11-20")
    assert str(err.value).startswith("price:")
    with pytest.raises(InputError, match="nothing changed"):
        prices.edit_price_point(store, point, "hardware", "rtx-3090", 725.0, condition="used",
                                observed_at="2026-11-20")
    assert _dump(sqlite_url) == before
    prices.delete_price_point(store, point)
    with pytest.raises(InputError, match="removed or replaced"):
        prices.delete_price_point(store, point)
