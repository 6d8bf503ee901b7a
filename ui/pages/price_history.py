"""Price history: pick an item (filterable list) to see its prices over time, new / used / refurb as separate
lines, import batches as markers; the table of points below; "Roll back batch…" takes one import back out.

Prices are history, never overwritten: a feed appends a batch of points, and a rollback removes exactly
that batch's points (never the bundled seed batch).
"""

from __future__ import annotations

from collections import Counter

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

from ui.dialogs.price_point_dialog import PricePointDialog
from ui.dialogs.rollback_dialog import RollbackDialog
from ui.pages.table_page import TablePage
from ui.plots.price_plot import PricePlot
from ui.price_data import Batch, PricedItem, batches, has_database, item_history, priced_items
from ui.store import MemoryStore

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
        self.add_button.setToolTip(
            "Enter a price you paid or saw for the selected item; saved as its own batch (undo: Roll back)"
        )
        self.add_button.clicked.connect(lambda _c=False: self.open_add_price())
        self.price_dialog: PricePointDialog | None = None
        self.points.bar.addWidget(self.add_button)
        self.points.bar.addWidget(self.rollback_button)
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
        self.add_button.setEnabled(isinstance(item, PricedItem) and has_database(self.store))
        if not isinstance(item, PricedItem):
            self.current_item = None
            self.plot.clear("Pick an item on the left to plot its prices")
            self.points.set_rows(self.store.price_history())
            return
        self.current_item = item
        rows = item_history(self.store, item)
        self.plot.display(item.name, rows, self.batch_info)
        self.points.set_rows(
            [r.as_dict(self.batch_info.get(r.batch_id or -1)) for r in reversed(rows)]  # newest first
        )

    # --- actions -----------------------------------------------------------------------------------------
    def selected_batch_id(self) -> int | None:
        """The batch of the selected table row, if any."""
        index = self.points.table.currentIndex()
        if not index.isValid():
            return None
        row = self.points.model.row_dict(self.points.proxy.mapToSource(index).row())
        return row.get("batch") if isinstance(row.get("batch"), int) else None

    def open_add_price(self) -> PricePointDialog | None:
        """The Add price point form for the item on show (non-blocking); None without an item."""
        if self.current_item is None:
            return None
        dialog = PricePointDialog(self.store, self.current_item, self)
        dialog.added.connect(self._price_added)
        self.price_dialog = dialog
        dialog.open()
        return dialog

    def _price_added(self, batch_id: int) -> None:
        reload = getattr(self.store, "reload", None)
        if reload is not None:
            reload()  # the catalog (and so every scenario) now sees the new price; listeners redraw
        else:
            self.reload()
        self.points.info.setText(f"Added as batch {batch_id} (manual); Roll back batch… removes it again.")

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
