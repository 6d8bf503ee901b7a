"""A read-only table page with a filter box and CSV export (base of Price history and Workloads)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.csv_export import write_model_csv
from ui.dialogs.errors import run_guarded
from ui.models.dict_table import SORT_ROLE, DictTableModel
from ui.widgets.table_util import fit_columns


class TablePage(QWidget):
    def __init__(self, title: str, columns: Sequence[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.model = DictTableModel(columns, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText(f"Filter {title.lower()}… (Ctrl+F)")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self.proxy.setFilterFixedString)
        self.bar = QHBoxLayout()
        self.bar.addWidget(QLabel(f"<b>{title}</b>"))
        self.bar.addWidget(self.filter_edit, 1)
        export = QPushButton("Export CSV…")
        export.clicked.connect(lambda _c=False: self.export_csv_dialog())
        self.bar.addWidget(export)
        self.info = QLabel("")
        self.info.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.addLayout(self.bar)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.info)

    def set_rows(self, rows: Sequence[dict[str, Any]]) -> None:
        self.model.set_rows(rows)
        fit_columns(self.table)

    def export_csv(self, path: str) -> int:
        return write_model_csv(self.proxy, path)

    def export_csv_dialog(self) -> None:
        name = self.title.lower().replace(" ", "-") + ".csv"
        path, _ = QFileDialog.getSaveFileName(self, "Export table", name, "CSV (*.csv)")
        if path:
            run_guarded(self, "Export CSV", lambda: self.export_csv(path))
