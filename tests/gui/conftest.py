"""GUI test fixtures: the in-memory sample catalog (known numbers) and a real seeded SQLite database."""

from __future__ import annotations

import pytest

from advisor.app.store import MemoryStore
from ui.plots.base import apply_theme


@pytest.fixture
def sample_store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
def db_store(sqlite_url: str):  # type: ignore[no-untyped-def]
    from advisor.app.store import DbStore

    store = DbStore.open(sqlite_url)
    yield store
    store.engine.dispose()


@pytest.fixture(autouse=True)
def _no_modal_questions(monkeypatch: pytest.MonkeyPatch) -> None:
    """A window closed at teardown with unsaved edits would open a modal Save/Discard box and hang the run:
    tests that test the questions answer them themselves (MainWindow.questions)."""
    import ui.dialogs.scenario_session as session

    monkeypatch.setattr(session, "_ask_unsaved", lambda _parent, _name: "discard")


@pytest.fixture(autouse=True)
def _theme(qapp):  # type: ignore[no-untyped-def]
    apply_theme()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The offscreen platform plugin warns on every top-level window it shows ("does not support
    # propagateSizeHints"): a limit of the headless plugin, not of our code. Every other warning fails.
    for item in items:
        if "tests/gui" in str(item.fspath):
            item.add_marker(pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"))
