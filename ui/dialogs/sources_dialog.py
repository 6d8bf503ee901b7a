"""Tools > Price feed sources…: the feeds `prices update` checks, editable in the app (advisor.feeds.sources).

A table of sources (name, URL or path, enabled, priority, last checked, ETag) with Add / Edit / Remove /
Enable-Disable. A location must be an http(s) URL or an existing file; a bad one is refused at the field
with the reason and nothing is written. "Check now" runs the usual update flow (fetch, validate, diff;
Apply writes one import batch) for the selected source in the background, in the Update prices dialog.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from advisor.app import prices
from advisor.errors import InputError
from ui.dialogs.errors import run_guarded
from ui.models.dict_table import DictTableModel
from ui.widgets.table_util import fit_columns
from ui.widgets.wheel_guard import guard_wheel

COLUMNS = (
    ("name", "name"),
    ("url", "URL or path"),
    ("enabled", "enabled"),
    ("priority", "priority"),
    ("last_checked", "last checked (UTC)"),
    ("etag", "ETag"),
)


def check_location(text: str) -> str:
    """An http(s) URL with a host, or the path of an existing file; InputError(field="url") otherwise.

    >>> check_location(" https://example.org/prices.json ")
    'https://example.org/prices.json'
    """
    location = text.strip()
    if not location:
        raise InputError("give an http(s) URL or a feed file", field="url")
    try:
        if prices.is_feed_url(location):
            return location
    except InputError as exc:
        raise InputError(str(exc).split(": ", 1)[-1], field="url") from None
    if not Path(location).expanduser().is_file():
        raise InputError(f"no such file: {location} (give an http(s) URL or an existing file)", field="url")
    return str(Path(location).expanduser())


class SourceForm(QDialog):
    """Add or edit one source. Attributes for tests: name, location, priority, enabled, error, buttons.

    Signals: saved(str name).
    """

    saved = Signal(str)

    def __init__(self, store: Any, source: Any = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store, self.source = store, source
        self.setWindowTitle("Edit feed source" if source else "Add feed source")
        self.name = QLineEdit(source.name if source else "")
        self.location = QLineEdit(source.url if source else "")
        self.location.setPlaceholderText("https://…/prices.json or a .json/.csv file")
        browse = QPushButton("File…")
        browse.clicked.connect(self._browse)
        loc_row = QHBoxLayout()
        loc_row.addWidget(self.location, 1)
        loc_row.addWidget(browse)
        self.priority = QSpinBox()
        self.priority.setRange(-1000, 1000)
        self.priority.setValue(source.priority if source else 0)
        guard_wheel(self.priority)
        self.priority.setToolTip(
            "Higher wins: on the same day its price is applied last, so it is the latest"
        )
        self.enabled = QCheckBox("checked by Update prices")
        self.enabled.setChecked(source.enabled if source else True)
        self.error = QLabel("")
        self.error.setObjectName("formError")
        self.error.setStyleSheet("color: #C0392B")
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Name", self.name)
        form.addRow("URL or file", loc_row)
        form.addRow("Priority", self.priority)
        form.addRow("Enabled", self.enabled)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)
        self.resize(560, 200)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Price feed file", "", "Price feeds (*.json *.csv)")
        if path:
            self.location.setText(path)

    def submit(self) -> bool:
        """Validate and write; on a bad value show the reason at the form and write nothing."""
        try:
            location = check_location(self.location.text())
            if self.source is None:
                info = prices.add_source(
                    self.store,
                    self.name.text(),
                    location,
                    enabled=self.enabled.isChecked(),
                    priority=self.priority.value(),
                )
            else:
                info = prices.update_source(
                    self.store,
                    self.source.name,
                    new_name=self.name.text(),
                    url=location,
                    enabled=self.enabled.isChecked(),
                    priority=self.priority.value(),
                )
        except InputError as exc:
            self.error.setText(str(exc))
            return False
        self.saved.emit(info.name)
        self.accept()
        return True


class SourcesDialog(QDialog):
    """Attributes for tests: model, table, add/edit/remove/toggle/check buttons, form, prices_dialog."""

    def __init__(self, store: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Price feed sources")
        self.store = store
        self.sources: list[Any] = []
        self.form: SourceForm | None = None
        self.prices_dialog: Any = None
        self.model = DictTableModel(COLUMNS, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _i: self.edit())
        self.add_button = QPushButton("Add…")
        self.edit_button = QPushButton("Edit…")
        self.remove_button = QPushButton("Remove")
        self.toggle_button = QPushButton("Disable")
        self.check_button = QPushButton("Check now")
        self.check_button.setToolTip(
            "Fetch and validate the selected source; shows the changes, writes nothing"
        )
        buttons = QHBoxLayout()
        for button, slot in (
            (self.add_button, self.add),
            (self.edit_button, self.edit),
            (self.remove_button, self.remove),
            (self.toggle_button, self.toggle_enabled),
            (self.check_button, self.check_now),
        ):
            button.clicked.connect(lambda _c=False, s=slot: s())
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.info = QLabel(
            "Sources are checked by Tools > Update prices and `python main.py prices update`, highest priority "
            "applied last. A changed URL forgets its ETag."
        )
        self.info.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.addWidget(self.table, 1)
        lay.addLayout(buttons)
        lay.addWidget(self.info)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self.reload()
        self.resize(900, 420)

    def reload(self, select: str | None = None) -> None:
        keep = select or (self.selected().name if self.selected() else None)
        self.sources = prices.list_sources(self.store)
        self.model.set_rows(
            [
                {
                    "name": s.name,
                    "url": s.url,
                    "enabled": "yes" if s.enabled else "no",
                    "priority": s.priority,
                    "last_checked": f"{s.last_checked:%Y-%m-%d %H:%M}" if s.last_checked else "never",
                    "etag": s.etag or "",
                }
                for s in self.sources
            ]
        )
        fit_columns(self.table)
        for row, s in enumerate(self.sources):
            if s.name == keep:
                self.table.selectRow(row)
        self._update_buttons()

    def selected(self) -> Any:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.sources[rows[0].row()] if rows and rows[0].row() < len(self.sources) else None

    def select(self, name: str) -> None:
        for row, s in enumerate(self.sources):
            if s.name == name:
                self.table.selectRow(row)

    def _update_buttons(self) -> None:
        source = self.selected()
        for b in (self.edit_button, self.remove_button, self.toggle_button, self.check_button):
            b.setEnabled(source is not None)
        self.toggle_button.setText("Enable" if source is not None and not source.enabled else "Disable")

    def _open_form(self, source: Any) -> SourceForm:
        form = SourceForm(self.store, source, self)
        form.saved.connect(lambda name: self.reload(select=name))
        self.form = form
        form.open()
        return form

    def add(self) -> SourceForm:
        return self._open_form(None)

    def edit(self) -> SourceForm | None:
        source = self.selected()
        return self._open_form(source) if source is not None else None

    def remove(self) -> None:
        source = self.selected()
        if source is not None:
            run_guarded(self, "Remove source", lambda: prices.remove_source(self.store, source.name))
            self.reload()

    def toggle_enabled(self) -> None:
        source = self.selected()
        if source is not None:
            run_guarded(
                self, "Source", lambda: prices.update_source(self.store, source.name, enabled=not source.enabled)
            )
            self.reload(select=source.name)

    def check_now(self) -> Any:
        """Open the Update prices dialog on the selected source and start its check in the background."""
        from ui.dialogs.prices_dialog import PricesDialog

        source = self.selected()
        if source is None:
            return None
        dialog = PricesDialog(self.store, self)
        dialog.location.setText(source.name)
        # after Apply the source's ETag and check time moved: show them
        dialog.panel.finished.connect(lambda _r: self.reload(select=source.name))
        self.prices_dialog = dialog
        dialog.show()
        dialog.check()
        return dialog
