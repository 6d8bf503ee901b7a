"""Price history > Add price point… (issue 14 item 1): a price typed into the form is validated at the
field, saved as its own "manual" batch on the real SQLite database, shown in the history, used by the
catalog, and rolled back like a feed; a bad value writes nothing."""

from __future__ import annotations

import sqlalchemy as sa
from PySide6.QtCore import QDate, Qt

from advisor.feeds import rollback_batch
from ui.pages.price_history import PriceHistoryPage


def _points(store, item_id: str) -> int:  # type: ignore[no-untyped-def]
    with store.engine.connect() as conn:
        return int(
            conn.execute(
                sa.text("SELECT count(*) FROM price_point WHERE item_kind='hardware' AND item_id=:i"),
                {"i": item_id},
            ).scalar_one()
        )


def _dialog(qtbot, store):  # type: ignore[no-untyped-def]
    page = PriceHistoryPage(store)
    qtbot.addWidget(page)
    assert page.select_item("rtx-4090")
    assert page.add_button.isEnabled()
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    dialog = page.price_dialog
    assert dialog is not None and dialog.isVisible()
    return page, dialog


def test_bad_price_is_refused_at_the_field_and_nothing_written(qtbot, db_store) -> None:  # type: ignore[no-untyped-def]
    before = _points(db_store, "rtx-4090")
    page, dialog = _dialog(qtbot, db_store)
    for typed, why in (
        ("abc", "price: 'abc' is not a number"),
        ("-5", "price: input should be greater than 0"),
    ):
        dialog.price.clear()
        qtbot.keyClicks(dialog.price, typed)
        dialog.submit()
        assert dialog.error_label.text() == why
        assert dialog.price.styleSheet()  # the field is marked
        assert dialog.isVisible()
    dialog.price.clear()
    qtbot.keyClicks(dialog.price, "1500")
    dialog.source.clear()
    qtbot.keyClicks(dialog.source, "x")
    dialog.submit()
    assert dialog.error_label.text().startswith("source:")
    assert _points(db_store, "rtx-4090") == before  # the database is exactly as it was


def test_added_price_shows_in_history_is_used_and_rolls_back(qtbot, db_store) -> None:  # type: ignore[no-untyped-def]
    before = _points(db_store, "rtx-4090")
    page, dialog = _dialog(qtbot, db_store)
    qtbot.keyClicks(dialog.price, "1,234.50")
    dialog.condition.setCurrentText("used")
    qtbot.keyClicks(dialog.vendor, "Corner shop")
    qtbot.keyClicks(dialog.url, "https://example.org/4090")
    dialog.date.setDate(QDate(2026, 11, 30))
    with qtbot.waitSignal(dialog.added, timeout=5000) as blocker:
        dialog.submit()
    batch_id = blocker.args[0]
    assert not dialog.isVisible()
    assert _points(db_store, "rtx-4090") == before + 1
    # the page shows it at the top of the item's table (newest first), with its manual batch
    top = page.points.model.row_dict(page.points.proxy.mapToSource(page.points.proxy.index(0, 0)).row())
    assert top["price_usd"] == 1234.5 and top["condition"] == "used" and top["vendor"] == "Corner shop"
    assert top["batch"] == batch_id and top["batch_kind"] == "manual"
    assert f"batch {batch_id}" in page.points.info.text()
    # the catalog the scenarios use sees the new used price
    used = [p for p in db_store.get("hardware", "rtx-4090").prices if p.condition == "used"]
    assert any(p.price_usd == 1234.5 and p.vendor == "Corner shop" for p in used)
    # and it rolls back like a feed batch: exactly that point goes
    assert rollback_batch(db_store.engine, batch_id) == 1
    assert _points(db_store, "rtx-4090") == before
