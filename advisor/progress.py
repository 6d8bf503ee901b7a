"""The one progress / cancel protocol for long work (sweeps, recommendations, reports, feeds, imports).

A long function takes ``progress_callback(fraction, stage)``: ``fraction`` is the share done [0..1] and
``stage`` says in words what is being done. To cancel, the callback raises `Cancelled`; the function lets it
propagate and leaves nothing written (a feed apply rolls back, a report writes no file). Front ends wrap
their own signal in `cancellable`: the desktop app sets a flag from its Cancel button, the CLI never cancels.

>>> flag = CancelFlag()
>>> progress = cancellable(flag)
>>> progress(0.5, "half way")
>>> flag.cancel()
>>> progress(0.6, "more")
Traceback (most recent call last):
advisor.progress.Cancelled: cancelled at 60%: more
"""

from __future__ import annotations

import threading
from collections.abc import Callable

ProgressCallback = Callable[[float, str], None]


class Cancelled(Exception):
    """The user cancelled long work; nothing was written."""


class CancelFlag:
    """Set by the front end (any thread), read by the long work through `cancellable`."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def is_set(self) -> bool:
        return self._event.is_set()


def cancellable(flag: CancelFlag, report: ProgressCallback | None = None) -> ProgressCallback:
    """A progress callback that forwards to ``report`` and raises Cancelled once ``flag`` is set."""

    def progress(fraction: float, stage: str = "") -> None:
        if report is not None:
            report(fraction, stage)
        if flag.is_set:
            raise Cancelled(f"cancelled at {fraction:.0%}" + (f": {stage}" if stage else ""))

    return progress


def scaled(progress: ProgressCallback | None, start: float, end: float) -> ProgressCallback:
    """A sub-step's callback: its 0..1 maps onto ``start..end`` of the parent's (Orange3's wrap_callback).

    >>> seen = []
    >>> scaled(lambda f, s: seen.append(round(f, 2)), 0.5, 1.0)(0.5, "x"); seen
    [0.75]
    """

    def sub(fraction: float, stage: str = "") -> None:
        if progress is not None:
            progress(start + (end - start) * fraction, stage)

    return sub
