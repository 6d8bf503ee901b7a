"""Price history page: per-item time series (conditions as lines, batches as markers, hover), the table of
points, PNG export and "Roll back batch…" on a real SQLite database with a real feed applied."""

from __future__ import annotations

import datetime as dt
import json

from PySide6.QtCore import QPointF
from PySide6.QtGui import QImage

from advisor import db
from advisor.app.store import MemoryStore
from advisor.feeds import apply_preview, preview_feed
from ui.pages.price_history import ALL_ITEMS, PriceHistoryPage
from ui.plots.base import export_plot


def _apply_feed(store, tmp_path) -> int:  # type: ignore[no-untyped-def]
    feed = tmp_path / "feed.json"
    item = {
        "kind": "hardware",
        "name": "rtx-4090",
        "price": 1234.5,
        "currency": "USD",
        "condition": "used",
        "vendor": "TestShop",
        "url": "https://example.org/4090",
        "observed_at": "2026-11-01",
    }
    body = {
        "format": "rig-advisor-prices/1",
        "publisher": "test",
        "published_at": "2026-11-01",
        "items": [item],
    }
    feed.write_text(json.dumps(body), encoding="utf-8")
    result = apply_preview(store.engine, preview_feed(store.engine, str(feed)))
    store.reload()
    assert result.batch_id is not None and result.points_added == 1
    return result.batch_id


