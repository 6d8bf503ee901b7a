"""One colour per series: on the cost plot the API line and every candidate line differ (issue 14, item 6)."""

from __future__ import annotations

from ui.pages.scenario_page import ScenarioPage
from ui.plots.base import API_COLOUR, SERIES
from ui.plots.cost_plot import MAX_LINES


def test_palette_keeps_the_api_colour_for_the_api() -> None:
    assert API_COLOUR.lower() not in [c.lower() for c in SERIES]
    assert len({c.lower() for c in SERIES}) == len(SERIES)


def test_cost_plot_lines_have_distinct_colours(qtbot, db_store) -> None:  # type: ignore[no-untyped-def]
    page = ScenarioPage(db_store)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.recomputed, timeout=20000):
        assert page.open_scenario("24/7 batch summarisation")
    plot = page.cost_plot
    drawn = [c for c in plot.local_curves if c.isVisible()]
    assert len(drawn) == MAX_LINES  # the seeded catalog fills every line, so the 6th candidate is drawn
    colours = [plot.api_curve.opts["pen"].color().name()] + [c.opts["pen"].color().name() for c in drawn]
    assert colours[0] == API_COLOUR.lower()
    assert len(set(colours)) == len(colours), colours
    # the key under the plot shows the same, distinct colours
    key = plot.key.text()
    for name in colours:
        assert f"color:{name}" in key.lower()
