"""The main window: navigation list, a stack of pages (built on first visit), menus, status bar, settings.

Pages are created lazily so the window is interactive quickly; `show_page(name)` builds one on demand.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QMenu,
    QStackedWidget,
    QWidget,
)

from ui.dialogs.about import show_about
from ui.dialogs.errors import show_error
from ui.pages.scenario_page import ScenarioPage
from ui.settings import Settings
from ui.state import ScenarioState
from ui.store import MemoryStore

PAGES = (
    "Scenarios",
    "Quick check",
    "Hardware",
    "Systems",
    "Models",
    "API prices",
    "Price history",
    "Workloads",
)
CATALOG_PAGES = {"Hardware": "hardware", "Systems": "systems", "Models": "models", "API prices": "api_offers"}


class MainWindow(QMainWindow):
    def __init__(self, store: MemoryStore, settings: Settings | None = None) -> None:
        super().__init__()
        self.store = store
        self.settings = settings or Settings()
        self.undo_stack = QUndoStack(self)  # one stack: catalog edits from every page
        self.state = ScenarioState()
        self.setWindowTitle("Rig Advisor")
        self.nav = QListWidget()
        self.nav.addItems(list(PAGES))
        self.nav.setFixedWidth(150)
        self.nav.setObjectName("navigation")
        self.stack = QStackedWidget()
        self.pages: dict[str, QWidget] = {}
        self._placeholders: dict[str, QWidget] = {}
        for name in PAGES:
            holder = QLabel(f"{name}…")
            holder.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self._placeholders[name] = holder
            self.stack.addWidget(holder)
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.nav.currentTextChanged.connect(self.show_page)
        self.scenario_page = ScenarioPage(store, self.state)
        self._install_page("Scenarios", self.scenario_page)
        self.scenario_page.status.connect(lambda msg: self.statusBar().showMessage(msg, 8000))
        # "Rig Advisor — NAME*" while the scenario has unsaved edits
        self.scenario_page.dirty_changed.connect(self.setWindowModified)
        self.state.subscribe(lambda what: self._update_title() if what == "all" else None)
        self.statusBar().addPermanentWidget(QLabel(f"catalog: {getattr(store, 'description', '')}"))
        self._build_menus()
        self.resize(1400, 900)
        if self.settings.geometry is not None:
            self.restoreGeometry(self.settings.geometry)
        self.nav.setCurrentRow(0)

    # --- pages ---------------------------------------------------------------------------------------------
    def _install_page(self, name: str, page: QWidget) -> None:
        holder = self._placeholders.pop(name)
        index = self.stack.indexOf(holder)
        self.stack.insertWidget(index, page)
        self.stack.removeWidget(holder)
        holder.deleteLater()
        self.pages[name] = page

    def _build_page(self, name: str) -> QWidget:
        if name == "Quick check":
            from ui.pages.quick_check import QuickCheckPage

            return QuickCheckPage(self.store)
        if name in CATALOG_PAGES:
            from ui.pages.catalog_page import CatalogPage

            return CatalogPage(self.store, CATALOG_PAGES[name], self.undo_stack)
        if name == "Price history":
            from ui.pages.price_history import PriceHistoryPage

            return PriceHistoryPage(self.store)
        if name == "Workloads":
            from ui.pages.workloads_page import WorkloadsPage

            return WorkloadsPage(self.store, self.open_scenario)
        raise KeyError(name)

    def page(self, name: str) -> QWidget:
        """The page widget, built on first use."""
        if name not in self.pages:
            self._install_page(name, self._build_page(name))
        return self.pages[name]

    def show_page(self, name: str) -> bool:
        match = next((p for p in PAGES if p.lower() == name.lower()), None)
        if match is None:
            return False
        page = self.page(match)
        self.stack.setCurrentWidget(page)
        row = PAGES.index(match)
        if self.nav.currentRow() != row:
            self.nav.blockSignals(True)
            self.nav.setCurrentRow(row)
            self.nav.blockSignals(False)
        return True

    def current_page_name(self) -> str:
        return PAGES[self.nav.currentRow()] if self.nav.currentRow() >= 0 else PAGES[0]

    def _update_title(self) -> None:
        self.setWindowTitle(f"Rig Advisor — {self.state.name}[*]")

    def open_scenario(self, name: str) -> bool:
        if not self.scenario_page.may_leave(f"open “{name}”"):
            return False
        ok = self.scenario_page.open_scenario(name)
        if ok:
            self.show_page("Scenarios")
        return ok

    # --- menus ---------------------------------------------------------------------------------------------
    def _action(
        self,
        menu: QMenu,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | QKeySequence.StandardKey | None = None,
        tip: str = "",
    ) -> QAction:
        act = QAction(text, self)
        if shortcut is not None:
            act.setShortcut(shortcut)
        if tip:
            act.setStatusTip(tip)
        act.triggered.connect(lambda _checked=False: slot())
        menu.addAction(act)
        return act

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self._action(
            file_menu,
            "&Save scenario",
            self.save_scenario,
            QKeySequence.StandardKey.Save,
            "Save the current scenario to the catalog",
        )
        self._action(
            file_menu,
            "Export scenario &JSON…",
            self.export_scenario_json,
            None,
            "Write the scenario file (the format `scenario show NAME --json` prints)",
        )
        self._action(
            file_menu,
            "Export &report (PDF)…",
            self.export_report,
            QKeySequence("Ctrl+P"),
            "Render the buying recommendation as a PDF in the background",
        )
        self._action(file_menu, "Export current &table (CSV)…", self.export_table, QKeySequence("Ctrl+E"))
        file_menu.addSeparator()
        self._action(
            file_menu,
            "&Import model…",
            self.import_model,
            QKeySequence("Ctrl+I"),
            "Add a model from its config.json, a .gguf or a model.safetensors.index.json",
        )
        file_menu.addSeparator()
        # Ctrl+Q spelled out: StandardKey.Quit is empty on some Linux desktops
        self._action(file_menu, "&Quit", self.close, QKeySequence("Ctrl+Q"))
        edit_menu = bar.addMenu("&Edit")
        undo = self.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcut(QKeySequence.StandardKey.Redo)
        edit_menu.addAction(undo)
        edit_menu.addAction(redo)
        edit_menu.addSeparator()
        self._action(edit_menu, "&Find in table", self.focus_filter, QKeySequence.StandardKey.Find)
        view_menu = bar.addMenu("&View")
        for i, name in enumerate(PAGES):
            self._action(
                view_menu, name, functools.partial(self.show_page, name), QKeySequence(f"Ctrl+{i + 1}")
            )
        tools = bar.addMenu("&Tools")
        self._action(
            tools,
            "&Sweep: what should I buy?…",
            self.open_sweep,
            QKeySequence("Ctrl+Shift+S"),
            "Run the whole catalog against this workload in the background",
        )
        tools.addSeparator()
        self._action(
            tools,
            "&Update prices from a feed…",
            self.open_prices,
            None,
            "Fetch a price feed, see what changes, apply it as one import batch",
        )
        self._action(
            tools,
            "Price feed &sources…",
            self.open_sources,
            None,
            "The feeds Update prices checks: add, edit, enable, check now",
        )
        tools.addSeparator()
        self._action(
            tools,
            "&Recompute now",
            lambda: self.scenario_page.request_recompute(immediate=True),
            QKeySequence.StandardKey.Refresh,
        )
        help_menu = bar.addMenu("&Help")
        self._action(help_menu, "&About Rig Advisor", self.about, QKeySequence.StandardKey.HelpContents)
        self._action(help_menu, "About &Qt", QApplication.aboutQt)

    # --- actions -------------------------------------------------------------------------------------------
    def about(self) -> None:
        show_about(self, getattr(self.store, "description", ""))

    def focus_filter(self) -> None:
        page = self.stack.currentWidget()
        target = getattr(page, "filter_edit", None)
        if target is not None:
            target.setFocus()

    def save_scenario(self) -> None:
        from ui.dialogs.scenario_io import save_scenario

        if save_scenario(self, self.store, self.state):
            self.scenario_page.mark_saved()
            self._update_title()

    def export_scenario_json(self) -> None:
        from ui.dialogs.scenario_io import export_scenario_json

        export_scenario_json(self, self.state)

    def export_report(self) -> None:
        from ui.dialogs.scenario_io import export_report

        export_report(self, self.store, self.state)

    def export_table(self) -> None:
        page = self.stack.currentWidget()
        exporter = getattr(page, "export_csv_dialog", None)
        if exporter is None:
            show_error(self, "Export table", "This page has no table to export.")
            return
        exporter()

    def open_sweep(self) -> None:
        from ui.dialogs.sweep_dialog import SweepDialog

        dialog = SweepDialog(self.store, self.state.snapshot(), self)
        dialog.show()
        dialog.start()

    def open_prices(self) -> None:
        if not hasattr(self.store, "engine"):
            show_error(
                self, "Prices", "Price feeds need the database; this window uses the in-memory sample."
            )
            return
        from ui.dialogs.prices_dialog import PricesDialog

        PricesDialog(self.store, self).show()

    def open_sources(self) -> QWidget | None:
        if not hasattr(self.store, "engine"):
            show_error(
                self,
                "Price feed sources",
                "Feed sources live in the database; this window uses the in-memory sample.",
            )
            return None
        from ui.dialogs.sources_dialog import SourcesDialog

        dialog = SourcesDialog(self.store, self)
        dialog.show()
        return dialog

    def import_model(self) -> None:
        from ui.dialogs.import_model_dialog import import_model_flow

        import_model_flow(self, self.store)

    def closeEvent(self, event: QCloseEvent) -> None:
        # (only a window on screen asks: closing a hidden one is a program's doing, with no one to answer)
        if self.isVisible() and not self.scenario_page.may_leave("quit"):
            event.ignore()  # Cancel (or a failed save): the window stays, the edits too
            return
        self.settings.geometry = self.saveGeometry()
        self.settings.last_scenario = self.state.name
        self.settings.last_page = self.current_page_name()
        self.settings.sync()
        super().closeEvent(event)
