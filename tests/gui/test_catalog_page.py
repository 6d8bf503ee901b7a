"""Catalog editors over a real SQLite database: bad values are refused at the field and nothing is written;
good edits are saved, undone and redone; CSV export writes the table as shown."""

from __future__ import annotations

import csv

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack

from advisor import db
from ui.pages.catalog_page import CatalogPage


def _page(qtbot, store, kind: str = "hardware") -> CatalogPage:  # type: ignore[no-untyped-def]
    page = CatalogPage(store, kind, QUndoStack())
    qtbot.addWidget(page)
    return page


def _cell(page: CatalogPage, key: str, field: str):  # type: ignore[no-untyped-def]
    row = page.model.row_of(key)
    col = next(i for i, c in enumerate(page.model.columns) if c.name == field)
    return page.model.index(row, col)


def _fresh(store, kind: str, key: str):  # type: ignore[no-untyped-def]
    engine = db.open_database(str(store.engine.url.render_as_string(hide_password=False)), seed=False)
    try:
        return db.get_record(engine, kind, key)
    finally:
        engine.dispose()


def test_invalid_cell_edit_is_refused_and_nothing_written(qtbot, db_store) -> None:  # type: ignore[no-untyped-def]
    page = _page(qtbot, db_store)
    key = "rtx-4090"
    before = _fresh(db_store, "hardware", key)
    assert before.memory_gb == 24
    assert page.model.setData(_cell(page, key, "memory_gb"), "-5") is False
    assert page.error_label.isVisibleTo(page)
    assert "memory_gb" in page.error_label.text()
    assert _fresh(db_store, "hardware", key) == before  # the database is exactly as it was
    assert page.undo_stack.count() == 0


def test_dialog_refuses_bad_value_at_the_field(qtbot, db_store) -> None:  # type: ignore[no-untyped-def]
    page = _page(qtbot, db_store)
    dialog = page.add_record()
    qtbot.addWidget(dialog)
    for field, text in (
        ("id", "my-gpu"),
        ("name", "My GPU"),
        ("vendor", "Acme"),
        ("memory_gb", "48"),
        ("bandwidth_gbs", "fast"),
        ("fp16_tflops", "100"),
        ("tdp_w", "300"),
        ("idle_w", "20"),
        ("link_bandwidth_gbs", "32"),
        ("source", "test sheet"),
    ):
        dialog.set_text(field, text)
    assert dialog.try_accept() is False
    assert "bandwidth_gbs" in dialog.error_label.text()
    assert "border" in dialog.widgets["bandwidth_gbs"].styleSheet()
    assert db_store.get("hardware", "my-gpu") is None
    assert all(r.id != "my-gpu" for r in db.list_records(db_store.engine, "hardware"))
    dialog.set_text("bandwidth_gbs", "900")
    assert dialog.try_accept() is True, dialog.error_label.text()
    saved = db.get_record(db_store.engine, "hardware", "my-gpu")
    assert (saved.bandwidth_gbs, saved.memory_gb, saved.vendor) == (900.0, 48.0, "Acme")
    assert page.model.row_of("my-gpu") >= 0


def test_cell_edit_saves_and_undo_redo(qtbot, db_store) -> None:  # type: ignore[no-untyped-def]
    page = _page(qtbot, db_store)
    assert page.model.setData(_cell(page, "rtx-4090", "memory_gb"), "48") is True
    assert _fresh(db_store, "hardware", "rtx-4090").memory_gb == 48
    page.undo_stack.undo()
    assert _fresh(db_store, "hardware", "rtx-4090").memory_gb == 24
    page.undo_stack.redo()
    assert _fresh(db_store, "hardware", "rtx-4090").memory_gb == 48
    assert page.model.data(_cell(page, "rtx-4090", "memory_gb")) == "48"


def test_delete_and_undo(qtbot, db_store) -> None:  # type: ignore[no-untyped-def]
    page = _page(qtbot, db_store, "models")
    assert page.select_key("llama-3.1-8b")
    assert page.delete_selected(confirm=False)
    assert db_store.get("models", "llama-3.1-8b") is None
    page.undo_stack.undo()
    assert db.get_record(db_store.engine, "models", "llama-3.1-8b").num_layers == 32


def test_filter_and_csv_export(qtbot, db_store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    page = _page(qtbot, db_store)
    page.filter_edit.setText("RTX 4090")
    assert page.proxy.rowCount() >= 1
    out = tmp_path / "hw.csv"
    n = page.export_csv(str(out))
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert n == page.proxy.rowCount() == len(rows) - 1
    assert rows[0][:4] == ["id", "name", "source", "as of"]
    assert "memory [GiB, as marketed]" in rows[0] and "bandwidth [GB/s]" in rows[0]  # 24 for an RTX 4090
    assert any(r[0] == "rtx-4090" for r in rows[1:])
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".export-")]


def test_headers_carry_units(qtbot, db_store) -> None:  # type: ignore[no-untyped-def]
    page = _page(qtbot, db_store, "api_offers")
    headers = [page.model.headerData(i, Qt.Orientation.Horizontal) for i in range(page.model.columnCount())]
    assert "output\n[USD/Mtok]" in headers and "as of" in headers and "source" in headers


def test_add_price_from_the_hardware_table(qtbot, db_store) -> None:  # type: ignore[no-untyped-def]
    page = _page(qtbot, db_store)
    assert page.select_key("rtx-4090")
    dialog = page.add_price_selected()
    dialog.price.setValue(1499.0)
    dialog.condition.setCurrentText("used")
    with qtbot.waitSignal(dialog.added, timeout=5000):
        assert dialog.submit()
    assert any(p.price_usd == 1499.0 and p.condition == "used"
               for p in db.get_record(db_store.engine, "hardware", "rtx-4090").prices)
    assert db_store.catalog().latest_price("rtx-4090", "used").price_usd == 1499.0
