"""GUI test fixtures: the in-memory sample catalog (known numbers) and a real seeded SQLite database."""

from __future__ import annotations

import pytest

from ui.store import MemoryStore
from ui.plots.base import apply_theme


@pytest.fixture
def sample_store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
def db_store(sqlite_url: str):  # type: ignore[no-untyped-def]
    from ui.db_store import DbStore

    store = DbStore.open(sqlite_url)
    yield store
    store.engine.dispose()


@pytest.fixture(autouse=True)
def _theme(qapp):  # type: ignore[no-untyped-def]
    apply_theme()
