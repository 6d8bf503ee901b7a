"""A table view whose first columns (the name, and what tells rows of one name apart) stay in place while the
other columns scroll sideways.

Qt's "frozen column" recipe: a second QTableView over the left edge shows only the first columns of the model
and shares the selection model, the row heights and the vertical scroll position. Clicks, arrow keys and
sorting act on both at once, so the name of a row is always next to the figures being read.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget


class FrozenColumnTable(QTableView):
    """Attributes for tests: `frozen` (the overlay view showing the first `frozen_count` columns)."""

    def __init__(self, parent: QWidget | None = None, frozen_count: int = 1) -> None:
        super().__init__(parent)
        self.frozen_count = frozen_count
        self.frozen = QTableView(self)
        self.frozen.setObjectName("frozenColumn")
        self.frozen.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.frozen.verticalHeader().hide()
        self.frozen.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.frozen.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.frozen.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.frozen.setFrameShape(QTableView.Shape.NoFrame)
        self.frozen.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.viewport().stackUnder(self.frozen)
        self.horizontalHeader().sectionResized.connect(self._section_resized)
        self.verticalHeader().sectionResized.connect(
            lambda row, _old, new: self.frozen.setRowHeight(row, new)
        )
        self.frozen.verticalScrollBar().valueChanged.connect(self.verticalScrollBar().setValue)
        self.verticalScrollBar().valueChanged.connect(self.frozen.verticalScrollBar().setValue)
        # a click on the frozen header sorts by name; both headers show the main one's sort indicator
        self.frozen.horizontalHeader().sectionClicked.connect(self._sort_by_name)
        self.frozen.horizontalHeader().setSortIndicatorShown(True)
        self.horizontalHeader().sortIndicatorChanged.connect(
            lambda col, order: self.frozen.horizontalHeader().setSortIndicator(col, order)
        )

    def _sort_by_name(self, col: int) -> None:
        if not self.isSortingEnabled():
            return
        header = self.horizontalHeader()
        ascending = (
            header.sortIndicatorSection() == col
            and header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
        )
        self.sortByColumn(col, Qt.SortOrder.DescendingOrder if ascending else Qt.SortOrder.AscendingOrder)

    def setModel(self, model: QAbstractItemModel | None) -> None:  # noqa: N802 (Qt override)
        super().setModel(model)
        self.frozen.setModel(model)
        self.frozen.setSelectionModel(self.selectionModel())
        if model is not None:
            model.modelReset.connect(self._hide_other_columns)
            model.layoutChanged.connect(self._hide_other_columns)
            model.columnsInserted.connect(self._hide_other_columns)
        self._hide_other_columns()

    def sync_look(self) -> None:
        """Copy the main view's row height and selection behaviour (call after configuring the table)."""
        self.frozen.verticalHeader().setDefaultSectionSize(self.verticalHeader().defaultSectionSize())
        self.frozen.setSelectionBehavior(self.selectionBehavior())
        self.frozen.setSelectionMode(self.selectionMode())
        self.frozen.setWordWrap(self.wordWrap())
        self._update_geometry()

    def _hide_other_columns(self, *_args: Any) -> None:
        model = self.model()
        if model is None:
            return
        for col in range(model.columnCount()):
            self.frozen.setColumnHidden(col, col >= self.frozen_count)
            if col < self.frozen_count:
                self.frozen.setColumnWidth(col, self.columnWidth(col))
        self._update_geometry()

    def frozen_width(self) -> int:
        return sum(self.columnWidth(col) for col in range(self.frozen_count))

    def _section_resized(self, col: int, _old: int, new: int) -> None:
        if col < self.frozen_count:
            self.frozen.setColumnWidth(col, new)
            self._update_geometry()

    def _update_geometry(self) -> None:
        frame = self.frameWidth()
        left = frame + (self.verticalHeader().width() if self.verticalHeader().isVisible() else 0)
        self.frozen.horizontalHeader().setFixedHeight(self.horizontalHeader().height())
        self.frozen.setGeometry(
            left, frame, self.frozen_width(), self.viewport().height() + self.horizontalHeader().height()
        )

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._update_geometry()

    def updateGeometries(self) -> None:  # noqa: N802 (Qt override): header height known only here
        super().updateGeometries()
        self._update_geometry()

    def scrollTo(  # noqa: N802 (Qt override)
        self,
        index: QModelIndex | QPersistentModelIndex,
        hint: QAbstractItemView.ScrollHint = QAbstractItemView.ScrollHint.EnsureVisible,
    ) -> None:
        # never scroll sideways to "show" a cell of a frozen column: the frozen copy shows it already
        if index.column() >= self.frozen_count:
            super().scrollTo(index, hint)
        else:
            keep = self.horizontalScrollBar().value()
            super().scrollTo(index, hint)
            self.horizontalScrollBar().setValue(keep)
