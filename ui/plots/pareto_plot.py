"""Pareto plot of a sweep: horizon cost (log axis) vs per-user speed, every configuration as a point.

Linked to the sweep table: hovering a point shows its name and figures, clicking one emits
`point_clicked(index)`, and `select(index)` rings the point a table row stands for. The Pareto front is a
line of large blue points; configurations that miss the SLA are hollow.

Signals: point_clicked(int) with the index into SweepResult.points.
"""

from __future__ import annotations

import math
import textwrap

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QPointF, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QWidget

from advisor.app.sweep import SweepPoint, SweepResult
from ui.plots.base import PlotPanel, backdrop, colour

PICK_RADIUS_PX = 12  # a point counts as under the mouse within this distance

LABELLED = 5  # front points that get a name next to them


def spaced_labels(front: list[SweepPoint], limit: int, x_split: float) -> list[SweepPoint]:
    """Front points worth a label, cheapest first, whose labels cannot cover each other.

    A point left of ``x_split`` is labelled above itself (the text grows right), one right of it below
    itself (the text grows left), so labels are wide and two lines tall: two labels collide when they
    are on the same side and close in cost, or when a right-hand label hangs down onto a left-hand one
    within two label heights. Closeness is measured on the plot's log cost axis.

    >>> from advisor.app.sweep import SweepPoint
    >>> pts = [SweepPoint(n, n, "q", 1, c, x, True, None) for n, c, x in
    ...        [("a", 6456, 22), ("b", 6821, 108), ("c", 9753, 111), ("d", 330000, 170)]]
    >>> [p.name for p in spaced_labels(pts, 5, 60)]
    ['a', 'b', 'd']
    """
    if not front:
        return []
    ys = [math.log10(max(p.horizon_cost_usd, 1.0)) for p in front]
    span = (max(ys) - min(ys)) or 1.0
    height = 0.08  # one label's height as a share of the cost axis (two text lines of ~600 px)

    def y(p: SweepPoint) -> float:
        return math.log10(max(p.horizon_cost_usd, 1.0)) / span

    def collide(p: SweepPoint, q: SweepPoint) -> bool:
        p_right, q_right = p.tok_s_per_user > x_split, q.tok_s_per_user > x_split
        if p_right == q_right:
            return abs(y(p) - y(q)) < height
        below, above = (p, q) if p_right else (q, p)
        # the text box has ~20 % of its height as padding, so a sliver of box overlap leaves the text clear
        return 0.2 * height < y(below) - y(above) < 2 * height

    chosen: list[SweepPoint] = []
    for p in front:
        if not any(collide(p, q) for q in chosen):
            chosen.append(p)
        if len(chosen) == limit:
            break
    return chosen


