"""Shortcuts and Quick check fields (issue 14 item 9): Ctrl+E exports the Scenarios table, menu shortcuts
fire while a spin box has focus, memory is GB (1e9) with the GiB spec-sheet figure named, the prompt length
is a visible field, and typed context values never become presets."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog

from advisor.app.store import MemoryStore
from ui.main_window import MainWindow
from ui.pages.quick_check import CONTEXT_PRESETS, DEFAULT_PROMPT_TOKENS, QuickCheckPage

CTRL = Qt.KeyboardModifier.ControlModifier


def _window(qtbot, store: MemoryStore) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(store)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.scenario_page.recomputed, timeout=10000):
        assert window.open_scenario("Team coding assistant (70B)")
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return window


def test_ctrl_e_on_scenarios_exports_the_candidates(
    qtbot, sample_store: MemoryStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = _window(qtbot, sample_store)
    page = window.scenario_page
    target = tmp_path / "candidates.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "CSV (*.csv)"))
    box = page.inputs.workload_form.widgets["hours_per_day"]
    box.setFocus()  # the shortcut must not be swallowed by the focused spin box
    qtbot.waitUntil(box.hasFocus)
    qtbot.keyClick(box, Qt.Key.Key_E, CTRL)
    rows = list(csv.reader(target.open(encoding="utf-8")))
    rec = page.result.recommendation
    assert rows[0][:5] == ["Candidate", "Quant", "Break-even [months]", "Horizon cost [USD]", "Capex [USD]"]
    assert len(rows) == 1 + len(rec.candidates)
    assert rows[1][0] == rec.candidates[0].name


def test_page_and_tool_shortcuts_fire_from_a_focused_spin_box(qtbot, sample_store: MemoryStore) -> None:
    window = _window(qtbot, sample_store)
    box = window.scenario_page.inputs.workload_form.widgets["peak_concurrency"]
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    qtbot.keyClick(box, Qt.Key.Key_2, CTRL)
    assert window.current_page_name() == "Quick check"
    quick = window.pages["Quick check"]
    assert isinstance(quick, QuickCheckPage)
    quick.count.setFocus()
    qtbot.waitUntil(quick.count.hasFocus)
    qtbot.keyClick(quick.count, Qt.Key.Key_1, CTRL)
    assert window.current_page_name() == "Scenarios"


def test_quick_check_memory_in_gb_with_the_gib_spec_named(qtbot, sample_store: MemoryStore) -> None:
    page = QuickCheckPage(sample_store)
    qtbot.addWidget(page)
    page.set_inputs("rtx-4090", 1, "llama-3.1-8b", "Q4_K_M", 8192)
    text = page.verdict.text()
    # 24 GiB = 25.77 GB; the usable share is what the engine reports, in the same GB
    assert f"{page.estimate.usable_gb:.1f} GB usable" in text
    assert "1 x 24 GiB = 25.8 GB" in text


def test_prompt_length_is_a_visible_field_that_sets_ttft(qtbot, sample_store: MemoryStore) -> None:
    page = QuickCheckPage(sample_store)
    qtbot.addWidget(page)
    page.show()
    page.set_inputs("rtx-4090", 1, "llama-3.1-8b", "Q4_K_M", 32768)
    assert page.prompt.isVisible() and page.prompt.value() == DEFAULT_PROMPT_TOKENS
    assert f"for a {DEFAULT_PROMPT_TOKENS:,}-token prompt" in page.details.text()
    ttft_short = page.estimate.ttft_s
    page.prompt.lineEdit().selectAll()
    qtbot.keyClicks(page.prompt.lineEdit(), "16000")
    qtbot.keyClick(page.prompt.lineEdit(), Qt.Key.Key_Return)
    assert page.prompt.value() == 16000
    assert "for a 16,000-token prompt" in page.details.text()
    assert page.estimate.ttft_s > ttft_short  # a longer prompt takes longer to the first token


def test_typed_context_is_used_but_never_added_to_the_presets(qtbot, sample_store: MemoryStore) -> None:
    page = QuickCheckPage(sample_store)
    qtbot.addWidget(page)
    page.show()
    edit = page.context.lineEdit()
    edit.selectAll()
    qtbot.keyClicks(edit, "abc")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert page.context.count() == len(CONTEXT_PRESETS)
    assert "Cannot estimate" in page.verdict.text() and "context" in page.verdict.text()
    edit.selectAll()
    qtbot.keyClicks(edit, "20000")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert page.context.count() == len(CONTEXT_PRESETS)
    assert page.query().context_tokens == 20000
    assert "20,000 tokens" in page.verdict.text()
