"""Every plot exports to PNG and SVG (pyqtgraph's SVG exporter needs Qt < 6.11: TOOLCHAIN gotcha 1)."""

from __future__ import annotations

from PySide6.QtGui import QImage

from advisor.app.store import MemoryStore
from ui.pages.scenario_page import ScenarioPage
from ui.plots.base import export_plot


def test_each_scenario_plot_exports_png_and_svg(qtbot, sample_store: MemoryStore, tmp_path) -> None:  # type: ignore[no-untyped-def]
    page = ScenarioPage(sample_store)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.recomputed, timeout=10000):
        page.open_scenario("Team coding assistant (70B)")
    for panel in (page.cost_plot, page.memory_plot, page.throughput_plot, page.tornado_plot):
        png = export_plot(panel.plot, tmp_path / "p.png", width_px=800)
        image = QImage(str(png))
        assert image.width() == 800 and image.height() > 0
        svg = export_plot(panel.plot, tmp_path / "p.svg")
        text = svg.read_text(encoding="utf-8")
        assert "<svg" in text and "</svg>" in text
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("tmp")]
