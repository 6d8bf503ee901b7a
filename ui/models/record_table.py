"""Catalog records of one kind as a Qt table: a thin adapter, units in the headers, source + as_of shown.

Edits in a cell are handed to `edit_handler(record, field, text) -> bool` (the page validates and saves them
through the undo stack); the model itself never writes anything, it only shows what the store holds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from pydantic import BaseModel
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from advisor.app.record_fields import FieldInfo, columns_of, to_text
from advisor.app.store import record_key

Index = QModelIndex | QPersistentModelIndex
EditHandler = Callable[[BaseModel, str, str], bool]
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
KEY_ROLE = Qt.ItemDataRole.UserRole + 2
PRICED = {"hardware", "hosts", "systems"}


def latest_price(record: BaseModel, condition: str = "new") -> float | None:
    points = [p for p in getattr(record, "prices", []) if p.condition == condition]
    return max(points, key=lambda p: p.observed_at).price_usd if points else None


class RecordTableModel(QAbstractTableModel):
    """Rows are records of `kind`; columns from advisor.app.record_fields (plus latest new/used price when priced)."""

    def __init__(self, kind: str, edit_handler: EditHandler | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.columns: list[FieldInfo] = columns_of(kind)
        self.price_columns = ("new", "used") if kind in PRICED else ()
        self._rows: list[BaseModel] = []
        self.edit_handler = edit_handler

    def set_records(self, records: Sequence[BaseModel]) -> None:
        self.beginResetModel()
        self._rows = list(records)
        self.endResetModel()

    def record(self, row: int) -> BaseModel:
        return self._rows[row]

    def records(self) -> list[BaseModel]:
        return list(self._rows)

    def row_of(self, key: str) -> int:
        return next((i for i, r in enumerate(self._rows) if record_key(r) == key), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns) + len(self.price_columns)

    def _field(self, column: int) -> FieldInfo | None:
        return self.columns[column] if column < len(self.columns) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        rec = self._rows[index.row()]
        info = self._field(index.column())
        if info is None:
            if not 0 <= index.column() - len(self.columns) < len(self.price_columns):
                return None
            value: Any = latest_price(rec, self.price_columns[index.column() - len(self.columns)])
        else:
            value = getattr(rec, info.name, None)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if info is None and value is not None:
                return f"{value:,.0f}"
            return to_text(value)
        if role == SORT_ROLE:
            if value is None:
                return ""
            return value if isinstance(value, (int, float)) else to_text(value).lower()
        if role == KEY_ROLE:
            return record_key(rec)
        if role == Qt.ItemDataRole.ToolTipRole and info is not None:
            notes = getattr(rec, "notes", "")
            return f"{info.description}\nsource: {getattr(rec, 'source', '')}" + (
                f"\n{notes}" if notes else ""
            )
        if (
            role == Qt.ItemDataRole.TextAlignmentRole
            and isinstance(value, (int, float))
            and not isinstance(value, bool)
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.columnCount():
            return None
        info = self._field(section)
        if role == Qt.ItemDataRole.DisplayRole:
            # the unit on a second line: numeric columns stay as narrow as their numbers
            if info is None:
                return f"price {self.price_columns[section - len(self.columns)]}\n[USD]"
            return info.header.replace(" [", "\n[")
        if role == Qt.ItemDataRole.ToolTipRole:
            return info.description if info is not None else "latest price point in that condition [USD]"
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        info = self._field(index.column())
        # ids are identities (systems and scenarios refer to them): change them by duplicating instead
        if info is not None and info.name != "id" and self.edit_handler is not None:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self.edit_handler is None:
            return False
        info = self._field(index.column())
        if info is None or info.name == "id":
            return False
        # the store's change notification resets the model; the handler refuses bad values
        return self.edit_handler(self._rows[index.row()], info.name, str(value))
