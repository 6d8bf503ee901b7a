"""The main window: every page builds, menus carry standard shortcuts, settings remember the last scenario."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence

from advisor import __version__
from advisor.app.store import MemoryStore
from ui.main_window import PAGES, MainWindow
from ui.settings import Settings


def test_every_page_builds_and_shows(qtbot, sample_store: MemoryStore) -> None:
    window = MainWindow(sample_store)
    qtbot.addWidget(window)
    for name in PAGES:
        assert window.show_page(name)
        assert window.stack.currentWidget() is window.pages[name]
        assert window.current_page_name() == name
    assert window.show_page("nope") is False


def test_menus_and_about(qtbot, sample_store: MemoryStore) -> None:
    window = MainWindow(sample_store)
    qtbot.addWidget(window)
    menus = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert menus == ["File", "Edit", "View", "Tools", "Help"]
    shortcuts = {
        a.text().replace("&", ""): a.shortcut()
        for m in window.menuBar().actions()
        for a in m.menu().actions()
    }
    assert shortcuts["Save scenario"] == QKeySequence(QKeySequence.StandardKey.Save)
    assert shortcuts["Quit"] == QKeySequence(
        "Ctrl+Q"
    )  # spelled out: StandardKey.Quit is empty on some desktops
    assert any(name.startswith("Undo") for name in shortcuts)
    from ui.dialogs.about import about_text

    text = about_text("test store")
    assert __version__ in text and "Data sources" in text


def test_last_scenario_is_remembered(qtbot, sample_store: MemoryStore) -> None:
    window = MainWindow(sample_store)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.scenario_page.recomputed, timeout=10000):
        window.open_scenario("Personal 8B assistant")
    window.close()
    assert Settings().last_scenario == "Personal 8B assistant"
    assert Settings().geometry is not None


def test_save_scenario_to_store(qtbot, sample_store: MemoryStore) -> None:
    from ui.dialogs.scenario_session import save_as

    window = MainWindow(sample_store)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.scenario_page.recomputed, timeout=10000):
        window.open_scenario("Personal 8B assistant")
    window.state.update_workload(tokens_out_per_month=7e6)
    assert save_as(window, sample_store, window.state, window.questions, name="My copy")
    saved = sample_store.get("scenarios", "My copy")
    assert saved is not None and saved.workload["tokens_out_per_month"] == 7e6
    assert window.scenario_page.scenario_combo.findData("My copy") >= 0


def test_tools_and_file_menus_reach_the_new_dialogs(qtbot, db_store) -> None:  # type: ignore[no-untyped-def]
    from ui.dialogs.sources_dialog import SourcesDialog

    window = MainWindow(db_store)
    qtbot.addWidget(window)
    actions = {a.text().replace("&", ""): a for m in window.menuBar().actions() for a in m.menu().actions()}
    assert actions["Import model…"].shortcut() == QKeySequence("Ctrl+I")
    assert "Update prices from a feed…" in actions
    actions["Price feed sources…"].trigger()
    dialogs = window.findChildren(SourcesDialog)
    assert len(dialogs) == 1 and dialogs[0].isVisible()
    dialogs[0].close()


def test_machine_faults_read_as_in_the_cli() -> None:
    import errno

    from ui.jobs import describe_error

    assert "disk full; nothing written" in describe_error(OSError(errno.ENOSPC, "No space left on device"))
    assert describe_error(ValueError("x")) == "ValueError: x"
