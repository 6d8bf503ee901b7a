"""Ranked candidates of a Recommendation as a read-only Qt table (a thin adapter: it never computes).

A setup that does not fit has no speed and no cost: its figures are dashes and Status gives the reason
(issue 14: "DOES NOT FIT" rows used to show tok/s as if they ran).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QPalette

from advisor.engine.types import CandidateResult

Index = QModelIndex | QPersistentModelIndex


def _money(v: float) -> str:
    return f"{v:,.0f}"


def _months(v: float | None) -> str:
    return "never" if v is None else f"{v:.1f}"


NOT_COSTED = "—"  # a setup that does not fit has no speed and no cost: a dash, the reason is in Status


def _costed(c: CandidateResult) -> bool:
    return c.fits and bool(c.cumulative_local_usd)


def status(c: CandidateResult) -> str:
    """Short words for the Status column: why a row is not a buying option, in the engine's own words."""
    if c.skipped:
        return f"skipped: {c.skipped}"
    if not c.fits:
        return f"does not fit: {c.estimate.reason}" if c.estimate.reason else "does not fit"
    if not c.meets_sla:
        why = next((r for r in c.reasons if "SLA" in r), "")
        return f"misses SLA: {why}" if why else "misses SLA"
    return "meets SLA"


def _if_fits(c: CandidateResult, text: Callable[[CandidateResult], str]) -> str:
    return text(c) if c.fits else NOT_COSTED


def _if_costed(c: CandidateResult, text: Callable[[CandidateResult], str]) -> str:
    return text(c) if _costed(c) else NOT_COSTED


_LAST = float("inf")  # rows without a figure sort after every number

# header (units on a second line, so the money columns stay narrow), display, sort key.
# Order: what decides a purchase first (break-even, horizon cost, capex), so it is on screen at 1280 px;
# Status last, where its longer text can stretch.
COLUMNS: tuple[tuple[str, Callable[[CandidateResult], str], Callable[[CandidateResult], Any]], ...] = (
    ("Candidate", lambda c: c.name, lambda c: c.name),
    ("Quant", lambda c: c.quant, lambda c: c.quant),
    (
        "Break-even\n[months]",
        lambda c: _if_costed(c, lambda c: _months(c.break_even_month)),
        lambda c: _LAST if not _costed(c) or c.break_even_month is None else c.break_even_month,
    ),
    (
        "Horizon cost\n[USD]",
        lambda c: _if_costed(c, lambda c: _money(c.horizon_cost_local_usd)),
        lambda c: c.horizon_cost_local_usd if _costed(c) else _LAST,
    ),
    ("Capex\n[USD]", lambda c: _money(c.capex_usd), lambda c: c.capex_usd),
    (
        "Per user\n[tok/s]",
        lambda c: _if_fits(c, lambda c: f"{c.estimate.tg_tok_s_per_user:.1f}"),
        lambda c: c.estimate.tg_tok_s_per_user if c.fits else -1.0,
    ),
    (
        "Aggregate\n[tok/s]",
        lambda c: _if_fits(c, lambda c: f"{c.estimate.tg_tok_s:.1f}"),
        lambda c: c.estimate.tg_tok_s if c.fits else -1.0,
    ),
    (
        "Opex\n[USD/month]",
        lambda c: _if_costed(c, lambda c: _money(c.monthly_opex_usd)),
        lambda c: c.monthly_opex_usd if _costed(c) else _LAST,
    ),
    ("API\n[USD/month]", lambda c: _money(c.monthly_api_usd), lambda c: c.monthly_api_usd),
    (
        "Local\n[USD/Mtok]",
        lambda c: _if_costed(c, lambda c: f"{c.cost_per_mtok_local_usd:.3f}"),
        lambda c: c.cost_per_mtok_local_usd if _costed(c) else _LAST,
    ),
    ("Status", status, lambda c: 2 * (not c.fits) + (not c.meets_sla)),
)
STATUS_COLUMN = len(COLUMNS) - 1
FIRST_NUMBER_COLUMN = 2

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
        if role == Qt.ItemDataRole.ForegroundRole and not cand.fits:
            return QPalette().brush(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        if (
            role == Qt.ItemDataRole.TextAlignmentRole
            and FIRST_NUMBER_COLUMN <= index.column() < STATUS_COLUMN
        ):
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
