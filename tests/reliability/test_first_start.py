"""kill -9 during the first start of a named database: the file must always be usable afterwards.

QA (issue 16) killed 27 first starts and left 2 files with Rig Advisor tables but no schema version: every
later command then refused the database. pysqlite ran the migration's CREATE TABLEs outside any
transaction; now schema and version stamp are one transaction (``BEGIN IMMEDIATE``), and the seed catalog
is a second one that the next start completes.

The 100 kills use ``os.fork`` from this already-imported process, so each try costs the first start
itself (~0.25 s) rather than a Python start-up; a few more kill the real CLI.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from advisor.db.database import open_database
from advisor.db.migrate import head_revision
from tests.conftest import ROOT
from tests.reliability.conftest import integrity, query

SEED = int(os.environ.get("RIG_FAULT_SEED", "8"))
TRIES = 100


def _first_start_in_child(path: Path, kill_after_s: float | None) -> tuple[bool, float]:
    """Fork; the child opens (creates, migrates, seeds) ``path``; SIGKILL it after ``kill_after_s``.

    Returns (killed before it finished, seconds from fork to the end).
    """
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:  # the child: a first start, then leave without running pytest's exit handlers
        code = 0
        try:
            open_database(f"sqlite:///{path}").dispose()
        except BaseException:
            code = 3
        os._exit(code)
    if kill_after_s is not None:
        time.sleep(kill_after_s)
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    elapsed = time.monotonic() - started
    if os.WIFSIGNALED(status):
        return True, elapsed
    assert os.WEXITSTATUS(status) == 0, f"the first start failed on its own ({path})"
    return False, elapsed


def _unusable_because(path: Path) -> str | None:
    """Why a later start cannot use the file, or None when it opens (migrated to head, catalog seeded)."""
    try:
        engine = open_database(f"sqlite:///{path}")
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    engine.dispose()
    if integrity(path) != [("ok",)]:
        return f"integrity {integrity(path)}"
    if query(path, "SELECT version_num FROM alembic_version") != [(head_revision(),)]:
        return f"schema {query(path, 'SELECT version_num FROM alembic_version')}"
    if query(path, "SELECT count(*) FROM quant_format")[0][0] == 0:
        return "no catalog"
    return None


@pytest.mark.slow
def test_kill_during_first_start_never_leaves_an_unusable_database(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    _, uncut_s = _first_start_in_child(tmp_path / "uncut.db", None)
    unusable: list[str] = []
    killed = 0
    for i in range(TRIES):
        path = tmp_path / f"try-{i}.db"
        # every other kill lands in the first third, where the file is created and the schema written
        delay = rng.uniform(0, (0.35 if i % 2 else 1.2) * uncut_s)
        was_killed, _ = _first_start_in_child(path, delay)
        killed += was_killed
        files = {f.name: f.stat().st_size for f in tmp_path.glob(f"{path.name}*")}
        reason = _unusable_because(path)
        if reason is not None:
            unusable.append(f"{path.name} (killed after {delay:.3f} s, files {files}): {reason}")
    assert unusable == [], f"{len(unusable)} of {TRIES} first starts left an unusable database (seed {SEED}): {unusable}"
    assert killed >= TRIES // 2, f"only {killed} of {TRIES} tries were killed: the kill window is wrong"
    print(f"first start: {TRIES} tries, {killed} killed mid-start, 0 unusable (uncut start {uncut_s:.2f} s)")


def test_kill_of_the_real_cli_during_first_start_leaves_a_usable_database(tmp_path: Path) -> None:
    """The same through `python main.py catalog list quants` on a named database (RIG_ADVISOR_DB_URL)."""
    rng = random.Random(SEED)
    env = {**os.environ}
    cmd = [sys.executable, str(ROOT / "main.py"), "catalog", "list", "quants"]

    def start(path: Path) -> subprocess.Popen[bytes]:
        return subprocess.Popen(cmd, cwd=ROOT, env={**env, "RIG_ADVISOR_DB_URL": f"sqlite:///{path}"},
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    began = time.monotonic()
    assert start(tmp_path / "uncut.db").wait(timeout=120) == 0
    uncut_s = time.monotonic() - began
    for i in range(5):
        path = tmp_path / f"cli-{i}.db"
        proc = start(path)
        # the imports take most of a CLI start: aim at its last third, where the database is created
        time.sleep(rng.uniform(0.6 * uncut_s, 1.05 * uncut_s))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        done = subprocess.run(cmd, cwd=ROOT, env={**env, "RIG_ADVISOR_DB_URL": f"sqlite:///{path}"},
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, (i, done.stderr)


def test_a_hot_journal_left_by_a_killed_writer_is_rolled_back_not_refused(tmp_path: Path) -> None:
    """Found by the test above (1 in ~150 kills): killed while SQLite switched a new file to WAL, a first
    start left a hot rollback journal. The read-only health check could not roll it back ("attempt to
    write a readonly database") and refused the file at every later start."""
    path = tmp_path / "advisor.db"
    open_database(f"sqlite:///{path}", seed=False).dispose()
    before = query(path, "SELECT count(*) FROM feed_source")
    writer = (
        "import os, signal, sqlite3, sys\n"
        "c = sqlite3.connect(sys.argv[1]); c.execute('PRAGMA journal_mode = DELETE')\n"
        "c.execute('PRAGMA cache_size = 1')  # spill to the file mid-transaction: the journal is hot\n"
        "c.execute('BEGIN')\n"
        "c.executemany('INSERT INTO feed_source (name, url, enabled, priority) VALUES (?, ?, 1, 0)',\n"
        "              [(f's{i}', 'https://example.org/' + 'x' * 500) for i in range(2000)])\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    subprocess.run([sys.executable, "-c", writer, str(path)], check=False, timeout=60)
    journal = path.with_name(path.name + "-journal")
    assert journal.exists() and journal.stat().st_size > 0, "the writer left no hot journal: test set-up is wrong"
    assert _unusable_because(path) is None
    assert query(path, "SELECT count(*) FROM feed_source") == before  # the killed transaction is gone