def label_text(point: SweepPoint) -> str:
    """Two short lines: the system (cut at ~40 characters; the hover and the table give it whole), then
    quant and horizon cost.

    >>> from advisor.app.sweep import SweepPoint
    >>> print(label_text(SweepPoint("2x RTX 5090 desktop (Q4_K_M)", "2x", "Q4_K_M", 1, 9753.2, 111, True, None)))
    2x RTX 5090 desktop
    Q4_K_M, $9,753
    """
    suffix = f" ({point.quant})"
    system = point.name[: -len(suffix)] if point.name.endswith(suffix) else point.name
    return f"{textwrap.shorten(system, 40, placeholder='…')}\n{point.quant}, ${point.horizon_cost_usd:,.0f}"


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

    point_clicked = Signal(int)

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
        # the selected point (a table row): a thick ring; the hovered one: a thin ring and a readout
        self.selected = pg.ScatterPlotItem(
            size=22,
            brush=pg.mkBrush(None),
            pen=pg.mkPen(self.palette().color(QPalette.ColorRole.Text), width=3),
        )
        self.hovered = pg.ScatterPlotItem(size=18, brush=pg.mkBrush(None), pen=pg.mkPen(colour(0), width=2))
        self.hover_label = pg.TextItem(
            "",
            anchor=(0, 1),
            color=self.palette().color(QPalette.ColorRole.Text),
            fill=pg.mkBrush(backdrop(235)),
            border=pg.mkPen(self.palette().color(QPalette.ColorRole.Mid)),
        )
        self.hover_label.setZValue(200)
        for item in (self.selected, self.hovered):
            self.plot.addItem(item)
        self.plot.addItem(self.hover_label, ignoreBounds=True)
        self.points: tuple[SweepPoint, ...] = ()
        self.selected_index: int | None = None
        self.plot.scene().sigMouseMoved.connect(self._mouse_moved)
        self.plot.scene().sigMouseClicked.connect(self._mouse_clicked)
        self.plot.viewport().installEventFilter(self)  # Leave: drop the hover readout

    # --- linking with the table -------------------------------------------------------------------------
    def point_at(self, scene_pos: QPointF) -> int | None:
        """Index of the point nearest to a scene position, if within PICK_RADIUS_PX."""
        vb = self.plot.getPlotItem().vb
        best, best_d = None, float(PICK_RADIUS_PX)
        for i, p in enumerate(self.points):
            at = vb.mapViewToScene(QPointF(p.tok_s_per_user, _log(p.horizon_cost_usd)))
            d = math.hypot(at.x() - scene_pos.x(), at.y() - scene_pos.y())
            if d <= best_d:
                best, best_d = i, d
        return best

    def scene_pos_of(self, index: int) -> QPointF:
        p = self.points[index]
        return self.plot.getPlotItem().vb.mapViewToScene(QPointF(p.tok_s_per_user, _log(p.horizon_cost_usd)))

    def hover(self, index: int | None) -> str:
        """Ring point `index` and show its name and figures next to it; None clears. Returns the text."""
        if index is None:
            self.hovered.setData([], [])
            self.hover_label.setText("")
            self.hover_label.setVisible(False)
            return ""
        p = self.points[index]
        x, y = p.tok_s_per_user, _log(p.horizon_cost_usd)
        text = (
            f"{p.name}\n${p.horizon_cost_usd:,.0f} over the horizon · {p.tok_s_per_user:.1f} tok/s per user"
            + ("" if p.meets_sla else " · misses SLA")
        )
        self.hovered.setData([x], [y])
        self.hover_label.setText(text)
        self.hover_label.setVisible(True)
        (x0, x1), (y0, y1) = self.plot.getPlotItem().vb.viewRange()
        # grow away from the nearest edges, so the readout stays inside the plot
        self.hover_label.setAnchor((1 if x > (x0 + x1) / 2 else 0, 0 if y > (y0 + y1) / 2 else 1))
        self.hover_label.setPos(x, y)
        return text

    def select(self, index: int | None) -> None:
        self.selected_index = index
        if index is None:
            self.selected.setData([], [])
            return
        p = self.points[index]
        self.selected.setData([p.tok_s_per_user], [_log(p.horizon_cost_usd)])

    def _mouse_moved(self, pos: QPointF) -> None:
        self.hover(self.point_at(pos))

    def _mouse_clicked(self, event: object) -> None:
        index = self.point_at(event.scenePos())  # type: ignore[attr-defined]
        if index is not None:
            self.select(index)
            self.point_clicked.emit(index)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Leave:
            self.hover(None)
        return False

    def display(self, result: SweepResult) -> None:
        pts = result.points
        self.points = pts
        self.hover(None)
        self.select(None)
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
        split = max(x_mid, 0.55 * x_max)
        for p in spaced_labels(fp, LABELLED, split):
            # labels right of the split grow leftwards (none runs off the plot's right edge) and hang below
            # their point; the others sit above theirs (spaced_labels keeps them apart)
            right = p.tok_s_per_user > split
            label = pg.TextItem(
                label_text(p),
                anchor=(1.0, 0.0) if right else (0.0, 1.0),
                color=text_colour,
            )
            label.setPos(p.tok_s_per_user, _log(p.horizon_cost_usd))
            self.plot.addItem(label)
            self.labels.append(label)


def _log(cost_usd: float) -> float:
    return math.log10(max(cost_usd, 1.0))
