"""Errors reach the user as a dialog with the reason, never a traceback (issue 4, item 7)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtWidgets import QMessageBox, QWidget

from ui.jobs import describe_error

log = logging.getLogger(__name__)
T = TypeVar("T")


def show_error(parent: QWidget | None, title: str, message: str) -> QMessageBox:
    """A window-modal message box opened without blocking (so tests and background signals never hang)."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("errorDialog")
    box.setWindowModality(box.windowModality().WindowModal)
    box.open()
    return box


def run_guarded(parent: QWidget | None, title: str, fn: Callable[[], T]) -> T | None:
    """Call `fn`; on any exception show its reason in a dialog and return None."""
    try:
        return fn()
    except Exception as exc:
        log.info("%s failed", title, exc_info=True)
        show_error(parent, title, describe_error(exc))
        return None
