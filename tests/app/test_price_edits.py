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
