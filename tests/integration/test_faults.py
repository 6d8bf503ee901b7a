"""Issue 16, faults of the machine: a feed server dribbling bytes, a database another process holds, a
full disk, read-only files and folders. Each through the real CLI: exit code 2 within bounded time, one
line on stderr, and the database exactly as it was."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from advisor.errors import InputError
from tests.feeds.test_deadline import DribblingServer
from tests.integration.cli import dump, exits_2_with_one_line, permissions_apply, run
from tests.reliability.child import write_feed


def _feed(path: Path, count: int = 1) -> Path:
    write_feed(path, "fault", count)
    return path


# ------------------------------------------------------------------ a server sending 1 byte at a time
@pytest.mark.parametrize("mode", ["headers", "body"])
def test_a_dribbling_feed_server_is_cut_at_the_timeout(seeded_db: Path, mode: str) -> None:
    server = DribblingServer(mode, gap_s=0.5)
    try:
        before = dump(seeded_db)
        started = time.monotonic()
        p = run("prices", "update", "--source", server.url, "--timeout", "2", "--yes", db=seeded_db, timeout=120)
        elapsed = time.monotonic() - started
    finally:
        server.close()
    exits_2_with_one_line(p, "took longer than 2 s", "nothing written")
    assert dump(seeded_db) == before
    assert elapsed < 60, elapsed  # before: 282 s, or past 400 s (a bound, not a speed claim)


# ------------------------------------------------------------------ another process holds the write lock
@pytest.fixture
def lock_holder(seeded_db: Path) -> Iterator[subprocess.Popen[str]]:
    """A process that holds the database's write lock (BEGIN IMMEDIATE) until it is told to stop."""
    code = ("import sqlite3, sys; c = sqlite3.connect(sys.argv[1], isolation_level=None); "
            "c.execute('BEGIN IMMEDIATE'); print('LOCKED', flush=True); sys.stdin.readline(); c.execute('ROLLBACK')")
    proc = subprocess.Popen([sys.executable, "-c", code, str(seeded_db)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "LOCKED"
    yield proc
    if proc.poll() is None:
        proc.communicate("\n", timeout=30)


@pytest.mark.parametrize("command", [("prices", "import", "{feed}", "--yes"),
                                     ("prices", "sources", "add", "team", "https://example.org/f.json"),
                                     ("models", "import", "{config}", "--new-name", "Busy test")])
def test_a_locked_database_waits_then_says_busy(seeded_db: Path, tmp_path: Path,
                                                lock_holder: subprocess.Popen[str],
                                                command: tuple[str, ...]) -> None:
    feed = _feed(tmp_path / "feed.json")
    before = dump(seeded_db)
    config = Path(__file__).parents[1] / "fixtures" / "configs" / "Qwen3-30B-A3B" / "config.json"
    p = run(*[a.format(feed=feed, config=config) for a in command], db=seeded_db,
            env={"RIG_ADVISOR_DB_BUSY_TIMEOUT_S": "1"})
    line = exits_2_with_one_line(p, "database busy (held by another process); nothing written", "waited 1 s")
    assert "INSERT" not in line and "SELECT" not in line  # no SQL text
    lock_holder.communicate("\n", timeout=30)
    assert dump(seeded_db) == before


def test_a_bad_busy_timeout_setting_is_named(seeded_db: Path) -> None:
    exits_2_with_one_line(run("catalog", "list", "quants", db=seeded_db,
                              env={"RIG_ADVISOR_DB_BUSY_TIMEOUT_S": "soon"}), "RIG_ADVISOR_DB_BUSY_TIMEOUT_S")


# ------------------------------------------------------------------ a full disk
@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 4 MB file system (tmpfs): writes past it fail with ENOSPC as on a full disk.

    Mounting needs root with CAP_SYS_ADMIN (as here and in CI); elsewhere these tests skip and the
    injected-ENOSPC tests below still run.
    """
    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount_point)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip()[:80]})")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def _fill(folder: Path, leave_bytes: int) -> None:
    """Fill ``folder``'s file system until only ``leave_bytes`` are free."""
    stats = os.statvfs(folder)
    free = stats.f_bavail * stats.f_frsize
    with open(folder / "filler", "wb") as fh:
        fh.write(b"\0" * max(0, free - leave_bytes))


def test_disk_full_during_an_import_exits_2_and_writes_nothing(seeded_db: Path, tiny_disk: Path,
                                                               tmp_path: Path) -> None:
    db = tiny_disk / "advisor.db"
    db.write_bytes(seeded_db.read_bytes())
    feed = _feed(tmp_path / "big.json", 20_000)  # ~5 MB of price points: more than is left
    _fill(tiny_disk, 300_000)
    before = dump(db)
    p = run("prices", "import", str(feed), "--yes", db=db)
    exits_2_with_one_line(p, "disk full; nothing written")
    assert dump(db) == before


@pytest.mark.parametrize("journal", ["delete", "wal"])
def test_disk_full_during_the_pre_migration_backup_exits_2_and_leaves_no_partial(tiny_disk: Path,
                                                                                  journal: str) -> None:
    """An older schema is copied before it is migrated. With a rollback journal the copy is what runs out
    of space; a WAL database cannot even be opened (SQLite needs room for its -shm index)."""
    from tests.reliability.test_recovery import _database_at_0001

    db = tiny_disk / "advisor.db"
    _database_at_0001(db)
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute(f"PRAGMA journal_mode = {journal}")
    conn.close()
    digest = hashlib.sha256(db.read_bytes()).hexdigest()
    _fill(tiny_disk, 8_192)  # less than the backup copy needs
    p = run("catalog", "list", "quants", db=db)
    exits_2_with_one_line(p, "disk full; nothing written", "backup" if journal == "delete" else str(db))
    assert not [f.name for f in tiny_disk.iterdir() if ".partial" in f.name or ".backup-" in f.name]
    assert hashlib.sha256(db.read_bytes()).hexdigest() == digest


def test_disk_full_while_exporting_leaves_no_temp_file(seeded_db: Path, tiny_disk: Path) -> None:
    _fill(tiny_disk, 0)
    out = tiny_disk / "prices.json"
    exits_2_with_one_line(run("prices", "export", str(out), db=seeded_db), str(out), "disk full; nothing written")
    assert sorted(f.name for f in tiny_disk.iterdir()) == ["filler"]


# Where no file system can be mounted, the same paths with ENOSPC injected at the write boundary.
def test_injected_enospc_in_an_atomic_write_is_disk_full(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import advisor.atomic

    def no_space(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(advisor.atomic.os, "fsync", no_space)
    with pytest.raises(InputError, match="disk full; nothing written"):
        with advisor.atomic.atomic_write(tmp_path / "out.json") as fh:
            fh.write("{}")
    assert list(tmp_path.iterdir()) == []


def test_injected_enospc_in_the_backup_removes_the_partial(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from advisor.db import recovery
    from tests.reliability.test_recovery import _database_at_0001

    db = tmp_path / "advisor.db"
    _database_at_0001(db)

    def no_space(_src: object, _dst: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(recovery.os, "replace", no_space)
    with pytest.raises(InputError, match="disk full; nothing written"):
        recovery.backup_sqlite(db, "0001")
    assert not [f for f in tmp_path.iterdir() if "backup" in f.name]


# ------------------------------------------------------------------ permissions (real, see cli.run)
needs_permissions = pytest.mark.skipif(not permissions_apply(), reason="root without setpriv ignores chmod")


@needs_permissions
def test_a_read_only_database_exits_2_naming_it(seeded_db: Path, tmp_path: Path) -> None:
    feed = _feed(tmp_path / "feed.json")
    before = dump(seeded_db)
    seeded_db.chmod(0o444)
    try:
        p = run("prices", "import", str(feed), "--yes", db=seeded_db, as_plain_user=True)
    finally:
        seeded_db.chmod(0o644)
    exits_2_with_one_line(p, str(seeded_db), "read-only", "nothing written")
    assert dump(seeded_db) == before


@needs_permissions
def test_a_read_only_export_folder_exits_2_naming_it(seeded_db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "published"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        p = run("prices", "export", str(folder / "prices.csv"), db=seeded_db, as_plain_user=True)
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)
    exits_2_with_one_line(p, str(folder / "prices.csv"), "Permission denied")


@needs_permissions
@pytest.mark.parametrize("target", ["folder", "file"])
def test_an_unreadable_model_folder_or_file_exits_2_naming_it(seeded_db: Path, tmp_path: Path,
                                                              target: str) -> None:
    folder = tmp_path / "model"
    folder.mkdir()
    config = folder / "config.json"
    config.write_text(json.dumps({"model_type": "llama"}), encoding="utf-8")
    locked = folder if target == "folder" else config
    locked.chmod(0o000)
    try:
        p = run("models", "import", str(folder if target == "folder" else config), db=seeded_db,
                as_plain_user=True)
    finally:
        locked.chmod(0o755)
    exits_2_with_one_line(p, str(locked), "Permission denied")
