"""File > Import model…: read a config.json / .gguf / model.safetensors.index.json in the background
(advisor.importers.import_file), show the preview (each field read, derived or assumed; KV bytes per token;
weights size), then Save / Save as a new name / Update the existing entry / Cancel.

Bad files (InputError) are shown with the reason and nothing is written. A name already in the catalog is
never overwritten silently: Save is refused and Update existing or a new name is offered.

Signals: saved(str model id).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from advisor.app.model_import import find_existing, read_model_file, save_model
from advisor.app.store import MemoryStore
from advisor.errors import InputError
from ui.dialogs.progress_job import ProgressPanel

FILE_FILTER = "Model files (config.json *.gguf *.safetensors *.index.json *.json);;All files (*)"


def summary_html(result: Any, existing: Any) -> str:
    """The key figures of an ImportResult [B, GB] and the same-name situation, as one paragraph."""
    r = result.record
    if result.weights_bytes is not None:
        weights = f"{result.weights_bytes / 1e9:,.3f} GB (exact, from the file)"
    elif result.weights_bytes_estimate:
        weights = f"~{result.weights_bytes_estimate / 1e9:,.1f} GB (estimate: params x {r.native_quant})"
    else:
        weights = "unknown"
    counts = {k: sum(1 for v in result.provenance.values() if v == k) for k in ("read", "derived", "default")}
    text = (
        f"<b>{r.name}</b> — {result.architecture}, {r.num_layers} layers, {r.total_params_b:,.2f} B params "
        f"({r.active_params_b:,.2f} B active)<br>KV cache (f16): <b>{result.kv_bytes_per_token:,.0f} B per "
        f"token</b> of context; weights: <b>{weights}</b><br>Fields: {counts['read']} read from the file, "
        f"{counts['derived']} derived, {counts['default']} assumed (default)."
    )
    if existing is not None:
        text += (
            f"<br><span style='color:#C0392B'>A model named '{existing.name}' (id {existing.id}) is already in "
            "the catalog: Update existing replaces it, or save under a new name.</span>"
        )
    return text


class ImportModelDialog(QDialog):
    """Attributes for tests: panel (ProgressPanel), summary, preview, new_name, save_button, save_new_button,
    update_button, cancel_button, error, result (the ImportResult once read), saved_id."""

    saved = Signal(str)

    def __init__(self, store: MemoryStore, path: str | Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store, self.path = store, Path(path)
        self.setWindowTitle(f"Import model — {self.path.name}")
        self.import_result: Any = None
        self.existing: Any = None
        self.saved_id: str | None = None
        self.panel = ProgressPanel()
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        self.preview = QPlainTextEdit()
        self.preview.setReadOnly(True)
        self.preview.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.error = QLabel("")
        self.error.setStyleSheet("color: #C0392B")
        self.error.setWordWrap(True)
        self.new_name = QLineEdit()
        self.new_name.setPlaceholderText("new name, e.g. Qwen3 8B (my fine-tune)")
        self.save_button = QPushButton("Save")
        self.save_new_button = QPushButton("Save as new name")
        self.update_button = QPushButton("Update existing")
        self.cancel_button = QPushButton("Cancel")
        self.save_button.clicked.connect(lambda _c=False: self.save())
        self.save_new_button.clicked.connect(lambda _c=False: self.save(new_name=self.new_name.text()))
        self.update_button.clicked.connect(lambda _c=False: self.save(update=True))
        self.cancel_button.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.new_name, 1)
        for b in (self.save_new_button, self.update_button, self.save_button, self.cancel_button):
            row.addWidget(b)
        lay = QVBoxLayout(self)
        lay.addWidget(self.panel)
        lay.addWidget(self.summary)
        lay.addWidget(self.preview, 1)
        lay.addWidget(self.error)
        lay.addLayout(row)
        self.panel.finished.connect(self._read)
        self.panel.failed.connect(self._failed)
        self.panel.cancelled.connect(lambda: self.error.setText("Import cancelled; nothing was written."))
        self._set_buttons(read=False)
        self.resize(820, 560)

    def start(self) -> None:
        """Read the file on the thread pool (a GGUF header or a large index can take a moment)."""

        path = self.path
        self.panel.run(f"Reading {path.name}…", lambda _progress: read_model_file(path))

    def _set_buttons(self, read: bool) -> None:
        taken = self.existing is not None
        self.save_button.setEnabled(read and not taken)
        self.update_button.setEnabled(read and taken)
        self.save_new_button.setEnabled(read)
        self.new_name.setEnabled(read)

    def _read(self, result: Any) -> None:
        self.import_result = result
        self.existing = find_existing(self.store, result.record)
        self.panel.label.setText(f"Read {self.path.name}")
        self.summary.setText(summary_html(result, self.existing))
        self.preview.setPlainText("\n".join(result.preview_lines()))
        self.new_name.setText("" if self.existing is None else f"{result.record.name} (imported)")
        self._set_buttons(read=True)

    def _failed(self, message: str) -> None:
        self.error.setText(f"Cannot import {self.path.name}: {message}. Nothing was written.")
        self.summary.setText("")
        self._set_buttons(read=False)

    def save(self, *, update: bool = False, new_name: str | None = None) -> bool:
        """Write the model as chosen; a refusal (InputError) is shown under the preview, nothing written."""
        if self.import_result is None:
            return False
        try:
            self.saved_id = save_model(self.store, self.import_result, update=update, new_name=new_name)
        except InputError as exc:
            self.error.setText(str(exc))
            return False
        self.saved.emit(self.saved_id)
        self.accept()
        return True


def import_model_flow(parent: QWidget, store: MemoryStore) -> ImportModelDialog | None:
    """Ask for a model file, then open the import dialog and start reading it."""
    path, _ = QFileDialog.getOpenFileName(parent, "Import model", "", FILE_FILTER)
    if not path:
        return None
    dialog = ImportModelDialog(store, path, parent)
    dialog.show()
    dialog.start()
    return dialog
