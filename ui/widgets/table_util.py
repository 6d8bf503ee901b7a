"""Table view helpers."""

from __future__ import annotations

from PySide6.QtWidgets import QTableView

MAX_COLUMN_PX = 280  # long texts (sources, notes) are cut here; the full text is in the tooltip


def fit_columns(table: QTableView, max_px: int = MAX_COLUMN_PX) -> None:
    """Size columns to their contents, none wider than `max_px`."""
    table.resizeColumnsToContents()
    header = table.horizontalHeader()
    for col in range(header.count()):
        if header.sectionSize(col) > max_px:
            header.resizeSection(col, max_px)
