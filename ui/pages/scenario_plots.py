"""The Scenarios page's four plots in their grid: cumulative cost and break-even swing above, memory and
throughput below. A widget of its own so the page can build it (and import pyqtgraph) after the window
is on screen."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from ui.plots.cost_plot import CostPlot
from ui.plots.memory_plot import MemoryPlot
from ui.plots.throughput_plot import ThroughputPlot
from ui.plots.tornado_plot import TornadoPlot


class ScenarioPlots(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cost = CostPlot()
        self.memory = MemoryPlot()
        self.throughput = ThroughputPlot()
        self.tornado = TornadoPlot()
        grid = QVBoxLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        upper, lower = QHBoxLayout(), QHBoxLayout()
        upper.addWidget(self.cost, 3)
        upper.addWidget(self.tornado, 2)
        lower.addWidget(self.memory, 1)
        lower.addWidget(self.throughput, 1)
        grid.addLayout(upper, 3)
        grid.addLayout(lower, 2)
