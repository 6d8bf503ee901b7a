"""Page 1, the decision: verdict, the option, capex with its purchase schedule, monthly cost, break-even (month and
calendar month), NPV, the main risk and switching values, memory headroom and the price status."""

from __future__ import annotations

import datetime as dt

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table

from advisor.engine.types import CandidateResult, Recommendation
from advisor.report import figures
from advisor.report import formatting as fmt
from advisor.report.fonts import fit_width, missing_note
from advisor.report.formatting import candidate_label
from advisor.report.inputs import ScenarioLike
from advisor.report.styles import (
    ACCENT,
    CELL,
    CELL_HEAD,
    CONTENT_WIDTH,
    RULE,
    SMALL,
    SUBTITLE,
    TITLE,
    VERDICT,
    para,
    table_style,
)

VERDICT_WORDS = {"buy": "BUY", "api": "STAY ON THE API", "hybrid": "HYBRID"}
TITLE_TEXT = "Buying recommendation"
SUBJECT_TEXT = "Local LLM inference hardware or a paid API"
HEADROOM_TIGHT = 0.10  # below 10 % free memory a longer context or a bigger batch may no longer fit


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


def top_candidates(recommendation: Recommendation, count: int | None = 3) -> list[CandidateResult]:
    """The recommended candidate first (if any), then the best viable option of other systems: at most `count`
    rows (None: all), one per system, so tables compare different purchases rather than quants of one."""
    ranked = viable(recommendation)
    if recommendation.recommended is not None:
        chosen = recommendation.recommended
        ranked = [chosen] + [c for c in ranked if c is not chosen and c != chosen]
    options = best_per_system(ranked)
    return options if count is None else options[:count]


def subject(recommendation: Recommendation) -> CandidateResult | None:
    """The option page 1 describes: the recommended one, else the best viable purchase (not recommended)."""
    options = top_candidates(recommendation, 1)
    return options[0] if options else None


def _schedule_text(candidate: CandidateResult) -> str:
    schedule = figures.purchase_schedule(candidate)
    first = f"{fmt.usd(candidate.capex_usd)} in month 0 ({candidate.units} unit{'s' if candidate.units != 1 else ''})"
    later = schedule[1:]
    if not later:
        return first + "; no later purchase within the horizon"
    parts = [f"{p.units} more in month {p.month} ({fmt.usd(p.usd)})" for p in later]
    total = sum(p.usd for p in schedule)
    return f"{first}, then {', '.join(parts)}: {fmt.usd(total)} in all"


def _headroom_text(candidate: CandidateResult) -> str:
    free_gb, share = figures.memory_headroom(candidate)
    text = (
        f"{fmt.number(free_gb)} GB free of {fmt.number(candidate.estimate.usable_gb)} GB usable "
        f"({fmt.percent(share, 1)})"
    )
    if share < HEADROOM_TIGHT:
        text += ": tight, a longer context or more concurrent users may not fit"
    return text


