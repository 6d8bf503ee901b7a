"""Cumulative cost over months: each local candidate vs the API, with break-even and uncertainty band.

Items are created once; `show(recommendation, focus_id)` only calls setData / setPos / setText on them.
The band is the focused candidate's cumulative cost between its optimistic and pessimistic throughput.
"""

from __future__ import annotations

import textwrap
from html import escape

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QPointF, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from advisor.engine.types import CandidateResult, Recommendation
from ui.plots.base import API_COLOUR, PlotPanel, backdrop, colour, pen

MAX_LINES = 6  # candidate lines drawn at once (the rest would be noise)
KEY_CHARS = 24  # longest system name in the key under the plot; the key's tooltip has them whole


def _usd(v: float) -> str:
    return f"${v:,.0f}"


class CostPlot(PlotPanel):
    """Cumulative USD vs month. Attributes tests read: api_curve, local_curves, break_even_label, hover_label."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Cumulative cost", "month", "cost [USD]", parent)
        self._drawn: list[CandidateResult] = []  # the candidates whose lines are drawn
        # the key is a label under the plot: an in-plot legend of 5-7 entries hides the curves
        self.key = QLabel("")
        self.key.setObjectName("costKey")
        self.key.setWordWrap(True)
        self.key.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.body.addWidget(self.key)
        # the wrapped key needs up to 3 lines under the plot; a splitter ignores a label's height-for-width,
        # so reserve it here or a short window draws the key over the x axis
        self.key.setMinimumHeight(3 * self.key.fontMetrics().lineSpacing())
        self.band_low = pg.PlotDataItem(pen=pg.mkPen(None))
        self.band_high = pg.PlotDataItem(pen=pg.mkPen(None))
        self.band = pg.FillBetweenItem(self.band_low, self.band_high, brush=colour(0, 60))
        for item in (self.band_low, self.band_high, self.band):
            self.plot.addItem(item)
        self.api_curve = self.plot.plot([], [], pen=pen(API_COLOUR, 2.5, Qt.PenStyle.DashLine), name="API")
        self.local_curves: list[pg.PlotDataItem] = []
        for i in range(MAX_LINES):
            curve = pg.PlotDataItem([], [], pen=pen(colour(i), 2.0))  # legend entries come and go with data
            self.plot.addItem(curve)
            self.local_curves.append(curve)
        self.break_even_point = pg.ScatterPlotItem(
            size=12, brush=pg.mkBrush("#000000"), pen=pg.mkPen("w", width=2)
        )
        self.break_even_label = pg.TextItem(
            "",
            anchor=(0, 0),
            color=self.palette().color(QPalette.ColorRole.Text),
            fill=pg.mkBrush(128, 128, 128, 50),
        )
        self.plot.addItem(self.break_even_point)
        self.plot.addItem(self.break_even_label)
        # the room left for the label changes with the plot's size and with its x range
        self.plot.getPlotItem().vb.sigResized.connect(lambda *_: self._fit_label_width())
        self.plot.getPlotItem().vb.sigXRangeChanged.connect(lambda *_: self._fit_label_width())
        self.crosshair = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen((128, 128, 128), width=1))
        # the readout: text in the palette's text colour on an almost opaque plot background, framed
        # (it was pyqtgraph's light grey on translucent grey, unreadable on a light theme)
        text_colour = self.palette().color(QPalette.ColorRole.Text)
        self.hover_label = pg.TextItem(
            "",
            anchor=(0, 0),
            color=text_colour,
            fill=pg.mkBrush(backdrop(235)),
            border=pg.mkPen(self.palette().color(QPalette.ColorRole.Mid)),
        )
        self.hover_label.setZValue(200)
        self.crosshair.setVisible(False)
        self.plot.addItem(self.crosshair, ignoreBounds=True)
        self.plot.addItem(self.hover_label, ignoreBounds=True)
        self.plot.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.plot.viewport().installEventFilter(self)  # Leave: hide the crosshair and the readout
        self._series: list[tuple[str, np.ndarray]] = []
        self.empty = self.empty_message("")
        self.plot.addItem(self.empty, ignoreBounds=True)
        # first frame: months 0..36 and costs from 0 (not pyqtgraph's empty -0.5..0.5); data autoranges it
        # (autorange is switched on by display(): on an empty plot it centres the span on 0)
        self.plot.getPlotItem().vb.setRange(xRange=(0, 36), yRange=(0, 1000), padding=0)

    def clear(self, message: str = "") -> None:
        for curve in [*self.local_curves, self.api_curve]:
            curve.setData([], [])
        self._hide_focus()
        self.empty.setText(message)
        self._series = []
        self.hide_hover()

    def _hide_focus(self) -> None:
        """No focused candidate: no band, no break-even marker or label.

        The band is hidden, not emptied: a FillBetweenItem keeps drawing its last path when its two curves
        are set to no data (the previous candidate's band stayed on screen)."""
        self.band_low.setData([], [])
        self.band_high.setData([], [])
        self.band.setVisible(False)
        self.break_even_point.setData([], [])
        self.break_even_label.setText("")
        self.break_even_label.setVisible(False)  # an empty label still draws its filled box

    def display(self, rec: Recommendation, focus_id: str | None = None) -> None:
        """Draw a recommendation; the focused candidate (default: the recommended one) gets band and marker."""
        self.empty.setText("")
        self.plot.getPlotItem().vb.enableAutoRange()
        months = np.arange(len(rec.cumulative_api_usd), dtype=float)
        api = np.asarray(rec.cumulative_api_usd, dtype=float)
        self.api_curve.setData(months, api)
        fitting = self.lines_for(rec, focus_id)
        self._drawn = fitting
        focus = self._focus(rec, fitting, focus_id)
        self._update_legend(f"API: {rec.api_offer}", [(c.name, c.quant) for c in fitting])
        self._series = [(f"API ({rec.api_offer})", api)]
        for i, curve in enumerate(self.local_curves):
            if i < len(fitting):
                cand = fitting[i]
                y = np.asarray(cand.cumulative_local_usd, dtype=float)
                curve.setData(months[: len(y)], y)
                width = 3.5 if cand is focus else 1.5
                curve.setPen(pen(colour(i), width))
                self._series.append((f"{cand.name} ({cand.quant})", y))
                curve.setVisible(True)
            else:
                curve.setData([], [])
                curve.setVisible(False)
        if focus is None:
            self._hide_focus()
            return
        self.band.setBrush(colour(fitting.index(focus), 60))
        low = np.asarray(focus.cumulative_local_low_usd, dtype=float)
        high = np.asarray(focus.cumulative_local_high_usd, dtype=float)
        self.band_low.setData(months[: len(low)], low)
        self.band_high.setData(months[: len(high)], high)
        self.band.setVisible(True)
        self.break_even_label.setVisible(True)
        self._mark_break_even(focus, months, api)

    def _update_legend(self, api_label: str, lines: list[tuple[str, str]]) -> None:
        """The key under the plot: a coloured dash per line, (name, quant) each (only rebuilt when the entries
        change). Names are cut to KEY_CHARS, the quant kept: 7 whole names took a third of the panel."""
        key = (api_label, *(f"{name} ({quant})" for name, quant in lines))
        if key == getattr(self, "_legend_key", None):
            return
        self._legend_key = key

        def short(text: str) -> str:
            return escape(textwrap.shorten(text, KEY_CHARS, placeholder="…"))

        api_text = escape(textwrap.shorten(api_label, 2 * KEY_CHARS, placeholder="…"))
        parts = [f'<span style="color:{API_COLOUR}"><b>- -</b></span>&nbsp;{api_text}']
        parts += [
            f'<span style="color:{colour(i).name()}"><b>━</b></span>&nbsp;{short(name)} ({escape(quant)})'
            for i, (name, quant) in enumerate(lines)
        ]
        self.key.setText(" &nbsp; ".join(parts))
        self.key.setToolTip("\n".join(key))  # the names in full

    @staticmethod
    def lines_for(rec: Recommendation, focus_id: str | None) -> list[CandidateResult]:
        """The candidates drawn: those that meet the SLA (else those that fit), best first, plus the focus."""
        drawable = [c for c in rec.candidates if c.fits and c.cumulative_local_usd]
        chosen = [c for c in drawable if c.meets_sla] or drawable
        chosen = chosen[:MAX_LINES]
        focus = next((c for c in drawable if f"{c.system_id}|{c.quant}" == focus_id), None)
        if focus is not None and focus not in chosen:
            chosen = [*chosen[: MAX_LINES - 1], focus]
        return chosen

    @staticmethod
    def _focus(
        rec: Recommendation, fitting: list[CandidateResult], focus_id: str | None
    ) -> CandidateResult | None:
        for c in fitting:
            if focus_id is not None and f"{c.system_id}|{c.quant}" == focus_id:
                return c
        if rec.recommended is not None and rec.recommended in fitting:
            return rec.recommended
        return fitting[0] if fitting else None

    def _mark_break_even(self, cand: CandidateResult, months: np.ndarray, api: np.ndarray) -> None:
        be = cand.break_even_month
        if be is None:
            self.break_even_point.setData([], [])
            x = float(months[-1])
            # name and verdict on two lines: one line of a long system name ran past the right edge
            self.break_even_label.setText(f"{cand.name}:\nno break-even within {int(x)} months")
            lines = [api, *(np.asarray(c.cumulative_local_usd, dtype=float) for c in self._drawn)]
            top = float(max(line.max() for line in lines))
            bottom = float(min(0.0, *(line.min() for line in lines)))
            # headroom above the highest line for the label, so it never covers a curve or the axis
            room = top + 0.45 * (top - bottom)
            self.plot.setYRange(bottom, room, padding=0.02)
            self.break_even_label.setAnchor((0, 0))
            self.break_even_label.setPos(QPointF(float(months[0]), room))
            self._fit_label_width()
            return
        y = float(np.interp(be, months, api))
        self.break_even_point.setData([be], [y])
        lo, hi = cand.break_even_band
        band = ""
        if lo is not None or hi is not None:
            band = f"band {lo:.1f}–{hi:.1f}, " if lo is not None and hi is not None else "band open-ended, "
        self.break_even_label.setText(f"break-even {be:.1f} months\n{band}{_usd(y)}")
        # label to the right of the point in the first half of the horizon, to its left after
        self.break_even_label.setAnchor((0, 0) if be < months[-1] / 2 else (1, 0))
        self.break_even_label.setPos(QPointF(be, y))
        self._fit_label_width()

    def _fit_label_width(self) -> None:
        """Wrap the break-even label when it is wider than the plot area (pixels; the item ignores zoom)."""
        text = self.break_even_label.textItem
        text.setTextWidth(-1)  # natural width first, so a short label keeps a snug background
        vb = self.plot.getPlotItem().vb
        # room from the label's anchor point to the view's right edge (anchor (0, 0): it grows rightwards)
        left_px = vb.mapViewToScene(self.break_even_label.pos()).x()
        room_px = vb.sceneBoundingRect().right() - left_px - 8
        if self.break_even_label.anchor.x() > 0.5:  # anchored at its right end: it grows leftwards
            room_px = left_px - vb.sceneBoundingRect().left() - 8
        if room_px > 40 and text.boundingRect().width() > room_px:
            text.setTextWidth(room_px)
        self.break_even_label.updateTextPos()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Leave:
            self.hide_hover()
        return False

    def hide_hover(self) -> None:
        self.crosshair.setVisible(False)
        self.hover_label.setText("")
        self.hover_label.setVisible(False)

    def _on_mouse_moved(self, pos: QPointF) -> None:
        vb = self.plot.getPlotItem().vb
        if not self._series or not vb.sceneBoundingRect().contains(pos):
            self.hide_hover()
            return
        point = vb.mapSceneToView(pos)
        self.hover_at(point.x())

    def hover_at(self, month: float) -> str:
        """Move the crosshair to `month` and show every series' value there; returns the label text."""
        if not self._series:
            return ""
        n = len(self._series[0][1])
        m = int(round(min(max(month, 0.0), n - 1)))
        lines = [f"month {m}"] + [f"{name}: {_usd(float(y[m]))}" for name, y in self._series if m < len(y)]
        text = "\n".join(lines)
        self.crosshair.setPos(m)
        self.crosshair.setVisible(True)
        self.hover_label.setText(text)
        self.hover_label.setVisible(True)
        self._place_hover(m)
        return text

    def _place_hover(self, month: float) -> None:
        """Put the readout beside the crosshair, on the side with room, and always inside the plot area."""
        vb = self.plot.getPlotItem().vb
        area = vb.sceneBoundingRect()
        width = self.hover_label.boundingRect().width()  # pixels: a TextItem ignores the zoom
        x_px = vb.mapViewToScene(QPointF(month, 0)).x()
        gap = 8.0
        left = x_px + gap if x_px + gap + width <= area.right() else x_px - gap - width
        left = max(area.left() + 2, min(left, area.right() - width - 2))
        self.hover_label.setAnchor((0, 0))
        self.hover_label.setPos(vb.mapSceneToView(QPointF(left, area.top() + 2)))
