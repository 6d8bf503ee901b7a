"""A default database that is not SQLite is moved aside at start, and the app says where it went."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from ui.app import _tell_about_recovery
from ui.main_window import MainWindow


def test_moved_aside_database_is_announced(
    qtbot, _private_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    garbage = b"this is not a database\n" * 100
    (_private_data_dir / "advisor.db").write_bytes(garbage)
    from advisor.app.store import DbStore

    store = DbStore.open()  # the default file: recovered, not refused
    window = MainWindow(store)
    qtbot.addWidget(window)
    shown: list[tuple[str, str]] = []
    # a modal box would block the test: record what it would say instead
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, title, text: shown.append((title, text)))
    _tell_about_recovery(window)
    qtbot.waitUntil(lambda: bool(shown), timeout=2000)
    moved = [p for p in _private_data_dir.iterdir() if p.name.startswith("advisor.db.corrupt-")]
    assert len(moved) == 1 and moved[0].read_bytes() == garbage
    title, text = shown[0]
    assert title == "Database moved aside"
    assert moved[0].name in text
    store.engine.dispose()
