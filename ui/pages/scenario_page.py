"""The Scenarios page: inputs on the left, live results on the right (verdict, ranked table, four plots).

Edits go into the ScenarioState; its listener asks a LatestOnly recomputer for a new result (debounced, the
newest job wins); results only update items that already exist.

Signals: status(str) for the main window's status bar; recomputed(object) with each ScenarioResult shown.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from advisor.app import scenarios
from advisor.app.state import ScenarioState, snapshot_from_record
from advisor.app.store import MemoryStore
from advisor.engine.scenario import Scenario
from ui.jobs import LatestOnly
from ui.models.candidates_model import ID_ROLE, SORT_ROLE, CandidatesModel
from ui.widgets.frozen_table import FrozenColumnTable
from ui.widgets.wheel_guard import guard_wheel

# a sentence ends at ". " before a capital letter; "x0.5", "$8,361" and "(NVFP4)," do not end one
_SENTENCE_END = re.compile(r"(?<=[.])\s+(?=[A-Z])")


def split_headline(sentence: str) -> tuple[str, str]:
    """(first sentence, the rest) of the engine's verdict text; the rest may be ""."""
    parts = _SENTENCE_END.split(sentence, maxsplit=1)
    return (parts[0], parts[1]) if len(parts) == 2 else (sentence, "")


if TYPE_CHECKING:
    from ui.pages.scenario_plots import ScenarioPlots
    from ui.plots.cost_plot import CostPlot
    from ui.plots.memory_plot import MemoryPlot
    from ui.plots.throughput_plot import ThroughputPlot
    from ui.plots.tornado_plot import TornadoPlot

NAME_COLUMN_PX = 210
FIGURE_COLUMN_PX = 110
VERDICT_STYLE = {
    "buy": "background:#1b7f3b; color:white;",
    "api": "background:#1f5fa8; color:white;",
    "hybrid": "background:#b26b00; color:white;",
    "rent": "background:#5b3f99; color:white;",
    "error": "background:#a33; color:white;",
    "busy": "background:palette(mid); color:palette(window-text);",
}


