"""A background job with a progress bar and Cancel, for long work (PDF export, sweep, imports).

`ProgressPanel` is embeddable (the sweep dialog shows it above its plot); the window stays responsive
because the work runs on the QThreadPool. Errors arrive as a one-line reason (`failed` signal).

Signals: finished(object) with the result, failed(str), cancelled().
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from advisor.progress import ProgressCallback
from ui.jobs import Job, start


class ProgressPanel(QWidget):
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel("")
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label)
        row.addWidget(self.bar, 1)
        row.addWidget(self.cancel_button)
        self.job: Job | None = None
        self.state = "idle"  # idle | running | done | failed | cancelled

    def run(self, what: str, fn: Callable[[ProgressCallback], Any]) -> Job:
        self.label.setText(what)
        self.bar.setValue(0)
        self.cancel_button.setEnabled(True)
        self.state = "running"
        job = Job(fn)
        job.signals.progress.connect(lambda _t, f: self.bar.setValue(int(max(0.0, min(1.0, f)) * 1000)))
        job.signals.done.connect(self._done)
        job.signals.failed.connect(self._failed)
        job.signals.cancelled.connect(self._cancelled)
        self.job = job
        return start(job)

    def cancel(self) -> None:
        if self.job is not None and self.state == "running":
            self.job.cancel()
            self.label.setText("Cancelling…")
            self.cancel_button.setEnabled(False)

    def _done(self, _token: int, result: object) -> None:
        self.state = "done"
        self.bar.setValue(1000)
        self.cancel_button.setEnabled(False)
        self.finished.emit(result)

    def _failed(self, _token: int, message: str) -> None:
        self.state = "failed"
        self.cancel_button.setEnabled(False)
        self.label.setText("Failed")
        self.failed.emit(message)

    def _cancelled(self, _token: int) -> None:
        self.state = "cancelled"
        self.cancel_button.setEnabled(False)
        self.label.setText("Cancelled")
        self.cancelled.emit()
