"""Price history > Roll back batch…: pick an import batch, read what will be removed, confirm.

The bundled seed batch and batches already rolled back are never offered (the feeds layer refuses them
too). Rolling back deletes exactly that batch's price points; the batch stays recorded as rolled back.

Signals: rolled_back(int batch_id, int points_removed).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from advisor.app.price_data import Batch, roll_back
from advisor.app.store import MemoryStore
from ui.dialogs.errors import run_guarded


class RollbackDialog(QDialog):
    """Attributes for tests: combo (batch choice), question (the confirmation text), buttons."""

    rolled_back = Signal(int, int)

    def __init__(
        self,
        store: MemoryStore,
        batches: list[Batch],
        preselect: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Roll back an import batch")
        self.store = store
        self.batches = [b for b in batches if b.can_roll_back]
        self.combo = QComboBox()
        for b in sorted(self.batches, key=lambda b: -b.id):
            self.combo.addItem(b.describe(), b.id)
        if preselect is not None and (i := self.combo.findData(preselect)) >= 0:
            self.combo.setCurrentIndex(i)
        self.question = QLabel("")
        self.question.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton("Roll back", QDialogButtonBox.ButtonRole.DestructiveRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.ok_button.clicked.connect(self._confirmed)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel("Import batch:"))
        lay.addWidget(self.combo)
        lay.addWidget(self.question)
        lay.addWidget(self.buttons)
        self.combo.currentIndexChanged.connect(self._update_question)
        self._update_question()
        self.resize(560, 180)

    def selected(self) -> Batch | None:
        batch_id = self.combo.currentData()
        return next((b for b in self.batches if b.id == batch_id), None)

    def _update_question(self) -> None:
        batch = self.selected()
        self.ok_button.setEnabled(batch is not None)
        if batch is None:
            self.question.setText("No import batch can be rolled back (the bundled seed catalog never can).")
            return
        self.question.setText(
            f"Remove every price point of <b>{batch.describe()}</b>? Other batches and the seed catalog are "
            "not touched; the batch stays listed as rolled back."
        )

    def _confirmed(self) -> None:
        batch = self.selected()
        if batch is None:
            return
        removed = run_guarded(self, "Roll back", lambda: roll_back(self.store, batch))
        if removed is not None:
            self.rolled_back.emit(batch.id, removed)
            self.accept()
