"""The Scenarios page recomputes live: an edit changes the API curve, the break-even label and the plots."""

from __future__ import annotations

import pytest

from advisor.app.store import MemoryStore
from ui.pages.scenario_page import ScenarioPage

TEAM = "Team coding assistant (70B)"


def _open(qtbot, store: MemoryStore) -> ScenarioPage:  # type: ignore[no-untyped-def]
    page = ScenarioPage(store)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.recomputed, timeout=10000):
        assert page.open_scenario(TEAM)
    return page


def test_edit_output_tokens_changes_api_curve_and_break_even(qtbot, sample_store: MemoryStore) -> None:
    page = _open(qtbot, sample_store)
    api_y = page.cost_plot.api_curve.yData
    # Together 0.88 $/Mtok in (hit and miss alike) and out: 600 M in + 60 M out = 580.80 USD in month 1
    assert api_y[1] == pytest.approx(580.8, rel=1e-9)
    assert len(api_y) == 37  # months 0..36 (useful life)
    label_before = page.cost_plot.break_even_label.toPlainText()
    local_before = list(page.cost_plot.local_curves[0].yData)
    assert label_before  # either "break-even N months" or "no break-even within 36 months"

    box = page.inputs.workload_form.widgets["tokens_out_per_month"]
    with qtbot.waitSignal(page.recomputed, timeout=10000):
        box.setValue(600.0)  # M tokens/month: 10x the output
    assert page.state.workload.tokens_out_per_month == pytest.approx(600e6)
    api_after = page.cost_plot.api_curve.yData
    assert api_after[1] == pytest.approx((600 + 600) * 0.88, rel=1e-9)  # 1056.00 USD
    assert page.cost_plot.break_even_label.toPlainText() != label_before
    assert list(page.cost_plot.local_curves[0].yData) != local_before
    assert "break-even" in page.cost_plot.break_even_label.toPlainText()


def test_candidates_table_and_focus(qtbot, sample_store: MemoryStore) -> None:
    page = _open(qtbot, sample_store)
    rec = page.result.recommendation
    assert page.table_model.rowCount() == len(rec.candidates)
    # click another fitting candidate: it becomes the focus of the band and the throughput plot
    target = next(c for c in rec.candidates if c.fits and f"{c.system_id}|{c.quant}" != page.focus_id)
    row = next(
        r
        for r in range(page.proxy.rowCount())
        if page.proxy.data(page.proxy.index(r, 0)) == target.name
        and page.proxy.data(page.proxy.index(r, 1)) == target.quant
    )
    with qtbot.waitSignal(page.recomputed, timeout=10000):
        page._focus_row(page.proxy.index(row, 0))
    assert page.focus_id == f"{target.system_id}|{target.quant}"
    assert page.result.focus_id == page.focus_id
    assert target.name in page.throughput_plot.title.text()


def test_hover_crosshair_shows_values(qtbot, sample_store: MemoryStore) -> None:
    page = _open(qtbot, sample_store)
    text = page.cost_plot.hover_at(12.2)
    assert text.startswith("month 12")
    assert "$" in text and "API" in text


def test_bad_scenario_input_shows_reason_not_traceback(qtbot, sample_store: MemoryStore) -> None:
    page = _open(qtbot, sample_store)
    with qtbot.waitSignal(page.recomputer.error, timeout=10000):
        page.state.set_candidates(())
    assert "candidates" in page.verdict.text()
    assert "Traceback" not in page.verdict.text()


def test_throughput_plot_uses_the_tables_concurrency(qtbot, sample_store: MemoryStore) -> None:
    # Team scenario: 4 users at peak spread over the units -> ceil(4 / units) sequences per unit, as the
    # recommender loads them (1 unit with the prefix cache, 2 without). The plot's per-user decode must agree
    # with the table (4,400-token context lies between 2K and 8K), whereas a batch-1 curve would overstate it.
    import math
    from dataclasses import replace

    from advisor.app import estimates, scenarios

    page = _open(qtbot, sample_store)
    result = page.result
    cand = scenarios.find_candidate(result.recommendation, result.focus_id)
    users = math.ceil(4 / cand.units)
    assert result.curve_batch == users > 1
    per_user = dict(zip(result.contexts, (e.tg_tok_s_per_user for e in result.curve), strict=True))
    assert per_user[8192] <= cand.estimate.tg_tok_s_per_user <= per_user[2048]
    solo = estimates.context_curve(replace(cand.setup, batch=1), (4096,))
    assert solo[0].tg_tok_s_per_user > per_user[2048]
    assert f"Throughput vs context, {users} users</b>" in page.throughput_plot.title.text()
    assert page.throughput_plot.users == users


def test_local_prefix_cache_choice_reaches_the_engine(qtbot, db_store) -> None:  # type: ignore[no-untyped-def]
    page = ScenarioPage(db_store)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.recomputed, timeout=20000):
        assert page.open_scenario("8-seat team assistant")  # 50 % of the input are cache hits
    combo = page.inputs.prefix_cache_combo
    assert combo.currentData() == "reuse" == page.state.workload.local_prefix_cache
    reuse_costs = {c.name + c.quant: c.horizon_cost_local_usd for c in page.result.recommendation.candidates
                   if c.fits}
    with qtbot.waitSignal(page.recomputed, timeout=20000):
        combo.setCurrentIndex(combo.findData("none"))
    assert page.state.workload.local_prefix_cache == "none"
    none_costs = {c.name + c.quant: c.horizon_cost_local_usd for c in page.result.recommendation.candidates
                  if c.fits}
    shared = reuse_costs.keys() & none_costs.keys()
    assert shared
    # prefilling every input token again costs energy (and units) on every rig, never less
    assert all(none_costs[k] >= reuse_costs[k] - 1e-6 for k in shared)
    assert any(none_costs[k] > reuse_costs[k] + 1.0 for k in shared)
    page.state.undo()
    assert combo.currentData() == "reuse"


def test_resale_model_choice_reaches_the_engine(qtbot, db_store) -> None:  # type: ignore[no-untyped-def]
    page = ScenarioPage(db_store)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.recomputed, timeout=20000):
        assert page.open_scenario("8-seat team assistant")
    combo = page.inputs.resale_combo
    assert combo.currentData() == "device_class"
    assert any(n.startswith("Resale: used-market depreciation") for n in page.result.recommendation.notes)
    curve = {c.name + c.quant: c.horizon_cost_local_usd for c in page.result.recommendation.candidates if c.fits}
    with qtbot.waitSignal(page.recomputed, timeout=20000):
        combo.setCurrentIndex(combo.findData("flat"))
    assert page.state.finance.resale_model == "flat"
    assert any(n.startswith("Resale: flat, 20%") for n in page.result.recommendation.notes)
    flat = {c.name + c.quant: c.horizon_cost_local_usd for c in page.result.recommendation.candidates if c.fits}
    shared = curve.keys() & flat.keys()
    # the curve keeps ~62-72 % after 3 years, the flat rule 20 %: every rig costs more over the horizon flat
    assert shared and all(flat[k] > curve[k] for k in shared)
