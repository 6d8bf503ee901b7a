"""File menu actions on the scenario: save it to the catalog, export its JSON file, export the PDF report.

The PDF is built by advisor.report on a background job with a progress bar and Cancel; any failure is
shown as a reason in a dialog.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QLabel, QMessageBox, QVBoxLayout, QWidget

from advisor.atomic import atomic_write
from advisor.errors import InputError
from ui import backend
from ui.dialogs.errors import run_guarded, show_error
from ui.dialogs.progress_job import ProgressPanel
from ui.state import ScenarioSnapshot, ScenarioState
from ui.store import MemoryStore, validate_record


def scenario_record(snap: ScenarioSnapshot) -> Any:
    """The snapshot as a catalog ScenarioRecord (validated; InputError names the bad field)."""
    import datetime as dt

    data = snap.to_json_dict()
    data.update(source="edited in Rig Advisor", as_of=dt.date.today())
    return validate_record("scenarios", data)


def save_scenario(parent: QWidget, store: MemoryStore, state: ScenarioState, name: str | None = None) -> bool:
    if name is None:
        name, ok = QInputDialog.getText(parent, "Save scenario", "Name:", text=state.name)
        if not ok or not name.strip():
            return False
        existing = store.get("scenarios", name.strip())
        if (
            existing is not None
            and str(existing.name).lower() != state.name.lower()  # type: ignore[attr-defined]
            and not confirm_replace(parent, str(existing.name))  # type: ignore[attr-defined]
        ):
            return False  # another saved scenario of that name is never overwritten without asking
    state.name = name.strip()
    result = run_guarded(
        parent, "Save scenario", lambda: store.save("scenarios", scenario_record(state.snapshot()))
    )
    return result is not None or store.get("scenarios", state.name) is not None


def confirm_replace(parent: QWidget, name: str) -> bool:
    """Ask before a save replaces another saved scenario of the same name."""
    answer = QMessageBox.question(
        parent,
        "Replace scenario?",
        f"A scenario named “{name}” is already saved. Replace it with this one?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


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
            parent, "Export scenario", lambda: write_json_atomic(path, state.snapshot().to_json_dict())
        )


class ReportDialog(QDialog):
    """Builds the PDF in the background; `panel.state` ends as done, failed or cancelled."""

    def __init__(
        self, store: MemoryStore, snap: ScenarioSnapshot, path: str, parent: QWidget | None = None
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

        def work(progress: Any) -> Any:
            from advisor.report import build_report

            rec = backend.run_recommend(store, snap, progress)

            def report_progress(fraction: float, _stage: str = "") -> None:
                if progress(fraction):
                    raise backend.Cancelled()

            return build_report(rec, snap, path, progress_callback=report_progress)

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
