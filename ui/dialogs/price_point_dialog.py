"""Add a price point to an item by hand, or correct a stored one (Price history > Add / Edit price point…).

What the user types is checked by the feed rules (advisor.app.prices.add_price_point / edit_price_point); a
refused value is named under the form and nothing is written. The point is saved as a "user" import batch
(an edit's batch also removes the old point), so it shows in the history with its batch and is undone by
rolling that batch back (Roll back batch… or Undo), like any feed.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from advisor.app import prices
from advisor.app.price_data import CONDITIONS, FEED_KIND, HistoryRow, PricedItem
from advisor.errors import InputError

CURRENCIES = ("USD", "EUR", "GBP", "JPY", "CNY", "CAD", "AUD", "CHF")


class PricePointDialog(QDialog):
    """Signals: added(int) with the new batch id. Attributes for tests: price, currency, condition, vendor,
    url, date, error, buttons."""

    added = Signal(int)

    def __init__(self, store: Any, item: PricedItem, parent: QWidget | None = None,
                 point: HistoryRow | None = None) -> None:
        super().__init__(parent)
        self.store, self.item, self.point = store, item, point
        self.setWindowTitle(f"{'Edit' if point else 'Add'} price point — {item.name}")
        self.price = QDoubleSpinBox()
        self.price.setRange(0.0, 1e9)
        self.price.setDecimals(2)
        self.price.setToolTip("Price of one unit, in the currency chosen [currency units]")
        self.currency = QComboBox()
        self.currency.addItems(CURRENCIES)
        self.currency.setToolTip("Converted to USD with the stored exchange rates")
        self.condition = QComboBox()
        self.condition.addItems(list(CONDITIONS))
        self.vendor = QLineEdit()
        self.vendor.setPlaceholderText("shop or marketplace, e.g. eBay")
        self.url = QLineEdit()
        self.url.setPlaceholderText("https://… (where the price was seen)")
        self.date = QDateEdit(QDate.currentDate())
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.date.setToolTip("The day the price was observed")
        self.error = QLabel("")
        self.error.setStyleSheet("color:#C0392B")
        self.error.setWordWrap(True)
        form = QFormLayout()
        for label, widget in (("Price", self.price), ("Currency", self.currency), ("Condition", self.condition),
                              ("Vendor", self.vendor), ("URL", self.url), ("Observed", self.date)):
            form.addRow(label, widget)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        if point is not None:
            self._fill(point)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)

    def _fill(self, point: HistoryRow) -> None:
        """The stored point's values, as quoted (its currency and original price where it had one)."""
        quoted = point.currency if point.currency in CURRENCIES and point.price_original is not None else "USD"
        self.currency.setCurrentText(quoted)
        self.price.setValue(point.price_original if quoted != "USD" and point.price_original else point.price_usd)
        if self.condition.findText(point.condition) < 0:  # a rental rate keeps its condition
            self.condition.addItem(point.condition)
        self.condition.setCurrentText(point.condition)
        self.vendor.setText(point.vendor)
        self.url.setText(point.url)
        day = point.observed_at.date()
        self.date.setDate(QDate(day.year, day.month, day.day))

    def submit(self) -> bool:
        """Validate and save as one user batch; on a bad value show the reason and write nothing."""
        fields = dict(currency=self.currency.currentText(), condition=self.condition.currentText(),
                      vendor=self.vendor.text().strip(), url=self.url.text().strip(),
                      observed_at=self.date.date().toString("yyyy-MM-dd"))
        kind, item, price = FEED_KIND[self.item.kind], self.item.id, self.price.value()
        try:
            if self.point is not None and self.point.point_id is not None:
                result = prices.edit_price_point(self.store, self.point.point_id, kind, item, price, **fields)
            else:
                result = prices.add_price_point(self.store, kind, item, price, **fields)
        except InputError as exc:
            self.error.setText(str(exc))
            return False
        self.added.emit(int(result.batch_id))
        self.accept()
        return True
