"""Page 2, the comparison: every option (each viable purchase, each API offer, renting when the engine gives it)
on the same footing (horizon averages), and the cumulative cost chart."""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Flowable, KeepTogether, Spacer

from advisor.engine.types import Recommendation
from advisor.report import figures
from advisor.report import formatting as fmt
from advisor.report.charts import cumulative_cost_chart
from advisor.report.formatting import candidate_label
from advisor.report.inputs import ScenarioLike
from advisor.report.styles import CONTENT_WIDTH, H1, SMALL, data_table, heading, para
from advisor.report.summary import top_candidates


def _later_purchases(candidate: Any) -> str:
    later = figures.purchase_schedule(candidate)[1:]
    return "" if not later else f" + {fmt.usd(sum(p.usd for p in later))} later"


def _extra_rows(recommendation: Recommendation, attribute: str, kind: str, mtok: float) -> list[list[object]]:
    """Rows for the other options the engine lists (`offers`, `rent_options`): objects with a name and, where known,
    monthly_usd, horizon_cost_usd (and capex_usd). Missing figures print 'n/a'."""
    horizon = recommendation.horizon_months
    rows: list[list[object]] = []
    for option in getattr(recommendation, attribute, None) or ():
        total = getattr(option, "horizon_cost_usd", None)
        capex = getattr(option, "capex_usd", 0.0) or 0.0
        rows.append(
            [
                f"{kind}: {getattr(option, 'name', option)}"
                + (f" ({tier})" if (tier := str(getattr(option, "tier", "") or "")) and kind == "Rent" else ""),
                fmt.usd(capex),
                fmt.usd(None if total is None else total / max(horizon, 1)),
                fmt.usd(total),
                "-",
                "-",
                fmt.usd(None if total is None or mtok <= 0 else total / mtok, 2),
            ]
        )
    return rows


def comparison_rows(recommendation: Recommendation, scenario: ScenarioLike) -> list[list[object]]:
    """Every viable purchase (best quant per system), then the API offers and rent options."""
    horizon = recommendation.horizon_months
    mtok = figures.tokens_over_horizon(scenario.workload, horizon) / 1e6
    rows: list[list[object]] = []
    for c in top_candidates(recommendation, None):
        rows.append(
            [
                candidate_label(c),
                fmt.usd(c.capex_usd) + _later_purchases(c),
                fmt.usd(c.horizon_cost_local_usd / max(horizon, 1)),
                fmt.usd(c.horizon_cost_local_usd),
                fmt.break_even(c.break_even_month, horizon),
                fmt.usd(c.npv_saving_usd),
                fmt.usd(c.cost_per_mtok_local_usd, 2),
            ]
        )
    offers = _extra_rows(recommendation, "offers", "API", mtok)
    if offers:
        rows += offers
    else:
        api_total = recommendation.cumulative_api_usd[-1] if recommendation.cumulative_api_usd else None
        rows.append(
            [
                f"API only: {recommendation.api_offer}",
                fmt.usd(0),
                fmt.usd(None if api_total is None else api_total / max(horizon, 1)),
                fmt.usd(api_total),
                "(reference)",
                fmt.usd(0),
                fmt.usd(figures.api_cost_per_mtok_average(recommendation, scenario.workload), 2),
            ]
        )
    rows += _extra_rows(recommendation, "rent_options", "Rent", mtok)
    return rows


def page_two(recommendation: Recommendation, scenario: ScenarioLike) -> list[Flowable]:
    horizon = recommendation.horizon_months
    header = [
        "Option",
        "Capex",
        "Cost / month, all in",
        f"{horizon}-month cost",
        "Break-even",
        "NPV of saving",
        "USD / Mtok",
    ]
    widths = [w * CONTENT_WIDTH for w in (0.31, 0.14, 0.11, 0.11, 0.13, 0.10, 0.10)]
    rows = comparison_rows(recommendation, scenario)
    emphasize = [0] if recommendation.recommended is not None else []
    missing = [
        what
        for what, attribute in (("every API offer", "offers"), ("renting", "rent_options"))
        if not getattr(recommendation, attribute, None)
    ]
    story: list[Flowable] = [
        *heading("Comparison of the options", H1),
        data_table(header, rows, widths, right_cols=(1, 2, 3, 5, 6), emphasize_rows=emphasize),
        para(
            f"{horizon}-month figures on the same footing. Cost / month, all in: the {horizon}-month cost (capex, "
            "later purchases, energy, maintenance, hosting, API overflow, less the resale value credited at the "
            f"end) / {horizon} months. "
            "USD / Mtok: horizon cost / every token (input + output) served over the horizon, for the API as for "
            "the rigs. NPV of saving: API cost minus the option's, discounted. Capex: month 0; '+ later': units "
            "bought as demand grows."
            + (
                f" Not compared: {' and '.join(missing)} (not part of this recommendation)."
                if missing
                else ""
            ),
            SMALL,
        ),
        Spacer(1, 6),
    ]
    chart = cumulative_cost_chart(
        recommendation.cumulative_api_usd,
        top_candidates(recommendation),
        recommendation.recommended,
        width=CONTENT_WIDTH,
        height=145,
    )
    caption = (
        "Cumulative cost [USD] by month: API only (dashed) against buying. A step up is a unit bought as "
        "demand grows; the drop in the last month is the resale value credited; a hybrid's API overflow is "
        "inside its line. The shaded band is the recommended option's range over the throughput p10-p90 band."
    )
    story.append(KeepTogether([chart, para(caption, SMALL)]))
    return story
