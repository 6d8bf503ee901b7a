"""Price history: pick an item (filterable list) to see its prices over time, new / used / refurb as separate
lines, import batches as markers; the table of points below; "Roll back batch…" takes one import back out.

Prices are history, never overwritten: a feed appends a batch of points, and a rollback removes exactly
that batch's points (never the bundled seed batch). Add / Edit… / Delete make "user" batches (an edit's
batch adds the corrected point and retracts the old one; a delete's only retracts), so Undo is a rollback.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from advisor.app import prices
from advisor.app.price_data import (
    Batch,
    HistoryRow,
    PricedItem,
    batches,
    has_database,
    item_history,
    priced_items,
    roll_back,
)
from advisor.app.store import MemoryStore
from advisor.errors import InputError
from ui.dialogs.errors import show_error
from ui.dialogs.rollback_dialog import RollbackDialog
from ui.pages.table_page import TablePage
from ui.plots.price_plot import PricePlot

COLUMNS = (
    ("observed_at", "observed"),
    ("kind", "kind"),
    ("item", "item"),
    ("price_usd", "price [USD]"),
    ("condition", "condition"),
    ("vendor", "vendor"),
    ("source", "source"),
    ("batch", "batch"),
    ("batch_kind", "batch kind"),
    ("url", "url"),
)
ALL_ITEMS = "All items"
ITEM_ROLE = Qt.ItemDataRole.UserRole


class PriceHistoryPage(QWidget):
    """Attributes for tests: item_filter, item_list, plot (PricePlot), points (TablePage), rollback_button,
    rollback_dialog (the last one opened), current_item."""

    def __init__(self, store: MemoryStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.current_item: PricedItem | None = None
        self.batch_info: dict[int, Batch] = {}
        self.rollback_dialog: RollbackDialog | None = None
        self._rows: dict[int, HistoryRow] = {}
        self.item_filter = self.filter_edit = QLineEdit()  # Ctrl+F lands here
        self.item_filter.setPlaceholderText("Filter items… (Ctrl+F)")
        self.item_filter.setClearButtonEnabled(True)
        self.item_filter.textChanged.connect(self._filter_items)
        self.item_list = QListWidget()
        self.item_list.currentItemChanged.connect(lambda cur, _prev: self._item_chosen(cur))
        left = QWidget()
        left_lay = QVBoxLayout(left)
        left_lay.setContentsMargins(0, 0, 0, 0)
        left_lay.addWidget(QLabel("<b>Items</b>"))
        left_lay.addWidget(self.item_filter)
        left_lay.addWidget(self.item_list, 1)
        self.plot = PricePlot()
        self.points = TablePage("Price points", COLUMNS)
        self.points.filter_edit.setPlaceholderText("Filter these price points…")
        self.rollback_button = QPushButton("Roll back batch…")
        self.rollback_button.setToolTip(
            "Remove every price point of one import batch (never the seed catalog)"
        )
        self.rollback_button.clicked.connect(lambda _c=False: self.open_rollback())
        self.add_button = QPushButton("Add price point…")
        self.add_button.setToolTip("Enter a price you were quoted or saw for the selected item (a user batch: "
                                   "roll it back to remove it)")
        self.add_button.clicked.connect(lambda _c=False: self.open_add_price())
        self.add_button.setEnabled(has_database(store))
        self.edit_button = QPushButton("Edit…")
        self.edit_button.setToolTip("Correct the selected price point (a user batch replaces it; Undo or "
                                    "rolling the batch back restores it)")
        self.edit_button.clicked.connect(lambda _c=False: self.open_edit_price())
        self.delete_button = QPushButton("Delete")
        self.delete_button.setToolTip("Remove the selected price point (a user batch; Undo brings it back)")
        self.delete_button.clicked.connect(lambda _c=False: self.delete_selected())
        self.undo_button = QPushButton("Undo")
        self.undo_button.setToolTip("Roll back the last price point you added, edited or deleted here")
        self.undo_button.clicked.connect(lambda _c=False: self.undo_last())
        self.undo_button.setEnabled(False)
        self._user_batches: list[int] = []  # batches made on this page, newest last (Undo pops them)
        self.price_dialog: Any = None
        for button in (self.add_button, self.edit_button, self.delete_button, self.undo_button,
                       self.rollback_button):
            self.points.bar.addWidget(button)
        self.points.table.selectionModel().currentRowChanged.connect(lambda _c, _p: self._sync_buttons())
        self.points.info.setText(
            "Prices are history: feeds append import batches (Tools > Update prices from a feed…); "
            "a rollback removes exactly one batch's points."
            if has_database(store)
            else "The in-memory sample catalog: its prices have no import batches to roll back."
        )
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.plot)
        right.addWidget(self.points)
        right.setSizes([520, 330])
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(1, 1)
        split.setSizes([260, 1000])
        lay = QVBoxLayout(self)
        lay.addWidget(split)
        store.subscribe(lambda kind: self.reload() if kind in ("hardware", "hosts", "systems") else None)
        self.reload()

    # --- data --------------------------------------------------------------------------------------------
    def reload(self) -> None:
        """Re-read items, batches and the current item's points (after a feed or a rollback)."""
        keep = self.current_item
        self.batch_info = batches(self.store)
        self.rollback_button.setEnabled(any(b.can_roll_back for b in self.batch_info.values()))
        counts = Counter((r["kind"], r["item"]) for r in self.store.price_history())
        self.item_list.blockSignals(True)
        self.item_list.clear()
        self.item_list.addItem(ALL_ITEMS)
        best: QListWidgetItem | None = None
        best_count = -1
        for item in priced_items(self.store):
            n = counts.get((item.kind, item.id), 0)
            entry = QListWidgetItem(f"{item.name}  ({n})")
            entry.setData(ITEM_ROLE, item)
            entry.setToolTip(f"{item.kind} {item.id}: {n} price points")
            self.item_list.addItem(entry)
            if keep is not None and item == keep:
                best, best_count = entry, 1 << 30
            elif n > best_count:  # first visit: the item with the longest history
                best, best_count = entry, n
        self.item_list.blockSignals(False)
        self._filter_items(self.item_filter.text())
        self.item_list.setCurrentItem(best or self.item_list.item(0))
        self._item_chosen(self.item_list.currentItem())

    def select_item(self, key: str) -> bool:
        """Show the item with this id or name (case-insensitive); False if there is none."""
        for row in range(self.item_list.count()):
            item = self.item_list.item(row).data(ITEM_ROLE)
            if isinstance(item, PricedItem) and key.lower() in (item.id.lower(), item.name.lower()):
                self.item_list.setCurrentRow(row)
                return True
        return False

    def _filter_items(self, text: str) -> None:
        needle = text.strip().lower()
        for row in range(self.item_list.count()):
            entry = self.item_list.item(row)
            entry.setHidden(bool(needle) and row > 0 and needle not in entry.text().lower())

    def _item_chosen(self, entry: QListWidgetItem | None) -> None:
        item = entry.data(ITEM_ROLE) if entry is not None else None
        if not isinstance(item, PricedItem):
            self.current_item = None
            self.plot.clear("Pick an item on the left to plot its prices")
            self.points.set_rows(self.store.price_history())
            return
        self.current_item = item
        rows = item_history(self.store, item)
        self.plot.display(item.name, rows, self.batch_info)
        self._rows = {r.point_id: r for r in rows if r.point_id is not None}
        self.points.set_rows(
            [r.as_dict(self.batch_info.get(r.batch_id or -1)) for r in reversed(rows)]  # newest first
        )
        self._sync_buttons()

    def _sync_buttons(self) -> None:
        point = self.selected_point()
        self.edit_button.setEnabled(point is not None)
        self.delete_button.setEnabled(point is not None)
        self.undo_button.setEnabled(bool(self._user_batches))

    # --- actions -----------------------------------------------------------------------------------------
    def selected_batch_id(self) -> int | None:
        """The batch of the selected table row, if any."""
        index = self.points.table.currentIndex()
        if not index.isValid():
            return None
        row = self.points.model.row_dict(self.points.proxy.mapToSource(index).row())
        return row.get("batch") if isinstance(row.get("batch"), int) else None

    def selected_point(self) -> HistoryRow | None:
        """The stored price point of the selected table row (None: no row, or the in-memory sample)."""
        index = self.points.table.currentIndex()
        if not index.isValid() or self.current_item is None:
            return None
        row = self.points.model.row_dict(self.points.proxy.mapToSource(index).row())
        point_id = row.get("point")
        return self._rows.get(point_id) if isinstance(point_id, int) else None

    def open_edit_price(self) -> Any:
        """Open the form on the selected point (non-blocking); None when no stored point is selected."""
        from ui.dialogs.price_point_dialog import PricePointDialog

        point = self.selected_point()
        if point is None or self.current_item is None:
            self.points.info.setText("Select a price point of an item first, then edit it.")
            return None
        dialog = PricePointDialog(self.store, self.current_item, self, point=point)
        dialog.added.connect(lambda batch: self._user_batch_made(batch, "Edited", point.point_id))
        self.price_dialog = dialog
        dialog.open()
        return dialog

    def delete_selected(self) -> int | None:
        """Remove the selected point as a user batch; its id, or None when nothing was removed."""
        point = self.selected_point()
        if point is None or point.point_id is None:
            self.points.info.setText("Select a price point of an item first, then delete it.")
            return None
        try:
            result = prices.delete_price_point(self.store, point.point_id)
        except InputError as exc:
            show_error(self, "Delete price point", str(exc))
            return None
        self._user_batch_made(int(result.batch_id), "Deleted", point.point_id)
        return int(result.batch_id)

    def undo_last(self) -> bool:
        """Roll back the newest batch this page made (add, edit or delete); False when there is none."""
        while self._user_batches:
            batch_id = self._user_batches.pop()
            batch = batches(self.store).get(batch_id)
            if batch is None or not batch.can_roll_back:
                continue  # rolled back some other way meanwhile
            try:
                roll_back(self.store, batch)
            except InputError as exc:
                show_error(self, "Undo", str(exc))
                return False
            self.reload()
            self.points.info.setText(f"Undone: batch {batch_id} rolled back.")
            return True
        self._sync_buttons()
        return False

    def _user_batch_made(self, batch_id: int, verb: str, point_id: int | None) -> None:
        self._user_batches.append(batch_id)
        if not hasattr(self.store, "reload"):
            self.reload()
        what = f"price point {point_id}" if point_id is not None else "price point"
        self.points.info.setText(f"{verb} {what} as batch {batch_id} (Undo or Roll back batch… reverts it).")
        self._sync_buttons()

    def open_add_price(self) -> Any:
        """Open the form for a hand-entered price of the current item (non-blocking); None without one."""
        from ui.dialogs.price_point_dialog import PricePointDialog

        if self.current_item is None:
            self.points.info.setText("Pick an item on the left first, then add its price.")
            return None
        dialog = PricePointDialog(self.store, self.current_item, self)
        dialog.added.connect(lambda batch: self._user_batch_made(batch, "Added", None))
        self.price_dialog = dialog
        dialog.open()
        return dialog

    def open_rollback(self) -> RollbackDialog:
        """Open the confirmation dialog (non-blocking), preselecting the selected row's batch."""
        dialog = RollbackDialog(self.store, list(self.batch_info.values()), self.selected_batch_id(), self)
        dialog.rolled_back.connect(self._rolled_back)
        self.rollback_dialog = dialog
        dialog.open()
        return dialog

    def _rolled_back(self, batch_id: int, removed: int) -> None:
        self.points.info.setText(f"Rolled back batch {batch_id}: {removed} price points removed.")
        if not hasattr(self.store, "reload"):  # a store that does not announce changes itself
            self.reload()

    def export_csv_dialog(self) -> None:
        self.points.export_csv_dialog()
