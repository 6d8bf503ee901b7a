"""Ranked candidates of a Recommendation as a read-only Qt table (a thin adapter: it never computes)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from advisor.engine.types import CandidateResult

Index = QModelIndex | QPersistentModelIndex


def _money(v: float) -> str:
    return f"{v:,.0f}"


def _months(v: float | None) -> str:
    return "never" if v is None else f"{v:.1f}"


# header, display, sort key
COLUMNS: tuple[tuple[str, Callable[[CandidateResult], str], Callable[[CandidateResult], Any]], ...] = (
    ("Candidate", lambda c: c.name, lambda c: c.name),
    ("Quant", lambda c: c.quant, lambda c: c.quant),
    ("Fits", lambda c: "yes" if c.fits else "no", lambda c: c.fits),
    ("Meets SLA", lambda c: "yes" if c.meets_sla else "no", lambda c: c.meets_sla),
    (
        "Per user [tok/s]",
        lambda c: f"{c.estimate.tg_tok_s_per_user:.1f}",
        lambda c: c.estimate.tg_tok_s_per_user,
    ),
    ("Aggregate [tok/s]", lambda c: f"{c.estimate.tg_tok_s:.1f}", lambda c: c.estimate.tg_tok_s),
    ("Capex [USD]", lambda c: _money(c.capex_usd), lambda c: c.capex_usd),
    ("Opex [USD/month]", lambda c: _money(c.monthly_opex_usd), lambda c: c.monthly_opex_usd),
    ("API [USD/month]", lambda c: _money(c.monthly_api_usd), lambda c: c.monthly_api_usd),
    (
        "Break-even [months]",
        lambda c: _months(c.break_even_month),
        lambda c: 1e9 if c.break_even_month is None else c.break_even_month,
    ),
    ("Horizon cost [USD]", lambda c: _money(c.horizon_cost_local_usd), lambda c: c.horizon_cost_local_usd),
    ("Local [USD/Mtok]", lambda c: f"{c.cost_per_mtok_local_usd:.3f}", lambda c: c.cost_per_mtok_local_usd),
)

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2


class CandidatesModel(QAbstractTableModel):
    """Rows are CandidateResult in the engine's ranking order. SORT_ROLE gives numbers for sorting."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[CandidateResult] = []

    def set_rows(self, rows: Sequence[CandidateResult]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row(self, i: int) -> CandidateResult:
        return self._rows[i]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        cand = self._rows[index.row()]
        _, display, key = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return display(cand)
        if role == SORT_ROLE:
            return key(cand)
        if role == ID_ROLE:
            return f"{cand.system_id}|{cand.quant}"  # same as advisor.app.estimates.candidate_key
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(cand.reasons) or None
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() >= 4:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            if 0 <= section < len(COLUMNS):
                return COLUMNS[section][0]
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None
