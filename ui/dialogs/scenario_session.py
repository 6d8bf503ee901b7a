"""The scenario being edited as a document: undoable input edits, a "*" while unsaved, and Save / Discard /
Cancel before unsaved edits would be lost (switching scenario, quitting). Overwriting another saved scenario
asks first; delete, rename and duplicate go through the store.

The questions are plain callables (`Questions`) so tests answer them without a modal dialog.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from advisor.app.scenarios import scenario_record
from advisor.app.state import ScenarioState
from advisor.app.store import MemoryStore
from ui.dialogs.errors import run_guarded

EDITS = ("workload", "finance", "candidates", "api_offers")  # state events that are user edits


def _saved(store: MemoryStore, record: object) -> bool:
    """True once saved (run_guarded gives None when the store raised)."""
    store.save("scenarios", record)  # type: ignore[arg-type]
    return True


def _deleted(store: MemoryStore, name: str) -> bool:
    store.delete("scenarios", name)
    return True


class ScenarioEdit(QUndoCommand):
    """One input edit, already applied to the state when pushed; undo/redo step the state's own history."""

    def __init__(self, state: ScenarioState, what: str) -> None:
        super().__init__(f"edit {what.replace('_', ' ')}")
        self.state = state
        self._pushed = True

    def redo(self) -> None:
        if self._pushed:  # QUndoStack.push() calls redo(): the edit is already done
            self._pushed = False
            return
        self.state.redo()

    def undo(self) -> None:
        self.state.undo()


def _ask_unsaved(parent: QWidget, name: str) -> str:
    box = QMessageBox(QMessageBox.Icon.Question, "Unsaved changes",
                      f"The scenario '{name}' has unsaved changes.", parent=parent)
    box.setInformativeText("Save them before going on?")
    save = box.addButton(QMessageBox.StandardButton.Save)
    discard = box.addButton(QMessageBox.StandardButton.Discard)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    clicked = box.clickedButton()
    return "save" if clicked is save else "discard" if clicked is discard else "cancel"


def _ask_name(parent: QWidget, title: str, current: str) -> str | None:
    name, ok = QInputDialog.getText(parent, title, "Name:", text=current)
    return name.strip() if ok and name.strip() else None


def _confirm_replace(parent: QWidget, name: str) -> bool:
    answer = QMessageBox.question(parent, "Replace scenario",
                                  f"A scenario named '{name}' is already saved. Replace it?")
    return answer == QMessageBox.StandardButton.Yes


@dataclass
class Questions:
    """How the session asks the user; tests swap in answers. None: the module's dialogs (looked up when
    asked, so a test session can answer every window's questions at once)."""

    unsaved: Callable[[QWidget, str], str] | None = None  # -> "save" | "discard" | "cancel"
    name: Callable[[QWidget, str, str], str | None] | None = None  # (parent, title, current) -> name or None
    replace: Callable[[QWidget, str], bool] | None = None

    def ask_unsaved(self, parent: QWidget, name: str) -> str:
        return (self.unsaved or _ask_unsaved)(parent, name)

    def ask_name(self, parent: QWidget, title: str, current: str) -> str | None:
        return (self.name or _ask_name)(parent, title, current)

    def ask_replace(self, parent: QWidget, name: str) -> bool:
        return (self.replace or _confirm_replace)(parent, name)


def save_as(parent: QWidget, store: MemoryStore, state: ScenarioState, questions: Questions,
            name: str | None = None, title: str = "Save scenario") -> bool:
    """Save under ``name`` (asked when None); another saved scenario of that name is replaced only when the
    user agrees. True when saved (the state is then clean and carries the name)."""
    name = name or questions.ask_name(parent, title, state.name)
    if not name:
        return False
    existing = store.get("scenarios", name)
    if existing is not None and name.casefold() != state.name.casefold() and not questions.ask_replace(parent, name):
        return False
    snapshot = state.snapshot()
    record = run_guarded(parent, title, lambda: scenario_record(
        type(snapshot)(name, snapshot.workload, snapshot.finance, snapshot.candidates, snapshot.api_offers,
                       snapshot.description)))
    if record is None or run_guarded(parent, title, lambda: _saved(store, record)) is None:
        return False
    state.mark_saved(name)
    return True


def settle_unsaved(parent: QWidget, store: MemoryStore, state: ScenarioState, questions: Questions) -> bool:
    """Before the edits would be lost: True to go on (saved or discarded), False to stay (cancelled)."""
    if not state.dirty:
        return True
    answer = questions.ask_unsaved(parent, state.name)
    if answer == "save":
        return save_as(parent, store, state, questions, name=state.name)
    return answer == "discard"


def delete_scenario(parent: QWidget, store: MemoryStore, state: ScenarioState) -> bool:
    if store.get("scenarios", state.name) is None:
        return False
    answer = QMessageBox.question(parent, "Delete scenario", f"Delete the saved scenario '{state.name}'?")
    if answer != QMessageBox.StandardButton.Yes:
        return False
    return run_guarded(parent, "Delete scenario", lambda: _deleted(store, state.name)) is not None


def rename_scenario(parent: QWidget, store: MemoryStore, state: ScenarioState, questions: Questions) -> bool:
    old = state.name
    new = questions.ask_name(parent, "Rename scenario", old)
    if not new or new == old:
        return False
    if not save_as(parent, store, state, questions, name=new, title="Rename scenario"):
        return False
    if store.get("scenarios", old) is not None and old.casefold() != new.casefold():
        run_guarded(parent, "Rename scenario", lambda: _deleted(store, old))
    return True


def duplicate_scenario(parent: QWidget, store: MemoryStore, state: ScenarioState, questions: Questions) -> bool:
    return save_as(parent, store, state, questions, name=questions.ask_name(parent, "Duplicate scenario",
                                                                         f"{state.name} (copy)"))
