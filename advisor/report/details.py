"""Sections 2-3: workload and assumptions (every input with units) and candidate details."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer

from advisor.engine.types import Finance, Recommendation, Workload
from advisor.report import formatting as fmt
from advisor.report.charts import memory_chart, throughput_chart
from advisor.report.formatting import candidate_label
from advisor.report.inputs import ScenarioLike
from advisor.report.styles import CONTENT_WIDTH, H1, H2, SMALL, bullet, data_table, para
from advisor.report.summary import best_per_system

MAX_CHART_ROWS = 14  # more rows than this make the bar charts unreadable; the tables still list all


def _pct(value: object) -> str:
    return fmt.percent(float(value), 1) if isinstance(value, int | float) else str(value)


def _plain(value: object) -> str:
    if value is None:
        return "(not set)"
    if isinstance(value, float):
        return fmt.number(value, 4).rstrip("0").rstrip(".")
    return str(value)


# field -> (label, unit, formatter). Fields missing here still print, by name, so nothing is ever hidden.
Row = tuple[str, str, Callable[[object], str]]
WORKLOAD_LABELS: dict[str, Row] = {
    "model": ("Model", "", _plain),
    "quant": ("Weight format (quant)", "", _plain),
    "tokens_in_per_month": ("Input tokens per month", "tokens/month", lambda v: fmt.tokens(float(v))),  # type: ignore[arg-type]
    "tokens_out_per_month": ("Output tokens per month", "tokens/month", lambda v: fmt.tokens(float(v))),  # type: ignore[arg-type]
    "cache_hit_share": ("Input billed at cache-hit price", "% of input", _pct),
    "prompt_tokens": ("Average prompt", "tokens", _plain),
    "output_tokens": ("Average output", "tokens", _plain),
    "peak_concurrency": ("Peak concurrent requests", "sequences", _plain),
    "hours_per_day": ("Service hours", "h/day", _plain),
    "sla_tok_s_per_user": ("SLA: decode speed per user", "tokens/s", _plain),
    "sla_ttft_s": ("SLA: time to first token", "s", _plain),
    "growth_per_month": ("Demand growth", "% per month", _pct),
    "context_tokens": (
        "Context reserved per sequence",
        "tokens",
        lambda v: "prompt + output" if v is None else str(v),
    ),
}
FINANCE_LABELS: dict[str, Row] = {
    "tariff_usd_per_kwh": ("Electricity tariff", "USD/kWh", _plain),
    "pue": ("Power usage effectiveness (PUE)", "ratio", _plain),
    "useful_life_months": ("Useful life of hardware", "months", _plain),
    "residual_share": ("Resale value at end of life", "% of capex", _pct),
    "discount_rate_per_year": ("Discount rate (NPV)", "% per year", _pct),
    "api_price_change_per_year": ("Expected API price change", "% per year", _pct),
    "price_condition": ("Hardware condition priced", "new/used", _plain),
    "maintenance_usd_per_month": ("Maintenance", "USD/month", lambda v: fmt.usd(float(v))),  # type: ignore[arg-type]
    "hosting_usd_per_month": ("Hosting / colocation", "USD/month", lambda v: fmt.usd(float(v))),  # type: ignore[arg-type]
    "tax_rate": ("Sales tax on capex", "%", _pct),
    "overflow": ("When one unit is not enough", "", _plain),
    "horizon_months": ("Horizon", "months", lambda v: "useful life" if v is None else str(v)),
}


def _input_rows(values: Workload | Finance, labels: dict[str, Row]) -> list[list[object]]:
    rows: list[list[object]] = []
    for field in dataclasses.fields(values):
        value = getattr(values, field.name)
        label, unit, render = labels.get(field.name, (field.name, "", _plain))
        rows.append([label, render(value), unit, field.name])
    return rows


def assumptions(recommendation: Recommendation, scenario: ScenarioLike) -> list[Flowable]:
    """Every workload and finance input, with units and the field name it came from."""
    widths = [w * CONTENT_WIDTH for w in (0.40, 0.20, 0.16, 0.24)]
    header = ["Input", "Value", "Unit", "Field"]
    story: list[Flowable] = [
        para("Workload and assumptions", H1),
        para("Demand the hardware must serve (month 0; growth compounds monthly):", SMALL),
        data_table(header, _input_rows(scenario.workload, WORKLOAD_LABELS), widths, right_cols=(1,)),
        Spacer(1, 6),
        para("Money assumptions:", SMALL),
        data_table(header, _input_rows(scenario.finance, FINANCE_LABELS), widths, right_cols=(1,)),
    ]
    notes = list(recommendation.notes)
    if notes:
        story += [para("Notes from the engine", H2)] + [bullet(n) for n in notes]
    return story


def _band(low: float, high: float) -> str:
    return f"{fmt.number(low)}-{fmt.number(high)}"


def candidate_details(recommendation: Recommendation, scenario: ScenarioLike) -> list[Flowable]:
    """Memory fit, throughput with band, power and energy, and why rejected candidates were rejected."""
    candidates = list(recommendation.candidates)
    story: list[Flowable] = [CondPageBreak(120), para("Candidate details", H1)]
    if not candidates:
        return story + [para("The scenario lists no candidate systems.")]
    # Charts show each system's best-ranked option (the tables list every system x quant).
    chart_rows = best_per_system(candidates)[:MAX_CHART_ROWS]
    mem_rows = []
    for c in candidates:
        e = c.estimate
        mem_rows.append(
            [
                candidate_label(c),
                fmt.number(e.weights_gb),
                fmt.number(e.kv_gb),
                fmt.number(e.overhead_gb),
                fmt.number(e.total_gb),
                fmt.number(e.usable_gb),
                fmt.number(e.host_gb) if e.host_gb > 0 else "-",
                "yes" if c.fits else "NO",
                f"{e.max_context_tokens:,}",
            ]
        )
    widths = [w * CONTENT_WIDTH for w in (0.25, 0.09, 0.07, 0.11, 0.09, 0.09, 0.09, 0.06, 0.15)]
    story += [
        para("Memory fit [GB]", H2),
        data_table(
            [
                "Candidate",
                "Weights",
                "KV",
                "Overhead",
                "On devices",
                "Usable",
                "Host RAM",
                "Fits",
                "Max context",
            ],
            mem_rows,
            widths,
            right_cols=(1, 2, 3, 4, 5, 6, 8),
        ),
        # without this, expert offload reads as "total smaller than the weights" (the experts sit in host RAM)
        para(
            "On devices: the weights, KV cache and overhead held in accelerator memory, against Usable. Host RAM: "
            "routed MoE experts kept in the host's RAM and read by the CPU (expert offload).",
            SMALL,
        ),
        Spacer(1, 4),
        KeepTogether(
            [
                memory_chart(chart_rows, width=CONTENT_WIDTH),
                para(
                    "Stacked memory need of each system's best-ranked option; the red mark is the memory the model may use.",
                    SMALL,
                ),
            ]
        ),
    ]
    speed_rows = []
    for c in candidates:
        e = c.estimate
        speed_rows.append(
            [
                candidate_label(c),
                fmt.number(e.tg_tok_s_per_user),
                fmt.number(e.tg_tok_s),
                _band(*e.tg_band),
                fmt.number(e.ttft_s, 2),
                e.limiting_factor,
                "yes" if c.meets_sla else "NO",
            ]
        )
    widths = [w * CONTENT_WIDTH for w in (0.28, 0.09, 0.11, 0.14, 0.08, 0.22, 0.08)]
    story += [
        CondPageBreak(160),
        para("Throughput [tokens/s]", H2),
        data_table(
            ["Candidate", "Per user", "Aggregate", "Aggr. p10-p90", "TTFT s", "Limited by", "SLA"],
            speed_rows,
            widths,
            right_cols=(1, 2, 3, 4),
        ),
        Spacer(1, 4),
        KeepTogether(
            [
                throughput_chart(chart_rows, scenario.workload.sla_tok_s_per_user, width=CONTENT_WIDTH),
                para(
                    "Decode speed per user of each system's best-ranked option, with the calibration p10-p90 band; dashed "
                    "line: the SLA.",
                    SMALL,
                ),
            ]
        ),
    ]
    power_rows = []
    for c in candidates:
        e = c.estimate
        costed = bool(c.cumulative_local_usd)  # the engine does not cost candidates that cannot run
        power_rows.append(
            [
                candidate_label(c),
                fmt.number(e.load_power_w, 0),
                fmt.number(e.idle_power_w, 0),
                fmt.number(c.busy_hours_per_month, 0) if costed else "-",
                fmt.usd(c.monthly_energy_usd) if costed else "-",
                fmt.usd(c.monthly_opex_usd) if costed else "-",
                fmt.usd(c.capex_usd),
            ]
        )
    widths = [w * CONTENT_WIDTH for w in (0.32, 0.10, 0.10, 0.12, 0.12, 0.12, 0.12)]
    story += [
        CondPageBreak(120),
        para("Power and running cost", H2),
        data_table(
            ["Candidate", "Load W", "Idle W", "Busy h/mo", "Energy /mo", "Opex /mo", "Capex"],
            power_rows,
            widths,
            right_cols=(1, 2, 3, 4, 5, 6),
        ),
        para(
            f"Energy = (busy hours x load W + idle hours x idle W) x PUE {scenario.finance.pue:g} x "
            f"tariff {scenario.finance.tariff_usd_per_kwh:g} USD/kWh; busy hours follow from demand / "
            "capacity.",
            SMALL,
        ),
    ]
    story += _reasons(recommendation)
    return story


def _reasons(recommendation: Recommendation) -> list[Flowable]:
    rejected = [c for c in recommendation.candidates if not (c.fits and c.meets_sla)]
    story: list[Flowable] = []
    chosen = recommendation.recommended
    if chosen is not None and (chosen.reasons or chosen.estimate.notes):
        story += [para(f"Why {candidate_label(chosen)}", H2)]
        story += [bullet(r) for r in chosen.reasons] + [bullet(n) for n in chosen.estimate.notes]
    story.append(para("Rejected candidates", H2))
    if not rejected:
        return story + [para("None: every candidate fits and meets the SLA; they are ranked by cost.", SMALL)]
    rows = []
    for c in rejected:
        why = (
            "; ".join(c.reasons) or c.estimate.reason or ("does not fit" if not c.fits else "misses the SLA")
        )
        rows.append(
            [candidate_label(c), "no" if not c.fits else "yes", "no" if not c.meets_sla else "yes", why]
        )
    widths = [w * CONTENT_WIDTH for w in (0.30, 0.07, 0.07, 0.56)]
    return story + [data_table(["Candidate", "Fits", "SLA", "Why rejected"], rows, widths)]