class ScenarioPage(QWidget):
    status = Signal(str)
    recomputed = Signal(object)

    def __init__(
        self, store: MemoryStore, state: ScenarioState | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.state = state or ScenarioState()
        self.focus_id: str | None = None
        # asked before the scenario combo switches away from unsaved edits: False keeps the current one
        self.before_switch: Callable[[], bool] = lambda: True
        self._unfit_pick: str | None = None  # a picked row that does not fit: selected, but not the focus
        self.result: scenarios.ScenarioResult | None = None
        self.recomputer = LatestOnly(self._make_work, debounce_ms=100, parent=self)
        self.recomputer.result.connect(self._show_result)
        self.recomputer.error.connect(self._show_error)

        self.scenario_combo = QComboBox()
        self.scenario_combo.setToolTip("Open a saved scenario")
        self.scenario_combo.setMinimumWidth(260)
        self.scenario_combo.activated.connect(self._scenario_chosen)
        guard_wheel(self.scenario_combo)
        top = QHBoxLayout()
        top.addWidget(QLabel("Scenario:"))
        top.addWidget(self.scenario_combo)
        top.addStretch(1)
        self.busy_label = QLabel("")
        top.addWidget(self.busy_label)

        from ui.pages.scenario_inputs import ScenarioInputs

        self.inputs = ScenarioInputs(store, self.state)
        self.verdict = QLabel("Choose a scenario")
        self.verdict.setObjectName("verdictBanner")
        self.verdict.setWordWrap(True)
        self.verdict.setMinimumHeight(46)
        # the headline sentence only, so the ranked table keeps its rows at 1280x800; "more" shows the rest
        self.verdict.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.verdict.linkActivated.connect(self._toggle_verdict_details)
        self._verdict_full = False
        self._set_verdict_style("busy")

        self.table_model = CandidatesModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.table_model)
        self.proxy.setSortRole(SORT_ROLE)
        # candidate and quant stay put while the figures scroll sideways
        self.table = FrozenColumnTable(frozen_count=2)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # engine ranking until the user sorts
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        # Interactive, sized once per new row set: ResizeToContents re-measures every cell on every change
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)  # Status: the reason text may be long
        # compact rows: more candidates on screen at 1280x800
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        # the current row drives the plots, whether it moved by a click or by the arrow keys
        self.table.selectionModel().currentRowChanged.connect(lambda current, _prev: self._focus_row(current))
        self.table.setToolTip("Click a candidate (or move with the arrow keys) to focus it in the plots")
        self.table.sync_look()

        # The four plots (and pyqtgraph, ~0.4 s to import) are built when the first result arrives, not
        # before the window shows: the inputs are usable at once, and there is nothing to plot until then.
        self._plots: ScenarioPlots | None = None
        plots = QWidget()
        self._plots_layout = QVBoxLayout(plots)
        self._plots_layout.setContentsMargins(0, 0, 0, 0)
        self._plots_placeholder = QLabel("computing…")
        self._plots_placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._plots_layout.addWidget(self._plots_placeholder)

        results = QSplitter(Qt.Orientation.Vertical)
        head = QWidget()
        head_lay = QVBoxLayout(head)
        head_lay.setContentsMargins(0, 0, 0, 0)
        head_lay.addWidget(self.verdict)
        head_lay.addWidget(self.table)
        results.addWidget(head)
        results.addWidget(plots)
        results.setStretchFactor(0, 2)
        results.setStretchFactor(1, 3)
        results.setSizes([350, 500])  # 5 candidate rows at 1280x800, 10 at 1600x1000

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.inputs)
        split.addWidget(results)
        split.setStretchFactor(1, 1)
        split.setSizes([360, 1000])
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(split, 1)

        self.state.subscribe(self._state_changed)
        self.store.subscribe(self._catalog_changed)
        self.reload_scenarios()

    # --- plots (built on first use) ------------------------------------------------------------------------
    def plots(self) -> ScenarioPlots:
        if self._plots is None:
            from ui.pages.scenario_plots import ScenarioPlots

            self._plots = ScenarioPlots()
            self._plots_layout.removeWidget(self._plots_placeholder)
            self._plots_placeholder.deleteLater()
            self._plots_layout.addWidget(self._plots)
        return self._plots

    @property
    def cost_plot(self) -> CostPlot:
        return self.plots().cost

    @property
    def memory_plot(self) -> MemoryPlot:
        return self.plots().memory

    @property
    def throughput_plot(self) -> ThroughputPlot:
        return self.plots().throughput

    @property
    def tornado_plot(self) -> TornadoPlot:
        return self.plots().tornado

    # --- scenario list -------------------------------------------------------------------------------------
    def reload_scenarios(self) -> None:
        self.scenario_combo.blockSignals(True)
        self.scenario_combo.clear()
        for rec in self.store.records("scenarios"):
            self.scenario_combo.addItem(rec.name, rec.name)  # type: ignore[attr-defined]
        i = self.scenario_combo.findData(self.state.name)
        self.scenario_combo.setCurrentIndex(i)
        self.scenario_combo.blockSignals(False)

    def scenario_names(self) -> list[str]:
        return [str(r.name) for r in self.store.records("scenarios")]  # type: ignore[attr-defined]

    def open_scenario(self, name: str) -> bool:
        """Load a saved scenario by name (case-insensitive); False if there is none."""
        rec = self.store.get("scenarios", name)
        if rec is None:
            return False
        self.focus_id = self._unfit_pick = None
        self.state.load(snapshot_from_record(rec))
        return True

    def _scenario_chosen(self, i: int) -> None:
        name = self.scenario_combo.itemData(i)
        if not name or name == self.state.name:
            return
        if not self.before_switch():  # cancelled: show the scenario still being edited
            self.scenario_combo.blockSignals(True)
            self.scenario_combo.setCurrentIndex(self.scenario_combo.findData(self.state.name))
            self.scenario_combo.blockSignals(False)
            return
        self.open_scenario(name)

    def _catalog_changed(self, kind: str) -> None:
        if kind == "scenarios":
            self.reload_scenarios()
        elif kind in ("models", "quants", "systems", "api_offers"):
            self.inputs.reload_catalog()
        self.recomputer.request()

    # --- recompute -----------------------------------------------------------------------------------------
    def _state_changed(self, what: str) -> None:
        if what == "saved":  # nothing to recompute; the combo may list a new name
            self.reload_scenarios()
            return
        if what == "all":
            self.inputs.refresh()
            i = self.scenario_combo.findData(self.state.name)
            self.scenario_combo.setCurrentIndex(i)
        self.busy_label.setText("computing…")
        self.recomputer.request()

    def _make_work(self) -> Any:
        # GUI thread: freeze the inputs; the returned function runs on a pool thread
        snap: Scenario = self.state.snapshot()
        catalog, revision, focus = self.store.catalog(), self.state.revision, self.focus_id
        return lambda progress: scenarios.compute_scenario(catalog, snap, revision, focus, progress)

    def request_recompute(self, immediate: bool = False) -> None:
        if immediate:
            self.recomputer.run_now()
        else:
            self.recomputer.request()

    def _show_result(self, result: scenarios.ScenarioResult) -> None:
        self.result = result
        rec = result.recommendation
        self.busy_label.setText("")
        self._set_verdict_style(rec.verdict)
        self._show_verdict()
        fresh_rows = self.table_model.rowCount() != len(rec.candidates)
        self.table_model.set_rows(rec.candidates)
        if fresh_rows:
            self._fit_columns()
        self.focus_id = result.focus_id
        if self._unfit_pick not in {scenarios.candidate_key(c) for c in rec.candidates}:
            self._unfit_pick = None
        self._select_focus()
        self.cost_plot.display(rec, result.focus_id)
        shown = self.cost_plot.lines_for(rec, result.focus_id) or list(rec.candidates)[:6]
        self.memory_plot.display([(f"{c.name} {c.quant}", c.estimate) for c in shown])
        self._show_throughput()
        base = rec.sensitivity_base_month  # the break-even of the rig the bars are about
        self.tornado_plot.display(rec.sensitivity, base, rec.horizon_months)
        self.status.emit(f"{rec.scenario}: {rec.verdict} — {len(rec.candidates)} candidates evaluated")
        self.recomputed.emit(result)

    # --- export --------------------------------------------------------------------------------------------
    def export_csv(self, path: str) -> int:
        """The candidates table as shown (sorted as on screen) to CSV; returns the number of rows."""
        from ui.csv_export import write_model_csv

        return write_model_csv(self.proxy, path)

    def export_csv_dialog(self) -> None:
        """File > Export current table (Ctrl+E) on this page: the ranked candidates."""
        from PySide6.QtWidgets import QFileDialog

        from ui.dialogs.errors import run_guarded

        name = (self.state.name or "scenario").lower().replace(" ", "-").replace("/", "-") + "-candidates.csv"
        path, _ = QFileDialog.getSaveFileName(self, "Export candidates", name, "CSV (*.csv)")
        if path:
            run_guarded(self, "Export CSV", lambda: self.export_csv(path))

    def _fit_columns(self) -> None:
        """Size to contents, but cap the name and the figures so break-even, horizon cost and capex are on
        screen at 1280 px; the full name is in the tooltip, and a column can still be widened by hand."""
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        for col in range(header.count() - 1):  # the last (Status) stretches
            limit = NAME_COLUMN_PX if col == 0 else FIGURE_COLUMN_PX
            if header.sectionSize(col) > limit:
                header.resizeSection(col, limit)

    def _show_error(self, message: str) -> None:
        self.busy_label.setText("")
        self._set_verdict_style("error")
        self.verdict.setText(f"<b>Cannot compute</b> — {message}")
        self.table_model.set_rows([])
        self.cost_plot.clear(message)
        self.status.emit(message)

    def _show_verdict(self) -> None:
        """The verdict's headline sentence with a "more" link, or the whole text with "less"."""
        if self.result is None:
            return
        rec = self.result.recommendation
        headline, details = split_headline(rec.sentence)
        text = f"<b>{rec.verdict.upper()}</b> — {html.escape(headline)}"
        if details:
            text += (f" {html.escape(details)} <a href='less' style='color:white'>less</a>" if self._verdict_full
                     else " <a href='more' style='color:white'>more…</a>")
        self.verdict.setText(text)
        self.verdict.setToolTip(rec.sentence if details and not self._verdict_full else "")

    def _toggle_verdict_details(self, link: str) -> None:
        self._verdict_full = link == "more"
        self._show_verdict()

    def _set_verdict_style(self, kind: str) -> None:
        self.verdict.setStyleSheet(
            f"QLabel#verdictBanner {{ {VERDICT_STYLE.get(kind, '')} padding:8px; "
            "border-radius:4px; font-size:14px; }"
        )

    def _show_throughput(self) -> None:
        """The focused candidate's speed curve; for a picked row that does not fit, the reason instead."""
        result = self.result
        if result is None:
            return
        rec = result.recommendation
        key = self._unfit_pick or result.focus_id
        cand = next((c for c in rec.candidates if scenarios.candidate_key(c) == key), None)
        if cand is not None and not cand.fits:  # no speed for a setup that does not run: the reason
            reason = cand.estimate.reason or "it needs more memory than the system has"
            self.throughput_plot.clear(f"Does not fit, so no speed: {reason}", f"{cand.name} {cand.quant}")
        elif result.curve and cand is not None:
            self.throughput_plot.display(
                result.focus_name,
                result.contexts,
                result.curve,
                cand.estimate.max_context_tokens,
                users=result.curve_batch,
            )
        elif not any(c.fits for c in rec.candidates):
            self.throughput_plot.clear("No candidate can hold this model, so there is no speed to plot.")
        else:
            self.throughput_plot.clear()

    # --- focus ---------------------------------------------------------------------------------------------
    def _focus_row(self, index: Any) -> None:
        """A row became current (click or arrow keys). A setup that fits becomes the plots' focus; one that
        does not fit has no curve to compute, so the row stays selected and the throughput plot says why."""
        system_id = self.proxy.data(index, ID_ROLE)
        if not system_id:
            return
        fits = self.table_model.row(self.proxy.mapToSource(index).row()).fits
        previous_pick, self._unfit_pick = self._unfit_pick, (None if fits else system_id)
        if fits and system_id != self.focus_id:
            self.focus_id = system_id
            self.recomputer.run_now()
        elif self._unfit_pick != previous_pick:
            self._show_throughput()

    def _select_focus(self) -> None:
        wanted = self._unfit_pick or self.focus_id
        for row in range(self.proxy.rowCount()):
            if self.proxy.data(self.proxy.index(row, 0), ID_ROLE) == wanted:
                self.table.selectRow(row)
                return
