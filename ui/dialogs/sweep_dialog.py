"""Tools > Sweep ("what should I buy?"): every catalog system and every rig built from catalog parts
(hardware x count x quant x backend, `advisor.app.sweep`) against the current workload in the background,
then the Pareto front of horizon cost vs per-user speed with the best options labelled, beside a sortable
table of every configuration. Table and plot are linked: a row selects its point, a clicked point selects
its row, hovering a point names it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QDialog, QLabel, QSplitter, QTableView, QVBoxLayout, QWidget

from advisor.app.store import MemoryStore
from advisor.app.sweep import SweepResult, built_systems, run_sweep
from advisor.engine.scenario import Scenario
from ui.dialogs.errors import show_error
from ui.dialogs.progress_job import ProgressPanel
from ui.models.sweep_model import POINT_ROLE, SORT_ROLE, SweepModel
from ui.plots.pareto_plot import ParetoPlot, spaced_labels, usd_ticks  # noqa: F401 (tests import them here)
from ui.widgets.table_util import fit_columns


class SweepDialog(QDialog):
    """Attributes for tests: progress (ProgressPanel), plot (ParetoPlot), table / model / proxy (the
    results table), summary, sweep_result."""

    def __init__(
        self,
        store: MemoryStore,
        snapshot: Scenario,
        parent: QWidget | None = None,
        system_ids: list[str] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"What should I buy? — {snapshot.name}")
        self.store, self.snapshot, self.system_ids = store, snapshot, system_ids
        self.sweep_result: SweepResult | None = None  # not `result`: QDialog.result() exists
        self.progress = ProgressPanel()
        self.plot = ParetoPlot()
        self.plot.point_clicked.connect(self.select_point)
        self.model = SweepModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(2, Qt.SortOrder.AscendingOrder)  # cheapest first
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._row_changed(cur))
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.plot)
        split.addWidget(self.table)
        split.setSizes([540, 460])
        lay = QVBoxLayout(self)
        lay.addWidget(self.progress)
        lay.addWidget(split, 1)
        lay.addWidget(self.summary)
        self.progress.finished.connect(self._show)
        self.progress.failed.connect(lambda msg: show_error(self, "Sweep failed", msg))
        self.progress.cancelled.connect(lambda: self.summary.setText("Sweep cancelled."))
        self.resize(1000, 700)

    def start(self) -> None:
        catalog, snap, ids = self.store.catalog(), self.snapshot, self.system_ids
        if ids is not None:
            what = f"{len(ids)} systems"
        else:
            what = f"{len(catalog.systems)} catalog systems and {len(built_systems(catalog))} rigs built from its parts"
        self.progress.run(f"Sweeping {what}…", lambda progress: run_sweep(catalog, snap, progress, ids))

    def _show(self, result: SweepResult) -> None:
        self.sweep_result = result
        self.progress.label.setText(f"Done: {result.evaluated} configurations")
        self.plot.display(result)
        self.model.set_result(result)
        fit_columns(self.table, max_px=230)  # long names are cut; the tooltip and the plot's hover name them
        if result.front:
            best = [result.points[i] for i in result.front]
            cheapest = best[0]
            fastest = max(best, key=lambda p: p.tok_s_per_user)
            self.summary.setText(
                f"{len(result.points)} configurations fit; {len(best)} on the Pareto front. Cheapest: "
                f"<b>{cheapest.name}</b> (${cheapest.horizon_cost_usd:,.0f} over the horizon, "
                f"{cheapest.tok_s_per_user:.1f} tok/s per user). Fastest: <b>{fastest.name}</b> "
                f"({fastest.tok_s_per_user:.1f} tok/s per user, ${fastest.horizon_cost_usd:,.0f}). "
                f"The API would cost ${result.api_horizon_cost_usd:,.0f}."
            )
        else:
            self.summary.setText("No system in the catalog fits this workload.")

    def select_point(self, index: int) -> None:
        """Select the table row of point `index` (a click on the plot) and scroll it into view."""
        for row in range(self.proxy.rowCount()):
            if self.proxy.data(self.proxy.index(row, 0), POINT_ROLE) == index:
                self.table.selectRow(row)
                self.table.scrollTo(self.proxy.index(row, 0))
                return

    def _row_changed(self, current: Any) -> None:
        index = self.proxy.data(current, POINT_ROLE)
        self.plot.select(index if isinstance(index, int) else None)

    def done(self, code: int) -> None:  # closing the dialog cancels a running sweep
        self.progress.cancel()
        super().done(code)
