"""Scenario edits are never lost silently: "*" in the title, undo/redo of inputs, Save / Discard / Cancel on
switching and quitting, no overwrite without asking, rename / duplicate / delete."""

from __future__ import annotations

from advisor.app.store import MemoryStore
from ui.dialogs.scenario_session import Questions
from ui.main_window import MainWindow


def _window(qtbot, store: MemoryStore, answers: dict) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(store)
    qtbot.addWidget(window)
    asked: list[str] = []
    answers.setdefault("asked", asked)

    def unsaved(_parent, name):  # type: ignore[no-untyped-def]
        asked.append(f"unsaved {name}")
        return answers.get("unsaved", "cancel")

    def name(_parent, title, current):  # type: ignore[no-untyped-def]
        asked.append(f"name {title}")
        return answers.get("name", current)

    def replace(_parent, name):  # type: ignore[no-untyped-def]
        asked.append(f"replace {name}")
        return answers.get("replace", False)

    window.questions = Questions(unsaved, name, replace)
    with qtbot.waitSignal(window.scenario_page.recomputed, timeout=10000):
        window.open_scenario("Personal 8B assistant")
    return window


def test_edit_marks_dirty_and_undo_redo_restore_inputs(qtbot, sample_store: MemoryStore) -> None:
    window = _window(qtbot, sample_store, {})
    before = window.state.workload.tokens_out_per_month
    assert not window.isWindowModified()
    box = window.scenario_page.inputs.workload_form.widgets["tokens_out_per_month"]
    box.setValue(box.value() + 5)  # what typing does (keyboard tracking off: one edit)
    assert window.state.workload.tokens_out_per_month == before + 5e6
    assert window.isWindowModified() and "[*]" in window.windowTitle()
    window.undo_stack.undo()
    assert window.state.workload.tokens_out_per_month == before
    assert box.value() * 1e6 == before  # the form shows the restored value
    assert not window.isWindowModified()  # back to what was loaded: clean again
    window.undo_stack.redo()
    assert window.state.workload.tokens_out_per_month == before + 5e6 and window.isWindowModified()


def test_switching_with_unsaved_edits_asks_and_cancel_keeps_them(qtbot, sample_store: MemoryStore) -> None:
    answers = {"unsaved": "cancel"}
    window = _window(qtbot, sample_store, answers)
    window.state.update_workload(peak_concurrency=7)
    combo = window.scenario_page.scenario_combo
    other = next(i for i in range(combo.count()) if combo.itemData(i) != "Personal 8B assistant")
    combo.setCurrentIndex(other)
    combo.activated.emit(other)  # what a user's pick sends
    assert answers["asked"] == ["unsaved Personal 8B assistant"]
    assert window.state.name == "Personal 8B assistant" and window.state.workload.peak_concurrency == 7
    assert combo.currentData() == "Personal 8B assistant"
    answers["unsaved"] = "discard"
    with qtbot.waitSignal(window.scenario_page.recomputed, timeout=10000):
        combo.setCurrentIndex(other)
        combo.activated.emit(other)
    assert window.state.name == combo.itemData(other)
    assert sample_store.get("scenarios", "Personal 8B assistant").workload["peak_concurrency"] != 7


def test_quit_with_unsaved_edits_can_save_them(qtbot, sample_store: MemoryStore) -> None:
    answers = {"unsaved": "save"}
    window = _window(qtbot, sample_store, answers)
    window.state.update_workload(peak_concurrency=5)
    assert window.close()
    assert sample_store.get("scenarios", "Personal 8B assistant").workload["peak_concurrency"] == 5
    window2 = _window(qtbot, sample_store, {"unsaved": "cancel"})
    window2.state.update_workload(peak_concurrency=6)
    assert not window2.close()  # cancelled: the window stays open with the edit
    assert window2.state.workload.peak_concurrency == 6


def test_save_as_an_existing_name_asks_before_replacing(qtbot, sample_store: MemoryStore) -> None:
    answers = {"name": "Team coding assistant (70B)", "replace": False}
    window = _window(qtbot, sample_store, answers)
    original = sample_store.get("scenarios", "Team coding assistant (70B)")
    window.state.update_workload(peak_concurrency=3)
    assert not window.save_scenario_as()
    assert "replace Team coding assistant (70B)" in answers["asked"]
    assert sample_store.get("scenarios", "Team coding assistant (70B)") == original
    answers["replace"] = True
    assert window.save_scenario_as()
    assert sample_store.get("scenarios", "Team coding assistant (70B)").workload["peak_concurrency"] == 3
    assert window.state.name == "Team coding assistant (70B)" and not window.isWindowModified()


def test_rename_and_duplicate(qtbot, sample_store: MemoryStore) -> None:
    answers = {"name": "Renamed assistant"}
    window = _window(qtbot, sample_store, answers)
    assert window.rename_scenario()
    assert sample_store.get("scenarios", "Renamed assistant") is not None
    assert sample_store.get("scenarios", "Personal 8B assistant") is None
    answers["name"] = "Renamed assistant (copy)"
    assert window.duplicate_scenario()
    assert sample_store.get("scenarios", "Renamed assistant") is not None
    assert window.state.name == "Renamed assistant (copy)"
    assert window.scenario_page.scenario_combo.findData("Renamed assistant (copy)") >= 0
