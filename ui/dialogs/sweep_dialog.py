"""Tools > Sweep ("what should I buy?"): every catalog system against the current workload in the background,
then the Pareto front of horizon cost vs per-user speed with the best options labelled."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QDialog, QLabel, QVBoxLayout, QWidget

from advisor.app.store import MemoryStore
from advisor.app.sweep import SweepPoint, SweepResult, run_sweep
from advisor.engine.scenario import Scenario
from ui.dialogs.errors import show_error
from ui.dialogs.progress_job import ProgressPanel
from ui.plots.base import PlotPanel, backdrop, colour

LABELLED = 5  # front points that get a name next to them


def spaced_labels(front: list[SweepPoint], limit: int) -> list[SweepPoint]:
    """Front points worth a label, cheapest first: skip one that sits close to an already labelled point
    (the same rig with two similar quants) so labels never pile up."""
    if not front:
        return []
    xs = [p.tok_s_per_user for p in front]
    ys = [math.log10(max(p.horizon_cost_usd, 1.0)) for p in front]  # the plot's cost axis is logarithmic
    dx, dy = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    chosen: list[SweepPoint] = []
    for p in front:
        if all(
            abs(p.tok_s_per_user - q.tok_s_per_user) / dx > 0.08
            or abs(math.log10(max(p.horizon_cost_usd, 1.0)) - math.log10(max(q.horizon_cost_usd, 1.0))) / dy
            > 0.08
            for q in chosen
        ):
            chosen.append(p)
        if len(chosen) == limit:
            break
    return chosen


def usd_ticks(low_usd: float, high_usd: float) -> list[tuple[float, str]]:
    """Ticks for a log10 cost axis: 1-2-5 steps between the bounds [USD], labelled like "$20k".

    >>> [label for _pos, label in usd_ticks(8000, 30000)]
    ['$5k', '$10k', '$20k', '$50k']
    """
    ticks: list[tuple[float, str]] = []
    for exp in range(
        int(math.floor(math.log10(max(low_usd, 1.0)))), int(math.ceil(math.log10(high_usd))) + 1
    ):
        for m in (1, 2, 5):
            v = m * 10**exp
            if v < low_usd / 2 or v > high_usd * 2:
                continue
            text = f"${v / 1e6:g}M" if v >= 1e6 else f"${v / 1e3:g}k" if v >= 1e3 else f"${v:g}"
            ticks.append((math.log10(v), text))
    return ticks


class ParetoPlot(PlotPanel):
    """Cost on a log10 axis (a desktop and an 8-GPU server differ 40x); items hold log10(cost [USD])."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Horizon cost vs speed", "tok/s per user", "horizon cost [USD, log scale]", parent)
        self.plot.addLegend(offset=(10, 10))  # top left: cheap-and-slow never reaches that corner
        self.others = pg.ScatterPlotItem(size=8, brush=colour(7, 160), pen=pg.mkPen(None), name="fits")
        self.slow = pg.ScatterPlotItem(
            size=8, brush=pg.mkBrush(0, 0, 0, 0), pen=pg.mkPen(colour(7), width=1), name="misses SLA"
        )
        self.front_line = pg.PlotDataItem(
            [],
            [],
            pen=pg.mkPen(colour(0), width=2),
            symbol="o",
            symbolSize=11,
            symbolBrush=colour(0),
            name="Pareto front",
        )
        for item in (self.others, self.slow, self.front_line):
            self.plot.addItem(item)
        self.api_line = pg.InfiniteLine(
            angle=0,
            movable=False,
            pen=pg.mkPen("#D55E00", width=2, style=Qt.PenStyle.DashLine),
            label="API over the horizon",
            labelOpts={
                "position": 0.97,
                "anchors": [(1, 1), (1, 1)],
                "fill": pg.mkBrush(backdrop(200)),
                "color": "#D55E00",
            },
        )
        self.plot.addItem(self.api_line)
        self.labels: list[pg.TextItem] = []

    def display(self, result: SweepResult) -> None:
        pts = result.points
        front = set(result.front)
        ok = [p for i, p in enumerate(pts) if i not in front and p.meets_sla]
        slow = [p for i, p in enumerate(pts) if i not in front and not p.meets_sla]
        self.others.setData([p.tok_s_per_user for p in ok], [_log(p.horizon_cost_usd) for p in ok])
        self.slow.setData([p.tok_s_per_user for p in slow], [_log(p.horizon_cost_usd) for p in slow])
        fp = [pts[i] for i in result.front]
        self.front_line.setData([p.tok_s_per_user for p in fp], [_log(p.horizon_cost_usd) for p in fp])
        self.api_line.setPos(_log(result.api_horizon_cost_usd))
        costs = [p.horizon_cost_usd for p in pts] + [result.api_horizon_cost_usd]
        if costs:
            ticks = usd_ticks(max(min(costs), 1.0), max(max(costs), 1.0))
            self.plot.getPlotItem().getAxis("left").setTicks([ticks, []])
        x_mid = float(np.median([p.tok_s_per_user for p in pts])) if pts else 0.0
        x_max = max((p.tok_s_per_user for p in pts), default=1.0)
        for label in self.labels:
            self.plot.removeItem(label)
        self.labels = []
        text_colour = self.palette().color(QPalette.ColorRole.Text)
        for p in spaced_labels(fp, LABELLED):
            # labels right of the middle grow leftwards, so none runs off the plot's right edge
            right = p.tok_s_per_user > max(x_mid, 0.55 * x_max)
            label = pg.TextItem(
                f"{p.name}\n${p.horizon_cost_usd:,.0f}",
                anchor=(1.0, 0.0) if right else (0.0, 1.0),
                color=text_colour,
            )
            label.setPos(p.tok_s_per_user, _log(p.horizon_cost_usd))
            self.plot.addItem(label)
            self.labels.append(label)


def _log(cost_usd: float) -> float:
    return math.log10(max(cost_usd, 1.0))


class SweepDialog(QDialog):
    """Attributes for tests: progress (ProgressPanel), plot (ParetoPlot), summary, sweep_result."""

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
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.addWidget(self.progress)
        lay.addWidget(self.plot, 1)
        lay.addWidget(self.summary)
        self.progress.finished.connect(self._show)
        self.progress.failed.connect(lambda msg: show_error(self, "Sweep failed", msg))
        self.progress.cancelled.connect(lambda: self.summary.setText("Sweep cancelled."))
        self.resize(1000, 700)

    def start(self) -> None:
        catalog, snap, ids = self.store.catalog(), self.snapshot, self.system_ids
        n = len(ids) if ids is not None else len(catalog.systems)
        self.progress.run(f"Sweeping {n} systems…", lambda progress: run_sweep(catalog, snap, progress, ids))

    def _show(self, result: SweepResult) -> None:
        self.sweep_result = result
        self.progress.label.setText(f"Done: {result.evaluated} configurations")
        self.plot.display(result)
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

    def done(self, code: int) -> None:  # closing the dialog cancels a running sweep
        self.progress.cancel()
        super().done(code)
