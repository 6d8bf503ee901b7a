"""Table view helpers."""

from __future__ import annotations

from PySide6.QtWidgets import QTableView

MAX_COLUMN_PX = 280  # long texts (sources, notes) are cut here; the full text is in the tooltip
# Columns kept narrower still, so the figures to their right (prices, specs) are on screen at 1400 px; the
# whole text stays in the tooltip and the column can be widened by hand.
NARROW_PX = {"id": 190, "source": 200}


def fit_columns(table: QTableView, max_px: int = MAX_COLUMN_PX) -> None:
    """Size columns to their contents, none wider than `max_px`."""
    table.resizeColumnsToContents()
    header = table.horizontalHeader()
    model = table.model()
    for col in range(header.count()):
        title = str(model.headerData(col, header.orientation())) if model is not None else ""
        limit = min(max_px, NARROW_PX.get(title, max_px))
        if header.sectionSize(col) > limit:
            header.resizeSection(col, limit)
