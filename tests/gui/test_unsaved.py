"""Scenario edits are never lost silently (issue 14 item 2): "*" in the title while the inputs differ from
the saved scenario; Save / Discard / Cancel before switching scenario or quitting; saving under another
saved scenario's name asks first."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QInputDialog

from ui.dialogs import scenario_io
from ui.main_window import MainWindow
from ui.pages.scenario_page import ScenarioPage
from ui.pages.unsaved import CANCEL, DISCARD, SAVE
from ui.store import MemoryStore

PERSONAL, TEAM = "Personal 8B assistant", "Team coding assistant (70B)"


def _window(qtbot, store: MemoryStore) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(store)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.scenario_page.recomputed, timeout=10000):
        assert window.open_scenario(PERSONAL)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return window


def _type_hours(qtbot, window: MainWindow, text: str) -> None:  # type: ignore[no-untyped-def]
    box = window.scenario_page.inputs.workload_form.widgets["hours_per_day"]
    box.setFocus()
    box.lineEdit().selectAll()
    qtbot.keyClicks(box.lineEdit(), text)
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)


def _answer(monkeypatch: pytest.MonkeyPatch, answer: str) -> list[str]:
    asked: list[str] = []

    def ask(_self: ScenarioPage, doing: str) -> str:
        asked.append(doing)
        return answer

    monkeypatch.setattr(ScenarioPage, "ask_unsaved", ask)
    return asked


def test_title_star_follows_the_edits(qtbot, sample_store: MemoryStore) -> None:
    window = _window(qtbot, sample_store)
    assert window.windowTitle() == f"Rig Advisor — {PERSONAL}[*]" and not window.isWindowModified()
    before = window.state.workload.hours_per_day
    _type_hours(qtbot, window, "7")
    assert window.state.workload.hours_per_day == 7 and window.isWindowModified()
    _type_hours(qtbot, window, f"{before:g}")  # typed back: nothing left to save
    assert not window.isWindowModified()


def test_switching_scenario_asks_and_cancel_keeps_the_edit(qtbot, sample_store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, sample_store)
    _type_hours(qtbot, window, "7")
    asked = _answer(monkeypatch, CANCEL)
    combo = window.scenario_page.scenario_combo
    combo.activated.emit(combo.findData(TEAM))  # the user picks another scenario in the combo
    assert asked == [f"open “{TEAM}”"]
    assert window.state.name == PERSONAL and window.state.workload.hours_per_day == 7
    assert combo.currentData() == PERSONAL
    _answer(monkeypatch, DISCARD)
    with qtbot.waitSignal(window.scenario_page.recomputed, timeout=10000):
        combo.activated.emit(combo.findData(TEAM))
    assert window.state.name == TEAM and not window.isWindowModified()
    assert sample_store.get("scenarios", PERSONAL).workload["hours_per_day"] != 7  # discarded, not saved


def test_save_answer_saves_then_switches(qtbot, sample_store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, sample_store)
    _type_hours(qtbot, window, "7")
    _answer(monkeypatch, SAVE)
    assert window.open_scenario(TEAM)
    assert sample_store.get("scenarios", PERSONAL).workload["hours_per_day"] == 7
    assert window.state.name == TEAM


def test_quit_with_unsaved_edits_asks(qtbot, sample_store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, sample_store)
    _type_hours(qtbot, window, "7")
    asked = _answer(monkeypatch, CANCEL)
    assert not window.close()  # Cancel: the window stays open with the edits
    assert asked == ["quit"] and window.isVisible() and window.state.workload.hours_per_day == 7
    _answer(monkeypatch, DISCARD)
    assert window.close()


def test_saving_over_another_saved_scenario_asks(qtbot, sample_store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, sample_store)
    _type_hours(qtbot, window, "7")
    team_hours = sample_store.get("scenarios", TEAM).workload["hours_per_day"]
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: (TEAM, True))
    refused: list[str] = []
    monkeypatch.setattr(scenario_io, "confirm_replace", lambda _p, name: refused.append(name) or False)
    window.save_scenario()
    assert refused == [TEAM]
    assert sample_store.get("scenarios", TEAM).workload["hours_per_day"] == team_hours  # untouched
    assert window.isWindowModified()
    # saving under its own name needs no question and clears the star
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: (PERSONAL, True))
    window.save_scenario()
    assert refused == [TEAM] and not window.isWindowModified()
    assert sample_store.get("scenarios", PERSONAL).workload["hours_per_day"] == 7