def test_item_plot_markers_hover_export_and_rollback(qtbot, db_store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    batch_id = _apply_feed(db_store, tmp_path)
    page = PriceHistoryPage(db_store)
    qtbot.addWidget(page)
    page.resize(1300, 850)
    page.show()
    assert page.select_item("rtx-4090")
    plot = page.plot
    # seed: $1,599 launch MSRP (2022-10-12) and $2,500 new (2026-02-15); used $1,700 seed + our $1,234.50
    assert plot.lines["new"].yData.tolist() == [1599.0, 2500.0]
    assert plot.lines["used"].yData.tolist() == [1700.0, 1234.5]
    nov1 = dt.datetime(2026, 11, 1, tzinfo=dt.UTC).timestamp()
    assert plot.lines["used"].xData.tolist()[-1] == nov1
    assert not plot.lines["refurb"].isVisible()
    assert list(plot.markers) == [batch_id]  # the seed batch gets no marker
    assert plot.imported.data["y"].tolist() == [1234.5]  # ringed: the one point a rollback would remove
    assert f"batch {batch_id} (import)" in plot.markers[batch_id].toolTip()
    text = plot.hover_at(nov1, 1234.5)
    assert "2026-11-01" in text and "$1,234.50" in text and "(used)" in text
    assert "TestShop" in text and f"batch {batch_id} (import)" in text
    assert plot.hover_label.isVisible()
    # the table: the item's points, newest first, with their batch
    model = page.points.model
    assert model.rowCount() == 6  # 3 seed purchase prices + 2 seed rental rates (USD per GPU-hour) + the import
    assert {model.row_dict(r)["condition"] for r in range(6)} >= {"rent-on-demand", "rent-spot"}
    first = model.row_dict(0)
    assert (first["price_usd"], first["batch"], first["batch_kind"]) == (1234.5, batch_id, "import")
    png = export_plot(plot.plot, tmp_path / "history.png", width_px=900)
    assert QImage(str(png)).width() == 900
    # roll back: the selected row's batch is preselected; the seed batch is never offered
    page.points.table.selectRow(0)
    dialog = page.open_rollback()
    qtbot.addWidget(dialog)
    assert dialog.combo.currentData() == batch_id
    assert all(b.kind != "seed" for b in dialog.batches) and dialog.combo.count() == 1
    assert "not touched" in dialog.question.text()
    with qtbot.waitSignal(dialog.rolled_back, timeout=10000):
        dialog.ok_button.click()
    prices = db.get_record(db_store.engine, "hardware", "rtx-4090").prices
    assert sorted(p.price_usd for p in prices if not p.condition.startswith("rent")) == [1599.0, 1700.0, 2500.0]
    assert sorted(p.price_usd for p in prices if p.condition.startswith("rent")) == [0.34, 0.6]  # per GPU-hour
    assert page.plot.lines["used"].yData.tolist() == [1700.0]
    assert page.plot.markers == {}
    assert len(page.plot.imported.data) == 0
    assert page.points.model.rowCount() == 5  # 3 purchase prices + 2 rental rates
    assert f"Rolled back batch {batch_id}: 1 price points" in page.points.info.text()
    assert not page.rollback_button.isEnabled()  # only the seed is left


def test_item_filter_and_all_items(qtbot, sample_store: MemoryStore) -> None:
    page = PriceHistoryPage(sample_store)
    qtbot.addWidget(page)
    assert not page.rollback_button.isEnabled()  # the sample has no import batches
    page.item_filter.setText("4090")
    visible = [
        page.item_list.item(r).text()
        for r in range(page.item_list.count())
        if not page.item_list.item(r).isHidden()
    ]
    assert visible[0] == ALL_ITEMS and len(visible) >= 2
    assert all("4090" in v for v in visible[1:])
    page.item_list.setCurrentRow(0)  # All items: every point in the table, nothing plotted
    assert page.current_item is None
    assert page.points.model.rowCount() == len(sample_store.price_history())
    assert all(not line.isVisible() for line in page.plot.lines.values())


def test_the_legend_does_not_cover_the_highest_price(qtbot, db_store) -> None:  # type: ignore[no-untyped-def]
    """QA: the RTX 3090's only new price ($1,499 launch, top-left) sat under the legend; the y range now
    leaves headroom above the highest point (seed: new $1,499, used $850 and $750)."""
    page = PriceHistoryPage(db_store)
    qtbot.addWidget(page)
    page.resize(1300, 850)
    page.show()
    assert page.select_item("rtx-3090")
    plot = page.plot
    (_, _), (y0, y1) = plot.plot.getPlotItem().viewRange()
    assert y1 >= 1499.0 + 0.4 * (1499.0 - 750.0)  # ~300 USD of free space above the launch price
    assert y0 < 750.0
    legend_bottom = plot.legend.mapRectToScene(plot.legend.boundingRect()).bottom()
    view = plot.plot.getPlotItem().getViewBox()
    top_point = view.mapViewToScene(QPointF(float(plot.lines["new"].xData[0]), 1499.0)).y()
    assert top_point > legend_bottom  # the point is drawn below the legend box


def test_add_price_point_by_hand_refuses_bad_input_then_saves_a_user_batch(qtbot, db_store) -> None:  # type: ignore[no-untyped-def]
    page = PriceHistoryPage(db_store)
    qtbot.addWidget(page)
    assert page.select_item("rtx-4090")
    before = len(db.get_record(db_store.engine, "hardware", "rtx-4090").prices)
    dialog = page.open_add_price()
    qtbot.keyClicks(dialog.url, "ftp://not-a-web-address")
    dialog.price.setValue(1111.0)
    dialog.condition.setCurrentText("used")
    qtbot.keyClicks(dialog.vendor, "LocalShop")
    assert not dialog.submit()
    assert dialog.error.text().startswith("url:") and dialog.isVisible()
    assert len(db.get_record(db_store.engine, "hardware", "rtx-4090").prices) == before  # nothing written
    dialog.url.clear()
    qtbot.keyClicks(dialog.url, "https://example.org/4090-used")
    with qtbot.waitSignal(dialog.added, timeout=5000) as added:
        assert dialog.submit()
    batch_id = added.args[0]
    points = db.get_record(db_store.engine, "hardware", "rtx-4090").prices
    assert len(points) == before + 1
    assert any(p.price_usd == 1111.0 and p.vendor == "LocalShop" and p.condition == "used" for p in points)
    assert page.batch_info[batch_id].kind == "user"
    shown = [page.points.model.row_dict(r) for r in range(page.points.model.rowCount())]
    assert any(r["price_usd"] == 1111.0 and r["batch"] == batch_id and r["batch_kind"] == "user" for r in shown)


def test_edit_delete_and_undo_a_price_point(qtbot, db_store) -> None:  # type: ignore[no-untyped-def]
    page = PriceHistoryPage(db_store)
    qtbot.addWidget(page)
    assert page.select_item("rtx-4090")
    assert not page.edit_button.isEnabled() and not page.undo_button.isEnabled()  # nothing selected yet

    def prices_now() -> list[float]:
        return sorted(p.price_usd for p in db.get_record(db_store.engine, "hardware", "rtx-4090").prices)

    before = prices_now()
    page.points.table.selectRow(0)  # the newest point
    point = page.selected_point()
    assert point is not None and page.edit_button.isEnabled() and page.delete_button.isEnabled()
    dialog = page.open_edit_price()
    assert dialog.windowTitle().startswith("Edit price point")
    assert dialog.price.value() == (point.price_original if point.currency != "USD" and point.price_original
                                    else point.price_usd)  # the form opens on the stored values
    dialog.price.setValue(-1.0)  # the spin box floors at 0: a zero price is refused by the feed rules
    assert not dialog.submit() and dialog.error.text().startswith("price:")
    assert prices_now() == before
    dialog.price.setValue(1499.0)
    with qtbot.waitSignal(dialog.added, timeout=5000):
        assert dialog.submit()
    after_edit = prices_now()
    assert 1499.0 in after_edit and len(after_edit) == len(before)  # replaced, not added
    assert page.undo_button.isEnabled()
    page.points.table.selectRow(0)
    assert page.delete_selected() is not None
    assert len(prices_now()) == len(before) - 1
    assert page.undo_last()  # undo the delete ...
    assert prices_now() == after_edit
    assert page.undo_last()  # ... then the edit
    assert prices_now() == before
    assert not page.undo_button.isEnabled()
