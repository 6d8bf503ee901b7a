"""Sensitivity tornado: how far the break-even month swings when each assumption moves low / high."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QFont, QFontMetrics, QPalette
from PySide6.QtWidgets import QWidget

from advisor.engine.types import SensitivityBar
from ui.plots.base import PlotPanel, colour

# one-line tick labels (the full name and units are in the plot's tooltip): two-line labels need a plot
# ~17 lines tall, which leaves the candidates table 2-3 rows at 1280x800
SHORT_NAMES = {
    "Electricity tariff": "Electricity",
    "API price change per year": "API trend",
    "Hardware price": "Hardware",
    "Useful life": "Life",
    "Residual value": "Residual",
}


def tick_label(bar: SensitivityBar) -> str:
    name = SHORT_NAMES.get(bar.assumption, textwrap.shorten(bar.assumption, 14, placeholder="…"))
    low, high = (label.removesuffix("/kWh").replace(" months", " mo") for label in (bar.low_label, bar.high_label))
    return f"{name}: {low} / {high}"


class TornadoPlot(PlotPanel):
    """Horizontal bars from the base break-even month to the month under the low / high value of each
    assumption (widest swing on top); "never" is drawn at the horizon. Tick labels name the two values.

    A row whose low and high values both leave the break-even month where it is would have zero-width bars
    and look missing; it gets a thin tick at the base month and the text NO_EFFECT instead."""

    NO_EFFECT = "no change"  # short: the plot is ~170 px wide at 1400 px

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Sensitivity of break-even", "break-even [months]", "", parent)
        self.low_bars = pg.BarGraphItem(x0=[], x1=[], y=[], height=0.6, brush=colour(0, 200), name="low")
        self.high_bars = pg.BarGraphItem(x0=[], x1=[], y=[], height=0.6, brush=colour(1, 200), name="high")
        self.plot.addItem(self.low_bars)
        self.plot.addItem(self.high_bars)
        self.base_line = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen((128, 128, 128), width=1.5))
        self.plot.addItem(self.base_line, ignoreBounds=True)
        self.title.setText(
            f'<b>Break-even swing</b> <span style="color:{colour(0).name()}">■</span>'
            f'low <span style="color:{colour(1).name()}">■</span>high'
        )
        self.plot.setMouseEnabled(x=False, y=False)
        left = self.plot.getPlotItem().getAxis("left")
        left.setWidth(140)
        # 7 one-line labels plus the bottom axis: a smaller tick font and a minimum height that holds
        # them, else a short window prints the labels over each other
        tick_font = QFont(self.font())
        tick_font.setPointSizeF(max(7.0, self.font().pointSizeF() - 1.5))
        left.setStyle(tickFont=tick_font)
        self.plot.setMinimumHeight(int(11 * QFontMetrics(tick_font).lineSpacing()))
        # the tick marking a computed-but-unmoved row; a symbol, so it stays thin at any zoom
        self.no_effect_marks = pg.ScatterPlotItem(
            symbol="|", size=16, pen=pg.mkPen((128, 128, 128), width=2.5), brush=pg.mkBrush(None)
        )
        self.plot.addItem(self.no_effect_marks)
        self.no_effect_labels: list[pg.TextItem] = []  # reused across redraws, hidden when unused
        self.bars: list[SensitivityBar] = []
        self.no_effect: list[str] = []  # assumptions drawn as "no effect" (tests read it)
        self.empty = self.empty_message("")
        self.plot.addItem(self.empty, ignoreBounds=True)

    def display(
        self,
        bars: Sequence[SensitivityBar],
        base_month: float | None,
        horizon_months: int,
    ) -> None:
        # "never" (no break-even within the horizon) is drawn at its own tick past every real month, so a move
        # that makes buying never pay off shows as a long bar, not as nothing
        finite = [float(v) for b in bars for v in (b.break_even_low, b.break_even_high) if v is not None]
        finite += [float(base_month)] if base_month is not None else []
        never_x = max([float(horizon_months), *finite]) * 1.12
        base = base_month if base_month is not None else never_x
        # no bars (nothing fits, or nothing worth buying): say so instead of an empty frame
        self.empty.setText("" if bars else "Nothing to vary:\nno candidate to buy")
        self.empty.setPos(never_x / 2, 0.0)

        def clip(v: float | None) -> float:
            return never_x if v is None else float(v)

        order = sorted(bars, key=lambda b: abs(clip(b.break_even_high) - clip(b.break_even_low)))
        y = np.arange(len(order), dtype=float)
        lows = np.array([clip(b.break_even_low) for b in order])
        highs = np.array([clip(b.break_even_high) for b in order])
        self.low_bars.setOpts(x0=np.full(len(order), base), x1=lows, y=y, height=0.6)
        self.high_bars.setOpts(x0=np.full(len(order), base), x1=highs, y=y, height=0.6)
        self.base_line.setPos(base)
        ticks = [(float(i), tick_label(b)) for i, b in enumerate(order)]
        self.plot.getPlotItem().getAxis("left").setTicks([ticks])
        step = 12 if never_x > 30 else 6
        months = [(float(m), str(m)) for m in range(0, int(never_x / 1.12) + 1, step)]
        self.plot.getPlotItem().getAxis("bottom").setTicks([[*months, (never_x, "never")]])
        self.plot.setToolTip(
            "Break-even month when one assumption moves to its low / high value (\"never\": not within the "
            "horizon):\n" + "\n".join(f"{b.assumption}: {b.low_label} / {b.high_label}" for b in reversed(order))
        )
        self.bars = list(order)
        # room right of the "never" tick for its label (pyqtgraph drops a tick label that would be clipped)
        self._mark_no_effect(order, lows, highs, base, never_x * 1.12)
        self.plot.setXRange(0, never_x * 1.12, padding=0)
        self.plot.setYRange(-0.7, max(len(order), 1) - 0.3, padding=0)

    def _mark_no_effect(
        self,
        order: Sequence[SensitivityBar],
        lows: np.ndarray,
        highs: np.ndarray,
        base: float,
        x_max: float,
    ) -> None:
        """Tick and label every row whose bars both have zero width (within 0.05 month)."""
        rows = [i for i in range(len(order)) if abs(lows[i] - base) < 0.05 and abs(highs[i] - base) < 0.05]
        self.no_effect = [order[i].assumption for i in rows]
        self.no_effect_marks.setData(x=[base] * len(rows), y=[float(i) for i in rows])
        while len(self.no_effect_labels) < len(rows):
            label = pg.TextItem("", color=self.palette().color(QPalette.ColorRole.Text))
            self.plot.addItem(label, ignoreBounds=True)
            self.no_effect_labels.append(label)
        # text on the roomier side of the base line, so it stays inside the view
        left_of_base = base > x_max / 2  # the x range is 0 .. x_max
        for label, row in zip(self.no_effect_labels, rows, strict=False):
            label.setText(self.NO_EFFECT)
            label.setAnchor((1.0, 0.5) if left_of_base else (0.0, 0.5))
            label.setPos(base - 0.6 if left_of_base else base + 0.6, float(row))
            label.setVisible(True)
        for label in self.no_effect_labels[len(rows) :]:
            label.setText("")
            label.setVisible(False)
