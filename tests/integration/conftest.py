"""A seeded database made once per session and copied into each test that needs one."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from advisor.db.database import open_database


@pytest.fixture(scope="session")
def _seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "advisor.db"
    open_database(f"sqlite:///{path}").dispose()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # one self-contained file to copy
    conn.close()
    return path


@pytest.fixture
def seeded_db(_seeded_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of a migrated database with the bundled catalog, named by RIG_ADVISOR_DB_URL in run()."""
    target = tmp_path / "db" / "advisor.db"
    target.parent.mkdir()
    shutil.copy(_seeded_template, target)
    return target