def decision_rows(
    recommendation: Recommendation, scenario: ScenarioLike, generated: dt.date
) -> list[tuple[str, str]]:
    """(item, value) rows of the page-1 decision table; money in USD, as `recommend --json` rounds it."""
    horizon = recommendation.horizon_months
    option = subject(recommendation)
    recommended = recommendation.recommended is not None
    api_month = fmt.usd(recommendation.monthly_api_usd)
    rows: list[tuple[str, str]] = []
    if option is None:
        rows.append(
            ("Recommended option", f"API: {recommendation.api_offer}; no purchase fits and meets the SLA")
        )
        rows.append(("Capex", "$0"))
        rows.append(("Monthly cost", f"{api_month} a month on the API (month 1)"))
    else:
        label = candidate_label(option)
        if recommended:
            rows.append(("Recommended option", label))
        else:
            rows.append(("Recommended option", f"API: {recommendation.api_offer}"))
            rows.append(("Best purchase (not recommended)", label))
        rows.append(("Capex and purchase schedule", _schedule_text(option)))
        running = option.monthly_opex_usd + option.monthly_api_usd
        overflow = (
            f", of which {fmt.usd(option.monthly_api_usd)} API overflow" if option.monthly_api_usd > 0 else ""
        )
        rows.append(
            ("Monthly cost (month 1)", f"{fmt.usd(running)} to run{overflow}; {api_month} all on the API")
        )
        if figures.finite(option.break_even_month):
            be = float(option.break_even_month)  # type: ignore[arg-type]
            low, high = option.break_even_band
            rows.append(
                (
                    "Break-even",
                    f"month {fmt.months(be)} ({figures.calendar_month(generated, be)}); throughput band: "
                    f"{fmt.months(low)} to {fmt.months(high)}",
                )
            )
        else:
            rows.append(("Break-even", f"not within {horizon} months"))
        discount = scenario.finance.discount_rate_per_year
        rate = fmt.percent(discount, 0 if round(discount * 100, 6).is_integer() else 1)
        rows.append(
            (
                "Net present value of the saving",
                f"{fmt.usd(option.npv_saving_usd)} at {rate} a year; {horizon}-month cost "
                f"{fmt.usd(option.horizon_cost_local_usd)} against {fmt.usd(option.horizon_cost_api_usd)} "
                "all on the API",
            )
        )
    rows.append(("Main risk", figures.main_risk(recommendation)))
    switching = figures.switching_values(recommendation)
    rows.append(
        ("Switching values", " ".join(switching[:3]) if switching else "none within the tested ranges")
    )
    if option is not None:
        rows.append(("Memory headroom", _headroom_text(option)))
        status = figures.overall_price_status(option.prices)
        dates = sorted({p.observed_at for p in option.prices if p.observed_at})
        when = (
            f", observed {dates[0]}" + (f" to {dates[-1]}" if len(dates) > 1 else "")
            if dates
            else ", undated"
        )
        meaning = {
            "estimate": "public list or market prices, not a quote or invoice",
            "quote": "a vendor quote",
            "invoice": "invoiced prices",
        }.get(status, status)
        rows.append(("Price status", f"{status.upper()}: {meaning}{when}"))
    return rows


def _verdict_box(recommendation: Recommendation) -> Table:
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
    return box


def page_one(recommendation: Recommendation, scenario: ScenarioLike, generated: dt.date) -> list[Flowable]:
    """Flowables of page 1 (the decision). User text is capped by measured width so page 1 stays one page."""
    horizon = recommendation.horizon_months
    name = fit_width(scenario.name, 1.7 * CONTENT_WIDTH, SUBTITLE.fontSize, bold=True)  # two lines at most
    story: list[Flowable] = [para(TITLE_TEXT, TITLE), para(SUBJECT_TEXT, SMALL), Spacer(1, 3 * mm)]
    story.append(para(name, SUBTITLE))
    if scenario.description:
        story.append(para(fit_width(scenario.description, 2.6 * CONTENT_WIDTH, SMALL.fontSize), SMALL))
    note = missing_note(scenario.name + scenario.description)
    if note:
        story.append(para(note, SMALL))
    facts = (
        f"Date: {generated.isoformat()}   ·   Currency: US dollars (USD), excl. tax unless stated   ·   "
        f"Horizon: {horizon} months   ·   API compared: {recommendation.api_offer}"
    )
    story += [Spacer(1, 2 * mm), para(facts, SMALL), Spacer(1, 4 * mm), _verdict_box(recommendation)]
    story.append(Spacer(1, 5 * mm))
    rows = decision_rows(recommendation, scenario, generated)
    table = Table(
        [[para(item, CELL_HEAD), para(value, CELL)] for item, value in rows],
        colWidths=[0.27 * CONTENT_WIDTH, 0.73 * CONTENT_WIDTH],
        hAlign="LEFT",
    )
    table.setStyle(
        table_style(
            [
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    story.append(table)
    story.append(Spacer(1, 3 * mm))
    story.append(
        para(
            "Page 2 compares every option on the same footing; the appendix holds the assumptions, every "
            "candidate, the sensitivity analysis, the sources with dates and the method.",
            SMALL,
        )
    )
    return story
