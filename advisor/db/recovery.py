"""Recovering from a database file we cannot use, and backing up a database before a migration.

Two rules (issue 2 "bad input" + issue 8 "corrupt or foreign database"):

- The DEFAULT database (no ``RIG_ADVISOR_DB_URL``; ``advisor.db`` in the user's data dir) that is not
  SQLite, truncated, corrupt, not made by Rig Advisor or from a NEWER schema is never overwritten: it is
  moved aside to ``advisor.db.corrupt-YYYYmmdd-HHMMSS`` (with its ``-wal`` / ``-shm``), the caller is
  told where (:class:`Recovery`, from :func:`recovery_of` (engine) and :func:`last_recovery`, and the
  notifier, by default one line on stderr), and a fresh seeded database is started in its place.
- A file the user named in ``RIG_ADVISOR_DB_URL`` (or passed as a URL) is never moved: the open fails
  with an InputError (exit code 2) and the file is left unchanged.

An OLDER schema is migrated after a copy ``advisor.db.backup-<revision>-<timestamp>`` is made with the
SQLite online-backup API (a consistent snapshot even with a WAL), for default and named files alike.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import sqlite3
import sys
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from advisor.errors import InputError

SIDE_FILES = ("-wal", "-shm", "-journal")  # SQLite's companions: they belong to the main file


class UnusableDatabaseError(InputError):
    """The database file exists but cannot be used: not SQLite, truncated, corrupt, foreign or newer.

    A subclass of InputError so a named file still gives exit code 2; only these (never "locked",
    "permission denied" or an unreachable server) make a default database move aside. ``reason`` is
    the short cause without the path, for the recovery message.
    """

    def __init__(self, message: str, reason: str, field: str | None = "database") -> None:
        self.reason = reason
        super().__init__(message, field=field)


@dataclass(frozen=True)
class Recovery:
    """A default database moved aside. ``moved_to`` is the main file's new path [absolute]."""

    original: Path
    moved_to: Path
    moved_files: tuple[Path, ...]
    reason: str
    at: dt.datetime

    def message(self) -> str:
        """One line for the user: what happened, where the old file is, what happens now."""
        return (
            f"the database {self.original} could not be used ({self.reason}); it was moved to "
            f"{self.moved_to} and a fresh database was started"
        )


Notifier = Callable[[Recovery], None]


def _print_to_stderr(recovery: Recovery) -> None:
    print(f"warning: {recovery.message()}", file=sys.stderr)


_notifier: Notifier | None = _print_to_stderr
_last: Recovery | None = None
_by_engine: weakref.WeakKeyDictionary[sa.Engine, Recovery] = weakref.WeakKeyDictionary()


def set_recovery_notifier(notifier: Notifier | None) -> Notifier | None:
    """Replace who is told about a recovery (default: one ``warning:`` line on stderr, which the CLI
    wants). The desktop app passes None (or its own callback) and shows :func:`last_recovery` in a
    dialog. Returns the previous notifier so tests can restore it."""
    global _notifier
    previous, _notifier = _notifier, notifier
    return previous


def last_recovery() -> Recovery | None:
    """The latest recovery in this process (None if the database opened as it was)."""
    return _last


def clear_last_recovery() -> None:
    global _last
    _last = None


def default_database_file(url: str, default_url: str, env_set: bool) -> Path | None:
    """The default SQLite file when ``url`` is it and the user did not name a database, else None.

    Comparing paths (not strings) so ``sqlite:////x/advisor.db`` and a caller passing database_url()
    explicitly both count as the default.
    """
    if env_set:
        return None
    try:
        given, default = make_url(url), make_url(default_url)
    except Exception:  # unparsable: open_database reports it; never a file we may move
        return None
    if given.get_backend_name() != "sqlite" or not given.database or given.database == ":memory:":
        return None
    if not default.database:
        return None
    if Path(given.database).resolve() != Path(default.database).resolve():
        return None
    return Path(default.database).resolve()


def _timestamp(now: dt.datetime) -> str:
    return now.strftime("%Y%m%d-%H%M%S")


def _free_name(base: Path) -> Path:
    """``base`` or ``base-2``, ``base-3`` ...: two recoveries in one second must not collide."""
    candidate, n = base, 1
    while any(Path(f"{candidate}{suffix}").exists() for suffix in ("", *SIDE_FILES)):
        n += 1
        candidate = base.with_name(f"{base.name}-{n}")
    return candidate


def move_aside(path: Path, reason: str, now: dt.datetime | None = None) -> Recovery:
    """Rename ``path`` (and its -wal/-shm/-journal) to ``<name>.corrupt-YYYYmmdd-HHMMSS[-N]``.

    os.replace in the same directory is atomic; the side files keep SQLite's naming so the moved
    copy still opens with its WAL in ``sqlite3``. Local time, because the user reads it. The caller
    announces it with :func:`announce` once the fresh database is open.
    """
    now = now or dt.datetime.now()
    target = _free_name(path.with_name(f"{path.name}.corrupt-{_timestamp(now)}"))
    moved: list[Path] = []
    for suffix in ("", *SIDE_FILES):
        source = Path(f"{path}{suffix}")
        if source.exists():
            destination = Path(f"{target}{suffix}")
            os.replace(source, destination)
            moved.append(destination)
    return Recovery(original=path, moved_to=target, moved_files=tuple(moved), reason=reason, at=now)


def recovery_of(engine: sa.Engine) -> Recovery | None:
    """The recovery that happened when ``engine`` was opened by open_database, else None."""
    return _by_engine.get(engine)


def announce(recovery: Recovery, engine: sa.Engine) -> None:
    """Remember ``recovery`` (for :func:`recovery_of` and :func:`last_recovery`); tell the notifier."""
    global _last
    _last = recovery
    _by_engine[engine] = recovery
    if _notifier is not None:
        _notifier(recovery)


def backup_sqlite(path: Path, revision: str, now: dt.datetime | None = None) -> Path:
    """Copy the SQLite database at ``path`` to ``<name>.backup-<revision>-<timestamp>`` before a migration.

    Uses the online-backup API: a consistent copy including committed WAL content, written to a temp
    name and renamed, so a crash mid-copy never leaves a half backup under the final name.
    """
    now = now or dt.datetime.now()
    target = _free_name(path.with_name(f"{path.name}.backup-{revision}-{_timestamp(now)}"))
    partial = target.with_name(target.name + ".partial")
    try:
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            copy = sqlite3.connect(partial)
            try:
                source.backup(copy)
                # A plain rollback-journal file: the backup is one self-contained file.
                copy.execute("PRAGMA journal_mode = DELETE")
            finally:
                copy.close()
        finally:
            source.close()
        os.replace(partial, target)
    except (OSError, sqlite3.Error) as exc:
        # No half backup may stay behind, and the migration must not run without its backup.
        for suffix in ("", *SIDE_FILES):
            Path(f"{partial}{suffix}").unlink(missing_ok=True)
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        full = "full" in reason.lower() or getattr(exc, "errno", None) in (errno.ENOSPC, errno.EDQUOT)
        if full:
            raise InputError(
                f"disk full; nothing written: no room for the backup of {path} before its upgrade "
                "(the database was left as it was)",
                field="database",
            ) from None
        raise InputError(
            f"cannot back up {path} before its upgrade ({reason}); the database was left as it was",
            field="database",
        ) from None
    return target
