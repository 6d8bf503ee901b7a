"""Shared test set-up: Qt offscreen, a private data dir, and database URLs (SQLite file, PostgreSQL)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from hypothesis import settings

# Without a display Qt aborts the whole process (TOOLCHAIN gotcha 2).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# The test suite replays the same hypothesis examples every run (a CI result must not depend on luck);
# benchmarks/fuzz_long.py explores fresh random inputs. HYPOTHESIS_PROFILE=explore randomises the suite too.
settings.register_profile("repeatable", derandomize=True, deadline=None)
settings.register_profile("explore", deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def _private_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own user data dir and no inherited database URL."""
    data_dir = tmp_path_factory.mktemp("data")
    monkeypatch.setenv("RIG_ADVISOR_DATA_DIR", str(data_dir))
    monkeypatch.delenv("RIG_ADVISOR_DB_URL", raising=False)
    return data_dir


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A real SQLite file in a temporary directory."""
    return f"sqlite:///{tmp_path / 'advisor.db'}"


@pytest.fixture
def pg_url() -> str:
    """A fresh, empty database on the real PostgreSQL server that scripts/test.sh starts.

    Each test gets its own database so tests never see each other's rows.
    """
    base = os.environ.get("RIG_ADVISOR_TEST_PG_URL")
    if not base:
        pytest.skip("RIG_ADVISOR_TEST_PG_URL not set (scripts/test.sh sets it when PostgreSQL is available)")
    import sqlalchemy as sa

    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = base.rsplit("/", 1)[0] + "/" + name
    yield url
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest) -> str:
    """Both backends: a SQLite file and a real PostgreSQL database."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return request.getfixturevalue("pg_url")
