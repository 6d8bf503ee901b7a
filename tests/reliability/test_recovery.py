"""A default database that cannot be used is moved aside (never overwritten) and a fresh one started;
a named one is refused untouched; an older schema is backed up before it is migrated."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from advisor.db import recovery
from advisor.db.database import create_db_engine, open_database
from advisor.db.migrate import current_revision, head_revision, upgrade_to
from advisor.errors import InputError
from tests.conftest import ROOT

CORRUPT_NAME = re.compile(r"advisor\.db\.corrupt-\d{8}-\d{6}$")


@pytest.fixture(autouse=True)
def _quiet_notifier() -> Iterator[list[recovery.Recovery]]:
    """Collect notifications instead of printing them; restore the default afterwards."""
    seen: list[recovery.Recovery] = []
    previous = recovery.set_recovery_notifier(seen.append)
    recovery.clear_last_recovery()
    yield seen
    recovery.set_recovery_notifier(previous)


def _sqlite_with_rows(path: Path, rows: int = 2000) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, payload TEXT)")
    conn.executemany("INSERT INTO t (payload) VALUES (?)", [("x" * 200,)] * rows)
    conn.commit()
    conn.close()


def _random_bytes(path: Path) -> None:
    path.write_bytes(os.urandom(64 * 1024))


def _truncated(path: Path) -> None:
    _sqlite_with_rows(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _corrupt_pages(path: Path) -> None:
    _sqlite_with_rows(path)
    data = bytearray(path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    data[page_size : 2 * page_size] = os.urandom(page_size)
    path.write_bytes(bytes(data))


def _newer_schema(path: Path) -> None:
    engine = open_database(f"sqlite:///{path}", seed=False)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '0099'"))
    engine.dispose()


def _foreign_tables(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE accelerator (id TEXT PRIMARY KEY, mine TEXT)")
    conn.execute("INSERT INTO accelerator VALUES ('x', 'precious')")
    conn.commit()
    conn.close()


BAD_FILES: dict[str, tuple[Callable[[Path], None], str]] = {
    "random bytes": (_random_bytes, "not a SQLite database"),
    "truncated": (_truncated, "truncated"),
    "corrupt pages": (_corrupt_pages, "corrupt"),
    "newer schema": (_newer_schema, "schema revision 0099 is newer"),
    "foreign tables": (_foreign_tables, "not created by Rig Advisor"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_default_database_is_moved_aside_and_a_fresh_one_started(
    case: str, _private_data_dir: Path, _quiet_notifier: list[recovery.Recovery]
) -> None:
    path = _private_data_dir / "advisor.db"
    make, reason = BAD_FILES[case]
    make(path)
    before = path.read_bytes()

    engine = open_database(seed=False)  # the default file: no URL, no RIG_ADVISOR_DB_URL

    done = recovery.recovery_of(engine)
    assert done is not None and recovery.last_recovery() == done and _quiet_notifier == [done]
    assert reason in done.reason and reason in done.message()
    assert CORRUPT_NAME.search(done.moved_to.name), done.moved_to
    assert done.moved_to.read_bytes() == before  # moved, byte for byte, never rewritten
    assert str(done.moved_to) in done.message() and "\n" not in done.message()
    with engine.connect() as conn:
        assert current_revision(conn) == head_revision()  # the fresh database at the old path
    assert Path(engine.url.database or "") == path
    engine.dispose()


def test_wal_and_shm_move_with_the_file(_private_data_dir: Path) -> None:
    path = _private_data_dir / "advisor.db"
    _newer_schema(path)
    wal = Path(f"{path}-wal")
    wal.write_bytes(b"")  # a leftover WAL of the newer version's session
    engine = open_database(seed=False)
    done = recovery.recovery_of(engine)
    assert done is not None
    assert Path(f"{done.moved_to}-wal") in done.moved_files
    engine.dispose()


def test_a_healthy_default_database_is_not_moved(_private_data_dir: Path) -> None:
    open_database(seed=False).dispose()
    engine = open_database(seed=False)
    assert recovery.recovery_of(engine) is None and recovery.last_recovery() is None
    assert sorted(p.name for p in _private_data_dir.iterdir() if "corrupt" in p.name) == []
    engine.dispose()


def test_two_recoveries_in_one_second_do_not_collide(tmp_path: Path) -> None:
    import datetime as dt

    now = dt.datetime(2026, 11, 23, 12, 0, 0)
    first = tmp_path / "advisor.db"
    first.write_bytes(b"one")
    a = recovery.move_aside(first, "x", now)
    first.write_bytes(b"two")
    b = recovery.move_aside(first, "x", now)
    assert a.moved_to.name == "advisor.db.corrupt-20261123-120000"
    assert b.moved_to.name == "advisor.db.corrupt-20261123-120000-2"
    assert a.moved_to.read_bytes() == b"one" and b.moved_to.read_bytes() == b"two"


@pytest.mark.parametrize("case", ["random bytes", "newer schema"])
def test_a_named_database_is_refused_untouched(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "mine.db"
    BAD_FILES[case][0](path)
    before = path.read_bytes()
    monkeypatch.setenv("RIG_ADVISOR_DB_URL", f"sqlite:///{path}")
    with pytest.raises(InputError):
        open_database(seed=False)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if "corrupt" in p.name] == []


def test_the_default_file_named_in_the_env_var_is_not_moved(
    _private_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _private_data_dir / "advisor.db"
    _random_bytes(path)
    monkeypatch.setenv("RIG_ADVISOR_DB_URL", f"sqlite:///{path}")  # the user named it: their call
    with pytest.raises(InputError, match="not a SQLite database"):
        open_database(seed=False)
    assert path.exists() and recovery.last_recovery() is None


def _database_at_0001(path: Path) -> None:
    engine = create_db_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        upgrade_to(conn, "0001")
    with engine.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO import_batch (id, created_at, kind, source_name, item_count, note) "
            "VALUES (1, '2026-10-01 12:00:00+00:00', 'feed', 'team feed', 1, 'years of history')"
        ))
    engine.dispose()


@pytest.mark.parametrize("named", [False, True])
def test_older_schema_is_backed_up_then_migrated(
    named: bool, _private_data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = (tmp_path / "team.db") if named else (_private_data_dir / "advisor.db")
    _database_at_0001(path)
    if named:
        monkeypatch.setenv("RIG_ADVISOR_DB_URL", f"sqlite:///{path}")
    engine = open_database(seed=False)
    with engine.connect() as conn:
        assert current_revision(conn) == head_revision()
    engine.dispose()
    assert recovery.last_recovery() is None
    (backup,) = [p for p in path.parent.iterdir() if ".backup-" in p.name]
    assert re.fullmatch(rf"{path.name}\.backup-0001-\d{{8}}-\d{{6}}", backup.name)
    conn = sqlite3.connect(backup)
    try:  # the copy is the old schema with the data, whole
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]
        assert conn.execute("SELECT note FROM import_batch").fetchall() == [("years of history",)]
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()
    # Opening again at head makes no second backup.
    open_database(seed=False).dispose()
    assert len([p for p in path.parent.iterdir() if ".backup-" in p.name]) == 1


def _cli(data_dir: Path, *args: str, db_url: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "RIG_ADVISOR_DB_URL"}
    env["RIG_ADVISOR_DATA_DIR"] = str(data_dir)
    if db_url:
        env["RIG_ADVISOR_DB_URL"] = db_url
    return subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


def test_cli_warns_in_one_line_and_continues_on_a_fresh_seeded_database(_private_data_dir: Path) -> None:
    path = _private_data_dir / "advisor.db"
    path.write_text("name,price\nrtx-4090,1599\n")
    result = _cli(_private_data_dir, "catalog", "list", "models", "--json")
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("warning: the database ")
    moved = re.search(r"moved to (\S+) and a fresh", result.stderr)
    assert moved and Path(moved.group(1)).read_text() == "name,price\nrtx-4090,1599\n"
    assert '"DeepSeek-V4-Pro"' in result.stdout  # the seeded catalog

    named = _cli(_private_data_dir, "catalog", "list", "models", db_url=f"sqlite:///{moved.group(1)}")
    assert named.returncode == 2 and named.stderr.count("\n") == 1 and "not a SQLite database" in named.stderr
    assert Path(moved.group(1)).exists()
