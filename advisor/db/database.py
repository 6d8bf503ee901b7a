"""Opening the database: URL choice and validation, SQLite health checks, migrations, first-run seeding.

SQLite (the default, one file in the user's data dir) runs in WAL mode with a 10 s busy timeout so the
app and a CLI run can share it; PostgreSQL (``postgresql+psycopg://``) lets a team share one price
database. Every failure a user can cause (bad URL, a file that is not SQLite, a corrupt or truncated file,
a database from a newer version) is an InputError with one line naming the database; the file is never
written to in that case. Exception: the DEFAULT file (no RIG_ADVISOR_DB_URL) that is unusable is moved
aside and replaced by a fresh database (advisor.db.recovery), and an older schema is backed up before it
is migrated.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import StaticPool
from sqlmodel import Session

from advisor.db.recovery import (
    Recovery,
    UnusableDatabaseError,
    announce,
    backup_sqlite,
    default_database_file,
    move_aside,
)
from advisor.errors import InputError
from advisor.faults import sqlite_fault
from advisor.paths import user_data_dir

DB_URL_ENV = "RIG_ADVISOR_DB_URL"
DB_FILE_NAME = "advisor.db"
SQLITE_BUSY_TIMEOUT_MS = 10_000  # a GUI save and a CLI import may overlap: wait rather than fail
BUSY_TIMEOUT_ENV = "RIG_ADVISOR_DB_BUSY_TIMEOUT_S"  # another wait [s] (tests, slow network drives)
SQLITE_MAGIC = b"SQLite format 3\x00"
SUPPORTED_BACKENDS = ("sqlite", "postgresql")


def database_url() -> str:
    """RIG_ADVISOR_DB_URL if set, else the SQLite file advisor.db in the user's data dir."""
    configured = os.environ.get(DB_URL_ENV, "").strip()
    if configured:
        return configured
    return default_database_url()


def default_database_url() -> str:
    """The SQLite file advisor.db in the user's data dir (whatever RIG_ADVISOR_DB_URL says)."""
    return f"sqlite:///{user_data_dir() / DB_FILE_NAME}"


def parse_database_url(url: str) -> URL:
    """Parse and check a SQLAlchemy URL; PostgreSQL without a driver gets psycopg (the one we ship)."""
    try:
        parsed = make_url(url)
    except Exception as exc:  # ArgumentError, ValueError: both mean "not a URL"
        raise InputError(f"cannot parse database URL {url!r} ({exc})", field="database") from None
    if parsed.get_backend_name() not in SUPPORTED_BACKENDS:
        raise InputError(
            f"unsupported database {parsed.get_backend_name()!r} in URL (use sqlite:///FILE or "
            "postgresql+psycopg://USER:PASS@HOST/DB)",
            field="database",
        )
    if parsed.drivername == "postgresql":  # the one driver we ship (psycopg2 is not installed)
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def describe(url: URL) -> str:
    """The database for messages: a file path, or the URL with the password hidden."""
    if url.get_backend_name() == "sqlite":
        return url.database or ":memory:"
    return url.render_as_string(hide_password=True)


