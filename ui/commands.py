"""Undoable catalog edits (QUndoCommand): save and delete through the store.

A command is applied once *before* it is pushed (`apply()`), so a refused edit (InputError) never reaches
the undo stack and nothing is written; the stack's first automatic redo() is then a no-op.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from pydantic import BaseModel
from PySide6.QtGui import QUndoCommand, QUndoStack

from advisor.app.store import MemoryStore, record_key
from ui.jobs import describe_error

log = logging.getLogger(__name__)
ErrorSink = Callable[[str], None]


class _StoreCommand(QUndoCommand):
    def __init__(self, text: str, on_error: ErrorSink | None = None) -> None:
        super().__init__(text)
        self._applied_once = False
        self._on_error = on_error

    def apply(self) -> None:
        """Do it now (may raise InputError); push() afterwards."""
        self._do()
        self._applied_once = True

    def redo(self) -> None:
        if self._applied_once:
            self._applied_once = False  # the push() right after apply()
            return
        self._guard(self._do)

    def undo(self) -> None:
        self._guard(self._undo)

    def _guard(self, fn: Callable[[], None]) -> None:
        try:
            fn()
        except Exception as exc:  # a database that refuses (e.g. a system still uses this hardware)
            log.info("undo/redo failed", exc_info=True)
            if self._on_error is not None:
                self._on_error(describe_error(exc))

    def _do(self) -> None:
        raise NotImplementedError

    def _undo(self) -> None:
        raise NotImplementedError


class SaveRecord(_StoreCommand):
    """Insert (before=None) or replace a record."""

    def __init__(
        self,
        store: MemoryStore,
        kind: str,
        before: BaseModel | None,
        after: BaseModel,
        on_error: ErrorSink | None = None,
    ) -> None:
        verb = "Add" if before is None else "Edit"
        super().__init__(f"{verb} {kind} {record_key(after)}", on_error)
        self.store, self.kind, self.before, self.after = store, kind, before, after

    def _do(self) -> None:
        self.store.save(self.kind, self.after)

    def _undo(self) -> None:
        if self.before is None:
            self.store.delete(self.kind, record_key(self.after))
        else:
            self.store.save(self.kind, self.before)


class DeleteRecord(_StoreCommand):
    def __init__(
        self, store: MemoryStore, kind: str, record: BaseModel, on_error: ErrorSink | None = None
    ) -> None:
        super().__init__(f"Delete {kind} {record_key(record)}", on_error)
        self.store, self.kind, self.record = store, kind, record

    def _do(self) -> None:
        self.store.delete(self.kind, record_key(self.record))

    def _undo(self) -> None:
        self.store.save(self.kind, self.record)


def apply_and_push(stack: QUndoStack, command: _StoreCommand) -> None:
    """Apply `command` (InputError propagates, nothing pushed) and put it on the undo stack."""
    command.apply()
    stack.push(command)
