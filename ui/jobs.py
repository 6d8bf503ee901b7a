"""Background work on the global QThreadPool, with progress, cancel and "the latest result wins".

A `Job` runs a plain function `fn(progress_callback)` on a pool thread and reports through Qt signals, which
are delivered on the GUI thread. The callback is the core's one protocol (advisor.progress):
``progress_callback(fraction, stage)``, raising Cancelled once the user has pressed Cancel.
`LatestOnly` debounces edits and tags each run with a token so stale results are dropped (git-cola style).

Signals of JobSignals: progress(token, fraction), done(token, result), failed(token, message), cancelled(token).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal

from advisor.errors import InputError
from advisor.progress import CancelFlag, Cancelled, ProgressCallback, cancellable

log = logging.getLogger(__name__)


class JobSignals(QObject):
    progress = Signal(int, float)
    done = Signal(int, object)
    failed = Signal(int, str)
    cancelled = Signal(int)


def describe_error(exc: BaseException) -> str:
    """A one-line reason for a dialog: the InputError text; a machine fault (disk full, read-only file,
    database busy, permission) in the CLI's words (advisor.faults); else the exception type and message."""
    if isinstance(exc, InputError):
        return str(exc)
    from advisor.faults import as_input_error

    fault = as_input_error(exc)
    if fault is not None:
        return str(fault)
    return f"{type(exc).__name__}: {exc}"


class Job:
    """Runs `fn(progress_callback)` on a pool thread. After `cancel()` the next progress call raises Cancelled."""

    def __init__(self, fn: Callable[[ProgressCallback], Any], token: int = 0) -> None:
        self.fn = fn
        self.token = token
        self.signals = JobSignals()
        self._cancel = CancelFlag()

    def cancel(self) -> None:
        self._cancel.cancel()

    @property
    def is_cancelled(self) -> bool:
        return self._cancel.is_set

    def _emit(self, fraction: float, _stage: str = "") -> None:
        self.signals.progress.emit(self.token, float(fraction))

    def run(self) -> None:  # pool thread
        try:
            result = self.fn(cancellable(self._cancel, self._emit))
        except Cancelled:
            self.signals.cancelled.emit(self.token)
            return
        except Exception as exc:  # shown to the user as a reason, never a traceback
            log.info("job %d failed", self.token, exc_info=True)
            self.signals.failed.emit(self.token, describe_error(exc))
            return
        if self._cancel.is_set:
            self.signals.cancelled.emit(self.token)
        else:
            self.signals.done.emit(self.token, result)


_ACTIVE: set[Job] = set()  # keeps each Job (and its signals object) alive until it has reported


def start(job: Job) -> Job:
    """Queue `job` on the global pool; it stays referenced until done, failed or cancelled."""
    _ACTIVE.add(job)
    for sig in (job.signals.done, job.signals.failed):
        sig.connect(lambda *_a, j=job: _ACTIVE.discard(j))
    job.signals.cancelled.connect(lambda *_a, j=job: _ACTIVE.discard(j))
    # A plain callable, not a QRunnable subclass: the pool never owns (or deletes) a Python object.
    QThreadPool.globalInstance().start(job.run)
    return job


class LatestOnly(QObject):
    """Debounced recompute: `request()` after each edit; only the newest job's result is delivered.

    `make_work()` runs on the GUI thread when a job starts and returns the function the pool thread runs,
    so the job sees a frozen snapshot of the inputs.

    A lone edit starts at once (so one change reaches the plots in milliseconds); edits that follow within
    `debounce_ms` restart the timer, so a dragged slider or typed number computes once it settles.

    Signals: result(object) for the newest job's value, error(str), busy(bool).
    """

    result = Signal(object)
    error = Signal(str)
    busy = Signal(bool)

    def __init__(
        self,
        make_work: Callable[[], Callable[[ProgressCallback], Any]],
        debounce_ms: int = 100,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._make_work = make_work  # called on the GUI thread at launch: it snapshots the inputs
        self._token = 0
        self._running: Job | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._launch)
        self._debounce_ms = debounce_ms
        self._quiet = QTimer(self)  # runs while edits arrive close together
        self._quiet.setSingleShot(True)

    @property
    def token(self) -> int:
        return self._token

    def request(self) -> None:
        if self._quiet.isActive():
            self._timer.start(self._debounce_ms)
        else:
            self._timer.start(0)
        self._quiet.start(self._debounce_ms)

    def run_now(self) -> None:
        self._timer.stop()
        self._launch()

    def _launch(self) -> None:
        if self._running is not None:
            self._running.cancel()  # stale: its result would be dropped anyway
        self._token += 1
        try:
            work = self._make_work()
        except Exception as exc:  # bad inputs found while snapshotting
            self.error.emit(describe_error(exc))
            return
        job = Job(work, self._token)
        job.signals.done.connect(self._on_done)
        job.signals.failed.connect(self._on_failed)
        job.signals.cancelled.connect(self._on_cancelled)
        self._running = job
        self.busy.emit(True)
        start(job)

    def _on_done(self, token: int, value: object) -> None:
        if token == self._token:
            self._running = None
            self.busy.emit(False)
            self.result.emit(value)

    def _on_failed(self, token: int, message: str) -> None:
        if token == self._token:
            self._running = None
            self.busy.emit(False)
            self.error.emit(message)

    def _on_cancelled(self, token: int) -> None:
        if token == self._token:
            self._running = None
            self.busy.emit(False)
