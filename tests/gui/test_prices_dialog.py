"""Tools > Update prices: check a feed file in the background, see the diff, apply it to the real database."""

from __future__ import annotations

import json

from advisor import db
from ui.dialogs.prices_dialog import PricesDialog


def _feed(path, price: float) -> None:  # type: ignore[no-untyped-def]
    path.write_text(
        json.dumps(
            {
                "format": "rig-advisor-prices/1",
                "publisher": "test",
                "published_at": "2026-11-01",
                "currency": "USD",
                "items": [
                    {
                        "kind": "hardware",
                        "name": "rtx-4090",
                        "price": price,
                        "currency": "USD",
                        "condition": "used",
                        "vendor": "TestShop",
                        "url": "https://example.org/4090",
                        "observed_at": "2026-11-01",
                    }
                ],
            }
        ),
        encoding="utf-8",
    )


def test_check_then_apply_a_feed(qtbot, db_store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    feed = tmp_path / "feed.json"
    _feed(feed, 1234.5)
    dialog = PricesDialog(db_store)
    qtbot.addWidget(dialog)
    dialog.location.setText(str(feed))
    before = len(db.get_record(db_store.engine, "hardware", "rtx-4090").prices)
    with qtbot.waitSignal(dialog.panel.finished, timeout=20000):
        dialog.check()
    assert dialog.apply_button.isEnabled()
    assert "1,234.50" in dialog.report.toPlainText()
    assert (
        len(db.get_record(db_store.engine, "hardware", "rtx-4090").prices) == before
    )  # check writes nothing
    with qtbot.waitSignal(dialog.panel.finished, timeout=20000):
        dialog.apply()
    prices = db.get_record(db_store.engine, "hardware", "rtx-4090").prices
    assert len(prices) == before + 1
    assert any(p.price_usd == 1234.5 and p.condition == "used" for p in prices)
    assert any(p.price_usd == 1234.5 for p in db_store.get("hardware", "rtx-4090").prices)  # store reloaded


def test_bad_feed_is_refused_with_reason(qtbot, db_store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    feed = tmp_path / "feed.json"
    _feed(feed, -3.0)
    dialog = PricesDialog(db_store)
    qtbot.addWidget(dialog)
    dialog.location.setText(str(feed))
    before = len(db.get_record(db_store.engine, "hardware", "rtx-4090").prices)
    with qtbot.waitSignal(dialog.panel.failed, timeout=20000):
        dialog.check()
    assert "price" in dialog.report.toPlainText().lower()
    assert not dialog.apply_button.isEnabled()
    assert len(db.get_record(db_store.engine, "hardware", "rtx-4090").prices) == before
