"""Price history > Add price point…: price [USD], condition, vendor, URL, date and source for one item.

Checked at the field (the catalog's own PricePoint model): a bad value is named next to the form and
nothing is written. Saved as its own "manual" import batch, so it shows in the history with its batch
and Roll back batch… removes it again.

Signals: added(int) with the new batch id.
"""

from __future__ import annotations

import datetime as dt

from pydantic import ValidationError
from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from advisor.catalog.schema import PricePoint
from advisor.errors import InputError
from ui.price_data import CONDITIONS, PricedItem
from ui.store import MemoryStore
from ui.widgets.wheel_guard import guard_wheel

ERROR_STYLE = "border: 2px solid #c0392b;"


class PricePointDialog(QDialog):
    """Attributes for tests: price, condition, vendor, url, date, source, error_label, batch_id."""

    added = Signal(int)

    def __init__(self, store: MemoryStore, item: PricedItem, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store, self.item = store, item
        self.batch_id: int | None = None
        self.setWindowTitle(f"Add a price — {item.name}")
        self.price = QLineEdit()
        self.price.setPlaceholderText("e.g. 1999")
        self.price.setToolTip("Price paid or quoted [USD], more than 0")
        self.condition = QComboBox()
        self.condition.addItems(list(CONDITIONS))
        self.vendor = QLineEdit()
        self.url = QLineEdit()
        self.url.setPlaceholderText("https://… (optional)")
        self.date = QDateEdit(QDate.currentDate())
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.date.setMaximumDate(QDate.currentDate())  # an observation, not a forecast
        self.source = QLineEdit("entered by hand")
        self.source.setToolTip("Where the price comes from (at least 3 characters)")
        form = QFormLayout()
        form.addRow("Price [USD] *", self.price)
        form.addRow("Condition", self.condition)
        form.addRow("Vendor", self.vendor)
        form.addRow("URL", self.url)
        form.addRow("Observed on", self.date)
        form.addRow("Source *", self.source)
        self.error_label = QLabel("")
        self.error_label.setObjectName("formError")
        self.error_label.setStyleSheet("color: #C0392B")
        self.error_label.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(f"<b>{item.name}</b> [{item.kind}]"))
        lay.addLayout(form)
        lay.addWidget(self.error_label)
        lay.addWidget(buttons)
        guard_wheel(self)

    def point(self) -> PricePoint:
        """The form as a PricePoint; InputError names the field that is wrong."""
        text = self.price.text().strip().replace(",", "").removeprefix("$")
        try:
            price = float(text)
        except ValueError:
            raise InputError(f"{self.price.text()!r} is not a number", field="price") from None
        qdate = self.date.date()
        try:
            return PricePoint(
                price_usd=price,
                condition=self.condition.currentText(),  # type: ignore[arg-type]
                vendor=self.vendor.text().strip(),
                url=self.url.text().strip(),
                observed_at=dt.date(qdate.year(), qdate.month(), qdate.day()),
                source=self.source.text().strip(),
            )
        except ValidationError as exc:
            err = exc.errors()[0]
            field = str(err["loc"][0]) if err["loc"] else "price"
            raise InputError(
                str(err["msg"]).lower(), field="price" if field == "price_usd" else field
            ) from None

    def submit(self) -> None:
        for w in (self.price, self.source):
            w.setStyleSheet("")
        try:
            point = self.point()
            engine = getattr(self.store, "engine", None)
            if engine is None:
                raise InputError("the in-memory sample cannot store prices; open the database", field="store")
            from advisor.db.user_prices import add_price_point

            self.batch_id = add_price_point(engine, self.item.kind, self.item.id, point)
        except InputError as exc:
            self.error_label.setText(str(exc))  # "price: input should be greater than 0"
            widget = {"price": self.price, "source": self.source}.get(str(getattr(exc, "field", "")))
            if widget is not None:
                widget.setStyleSheet(ERROR_STYLE)
                widget.setFocus()
            return
        self.added.emit(self.batch_id)
        self.accept()