def check_sqlite_file(path: Path) -> None:
    """Refuse a file that is not a healthy SQLite database. Reads only; never modifies the file.

    A missing or empty file is fine (SQLite creates the database). A wrong header means another kind of
    file; a file shorter than its header's page count was truncated (a copy cut short); anything else
    `PRAGMA quick_check` finds (O(N) in the file size, ~ms for our databases) is corruption.
    """
    if path.is_dir():
        raise InputError(f"{path} is a directory, not a database file", field="database")
    if not path.exists():
        if not path.parent.is_dir():
            raise InputError(f"directory {path.parent} does not exist", field="database")
        return
    if not path.is_file():  # a FIFO or a device: opening it would block or read garbage
        raise InputError(f"{path} is not a regular file (a FIFO, device or socket)", field="database")
    size = path.stat().st_size
    if size == 0:
        return
    with path.open("rb") as fh:
        header = fh.read(100)
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        raise UnusableDatabaseError(f"{path} is not a SQLite database (left unchanged)", "not a SQLite database")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    page_count = int.from_bytes(header[28:32], "big")
    # The header's page count is trustworthy only when stamped by the same write as the change counter,
    # and only without a WAL (a checkpoint cut short legitimately leaves the file shorter; SQLite replays it).
    count_valid = header[92:96] == header[24:28] and not _has_wal(path)
    if page_size < 512 or size % page_size or (count_valid and size < page_size * page_count):
        raise UnusableDatabaseError(
            f"{path} is truncated or damaged ({size} bytes, header says {page_count} pages of {page_size}); "
            "restore it from a backup (left unchanged)",
            f"truncated or damaged: {size} bytes, header says {page_count} pages of {page_size}",
        )
    _roll_back_hot_journal(path)
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = conn.execute("PRAGMA quick_check").fetchall()
        finally:
            conn.close()
    except sqlite3.OperationalError as exc:
        # Locked, unreadable, permission denied: the file may be fine, so never a reason to move it aside.
        if _disk_is_full(path.parent):  # SQLite says "disk I/O error" when it cannot make its -shm file
            raise InputError(f"disk full; nothing written (no room to open {path})", field="database") from None
        raise InputError(f"cannot read {path} ({exc})", field="database") from None
    except sqlite3.DatabaseError as exc:
        raise UnusableDatabaseError(
            f"{path} is corrupt ({exc}); restore it from a backup (left unchanged)", f"corrupt: {exc}"
        ) from None
    if rows != [("ok",)]:
        first = str(rows[0][0]).strip().splitlines()[0] if rows else "no result"  # one line, exit 2
        raise UnusableDatabaseError(
            f"{path} is corrupt ({first}); restore it from a backup (left unchanged)", f"corrupt: {first}"
        )


def _roll_back_hot_journal(path: Path) -> None:
    """Let SQLite roll back a hot journal left by a process killed mid-write, as any client opening the
    file would. The read-only checks cannot (SQLite refuses: "attempt to write a readonly database"),
    so without this a first start killed while SQLite switched the new file to WAL left a database that
    every later start refused. A journal still in use by a live writer is not hot: SQLite leaves it alone.
    """
    journal = path.with_name(path.name + "-journal")
    try:
        if not journal.exists() or journal.stat().st_size == 0:
            return
        conn = sqlite3.connect(path, timeout=busy_timeout_s())
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchall()  # reading rolls it back
        finally:
            conn.close()
    except (OSError, sqlite3.Error):
        return  # unreadable or not a database: the read-only check below says what is wrong


def _disk_is_full(folder: Path) -> bool:
    """Less than 64 KiB free where the database lives (SQLite's -shm index alone needs 32 KiB)."""
    try:
        stats = os.statvfs(folder)
    except (OSError, AttributeError):  # AttributeError: no statvfs on Windows
        return False
    return stats.f_bavail * stats.f_frsize < 65_536


def _has_wal(path: Path) -> bool:
    wal = path.with_name(path.name + "-wal")
    return wal.exists() and wal.stat().st_size > 0


def busy_timeout_s() -> float:
    """How long a write waits for another process's lock before "database busy" [s]: 10 unless
    RIG_ADVISOR_DB_BUSY_TIMEOUT_S says otherwise (0-3600)."""
    raw = os.environ.get(BUSY_TIMEOUT_ENV, "").strip()
    if not raw:
        return SQLITE_BUSY_TIMEOUT_MS / 1000
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 3600:
        raise InputError(f"must be a number of seconds from 0 to 3600, got {raw[:40]!r}", field=BUSY_TIMEOUT_ENV)
    return value


