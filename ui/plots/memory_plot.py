"""Memory breakdown per candidate: weights + KV cache + overhead as stacked horizontal bars vs usable [GB].

Horizontal bars keep long system names readable on the left axis. A thin orange bar marks each
candidate's usable memory (per unit), so "does it fit" is visible at a glance.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QWidget

from advisor.engine.types import Estimate
from ui.plots.base import PlotPanel, colour

PARTS = (("weights", 0), ("KV cache", 1), ("overhead", 7))
USABLE_COLOUR = "#D55E00"


class MemoryPlot(PlotPanel):
    """One stacked bar per (name, estimate), first row at the top."""

    def __init__(self, parent: QWidget | None = None, title: str = "Memory") -> None:
        super().__init__(title, "memory [GB]", "", parent)
        # the key lives in the title: a legend inside the plot would cover the bars
        key = " ".join(f'<span style="color:{colour(ci).name()}">■</span>{label}' for label, ci in PARTS)
        self._heading = f"<b>{title}</b> &nbsp; {key} <span style='color:{USABLE_COLOUR}'>┃</span> usable"
        self.title.setText(self._heading)
        self.bars: list[pg.BarGraphItem] = []
        for _label, ci in PARTS:
            bar = pg.BarGraphItem(
                x0=[], width=[], y=[], height=0.6, brush=colour(ci, 210), pen=pg.mkPen(None)
            )
            self.plot.addItem(bar)
            self.bars.append(bar)
        self.usable = pg.BarGraphItem(
            x0=[], width=[], y=[], height=0.8, brush=pg.mkBrush(USABLE_COLOUR), pen=pg.mkPen(None)
        )
        self.plot.addItem(self.usable)
        self.plot.setMouseEnabled(x=False, y=False)
        self.rows: list[tuple[str, Estimate]] = []

    def display(self, rows: Sequence[tuple[str, Estimate]]) -> None:
        self.rows = list(rows)
        n = len(rows)
        y = np.arange(n, dtype=float)[::-1]  # first candidate on top
        # the bars are accelerator memory, against the accelerators' usable memory: offloaded experts
        # live in host RAM and are named in the title instead of drawn past the usable mark
        weights = np.array([max(0.0, e.weights_gb - e.host_gb) for _, e in rows])
        host = max((e.host_gb for _, e in rows), default=0.0)
        self.title.setText(
            self._heading
            + (f" &nbsp; (+{host:,.0f} GB of weights in host RAM, not drawn)" if host > 0 else "")
        )
        kv = np.array([e.kv_gb for _, e in rows])
        over = np.array([e.overhead_gb for _, e in rows])
        lefts = (np.zeros(n), weights, weights + kv)
        for bar, width, x0 in zip(self.bars, (weights, kv, over), lefts, strict=True):
            bar.setOpts(x0=x0, width=width, y=y, height=0.6)
        usable = np.array([e.usable_gb for _, e in rows])
        top = float(max(np.max(usable, initial=1.0), np.max(weights + kv + over, initial=1.0)))
        self.usable.setOpts(x0=usable - top * 0.004, width=np.full(n, top * 0.008), y=y, height=0.8)
        axis = self.plot.getPlotItem().getAxis("left")
        axis.setTicks([[(float(y[i]), _short(name)) for i, (name, _) in enumerate(rows)]])
        self.plot.setYRange(-0.6, max(n, 1) - 0.4, padding=0)
        self.plot.setXRange(0, top * 1.05, padding=0)


def _short(name: str, limit: int = 24) -> str:
    """Cut a long label in the middle: its last word (the quant, which tells rows apart) always stays."""
    if len(name) <= limit:
        return name
    head, _, tail = name.rpartition(" ")
    if not head or len(tail) > limit - 6:
        return name[: limit - 1] + "…"
    return head[: limit - len(tail) - 2] + "… " + tail
