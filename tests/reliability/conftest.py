"""Fault-test helpers: start a worker process, kill it with SIGKILL at a random moment, check the file."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import ROOT


@dataclass(frozen=True)
class Outcome:
    """How a worker run ended: ``killed`` (SIGKILL before DONE) or finished with its DONE line."""

    killed: bool
    done_line: str
    work_s: float  # from START to the kill or to DONE [s]


def start_worker(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.child", *args],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )


def wait_started(proc: subprocess.Popen[str]) -> float:
    """Block until the worker printed START; returns the monotonic time it did."""
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if line.strip() != "START":
        proc.kill()
        raise AssertionError(f"worker did not start: {line!r} {proc.stderr.read() if proc.stderr else ''}")
    return time.monotonic()


def run_and_kill(args: tuple[str, ...], delay_s: float | None) -> Outcome:
    """Run a worker; ``delay_s`` after its START send SIGKILL (None: let it finish)."""
    proc = start_worker(*args)
    started = wait_started(proc)
    if delay_s is not None:
        time.sleep(delay_s)
        proc.send_signal(signal.SIGKILL)
    out, err = proc.communicate(timeout=120)
    elapsed = time.monotonic() - started
    if proc.returncode == -signal.SIGKILL:
        return Outcome(killed=True, done_line="", work_s=elapsed)
    assert proc.returncode == 0, err
    return Outcome(killed=False, done_line=out.strip(), work_s=elapsed)


def integrity(path: Path) -> list[tuple[str, ...]]:
    """PRAGMA integrity_check on the file as a new process would see it (WAL replayed)."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchall()
    finally:
        conn.close()


def query(path: Path, sql: str, *params: object) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()
