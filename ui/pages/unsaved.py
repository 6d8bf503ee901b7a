"""Unsaved scenario edits: what was last opened or saved, whether the inputs differ from it, and the
Save / Discard / Cancel question asked before they would be lost (switching scenario, quitting).

Edits used to be lost silently; the window title now carries a "*" while there are unsaved edits.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QMessageBox, QWidget

from ui.state import ScenarioSnapshot

SAVE, DISCARD, CANCEL = "save", "discard", "cancel"


class SavedBaseline:
    """The scenario as last opened or saved (its file form, without the revision counter)."""

    def __init__(self) -> None:
        self._saved: dict[str, Any] | None = None

    def set(self, snap: ScenarioSnapshot) -> None:
        self._saved = snap.to_json_dict()

    def is_dirty(self, snap: ScenarioSnapshot) -> bool:
        """True when the inputs differ from what was opened or saved (never for a fresh window)."""
        return self._saved is not None and snap.to_json_dict() != self._saved


def ask_unsaved(parent: QWidget, name: str, doing: str) -> str:
    """Save / Discard / Cancel for unsaved edits of scenario `name` before `doing` ("open X", "quit")."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Unsaved changes")
    box.setText(f"The scenario “{name}” has unsaved changes.")
    box.setInformativeText(f"Save them before you {doing}?")
    box.setStandardButtons(
        QMessageBox.StandardButton.Save
        | QMessageBox.StandardButton.Discard
        | QMessageBox.StandardButton.Cancel
    )
    box.setDefaultButton(QMessageBox.StandardButton.Save)
    answer = box.exec()
    if answer == QMessageBox.StandardButton.Save:
        return SAVE
    if answer == QMessageBox.StandardButton.Discard:
        return DISCARD
    return CANCEL
