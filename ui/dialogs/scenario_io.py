"""File menu actions on the scenario: save it to the catalog, export its JSON file, export the PDF report.

The PDF is built by advisor.report on a background job with a progress bar and Cancel; any failure is
shown as a reason in a dialog.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QDialog, QFileDialog, QLabel, QVBoxLayout, QWidget

from advisor.app import scenarios
from advisor.app.state import ScenarioState
from advisor.app.store import MemoryStore
from advisor.atomic import atomic_write
from advisor.engine.scenario import Scenario
from advisor.errors import InputError
from ui.dialogs.errors import run_guarded, show_error
from ui.dialogs.progress_job import ProgressPanel


def write_json_atomic(path: str | os.PathLike[str], data: Any) -> Path:
    target = Path(path)
    with atomic_write(target, encoding="utf-8") as fh:
        json.dump(data, fh, indent=2)
        fh.write("\n")
    return target


def export_scenario_json(parent: QWidget, state: ScenarioState) -> None:
    default = state.name.lower().replace(" ", "-") + ".json"
    path, _ = QFileDialog.getSaveFileName(parent, "Export scenario", default, "Scenario JSON (*.json)")
    if path:
        run_guarded(
            parent, "Export scenario", lambda: write_json_atomic(path, scenarios.scenario_json(state.snapshot()))
        )


class ReportDialog(QDialog):
    """Builds the PDF in the background; `panel.state` ends as done, failed or cancelled."""

    def __init__(
        self, store: MemoryStore, snap: Scenario, path: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export report")
        self.panel = ProgressPanel()
        self.result_label = QLabel("")
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(f"Writing {path}"))
        lay.addWidget(self.panel)
        lay.addWidget(self.result_label)
        self.panel.finished.connect(lambda p: self.result_label.setText(f"Saved {p}"))
        self.panel.failed.connect(self._failed)

        catalog = store.catalog()  # the snapshot of the catalog the page computed with

        def work(progress: Any) -> Any:
            written, _pages, _rec = scenarios.write_report(catalog, snap, path, progress)
            return written

        self.panel.run("Building report…", work)
        self.resize(520, 140)

    def _failed(self, message: str) -> None:
        self.result_label.setText(message)
        show_error(self, "Export report", message)


def export_report(
    parent: QWidget, store: MemoryStore, state: ScenarioState, path: str | None = None
) -> ReportDialog | None:
    if path is None:
        default = state.name.lower().replace(" ", "-") + ".pdf"
        path, _ = QFileDialog.getSaveFileName(parent, "Export report", default, "PDF (*.pdf)")
        if not path:
            return None
    try:
        import advisor.report  # noqa: F401
    except ImportError:
        show_error(parent, "Export report", "The report module (advisor.report) is not installed.")
        return None
    if not state.candidates:
        show_error(
            parent, "Export report", str(InputError("tick at least one candidate", field="candidates"))
        )
        return None
    dialog = ReportDialog(store, state.snapshot(), path, parent)
    dialog.show()
    return dialog
