"""Price history of one item over time [USD]: one line per condition (new / used / refurb) with its points,
import batches as dashed vertical markers, and a hover label with date, price, vendor, source and batch."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QWidget

from advisor.app.price_data import CONDITIONS, Batch, HistoryRow
from ui.plots.base import PlotPanel, backdrop, colour

SYMBOLS = {"new": "o", "used": "s", "refurb": "t"}
HOVER_PX = 14  # how close [px] the pointer must be to a point or marker to describe it


def describe_row(row: HistoryRow, batch: Batch | None = None) -> str:
    """The hover text of one price point."""
    lines = [
        f"{row.observed_at:%Y-%m-%d}  ${row.price_usd:,.2f}  ({row.condition})",
        f"vendor: {row.vendor or '—'}",
        f"source: {row.source}",
    ]
    if batch is not None:
        lines.append(f"batch {batch.id} ({batch.kind})")
    elif row.batch_id is not None:
        lines.append(f"batch {row.batch_id}")
    return "\n".join(lines)


LEGEND_HEADROOM = 0.45  # free space above the highest point, as a share of the price span [1]


class PricePlot(PlotPanel):
    """Attributes for tests: lines (condition -> PlotDataItem), markers (batch id -> InfiniteLine), hover_label."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Price history", "observed", "price [USD]", parent)
        item = self.plot.getPlotItem()
        item.setAxisItems({"bottom": pg.DateAxisItem(orientation="bottom", utcOffset=0)})
        item.setLabel("bottom", "observed (UTC)")
        self.legend = self.plot.addLegend(offset=(10, 10), brush=pg.mkBrush(backdrop()))
        item.getViewBox().setDefaultPadding(0.06)  # keep the first and last points off the frame
        self.lines: dict[str, pg.PlotDataItem] = {}
        for i, cond in enumerate(CONDITIONS):
            line = pg.PlotDataItem(
                [],
                [],
                pen=pg.mkPen(colour(i), width=2),
                symbol=SYMBOLS[cond],
                symbolSize=9,
                symbolBrush=colour(i),
                symbolPen=pg.mkPen(colour(i)),
                name=cond,
            )
            self.plot.addItem(line)  # adds it to the legend too; display() keeps only conditions with data
            self.lines[cond] = line
        # a ring around every point that came from a feed or import (not the bundled seed): what a rollback removes
        self.imported = pg.ScatterPlotItem(
            size=17,
            brush=pg.mkBrush(0, 0, 0, 0),
            pen=pg.mkPen(colour(5), width=1.6),
            name="from an import batch",
        )
        self.plot.addItem(self.imported)
        self.markers: dict[int, pg.InfiniteLine] = {}
        self.rows: list[HistoryRow] = []
        self.batches: dict[int, Batch] = {}
        self.hover_label = pg.TextItem(
            "",
            anchor=(0, 1),
            fill=pg.mkBrush(backdrop(235)),
            color=self.palette().color(QPalette.ColorRole.Text),
        )
        self.hover_label.setZValue(200)
        self.hover_label.setVisible(False)
        self.plot.addItem(self.hover_label, ignoreBounds=True)
        self.empty = self.empty_message("Pick an item on the left")
        self.plot.addItem(self.empty, ignoreBounds=True)
        self.plot.scene().sigMouseMoved.connect(self._mouse_moved)

    def display(self, title: str, rows: Sequence[HistoryRow], batches: dict[int, Batch]) -> None:
        """Show `rows` (one item, oldest first); `batches` by id for the markers and the hover text."""
        self.title.setText(f"<b>Price history</b> — {title}")
        self._title_text = f"price history {title}"
        self.rows, self.batches = list(rows), batches
        for cond, line in self.lines.items():
            mine = [r for r in self.rows if r.condition == cond]
            line.setData([r.observed_at.timestamp() for r in mine], [r.price_usd for r in mine])
            line.setVisible(bool(mine))
            self.legend.removeItem(line)
            if mine:
                self.legend.addItem(line, cond)
        fed = [
            r
            for r in self.rows
            if r.batch_id is not None
            and batches.get(r.batch_id, None) is not None
            and batches[r.batch_id].kind != "seed"
        ]
        self.imported.setData([r.observed_at.timestamp() for r in fed], [r.price_usd for r in fed])
        self.legend.removeItem(self.imported)
        if fed:
            self.legend.addItem(self.imported, "from an import batch")
        for marker in self.markers.values():
            self.plot.removeItem(marker)
        self.markers = {}
        for batch_id in sorted({r.batch_id for r in self.rows if r.batch_id is not None}):
            batch = batches.get(batch_id)
            if batch is None or batch.kind == "seed":  # the seed spans years: a marker would say nothing
                continue
            latest = max(r.observed_at for r in self.rows if r.batch_id == batch_id)
            marker = pg.InfiniteLine(
                latest.timestamp(),
                angle=90,
                movable=False,
                pen=pg.mkPen(colour(7), width=1.2, style=Qt.PenStyle.DashLine),
                label=f"#{batch_id} {batch.kind}",
                labelOpts={"position": 0.9, "color": colour(7)},
            )
            marker.setToolTip(batch.describe())
            self.plot.addItem(marker, ignoreBounds=True)
            self.markers[batch_id] = marker
        self.hover_label.setVisible(False)
        self.empty.setVisible(not self.rows)
        if not self.rows:
            self.empty.setText("No prices stored for this item yet")
        self.plot.getPlotItem().enableAutoRange()
        if self.rows:
            # headroom above the highest price: the legend sits top-left, where a launch price usually is,
            # and must not hide it
            ys = [r.price_usd for r in self.rows]
            lo, hi = min(ys), max(ys)
            span = max(hi - lo, abs(hi) * 0.1, 1.0)
            self.plot.getPlotItem().setYRange(lo - 0.08 * span, hi + LEGEND_HEADROOM * span, padding=0)
        self._centre_empty()

    def clear(self, message: str = "Pick an item on the left") -> None:
        self.display("", [], {})
        self.title.setText("<b>Price history</b>")
        self.empty.setText(message)

    def _centre_empty(self) -> None:
        (x0, x1), (y0, y1) = self.plot.getPlotItem().viewRange()
        self.empty.setPos((x0 + x1) / 2, (y0 + y1) / 2)

    # --- hover -------------------------------------------------------------------------------------------
    def hover_at(self, x: float, y: float) -> str:
        """The description of the point (or batch marker) nearest to data position (x [s], y [USD]) within
        HOVER_PX pixels; "" if none. Also shows it in the hover label."""
        vb = self.plot.getPlotItem().vb
        here = vb.mapViewToScene(QPointF(x, y))
        best: tuple[float, str] | None = None
        for row in self.rows:
            p = vb.mapViewToScene(QPointF(row.observed_at.timestamp(), row.price_usd))
            dist = float(np.hypot(p.x() - here.x(), p.y() - here.y()))
            if dist <= HOVER_PX and (best is None or dist < best[0]):
                best = (dist, describe_row(row, self.batches.get(row.batch_id or -1)))
        if best is None:
            for batch_id, marker in self.markers.items():
                p = vb.mapViewToScene(QPointF(marker.value(), y))  # type: ignore[arg-type]
                if abs(p.x() - here.x()) <= HOVER_PX / 2:
                    best = (0.0, self.batches[batch_id].describe())
                    break
        if best is None:
            self.hover_label.setVisible(False)
            return ""
        self.hover_label.setText(best[1])
        self.hover_label.setPos(x, y)
        self.hover_label.setVisible(True)
        return best[1]

    def _mouse_moved(self, pos: QPointF) -> None:
        vb = self.plot.getPlotItem().vb
        if not vb.sceneBoundingRect().contains(pos):
            self.hover_label.setVisible(False)
            return
        point = vb.mapSceneToView(pos)
        self.hover_at(point.x(), point.y())
