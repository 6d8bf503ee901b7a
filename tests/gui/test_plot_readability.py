"""Plots a user can read (issue 14 item 8): the hover readout is dark-on-light and inside the plot, the
crosshair goes when the mouse leaves, memory labels keep the quant, exported PNGs carry the title and the
key, and the first frame has no negative throughput axis."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QColor, QImage, QMouseEvent
from PySide6.QtWidgets import QApplication

from advisor.app.store import MemoryStore
from ui.pages.scenario_page import ScenarioPage
from ui.plots.base import API_COLOUR
from ui.plots.throughput_plot import ThroughputPlot


def _page(qtbot, store: MemoryStore) -> ScenarioPage:  # type: ignore[no-untyped-def]
    page = ScenarioPage(store)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.recomputed, timeout=10000):
        assert page.open_scenario("Team coding assistant (70B)")
    page.resize(1200, 800)
    page.show()
    qtbot.waitExposed(page)
    return page


def _move_mouse(widget, x: float, y: float) -> None:  # type: ignore[no-untyped-def]
    pos = QPointF(x, y)
    event = QMouseEvent(
        QEvent.Type.MouseMove,
        pos,
        QPointF(widget.mapToGlobal(pos.toPoint())),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(widget, event)


def test_hover_readout_is_readable_and_inside_the_plot(qtbot, sample_store: MemoryStore) -> None:
    page = _page(qtbot, sample_store)
    plot = page.cost_plot
    vb = plot.plot.getPlotItem().vb
    months = len(plot._series[0][1]) - 1
    for month in (0.0, months / 2, float(months)):  # left edge, middle, right edge
        text = plot.hover_at(month)
        assert text.startswith("month ")
        label = plot.hover_label
        assert label.isVisible()
        rect = label.sceneBoundingRect()
        area = vb.sceneBoundingRect()
        assert area.left() <= rect.left() and rect.right() <= area.right(), (month, rect, area)
    fg = QColor(plot.hover_label.color)
    bg = plot.hover_label.fill.color()
    assert bg.alpha() >= 200  # nearly opaque: lines behind it do not show through the text
    assert abs(fg.lightness() - bg.lightness()) >= 128  # dark text on light (or light on dark)


def test_crosshair_follows_the_mouse_and_leaves_with_it(qtbot, sample_store: MemoryStore) -> None:
    page = _page(qtbot, sample_store)
    plot = page.cost_plot
    viewport = plot.plot.viewport()
    area = plot.plot.getPlotItem().vb.sceneBoundingRect()
    centre = plot.plot.mapFromScene(area.center())
    _move_mouse(viewport, centre.x(), centre.y())
    assert plot.crosshair.isVisible()
    assert plot.hover_label.toPlainText().startswith("month ")
    QApplication.sendEvent(viewport, QEvent(QEvent.Type.Leave))
    assert not plot.crosshair.isVisible()
    assert not plot.hover_label.isVisible()


def test_memory_labels_keep_the_quant(qtbot, sample_store: MemoryStore) -> None:
    page = _page(qtbot, sample_store)
    ticks = page.memory_plot.plot.getPlotItem().getAxis("left")._tickLevels[0]
    names = [f"{n}" for n, _ in page.memory_plot.rows]
    assert ticks and len(ticks) == len(names)
    for (_, label), name in zip(ticks, sorted(names, key=names.index), strict=True):
        quant = name.rsplit(" ", 1)[1]
        assert label.endswith(quant), (label, name)
    assert any("…" in label for _, label in ticks)  # the long names were cut, in the middle


def test_exported_png_has_title_axes_and_key(qtbot, sample_store: MemoryStore, tmp_path) -> None:  # type: ignore[no-untyped-def]
    page = _page(qtbot, sample_store)
    panel = page.cost_plot
    png = panel.export(tmp_path / "cost.png", width_px=1200)
    image = QImage(str(png)).convertToFormat(QImage.Format.Format_RGB32)
    assert image.width() == 1200
    scale = 1200 / panel.width()
    # the plot sits between the title (above) and the key (below): both are in the file
    plot_top = round(panel.plot.geometry().top() * scale)
    plot_bottom = round(panel.plot.geometry().bottom() * scale)
    assert plot_top > 10 and plot_bottom < image.height() - 10
    pixels = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(image.height(), image.width(), 4)
    rgb = pixels[:, :, 2::-1].astype(int)  # BGRA -> RGB
    title = rgb[:plot_top]
    assert (title.sum(axis=2) < 200).sum() > 100  # dark title text above the plot
    key = rgb[plot_bottom:]
    api = QColor(API_COLOUR)
    near_api = (np.abs(key - np.array([api.red(), api.green(), api.blue()])).sum(axis=2) < 40).sum()
    assert near_api > 20  # the API's dashed mark in the key under the plot
    assert not panel.export_button.isHidden()  # the button is back after the export
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("tmp")]


def test_first_frame_has_no_negative_throughput_axis(qtbot) -> None:  # type: ignore[no-untyped-def]
    plot = ThroughputPlot()
    qtbot.addWidget(plot)
    plot.resize(500, 300)
    plot.show()
    qtbot.waitExposed(plot)
    item = plot.plot.getPlotItem()
    (x0, x1), (y0, y1) = item.vb.viewRange()
    assert y0 >= 0 and y1 > y0
    assert 10**x0 >= 500 and 10**x1 <= 140_000  # context axis 512..128K tokens
    assert item.getAxis("right").range[0] >= 0  # prefill axis
