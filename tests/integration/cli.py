"""Helpers for the issue-16 regressions: run the real CLI in a subprocess on a named SQLite database and
compare the database before and after."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

# Tests run as root in CI, and root ignores file permissions. Dropping the two capabilities that let it
# (setpriv, util-linux) makes the kernel check them for real; a normal user needs nothing.
DROP_ROOT_POWERS = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]


def permissions_apply() -> bool:
    """True when chmod restrictions will stop the CLI (non-root, or root with setpriv available)."""
    return os.geteuid() != 0 or shutil.which("setpriv") is not None


def run(*args: str, db: Path | None = None, env: dict[str, str] | None = None, timeout: float = 120,
        as_plain_user: bool = False) -> subprocess.CompletedProcess[str]:
    """``python main.py ARGS`` with RIG_ADVISOR_DB_URL at ``db``; ``as_plain_user`` honours permissions."""
    full_env = {**os.environ, **(env or {})}
    if db is not None:
        full_env["RIG_ADVISOR_DB_URL"] = f"sqlite:///{db}"
    prefix = DROP_ROOT_POWERS if as_plain_user and os.geteuid() == 0 else []
    return subprocess.run([*prefix, sys.executable, str(ROOT / "main.py"), *args], capture_output=True,
                          text=True, cwd=ROOT, env=full_env, timeout=timeout)


def exits_2_with_one_line(p: subprocess.CompletedProcess[str], *needles: str) -> str:
    """Exit code 2, exactly one line on stderr (no traceback, no "internal error"), containing ``needles``."""
    lines = p.stderr.strip().splitlines()
    assert p.returncode == 2, (p.returncode, p.stderr[-2000:])
    assert len(lines) == 1, p.stderr[-2000:]
    assert lines[0].startswith("error: ") and "internal error" not in lines[0], lines[0]
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    return lines[0]


def dump(path: Path) -> str:
    """Every row of the database as SQL text (WAL content included)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()
