"""Opening the database: URL choice and validation, SQLite health checks, migrations, first-run seeding.

SQLite (the default, one file in the user's data dir) runs in WAL mode with a 10 s busy timeout so the
app and a CLI run can share it; PostgreSQL (``postgresql+psycopg://``) lets a team share one price
database. Every failure a user can cause (bad URL, a file that is not SQLite, a corrupt or truncated file,
a database from a newer version) is an InputError with one line naming the database; the file is never
written to in that case.
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

from advisor.errors import InputError
from advisor.paths import user_data_dir

DB_URL_ENV = "RIG_ADVISOR_DB_URL"
DB_FILE_NAME = "advisor.db"
SQLITE_BUSY_TIMEOUT_MS = 10_000  # a GUI save and a CLI import may overlap: wait rather than fail
SQLITE_MAGIC = b"SQLite format 3\x00"
SUPPORTED_BACKENDS = ("sqlite", "postgresql")


def database_url() -> str:
    """RIG_ADVISOR_DB_URL if set, else the SQLite file advisor.db in the user's data dir."""
    configured = os.environ.get(DB_URL_ENV, "").strip()
    if configured:
        return configured
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
    size = path.stat().st_size
    if size == 0:
        return
    with path.open("rb") as fh:
        header = fh.read(100)
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        raise InputError(f"{path} is not a SQLite database (left unchanged)", field="database")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    page_count = int.from_bytes(header[28:32], "big")
    # The header's page count is trustworthy only when stamped by the same write as the change counter,
    # and only without a WAL (a checkpoint cut short legitimately leaves the file shorter; SQLite replays it).
    count_valid = header[92:96] == header[24:28] and not _has_wal(path)
    if page_size < 512 or size % page_size or (count_valid and size < page_size * page_count):
        raise InputError(
            f"{path} is truncated or damaged ({size} bytes, header says {page_count} pages of {page_size}); "
            "restore it from a backup (left unchanged)",
            field="database",
        )
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = conn.execute("PRAGMA quick_check").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise InputError(
            f"{path} is corrupt ({exc}); restore it from a backup (left unchanged)", field="database"
        ) from None
    if rows != [("ok",)]:
        first = str(rows[0][0]).strip().splitlines()[0] if rows else "no result"  # one line, exit 2
        raise InputError(
            f"{path} is corrupt ({first}); restore it from a backup (left unchanged)", field="database"
        )


def _has_wal(path: Path) -> bool:
    wal = path.with_name(path.name + "-wal")
    return wal.exists() and wal.stat().st_size > 0


def _sqlite_on_connect(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
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
    """
    engine = create_db_engine(url)
    where = describe(engine.url)
    with _first_start_lock(engine):
        return _migrate_and_seed(engine, where, seed, seed_dir)


@contextmanager
def _first_start_lock(engine: sa.Engine) -> Iterator[None]:
    """Serialise migration + seeding between processes opening the same SQLite file at once.

    Without it two processes starting on a new file both try to create the tables. SQLite has no
    advisory locks, so a sidecar ``<file>.lock`` is flock'ed (POSIX only; elsewhere no lock).
    """
    database = engine.url.database or ""
    if engine.dialect.name != "sqlite" or database in ("", ":memory:"):
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


def _migrate_and_seed(engine: sa.Engine, where: str, seed: bool, seed_dir: Path | None) -> sa.Engine:
    from advisor.db.migrate import upgrade_to_head

    try:
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                # Two processes starting on a fresh team database must not both create the tables.
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(72100201)"))
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
        raise InputError(f"cannot open database {where}: {reason}", field="database") from None
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
