"""Sweep results as a sortable Qt table (a thin adapter over SweepPoint rows; it never computes).

POINT_ROLE gives the row's index into SweepResult.points, so a sorted view still finds its plot point.
Pareto-front rows are bold and say "front" in their own column.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from advisor.app.sweep import SweepPoint, SweepResult

Index = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
POINT_ROLE = Qt.ItemDataRole.UserRole + 2
NEVER = float("inf")

# header, display, sort key; `front` is whether the point is on the Pareto front
COLUMNS: tuple[tuple[str, Callable[[SweepPoint, bool], str], Callable[[SweepPoint, bool], Any]], ...] = (
    ("Configuration", lambda p, f: p.system_name, lambda p, f: p.name),
    ("Quant", lambda p, f: p.quant, lambda p, f: p.quant),
    ("Pareto", lambda p, f: "front" if f else "", lambda p, f: 0 if f else 1),
    ("Horizon cost [USD]", lambda p, f: f"{p.horizon_cost_usd:,.0f}", lambda p, f: p.horizon_cost_usd),
    ("Per user [tok/s]", lambda p, f: f"{p.tok_s_per_user:.1f}", lambda p, f: p.tok_s_per_user),
    ("Meets SLA", lambda p, f: "yes" if p.meets_sla else "no", lambda p, f: 0 if p.meets_sla else 1),
    (
        "Break-even [months]",
        lambda p, f: "never" if p.break_even_month is None else f"{p.break_even_month:.1f}",
        lambda p, f: NEVER if p.break_even_month is None else p.break_even_month,
    ),
    ("Units", lambda p, f: str(p.units), lambda p, f: p.units),
)
NUMBER_COLUMNS = {3, 4, 6, 7}


class SweepModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._points: list[SweepPoint] = []
        self._front: set[int] = set()

    def set_result(self, result: SweepResult | None) -> None:
        self.beginResetModel()
        self._points = list(result.points) if result is not None else []
        self._front = set(result.front) if result is not None else set()
        self.endResetModel()

    def points(self) -> Sequence[SweepPoint]:
        return self._points

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._points)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._points):
            return None
        point, on_front = self._points[index.row()], index.row() in self._front
        _, display, key = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return display(point, on_front)
        if role == SORT_ROLE:
            return key(point, on_front)
        if role == POINT_ROLE:
            return index.row()
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 0:
            return point.name  # the column is narrower than the longest names
        if role == Qt.ItemDataRole.FontRole and on_front:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in NUMBER_COLUMNS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            if 0 <= section < len(COLUMNS):
                return COLUMNS[section][0]
        return None
