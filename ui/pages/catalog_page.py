"""A catalog editor page (Hardware, Systems, Models, API prices, ...): sortable, filterable table over the store
with add / duplicate / edit / delete, undo/redo through the shared QUndoStack, and CSV export.

Every change goes through the pydantic schema first; a refused value shows its reason (at the field in the
dialog, in the red banner for in-cell edits) and nothing is written.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from advisor.app.record_fields import edited_data
from advisor.app.store import MemoryStore, record_key, validate_record
from advisor.errors import InputError
from ui.commands import DeleteRecord, SaveRecord, apply_and_push
from ui.csv_export import write_model_csv
from ui.dialogs.errors import run_guarded
from ui.dialogs.record_dialog import RecordDialog
from ui.models.record_table import KEY_ROLE, SORT_ROLE, RecordTableModel
from ui.widgets.table_util import fit_columns

PRICED = ("hardware", "hosts", "systems")  # kinds with price points
TITLES = {
    "hardware": "Hardware",
    "hosts": "Hosts",
    "systems": "Systems",
    "models": "Models",
    "quants": "Quant formats",
    "api_offers": "API prices",
}


class CatalogPage(QWidget):
    """Attributes for tests and the main window: model, proxy, table, filter_edit, error_label, dialog."""

    def __init__(
        self, store: MemoryStore, kind: str, undo_stack: QUndoStack, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.store, self.kind, self.undo_stack = store, kind, undo_stack
        self.dialog: RecordDialog | None = None
        self.model = RecordTableModel(kind, self._edit_cell, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)

        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText(f"Filter {TITLES.get(kind, kind).lower()}… (Ctrl+F)")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self.proxy.setFilterFixedString)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(f"<b>{TITLES.get(kind, kind)}</b>"))
        bar.addWidget(self.filter_edit, 1)
        self.buttons: dict[str, QPushButton] = {}
        for label, slot, tip in (
            ("Add", self.add_record, "Add a new record"),
            ("Duplicate", self.duplicate_selected, "Copy the selected record under a new id"),
            ("Edit", self.edit_selected, "Edit the selected record (or double-click a cell)"),
            ("Delete", self.delete_selected, "Delete the selected record (undo with Ctrl+Z)"),
            ("Add price…", self.add_price_selected, "Enter a price for the selected item: price, currency, "
             "condition, vendor, URL, date (a user batch in Price history; roll it back to remove it)"),
            ("Export CSV…", self.export_csv_dialog, "Save the table as shown (filtered, sorted) to CSV"),
        ):
            if label == "Add price…" and (kind not in PRICED or not hasattr(store, "engine")):
                continue
            button = QPushButton(label)
            button.setToolTip(tip)
            button.clicked.connect(lambda _c=False, s=slot: s())
            bar.addWidget(button)
            self.buttons[label] = button
        self.error_label = QLabel("")
        self.error_label.setObjectName("editError")
        self.error_label.setStyleSheet("color: white; background: #c0392b; padding: 4px;")
        self.error_label.setVisible(False)
        self.count_label = QLabel("")
        lay = QVBoxLayout(self)
        lay.addLayout(bar)
        lay.addWidget(self.error_label)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.count_label)
        self.table.doubleClicked.connect(lambda _i: None)
        store.subscribe(self._store_changed)
        self.reload()
        fit_columns(self.table)

    # --- data ----------------------------------------------------------------------------------------------
    def reload(self) -> None:
        selected = self.selected_key()
        self.model.set_records(self.store.records(self.kind))
        self.count_label.setText(f"{self.model.rowCount()} records; source and as-of date on every row")
        if selected:
            self.select_key(selected)

    def _store_changed(self, kind: str) -> None:
        if kind == self.kind:
            self.reload()

    def selected_key(self) -> str | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        return str(self.proxy.data(rows[0], KEY_ROLE))

    def select_key(self, key: str) -> bool:
        for r in range(self.proxy.rowCount()):
            if self.proxy.data(self.proxy.index(r, 0), KEY_ROLE) == key:
                self.table.selectRow(r)
                return True
        return False

    def add_price_selected(self) -> Any:
        """Open the price form for the selected hardware/host/system (non-blocking); None without one."""
        from advisor.app.price_data import PricedItem
        from ui.dialogs.price_point_dialog import PricePointDialog

        record = self.selected_record()
        if record is None:
            self.show_error("Select a row first, then add its price.")
            return None
        item = PricedItem(self.kind, record_key(record), str(getattr(record, "name", "")))
        dialog = PricePointDialog(self.store, item, self)
        self.price_dialog = dialog
        dialog.open()
        return dialog

    def selected_record(self) -> BaseModel | None:
        key = self.selected_key()
        row = self.model.row_of(key) if key else -1
        return self.model.record(row) if row >= 0 else None

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))

    # --- edits ---------------------------------------------------------------------------------------------
    def _save(self, before: BaseModel | None, after: BaseModel) -> None:
        apply_and_push(self.undo_stack, SaveRecord(self.store, self.kind, before, after, self.show_error))
        self.show_error("")
        self.select_key(record_key(after))

    def _edit_cell(self, record: BaseModel, field: str, text: str) -> bool:
        try:
            after = validate_record(self.kind, edited_data(self.kind, record, {field: text}))
            if after == record:
                return True
            self._save(record, after)
        except InputError as exc:
            self.show_error(f"Not saved — {exc}")
            return False
        return True

    def open_editor(self, base: BaseModel | None, mode: str) -> RecordDialog:
        def on_save(record: BaseModel) -> None:
            if mode != "edit" and self.store.get(self.kind, record_key(record)) is not None:
                raise InputError(f"{record_key(record)!r} already exists; choose another id", field="id")
            self._save(base if mode == "edit" else None, record)

        self.dialog = RecordDialog(self.kind, base, on_save, mode, self)
        self.dialog.open()
        return self.dialog

    def add_record(self) -> RecordDialog:
        return self.open_editor(None, "add")

    def duplicate_selected(self) -> RecordDialog | None:
        rec = self.selected_record()
        return self.open_editor(rec, "duplicate") if rec is not None else None

    def edit_selected(self) -> RecordDialog | None:
        rec = self.selected_record()
        return self.open_editor(rec, "edit") if rec is not None else None

    def delete_selected(self, confirm: bool = True) -> bool:
        rec = self.selected_record()
        if rec is None:
            return False
        if confirm:
            answer = QMessageBox.question(
                self, "Delete", f"Delete {self.kind} {record_key(rec)!r}? (Ctrl+Z undoes)"
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        try:
            apply_and_push(self.undo_stack, DeleteRecord(self.store, self.kind, rec, self.show_error))
        except InputError as exc:
            self.show_error(f"Not deleted — {exc}")
            return False
        self.show_error("")
        return True

    def export_csv(self, path: str) -> int:
        return write_model_csv(self.proxy, path)

    def export_csv_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export table", f"{self.kind}.csv", "CSV (*.csv)")
        if path:
            run_guarded(self, "Export CSV", lambda: self.export_csv(path))

    def current_index(self) -> QModelIndex:
        return self.table.currentIndex()
