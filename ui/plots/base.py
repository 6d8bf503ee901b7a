"""Shared plot plumbing: a titled panel around a pyqtgraph PlotWidget, theme colours, PNG/SVG export.

Plots keep their items and update them with setData (STYLE practice 6); only the panel is generic here.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pyqtgraph as pg
from pyqtgraph.exporters import ImageExporter, SVGExporter
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

# Colour-blind-safe series colours (Okabe-Ito), readable on light and dark backgrounds. Vermillion is kept
# for the API alone: the API line and the 6th candidate used to share it. Wine (Paul Tol) takes its place.
API_COLOUR = "#D55E00"
SERIES = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#882255", "#F0E442", "#999999"]


def is_dark() -> bool:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return False
    return app.palette().color(QPalette.ColorRole.Window).lightness() < 128


def apply_theme() -> None:
    """Plot background and axes follow the system palette (light or dark)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    pal = app.palette()
    pg.setConfigOptions(
        background=pal.color(QPalette.ColorRole.Base),
        foreground=pal.color(QPalette.ColorRole.Text),
        antialias=True,
    )


def colour(i: int, alpha: int = 255) -> QColor:
    c = QColor(SERIES[i % len(SERIES)])
    c.setAlpha(alpha)
    return c


def backdrop(alpha: int = 170) -> QColor:
    """The plot background colour, translucent: behind legends and labels so lines under them stay visible."""
    app = QApplication.instance()
    c = app.palette().color(QPalette.ColorRole.Base) if isinstance(app, QApplication) else QColor("white")
    c.setAlpha(alpha)
    return c


def export_plot(plot: pg.PlotWidget, path: str | os.PathLike[str], width_px: int = 1200) -> Path:
    """Write the plot to PNG or SVG (by suffix), via a temp file + rename so a failed export leaves nothing."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in (".png", ".svg"):
        raise ValueError(f"{target.name}: export to .png or .svg")
    item = plot.getPlotItem()
    fd, tmp = tempfile.mkstemp(suffix=suffix, dir=target.parent)
    os.close(fd)
    try:
        if suffix == ".png":
            exporter = ImageExporter(item)
            exporter.parameters()["width"] = width_px
        else:
            exporter = SVGExporter(item)
        exporter.export(tmp)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


class PlotPanel(QWidget):
    """A title, an export button and a PlotWidget. Subclasses create their items once and update them."""

    def __init__(self, title: str, x_label: str, y_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        apply_theme()  # cheap; here so the app need not import pyqtgraph before its window shows
        self.plot = pg.PlotWidget()
        self.plot.setMinimumHeight(130)
        self.plot.showGrid(x=True, y=True, alpha=0.25)
        self.plot.setLabel("bottom", x_label)
        self.plot.setLabel("left", y_label)
        self.plot.setMenuEnabled(False)
        self.title = QLabel(f"<b>{title}</b>")
        # a long title (a key, a candidate name) must never widen the window: it is clipped instead
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.export_button = QToolButton()
        self.export_button.setText("Export…")
        self.export_button.setToolTip("Save this plot as PNG or SVG")
        self.export_button.clicked.connect(self._export_dialog)
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.export_button)
        lay = self.body = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addLayout(head)
        lay.addWidget(self.plot, 1)
        self._title_text = title

    def _export_dialog(self) -> None:
        name = self._title_text.lower().replace(" ", "-") + ".png"
        path, _ = QFileDialog.getSaveFileName(
            self, "Export plot", name, "PNG image (*.png);;SVG drawing (*.svg)"
        )
        if path:
            from ui.dialogs.errors import run_guarded

            run_guarded(self, "Export plot", lambda: self.export(path))

    def export(self, path: str | os.PathLike[str], width_px: int = 1600) -> Path:
        """Save the plot as the user sees it: title, axes, legend or key, all of it (PNG or SVG by suffix).

        PNG renders the whole panel (minus the Export button) scaled to `width_px`, so the title above the
        plot and a key under it come along. SVG holds the plot item, with the title set on it meanwhile.
        """
        target = Path(path)
        if target.suffix.lower() == ".svg":
            item = self.plot.getPlotItem()
            item.setTitle(self.title.text())
            try:
                return export_plot(self.plot, target)
            finally:
                item.setTitle(None)
        if target.suffix.lower() != ".png":
            raise ValueError(f"{target.name}: export to .png or .svg")
        self.export_button.setVisible(False)
        layout = self.layout()
        if layout is not None:
            layout.activate()
        try:
            size = self.size()
            scale = width_px / max(1, size.width())
            image = QImage(width_px, max(1, round(size.height() * scale)), QImage.Format.Format_ARGB32)
            image.fill(self.palette().color(QPalette.ColorRole.Window))
            painter = QPainter(image)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
            painter.scale(scale, scale)
            self.render(painter, QPoint(0, 0))
            painter.end()
        finally:
            self.export_button.setVisible(True)
        fd, tmp = tempfile.mkstemp(suffix=".png", dir=target.parent)
        os.close(fd)
        try:
            if not image.save(tmp):  # format from the .png suffix
                raise OSError(f"could not write {target}")
            os.replace(tmp, target)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        return target

    def empty_message(self, text: str) -> pg.TextItem:
        item = pg.TextItem(text, anchor=(0.5, 0.5), color=self.palette().color(QPalette.ColorRole.Text))
        item.setZValue(100)
        return item


def pen(c: QColor | str, width: float = 2.0, style: Qt.PenStyle = Qt.PenStyle.SolidLine) -> object:
    return pg.mkPen(c, width=width, style=style)
