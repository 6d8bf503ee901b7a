"""Write any Qt table model (as shown: filtered and sorted) to CSV via a temp file + rename."""

from __future__ import annotations

import csv
import os
from pathlib import Path

from PySide6.QtCore import QAbstractItemModel, Qt

from advisor.atomic import atomic_write
from advisor.csv_safe import neutralise_row


def write_model_csv(model: QAbstractItemModel, path: str | os.PathLike[str]) -> int:
    """Header row + every row's display text; returns the number of data rows. Nothing is left on error."""
    target = Path(path)
    cols = model.columnCount()
    with atomic_write(target, newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        # headers may wrap their unit onto a second line on screen; one line in the file
        header = [str(model.headerData(c, Qt.Orientation.Horizontal)).replace("\n", " ") for c in range(cols)]
        writer.writerow(neutralise_row(header))
        for r in range(model.rowCount()):
            writer.writerow(neutralise_row([model.data(model.index(r, c)) or "" for c in range(cols)]))
    return model.rowCount()
