"""Display fixes (issue 4): unmoved tornado rows are marked, the no-break-even label stays inside the cost
plot, and the model table shows the parameter counts right after the name."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt

from advisor.app.store import MemoryStore
from advisor.engine.types import SensitivityBar
from ui.models.record_table import RecordTableModel
from ui.pages.scenario_page import ScenarioPage
from ui.plots.cost_plot import CostPlot
from ui.plots.tornado_plot import TornadoPlot


def test_tornado_marks_rows_that_do_not_move_break_even(qtbot) -> None:  # type: ignore[no-untyped-def]
    plot = TornadoPlot()
    qtbot.addWidget(plot)
    bars = [
        SensitivityBar("Electricity tariff", "$0.07/kWh", "$0.29/kWh", 14.0, 22.0),
        SensitivityBar("Residual value", "0 %", "40 %", 18.0, 18.0),  # both ends at the base month
        SensitivityBar("Useful life", "24 months", "60 months", 18.0, 18.02),  # within 0.05 month
    ]
    plot.display(bars, 18.0, 36)
    assert sorted(plot.no_effect) == ["Residual value", "Useful life"]
    xs, ys = plot.no_effect_marks.getData()
    assert list(xs) == [18.0, 18.0]
    # rows sorted by swing, widest on top (highest y): the two unmoved rows are y 0 and 1
    assert sorted(ys) == [0.0, 1.0]
    shown = [lbl for lbl in plot.no_effect_labels if lbl.isVisible()]
    assert [lbl.toPlainText() for lbl in shown] == [TornadoPlot.NO_EFFECT] * 2
    assert [lbl.pos().y() for lbl in shown] == sorted(ys)

    # a redraw where every row moves hides the marks and the texts again
    plot.display(bars[:1], 18.0, 36)
    assert plot.no_effect == []
    assert len(plot.no_effect_marks.getData()[0]) == 0
    assert not any(lbl.isVisible() for lbl in plot.no_effect_labels)


def test_tornado_never_break_even_rows_are_labelled(qtbot) -> None:  # type: ignore[no-untyped-def]
    plot = TornadoPlot()
    qtbot.addWidget(plot)
    bars = [SensitivityBar("Residual value", "0 %", "40 %", None, None)]
    plot.display(bars, None, 36)  # never at base and at both ends: drawn at the "never" tick past month 36
    assert plot.no_effect == ["Residual value"]
    never_x = plot.base_line.value()
    assert never_x > 36
    assert (never_x, "never") in plot.plot.getPlotItem().getAxis("bottom")._tickLevels[0]
    label = plot.no_effect_labels[0]
    assert label.pos().x() < never_x  # text to the left of the "never" line, inside the view
    assert label.anchor.x() == 1.0


def test_tornado_draws_a_move_to_never_as_a_long_bar(qtbot) -> None:  # type: ignore[no-untyped-def]
    plot = TornadoPlot()
    qtbot.addWidget(plot)
    # break-even 35.4; half the demand: never; a longer life: month 59.7 (past the 36-month horizon)
    bars = [SensitivityBar("Demand", "x0.5", "x2", None, 20.0), SensitivityBar("Useful life", "24", "60", 30.0, 59.7)]
    plot.display(bars, 35.4, 36)
    xs = {b.assumption: (lo, hi) for b, lo, hi in zip(plot.bars, plot.low_bars.opts["x1"], plot.high_bars.opts["x1"],
                                                       strict=True)}
    never_x = max(36.0, 59.7) * 1.12
    assert xs["Demand"] == (never_x, 20.0)  # the bar reaches the "never" tick
    assert xs["Useful life"] == (30.0, 59.7)  # past the horizon, drawn where it is
    assert plot.no_effect == []


def test_no_break_even_label_is_inside_the_plot(qtbot, sample_store: MemoryStore) -> None:  # type: ignore[no-untyped-def]
    page = ScenarioPage(sample_store)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.recomputed, timeout=10000):
        assert page.open_scenario("Team coding assistant (70B)")
    rec = page.result.recommendation
    cand = next(c for c in rec.candidates if c.fits and c.cumulative_local_usd)
    long_name = "Very long workstation name with four accelerators (4x 96 GB) on an open frame"
    never = dataclasses.replace(cand, name=long_name, break_even_month=None)
    rec = dataclasses.replace(rec, candidates=(never,), recommended=never)

    plot = CostPlot()
    qtbot.addWidget(plot)
    plot.resize(480, 360)
    plot.show()
    qtbot.waitExposed(plot)
    plot.display(rec, f"{never.system_id}|{never.quant}")
    qtbot.wait(50)  # let the view range and the text layout settle
    text = plot.break_even_label.toPlainText()
    assert long_name in text and "no break-even within 36 months" in text
    view = plot.plot.getPlotItem().vb.sceneBoundingRect()
    label = plot.break_even_label.sceneBoundingRect()
    assert label.width() > 0
    assert view.left() <= label.left() and label.right() <= view.right()
    assert view.top() <= label.top() and label.bottom() <= view.bottom()


def test_model_table_shows_parameters_after_the_name() -> None:
    model = RecordTableModel("models")
    names = [c.name for c in model.columns]
    assert names[:6] == ["id", "name", "total_params_b", "active_params_b", "attention_kind", "num_layers"]
    assert names.index("source") > names.index("num_layers")
    header = model.headerData(2, Qt.Orientation.Horizontal)
    assert header == "total\n[B params]"
    # other kinds keep source and as_of right after the name
    assert [c.name for c in RecordTableModel("hardware").columns][:4] == ["id", "name", "source", "as_of"]
