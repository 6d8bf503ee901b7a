"""open_database: URL validation, SQLite health checks (file left byte-for-byte unchanged), pragmas."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa

from advisor.db.database import check_sqlite_file, database_url, open_database, parse_database_url
from advisor.db.migrate import current_revision, head_revision
from advisor.errors import InputError


def _make_sqlite(path: Path, rows: int = 2000) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, payload TEXT)")
    conn.executemany("INSERT INTO t (payload) VALUES (?)", [("x" * 200,)] * rows)
    conn.commit()
    conn.close()


def test_default_url_is_advisor_db_in_the_data_dir(_private_data_dir: Path) -> None:
    assert database_url() == f"sqlite:///{_private_data_dir / 'advisor.db'}"


def test_env_var_overrides_the_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RIG_ADVISOR_DB_URL", "postgresql+psycopg://u:p@db.example/prices")
    assert database_url() == "postgresql+psycopg://u:p@db.example/prices"


def test_postgresql_without_driver_uses_psycopg() -> None:
    assert parse_database_url("postgresql://u@h/db").drivername == "postgresql+psycopg"


@pytest.mark.parametrize("url", ["mysql://u:p@h/db", "oracle://h/db", "nosuch+driver://x"])
def test_unknown_scheme_is_input_error(url: str) -> None:
    with pytest.raises(InputError, match="unsupported database"):
        open_database(url, seed=False)


@pytest.mark.parametrize("url", ["not a url", "://", ""])
def test_unparsable_url_is_input_error(url: str) -> None:
    with pytest.raises(InputError, match="database"):
        parse_database_url(url)


def test_missing_directory_is_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        open_database(f"sqlite:///{tmp_path / 'nope' / 'advisor.db'}", seed=False)
    assert not (tmp_path / "nope").exists()


def _assert_refused_unchanged(path: Path, match: str) -> None:
    before = path.read_bytes()
    with pytest.raises(InputError, match=match) as info:
        open_database(f"sqlite:///{path}", seed=False)
    assert str(path) in str(info.value)
    assert "\n" not in str(info.value)
    assert path.read_bytes() == before
    assert not Path(f"{path}-wal").exists()


def test_random_bytes_are_refused_file_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "advisor.db"
    path.write_bytes(os.urandom(64 * 1024))
    _assert_refused_unchanged(path, "not a SQLite database")


def test_text_file_is_refused_file_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "advisor.db"
    path.write_text("name,price\nrtx-4090,1599\n")
    _assert_refused_unchanged(path, "not a SQLite database")


def test_truncated_sqlite_file_is_refused_file_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "advisor.db"
    _make_sqlite(path)
    data = path.read_bytes()
    assert len(data) > 100_000
    path.write_bytes(data[: len(data) // 2])
    _assert_refused_unchanged(path, "truncated")


def test_corrupt_pages_are_refused_file_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "advisor.db"
    _make_sqlite(path)
    data = bytearray(path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    # Overwrite page 2 (the table's root/first b-tree page) with garbage; header and length stay valid.
    data[page_size : 2 * page_size] = os.urandom(page_size)
    path.write_bytes(bytes(data))
    _assert_refused_unchanged(path, "corrupt")


def test_healthy_foreign_sqlite_file_passes_the_check(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    _make_sqlite(path, rows=10)
    check_sqlite_file(path)  # no exception


def test_empty_file_becomes_a_database(tmp_path: Path) -> None:
    path = tmp_path / "advisor.db"
    path.touch()
    engine = open_database(f"sqlite:///{path}", seed=False)
    with engine.connect() as conn:
        assert current_revision(conn) == head_revision()
    engine.dispose()


def test_sqlite_runs_wal_with_busy_timeout_and_foreign_keys(sqlite_url: str) -> None:
    engine = open_database(sqlite_url, seed=False)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def test_in_memory_database_is_shared_between_connections() -> None:
    engine = open_database("sqlite://", seed=False)
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO tariff (id, name, aliases, source, as_of, notes, confidence, "
                "user_edited, region, usd_per_kwh, kind) VALUES ('x', 'X', '[]', 'src', "
                "'2026-01-01', '', 'high', 0, 'EU', 0.3, 'residential')"
            )
        )
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT usd_per_kwh FROM tariff")).scalar() == 0.3


def test_unreachable_postgresql_is_input_error() -> None:
    with pytest.raises(InputError, match="cannot open database"):
        open_database("postgresql+psycopg://rig:rig@127.0.0.1:1/none?connect_timeout=2", seed=False)


def test_simultaneous_first_starts_share_one_migration_and_seed(tmp_path: Path) -> None:
    """Three processes opening a new file at once: all succeed, one seed batch, no duplicate rows."""
    import subprocess
    import sys

    path = tmp_path / "advisor.db"
    code = f"from advisor.db import open_database; open_database('sqlite:///{path}').dispose()"
    root = Path(__file__).resolve().parents[2]
    procs = [
        subprocess.Popen([sys.executable, "-c", code], cwd=root, stderr=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], errors
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM import_batch WHERE kind = 'seed'").fetchone() == (1,)
    assert conn.execute("SELECT count(*) FROM alembic_version").fetchone() == (1,)
    conn.close()
