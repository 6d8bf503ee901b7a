"""Page 1: title, scenario, date, currency, the verdict, the top-3 + API summary table and the cost chart."""

from __future__ import annotations

import datetime as dt

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from advisor.engine.types import CandidateResult, Recommendation
from advisor.report import formatting as fmt
from advisor.report.charts import cumulative_cost_chart
from advisor.report.formatting import candidate_label
from advisor.report.inputs import ScenarioLike
from advisor.report.styles import (
    ACCENT,
    CONTENT_WIDTH,
    SMALL,
    SUBTITLE,
    TITLE,
    VERDICT,
    data_table,
    para,
    table_style,
)

VERDICT_WORDS = {"buy": "BUY", "api": "STAY ON THE API", "hybrid": "HYBRID"}
TITLE_TEXT = "Buying recommendation"
SUBJECT_TEXT = "Local LLM inference hardware or a paid API"


def viable(recommendation: Recommendation) -> list[CandidateResult]:
    """Candidates that fit and meet the SLA, in the engine's ranking order."""
    return [c for c in recommendation.candidates if c.fits and c.meets_sla]


def best_per_system(candidates: list[CandidateResult]) -> list[CandidateResult]:
    """The first (best-ranked) row of each system: the engine lists one row per system x quant."""
    seen: set[str] = set()
    out = []
    for candidate in candidates:
        if candidate.system_id not in seen:
            seen.add(candidate.system_id)
            out.append(candidate)
    return out


def top_candidates(recommendation: Recommendation, count: int = 3) -> list[CandidateResult]:
    """The recommended candidate first (if any), then the best viable option of other systems: at most `count`
    rows, one per system, so the page-1 table compares different purchases rather than quants of one."""
    ranked = viable(recommendation)
    if recommendation.recommended is not None:
        chosen = recommendation.recommended
        ranked = [chosen] + [c for c in ranked if c is not chosen and c != chosen]
    return best_per_system(ranked)[:count]


def api_cost_per_mtok(recommendation: Recommendation, scenario: ScenarioLike) -> float | None:
    """Blended API price at month 0 [USD per million tokens, input + output]."""
    mtok = (scenario.workload.tokens_in_per_month + scenario.workload.tokens_out_per_month) / 1e6
    return recommendation.monthly_api_usd / mtok if mtok > 0 else None


def summary_rows(recommendation: Recommendation, scenario: ScenarioLike) -> list[list[object]]:
    """Rows of the page-1 table: top candidates then the API line (all money in USD)."""
    horizon = recommendation.horizon_months
    rows: list[list[object]] = []
    for candidate in top_candidates(recommendation):
        rows.append(
            [
                candidate_label(candidate),
                fmt.usd(candidate.capex_usd),
                fmt.usd(candidate.monthly_opex_usd + candidate.monthly_api_usd),
                fmt.break_even(candidate.break_even_month, horizon),
                fmt.usd(candidate.horizon_cost_local_usd),
                fmt.usd(candidate.cost_per_mtok_local_usd, 2),
            ]
        )
    api_horizon = recommendation.cumulative_api_usd[-1] if recommendation.cumulative_api_usd else None
    rows.append(
        [
            f"API only: {recommendation.api_offer}",
            fmt.usd(0),
            fmt.usd(recommendation.monthly_api_usd),
            "(reference)",
            fmt.usd(api_horizon),
            fmt.usd(api_cost_per_mtok(recommendation, scenario), 2),
        ]
    )
    return rows


def page_one(recommendation: Recommendation, scenario: ScenarioLike, generated: dt.date) -> list[Flowable]:
    """Flowables of page 1 (they fit on one A4 page for up to 3 candidates)."""
    horizon = recommendation.horizon_months
    story: list[Flowable] = [
        para(TITLE_TEXT, TITLE),
        para(SUBJECT_TEXT, SMALL),
        Spacer(1, 3 * mm),
        para(scenario.name, SUBTITLE),
    ]
    if scenario.description:
        story.append(para(scenario.description, SMALL))
    facts = (
        f"Date: {generated.isoformat()}   ·   Currency: US dollars (USD), excl. tax unless stated   ·   "
        f"Horizon: {horizon} months   ·   API compared: {recommendation.api_offer}"
    )
    story += [Spacer(1, 2 * mm), para(facts, SMALL), Spacer(1, 4 * mm)]

    verdict_word = VERDICT_WORDS.get(recommendation.verdict, recommendation.verdict.upper())
    box = Table(
        [[para(f"Verdict: {verdict_word}", VERDICT)], [para(recommendation.sentence, VERDICT)]],
        colWidths=[CONTENT_WIDTH],
    )
    box.setStyle(
        table_style(
            [
                ("BOX", (0, 0), (-1, -1), 1.2, ACCENT),
                ("BACKGROUND", (0, 0), (-1, -1), "#f2f6fb"),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    story.append(box)
    chosen = recommendation.recommended
    if chosen is not None:
        low, high = chosen.break_even_band
        discount = scenario.finance.discount_rate_per_year
        # the same rounding as the verdict sentence: whole percents unless the rate has a fraction
        rate = fmt.percent(discount, 0 if round(discount * 100, 6).is_integer() else 1)
        story += [
            Spacer(1, 2 * mm),
            para(
                f"Key figures for {candidate_label(chosen)}: capex {fmt.usd(chosen.capex_usd)}; break-even "
                f"{fmt.break_even(chosen.break_even_month, horizon)} (throughput band: {fmt.months(low)} to "
                f"{fmt.months(high)}); net present value of the saving over {horizon} months at {rate} a year: "
                f"{fmt.usd(chosen.npv_saving_usd)}.",
                SMALL,
            ),
        ]
    story.append(Spacer(1, 4 * mm))

    header = ["Option", "Capex", "Monthly cost", "Break-even", f"{horizon}-month cost", "USD / Mtok"]
    widths = [w * CONTENT_WIDTH for w in (0.34, 0.11, 0.12, 0.16, 0.15, 0.12)]
    rows = summary_rows(recommendation, scenario)
    emphasize = [0] if recommendation.recommended is not None else []
    story.append(data_table(header, rows, widths, right_cols=(1, 2, 4, 5), emphasize_rows=emphasize))
    if not viable(recommendation):
        story.append(
            para(
                "No candidate both fits the model in memory and meets the SLA; see Candidate details.", SMALL
            )
        )
    story.append(
        para(
            "Monthly cost: energy, maintenance and hosting at month-0 demand, plus API overflow where a hybrid "
            "setup needs it. Cost over the horizon: capex + running costs - resale value at the end. USD/Mtok: "
            "per million tokens (input + output) served.",
            SMALL,
        )
    )
    story.append(Spacer(1, 4 * mm))

    chart = cumulative_cost_chart(
        recommendation.cumulative_api_usd,
        top_candidates(recommendation),
        recommendation.recommended,
        width=CONTENT_WIDTH,
        height=220,
    )
    caption = (
        "Cumulative cost [USD] by month: API only (dashed) against buying. The shaded band is the "
        "recommended option's cost range over the throughput model's p10-p90 band."
    )
    story.append(KeepTogether([para("Cumulative cost", SUBTITLE), chart, para(caption, SMALL)]))
    return story