def _sqlite_on_connect(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {round(busy_timeout_s() * 1000)}")
    cursor.execute("PRAGMA foreign_keys = ON")
    # WAL: readers never block the writer (the GUI reads while a feed import writes).
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.close()


def create_db_engine(url: str | None = None) -> sa.Engine:
    """An Engine for ``url`` (default: database_url()) after validation; no migration, no seeding."""
    parsed = parse_database_url(url if url is not None else database_url())
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database in ("", ":memory:"):
            # One shared connection, or every session would see its own empty in-memory database.
            engine = sa.create_engine(parsed, poolclass=StaticPool, connect_args={"check_same_thread": False})
        else:
            check_sqlite_file(Path(database))
            engine = sa.create_engine(parsed, connect_args={"check_same_thread": False})
        sa.event.listen(engine, "connect", _sqlite_on_connect)
        return engine
    return sa.create_engine(parsed, pool_pre_ping=True)


def open_database(url: str | None = None, *, seed: bool = True, seed_dir: Path | None = None) -> sa.Engine:
    """Open (creating if needed) the database at ``url``, migrate it to head and load the seed catalog.

    url: any supported SQLAlchemy URL; None uses database_url(). seed: load / upgrade the bundled catalog
    (a new seed adds and updates records the user has not edited); seed_dir: another catalog directory
    than the bundled resources/catalog (tests, a site's own catalog). Raises InputError (exit code 2) for a
    bad URL, an unreadable or corrupt file, a server that refuses the connection, or a newer schema.

    The default file (no RIG_ADVISOR_DB_URL) is the exception: when it is not SQLite, truncated, corrupt,
    foreign or newer it is moved aside, a fresh database is opened, and ``recovery_of(engine)`` /
    ``last_recovery()`` (advisor.db.recovery) say where the old file went; the notifier (default: one
    line on stderr) is told. An
    older SQLite schema is copied to ``<file>.backup-<revision>-<timestamp>`` before it is migrated.
    """
    target = url if url is not None else database_url()
    default_file = default_database_file(
        target, default_database_url(), env_set=bool(os.environ.get(DB_URL_ENV, "").strip())
    )
    try:
        return _open(target, seed, seed_dir)
    except UnusableDatabaseError as exc:
        if default_file is None:
            raise  # a file the user named: never moved, exit 2
        recovery = _move_aside_if_still_unusable(default_file, exc.reason)
    engine = _open(target, seed, seed_dir)
    if recovery is not None:
        announce(recovery, engine)
    return engine


def _open(url: str, seed: bool, seed_dir: Path | None) -> sa.Engine:
    engine = create_db_engine(url)
    where = describe(engine.url)
    database = engine.url.database or ""
    if engine.dialect.name == "sqlite" and database not in ("", ":memory:"):
        path = Path(database)
        if path.exists() and path.stat().st_size:
            # another application's database is refused before even a lock file is made beside it
            _check_schema_readonly(path)
    with _first_start_lock(database, engine.dialect.name):
        return _migrate_and_seed(engine, where, seed, seed_dir)


def _move_aside_if_still_unusable(path: Path, reason: str) -> Recovery | None:
    """Under the first-start lock: another instance starting at the same moment may already have
    moved the file and created a fresh one, which must not be moved in turn."""
    with _first_start_lock(str(path), "sqlite"):
        try:
            check_sqlite_file(path)
            if path.exists() and path.stat().st_size:
                _check_schema_readonly(path)
        except UnusableDatabaseError as exc:
            return move_aside(path, exc.reason)
        return None


def _check_schema_readonly(path: Path) -> str | None:
    """_check_schema on a read-only connection: no WAL switch, not a byte written to a file we may refuse."""
    engine = sa.create_engine(
        "sqlite://", creator=lambda: sqlite3.connect(f"file:{path}?mode=ro", uri=True), poolclass=sa.NullPool
    )
    try:
        with engine.connect() as conn:
            return _check_schema(conn, str(path))
    finally:
        engine.dispose()


@contextmanager
def _first_start_lock(database: str, dialect: str) -> Iterator[None]:
    """Serialise migration + seeding (and moving a broken default file aside) between processes opening
    the same SQLite file at once.

    Without it two processes starting on a new file both try to create the tables. SQLite has no
    advisory locks, so a sidecar ``<file>.lock`` is flock'ed (POSIX only; elsewhere no lock).
    """
    if dialect != "sqlite" or database in ("", ":memory:"):
        yield
        return
    try:
        import fcntl
    except ImportError:  # Windows: no flock; a simultaneous first start there may fail once with exit 2
        yield
        return
    try:
        lock_file = open(f"{database}.lock", "a")  # noqa: SIM115  (closed below)
    except OSError:  # a read-only directory: nobody else can be creating tables there either
        yield
        return
    with lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def _check_schema(conn: sa.Connection, where: str) -> str | None:
    """The database's schema revision; UnusableDatabaseError for a newer or a foreign one.

    Done here (not only in migrate.upgrade_to_head) so these two causes can be told apart from a
    locked file or a lost connection, which must never move a database aside.
    """
    from advisor.db.migrate import current_revision, head_revision, known_revisions

    current = current_revision(conn)
    known = known_revisions()
    if current is not None and current not in known:
        raise UnusableDatabaseError(
            f"database {where} has schema revision {current}, newer than this Rig Advisor knows "
            f"(newest {head_revision()}); upgrade Rig Advisor or use another database",
            f"schema revision {current} is newer than this Rig Advisor knows (newest {head_revision()})",
        )
    if current is None:
        inspector = sa.inspect(conn)
        if inspector.has_table("accelerator") or inspector.has_table("price_point"):
            raise UnusableDatabaseError(
                f"database {where} has Rig Advisor tables but no schema version; it was not created by "
                "Rig Advisor (use an empty database)",
                "Rig Advisor tables without a schema version (not created by Rig Advisor)",
            )
        tables = sorted(inspector.get_table_names())
        if tables:
            # Another application's database (a browser's history, ...): creating our tables inside it
            # would change a file that is not ours.
            shown = ", ".join(tables[:3]) + (", ..." if len(tables) > 3 else "")
            raise UnusableDatabaseError(
                f"database {where} belongs to another application (tables {shown}, no Rig Advisor schema "
                "version); left unchanged: use an empty or a Rig Advisor database",
                f"another application's database (tables {shown})",
            )
    return current


def _migrate_and_seed(engine: sa.Engine, where: str, seed: bool, seed_dir: Path | None) -> sa.Engine:
    from advisor.db.migrate import head_revision, upgrade_to_head

    try:
        database = engine.url.database or ""
        sqlite_file = engine.dialect.name == "sqlite" and database not in ("", ":memory:")
        if sqlite_file:
            db_path = Path(database)
            current = _check_schema_readonly(db_path) if db_path.exists() and db_path.stat().st_size else None
        else:
            with engine.connect() as conn:
                current = _check_schema(conn, where)
        if sqlite_file:
            if current is not None and current != head_revision():
                # Years of price history: keep a copy of the old schema in case a migration goes wrong.
                backup_sqlite(db_path, current)
        if not sqlite_file or current != head_revision():
            with engine.begin() as conn:
                if conn.dialect.name == "postgresql":
                    # Two processes starting on a fresh team database must not both create the tables.
                    conn.execute(sa.text("SELECT pg_advisory_xact_lock(72100201)"))
                else:
                    # pysqlite runs DDL outside any transaction unless told to begin one: without this a
                    # kill -9 mid-migration left tables without the version stamp (an unusable file).
                    conn.exec_driver_sql("BEGIN IMMEDIATE")
                upgrade_to_head(conn, where)
        if seed:
            from advisor.db.seed import upgrade_catalog

            upgrade_catalog(engine, seed_dir=seed_dir)
    except InputError:
        engine.dispose()
        raise
    except sa.exc.OperationalError as exc:
        engine.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
        fault = sqlite_fault(reason, where, busy_timeout_s()) if engine.dialect.name == "sqlite" else None
        if fault is not None:  # busy, read-only, disk full: say so plainly
            raise fault from None
        raise InputError(f"cannot open database {where}: {reason}", field="database") from None
    except sa.exc.DatabaseError as exc:
        # Not OperationalError: SQLite's "file is not a database" / "disk image is malformed" that the
        # health check did not see (damage in pages only a migration touches).
        engine.dispose()
        if engine.dialect.name != "sqlite":
            raise
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
        raise UnusableDatabaseError(
            f"database {where} is corrupt ({reason}); restore it from a backup", f"corrupt: {reason}"
        ) from None
    return engine


@contextmanager
def session(engine: sa.Engine) -> Iterator[Session]:
    """One unit of work: commits on success, rolls back on any error (the database is left as it was)."""
    with Session(engine) as db_session:
        try:
            yield db_session
            db_session.commit()
        except BaseException:
            db_session.rollback()
            raise
