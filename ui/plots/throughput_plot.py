"""Throughput vs context length for one candidate: decode (per user) and prefill [tok/s], with bands."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from advisor.engine.types import Estimate
from ui.plots.base import PlotPanel, backdrop, colour, pen

CONTEXT_RANGE = (float(np.log10(512)), float(np.log10(131072)))  # log x axis: view units are log10(tokens)


HEADROOM = 1.15  # y range over the highest value


class ThroughputPlot(PlotPanel):
    """Decode on the left axis, prefill on a second (right) axis: they differ by 10-100x."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Throughput vs context", "context [tokens]", "decode [tok/s]", parent)
        item = self.plot.getPlotItem()
        item.setLogMode(x=True, y=False)
        # no legend box over the curves (the plot is ~100 px tall at 1280x800): each axis label is drawn in
        # its series' colour and says which line it is; the legend stays for exports and is hidden here
        self.plot.addLegend(offset=(-10, 4), brush=pg.mkBrush(backdrop()), colCount=2)
        item.legend.setVisible(False)
        item.getAxis("left").setLabel("decode [tok/s]", color=colour(0).name())  # per user: see the title
        self.decode_low = pg.PlotDataItem(pen=pg.mkPen(None))
        self.decode_high = pg.PlotDataItem(pen=pg.mkPen(None))
        self.decode_band = pg.FillBetweenItem(self.decode_low, self.decode_high, brush=colour(0, 60))
        for it in (self.decode_low, self.decode_high, self.decode_band):
            item.addItem(it)
        self.decode = item.plot([], [], pen=pen(colour(0), 2.5), name="decode (per user)")
        # prefill lives in its own ViewBox linked to the right axis
        self.prefill_vb = pg.ViewBox()
        item.showAxis("right")
        item.scene().addItem(self.prefill_vb)
        item.getAxis("right").linkToView(self.prefill_vb)
        item.getAxis("right").setLabel("prefill [tok/s]", color=colour(1).name())
        self.prefill_vb.setXLink(item)
        self.prefill = pg.PlotDataItem([], [], pen=pen(colour(1), 2.0, Qt.PenStyle.DashLine))
        self.prefill_vb.addItem(self.prefill)
        item.legend.addItem(self.prefill, "prefill (right axis)")
        item.vb.sigResized.connect(self._sync_views)
        self.users = 1  # concurrent sequences per unit of the curve on show
        self.max_context_line = pg.InfiniteLine(
            angle=90,
            movable=False,
            pen=pg.mkPen("#D55E00", width=1.5),
            label="max context",
            labelOpts={"position": 0.08},
        )
        item.addItem(self.max_context_line, ignoreBounds=True)
        self.max_context_line.setVisible(False)
        self.empty = self.empty_message("")
        item.addItem(self.empty, ignoreBounds=True)
        # a sensible first frame (512..128K tokens, speeds from 0) until the first result autoranges it;
        # pyqtgraph's empty default showed a throughput axis of -400..400
        # (autorange is switched on by display(): on an empty plot it centres the span on 0)
        self._default_range()

    def _default_range(self) -> None:
        self.plot.getPlotItem().vb.setRange(xRange=CONTEXT_RANGE, yRange=(0, 100), padding=0)
        self.prefill_vb.setYRange(0, 1000, padding=0)

    def _sync_views(self) -> None:
        self.prefill_vb.setGeometry(self.plot.getPlotItem().vb.sceneBoundingRect())
        self.prefill_vb.linkedViewChanged(self.plot.getPlotItem().vb, self.prefill_vb.XAxis)

    def display(
        self,
        name: str,
        contexts: Sequence[int],
        estimates: Sequence[Estimate],
        max_context: int | None = None,
        users: int = 1,
    ) -> None:
        """Plot one estimate per context length; `users` is the concurrent sequences per unit they assume."""
        load = "1 user" if users == 1 else f"{users} users"
        # the load comes before the name: a long name is clipped at the end, the load must stay readable
        self.title.setText(f"<b>Throughput vs context, {load}</b> — {name}")
        self.title.setToolTip(
            f"{name}: decode per user with {load} decoding at once on one unit, each at the context on the "
            "x axis (the candidates table uses the same load); prefill of one prompt of that length."
        )
        self.users = users
        self.empty.setText("")
        self.plot.getPlotItem().vb.enableAutoRange()  # clear() fixed the range to centre its message
        x = np.asarray(contexts, dtype=float)
        per_user = np.array([e.tg_tok_s_per_user for e in estimates])
        scale = np.array([e.tg_tok_s_per_user / e.tg_tok_s if e.tg_tok_s else 1.0 for e in estimates])
        self.decode.setData(x, per_user)
        ticks = [(float(np.log10(c)), _k(int(c))) for c in contexts]
        self.plot.getPlotItem().getAxis("bottom").setTicks([ticks, []])
        self.decode_low.setData(x, np.array([e.tg_band[0] for e in estimates]) * scale)
        self.decode_high.setData(x, np.array([e.tg_band[1] for e in estimates]) * scale)
        self.decode_band.setVisible(True)
        prefill = np.array([e.pp_tok_s for e in estimates])
        self.prefill.setData(np.log10(x), prefill)
        # both axes from 0 (a speed axis that starts above 0 exaggerates the fall with context)
        top = float(max(np.max(per_user), np.max(np.array([e.tg_band[1] for e in estimates]) * scale), 1e-6))
        self.plot.getPlotItem().vb.setYRange(0, top * HEADROOM, padding=0)
        self.prefill_vb.setYRange(0, float(max(np.max(prefill), 1e-6)) * HEADROOM, padding=0)
        if max_context:
            self.max_context_line.setPos(np.log10(max(max_context, 1)))
            self.max_context_line.setVisible(True)
        else:
            self.max_context_line.setVisible(False)
        self._sync_views()

    def clear(self, message: str = "", name: str = "") -> None:
        """No curve; `message` (e.g. why the setup does not fit) in the middle of the plot instead."""
        for it in (self.decode, self.decode_low, self.decode_high, self.prefill):
            it.setData([], [])
        # hidden, not only emptied: a FillBetweenItem keeps its last path when its curves lose their data
        self.decode_band.setVisible(False)
        self.plot.getPlotItem().legend.setVisible(False)  # a key to nothing would sit on the message
        self.max_context_line.setVisible(False)
        self.title.setText(
            f"<b>Throughput vs context</b> — {name}" if name else "<b>Throughput vs context</b>"
        )
        self.empty.setText(message)
        vb = self.plot.getPlotItem().vb
        self._default_range()
        # the context ticks of the range shown (not those of the last curve, which may have been shorter)
        ticks = [(float(np.log10(2**k)), _k(2**k)) for k in range(9, 18)]
        self.plot.getPlotItem().getAxis("bottom").setTicks([ticks, []])
        self.empty.setTextWidth(max(120.0, vb.width() * 0.85))  # wrap a long reason inside the plot
        self.empty.setPos(sum(CONTEXT_RANGE) / 2, 50)


def _k(tokens: int) -> str:
    """512 -> "512", 131072 -> "128K" (binary K, as context lengths are quoted)."""
    return f"{tokens // 1024}K" if tokens >= 1024 and tokens % 1024 == 0 else str(tokens)
