"""File > Export report builds the PDF on a background job; the PDF is read back with pypdf."""

from __future__ import annotations

from pypdf import PdfReader

from advisor.app.store import MemoryStore
from ui.dialogs.scenario_io import export_report
from ui.main_window import MainWindow


def test_export_report_in_background(qtbot, sample_store: MemoryStore, tmp_path) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(sample_store)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.scenario_page.recomputed, timeout=10000):
        window.open_scenario("Personal 8B assistant")
    out = tmp_path / "report.pdf"
    dialog = export_report(window, sample_store, window.state, str(out))
    assert dialog is not None
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.panel.state in ("done", "failed"), timeout=60000)
    assert dialog.panel.state == "done", dialog.result_label.text()
    text = "".join(page.extract_text() for page in PdfReader(str(out)).pages)
    assert "Personal 8B assistant" in text
