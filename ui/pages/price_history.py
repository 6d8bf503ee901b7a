"""Price history: every price point of hardware, hosts and systems (prices are history, never overwritten)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ui.pages.table_page import TablePage
from ui.store import MemoryStore

COLUMNS = (
    ("observed_at", "observed"),
    ("kind", "kind"),
    ("item", "item"),
    ("price_usd", "price [USD]"),
    ("condition", "condition"),
    ("vendor", "vendor"),
    ("source", "source"),
    ("url", "url"),
)


class PriceHistoryPage(TablePage):
    def __init__(self, store: MemoryStore, parent: QWidget | None = None) -> None:
        super().__init__("Price history", COLUMNS, parent)
        self.store = store
        self.info.setText(
            "Newest first. `python main.py prices update` appends a feed's prices; "
            "`prices rollback BATCH` removes one import."
        )
        store.subscribe(lambda kind: self.reload() if kind in ("hardware", "hosts", "systems") else None)
        self.reload()

    def reload(self) -> None:
        self.set_rows(self.store.price_history())
