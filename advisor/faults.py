"""Faults of the machine, not of the program: a full disk, a read-only file or folder, a permission, a
database another process holds. Each is the user's to fix, so each is a one-line message and exit code 2
(DESIGN §4), never "internal error".

:func:`as_input_error` turns such an exception (``OSError``, SQLite's ``OperationalError`` raw or wrapped
by SQLAlchemy) into the :class:`InputError` the user sees; anything else returns None and stays an
internal error. Nothing is written in these cases: database writes are single transactions that SQLite
rolls back, and files are written through :func:`advisor.atomic.atomic_write`, which removes its
temporary file.
"""

from __future__ import annotations

import errno
import sys

from advisor.errors import InputError

DISK_FULL = "disk full; nothing written"
_DISK_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_PERMISSION_ERRNOS = {errno.EACCES, errno.EPERM}


def busy_message(where: str, waited_s: float) -> str:
    return f"database busy (held by another process); nothing written ({where}; waited {waited_s:g} s)"


def _database_where() -> tuple[str, float]:
    """The database in use and its busy timeout, when advisor.db is loaded (else placeholders)."""
    module = sys.modules.get("advisor.db.database")
    if module is None:
        return "database", 0.0
    try:
        return module.describe(module.parse_database_url(module.database_url())), module.busy_timeout_s()
    except Exception:  # a bad URL is reported elsewhere; here it only names the database
        return "database", 0.0


def sqlite_fault(message: str, where: str, waited_s: float) -> InputError | None:
    """The InputError for a SQLite error message (``sqlite3.OperationalError`` text), or None."""
    text = message.lower()
    if "database is locked" in text or "database table is locked" in text or "database is busy" in text:
        return InputError(busy_message(where, waited_s))
    if "disk is full" in text:
        return InputError(f"{DISK_FULL} ({where})")
    if "readonly database" in text or "read-only" in text:
        return InputError(f"{where}: read-only (no write permission for this file or its folder); nothing written")
    if "unable to open database file" in text:
        return InputError(f"{where}: cannot open the database file (check the folder exists and is writable)")
    return None


def as_input_error(exc: BaseException) -> InputError | None:
    """``exc`` as the user's one-line InputError when it is a machine fault; None for a real bug."""
    if isinstance(exc, InputError):
        return exc
    if isinstance(exc, OSError) and exc.errno is not None:
        name = exc.filename if exc.filename is not None else None
        if exc.errno in _DISK_FULL_ERRNOS:
            return InputError(DISK_FULL, field=str(name) if name else None)
        if exc.errno in _PERMISSION_ERRNOS:
            return InputError("permission denied (check the file's and folder's permissions)",
                              field=str(name) if name else None)
        if exc.errno == errno.EROFS:
            return InputError("read-only file system; nothing written", field=str(name) if name else None)
    orig = getattr(exc, "orig", None)  # SQLAlchemy wraps the driver's error
    candidate = orig if orig is not None else exc
    if type(candidate).__module__ == "sqlite3" and type(candidate).__name__ == "OperationalError":
        where, waited = _database_where()
        return sqlite_fault(str(candidate), where, waited)
    return None
