"""Appendix A-C: assumptions (every input with units and its basis), the candidates (each once) and the rejected
options grouped by reason, one line each."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from reportlab.platypus import Flowable, Spacer

from advisor.engine.assumptions import AssumptionField, assumption_fields
from advisor.engine.types import CandidateResult, Finance, Recommendation, Workload
from advisor.report import figures
from advisor.report import formatting as fmt
from advisor.report.formatting import candidate_label
from advisor.report.inputs import ScenarioLike
from advisor.report.styles import CONTENT_WIDTH, H1, H2, SMALL, appendix_table, bullet, heading, para


def _pct(value: object) -> str:
    return fmt.percent(float(value), 1) if isinstance(value, int | float) else str(value)


def _plain(value: object) -> str:
    if value is None:
        return "(not set)"
    if isinstance(value, float):
        return fmt.number(value, 4).rstrip("0").rstrip(".")
    return str(value)


# field -> (label, unit, formatter), from the fields' one declaration (advisor.engine.assumptions). Fields
# missing here still print, by name, so nothing is ever hidden.
Row = tuple[str, str, Callable[[object], str]]


def _row(field: AssumptionField) -> Row:
    if field.scale == 0.01:  # a share or rate, stored as a fraction
        return field.label, field.unit, _pct
    if field.scale == 1e6:  # a token volume, typed in millions
        return field.label, field.unit.replace("M ", ""), lambda v: fmt.tokens(float(v))  # type: ignore[arg-type]
    if field.unit.startswith("USD/") and field.unit != "USD/kWh":
        return field.label, field.unit, lambda v: fmt.usd(float(v))  # type: ignore[arg-type]
    if field.optional:  # None means derived: say from what (the text after "empty: " in the description)
        derived = field.description.split("empty: ", 1)[-1]
        return field.label, field.unit, lambda v: derived if v is None else _plain(v)
    return field.label, field.unit, _plain


WORKLOAD_LABELS: dict[str, Row] = {f.name: _row(f) for f in assumption_fields(Workload)}
FINANCE_LABELS: dict[str, Row] = {f.name: _row(f) for f in assumption_fields(Finance)}


def _basis(values: Workload | Finance, name: str, value: object) -> str:
    """'scenario' when the scenario set the value, 'advisor default' when it is the default."""
    for field in dataclasses.fields(values):
        if field.name == name and field.default is not dataclasses.MISSING:
            return "advisor default" if value == field.default else "scenario"
    return "scenario"


def _unused(values: Workload | Finance, name: str) -> bool:
    """A field the other choices make irrelevant (shown, but marked, so nobody reads it as used)."""
    return name == "residual_share" and getattr(values, "resale_model", "flat") == "device_class"


def _input_rows(values: Workload | Finance, labels: dict[str, Row]) -> list[list[object]]:
    rows: list[list[object]] = []
    for field in dataclasses.fields(values):
        value = getattr(values, field.name)
        label, unit, render = labels.get(field.name, (field.name, "", _plain))
        basis = _basis(values, field.name, value)
        if _unused(values, field.name):
            basis = "not used (device-class resale curve)"
        rows.append([label, render(value), unit, f"{basis} · {field.name}"])
    return rows


def assumptions(recommendation: Recommendation, scenario: ScenarioLike) -> list[Flowable]:
    """Every workload and finance input with units, where it came from (scenario or default) and its field."""
    widths = [w * CONTENT_WIDTH for w in (0.36, 0.18, 0.14, 0.32)]
    header = ["Input", "Value", "Unit", "Basis · field"]
    workload_rows = _input_rows(scenario.workload, WORKLOAD_LABELS)
    finance_rows = _input_rows(scenario.finance, FINANCE_LABELS)
    story: list[Flowable] = [
        *heading("A. Assumptions", H1),
        para(f"Scenario: {scenario.name}", SMALL),
    ]
    if scenario.description:
        story.append(para(scenario.description, SMALL))
    story += [
        para(
            "Demand the hardware must serve (month 1; growth compounds monthly) and the money assumptions. "
            "Basis: 'scenario' = set in the scenario; 'advisor default' = the advisor's default, not checked "
            "against this case.",
            SMALL,
        ),
        appendix_table(header, workload_rows + finance_rows, widths, right_cols=(1,)),
    ]
    notes = list(recommendation.notes)
    if notes:
        story += [*heading("Notes from the engine", H2)] + [bullet(n) for n in notes]
    return story


def _memory(c: CandidateResult) -> str:
    e = c.estimate
    text = f"{fmt.number(e.total_gb)} / {fmt.number(e.usable_gb)}"
    return text + (f" (+{fmt.number(e.host_gb)} host)" if e.host_gb > 0 else "")


def _speed(c: CandidateResult) -> str:
    e = c.estimate
    scale = e.tg_tok_s_per_user / e.tg_tok_s if e.tg_tok_s > 0 else 0.0
    low, high = e.tg_band[0] * scale, e.tg_band[1] * scale
    return f"{fmt.number(e.tg_tok_s_per_user)} ({fmt.number(low)}-{fmt.number(high)})"


def candidate_details(recommendation: Recommendation, scenario: ScenarioLike) -> list[Flowable]:
    """B: every candidate that fits and meets the SLA, once; C: the rejected ones grouped by reason."""
    horizon = recommendation.horizon_months
    candidates = list(recommendation.candidates)
    story: list[Flowable] = [*heading("B. Candidates that fit and meet the SLA", H1)]
    if not candidates:
        return story + [para("The scenario lists no candidate systems.")]
    good = [c for c in candidates if c.fits and c.meets_sla]
    if good:
        rows = []
        for c in good:
            _free, share = figures.memory_headroom(c)
            rows.append(
                [
                    candidate_label(c) + (" (recommended)" if c == recommendation.recommended else ""),
                    _memory(c),
                    fmt.percent(share, 1),
                    _speed(c),
                    fmt.number(c.estimate.ttft_s, 2),
                    fmt.number(c.estimate.load_power_w, 0),
                    fmt.usd(c.monthly_opex_usd),
                    fmt.usd(c.capex_usd),
                    fmt.break_even(c.break_even_month, horizon),
                ]
            )
        widths = [w * CONTENT_WIDTH for w in (0.25, 0.12, 0.07, 0.13, 0.06, 0.07, 0.08, 0.09, 0.13)]
        story.append(
            appendix_table(
                [
                    "Candidate",
                    "Memory GB need / usable",
                    "Free",
                    "tok/s per user (p10-p90)",
                    "TTFT s",
                    "Load W",
                    "Opex / month",
                    "Capex",
                    "Break-even",
                ],
                rows,
                widths,
                right_cols=(1, 2, 3, 4, 5, 6, 7),
                emphasize_rows=[i for i, c in enumerate(good) if c == recommendation.recommended],
            )
        )
        story.append(
            para(
                "Memory need: weights + KV cache + runtime overhead on the accelerators; host: routed MoE experts "
                "kept in the host's RAM and read by the CPU (expert offload). tok/s per user: decode speed at "
                f"{scenario.workload.peak_concurrency} concurrent users with the calibration p10-p90 band. Energy = "
                f"(busy hours x load W + idle hours x idle W) x PUE {scenario.finance.pue:g} x tariff "
                f"{scenario.finance.tariff_usd_per_kwh:g} USD/kWh.",
                SMALL,
            )
        )
    else:
        story.append(para("No candidate both fits the model in memory and meets the SLA.", SMALL))
    chosen = recommendation.recommended
    if chosen is not None and (chosen.reasons or chosen.estimate.notes):
        story += [*heading(f"Why {candidate_label(chosen)}", H2)]
        story += [bullet(r) for r in chosen.reasons] + [bullet(n) for n in chosen.estimate.notes]
    return story + rejected_by_reason(recommendation, scenario)


REASONS = (
    "Does not fit in memory",
    "Too slow for the SLA (decode speed per user)",
    "Time to first token over the SLA",
    "No price in the catalog",
    "Other",
    "Not supported (backend x hardware x weight format)",
)


def _reason(c: CandidateResult, scenario: ScenarioLike) -> tuple[str, str]:
    """(group, one-line figure) for a rejected candidate."""
    e, work = c.estimate, scenario.workload
    if c.skipped:
        return REASONS[5], f"{c.setup.backend}: {c.skipped}"
    if not c.fits:
        return REASONS[0], f"needs {fmt.number(e.total_gb)} GB, {fmt.number(e.usable_gb)} GB usable"
    if e.tg_tok_s_per_user < work.sla_tok_s_per_user:
        return REASONS[
            1
        ], f"{fmt.number(e.tg_tok_s_per_user)} tok/s per user, SLA {work.sla_tok_s_per_user:g}"
    if e.ttft_s > work.sla_ttft_s:
        return REASONS[2], f"{fmt.number(e.ttft_s, 1)} s to first token, SLA {work.sla_ttft_s:g} s"
    if any("cannot be costed" in r for r in c.reasons):
        return REASONS[3], next(r for r in c.reasons if "cannot be costed" in r)
    return REASONS[4], "; ".join(c.reasons) or e.reason or "rejected by the engine"


def rejected_by_reason(recommendation: Recommendation, scenario: ScenarioLike) -> list[Flowable]:
    """C: rejected candidates, grouped by the reason, one line each with the deciding figure."""
    rejected = [c for c in recommendation.candidates if not (c.fits and c.meets_sla)]
    story: list[Flowable] = [Spacer(1, 4), *heading("C. Rejected options, by reason", H1)]
    if not rejected:
        return story + [para("None: every candidate fits and meets the SLA; they are ranked by cost.", SMALL)]
    grouped: dict[str, list[tuple[str, str]]] = {}
    for c in rejected:
        group, figure = _reason(c, scenario)
        grouped.setdefault(group, []).append((candidate_label(c), figure))
    rows: list[list[object]] = []
    for group in REASONS:
        for index, (label, figure) in enumerate(grouped.get(group, [])):
            count = len(grouped[group])
            rows.append([f"{group} ({count})" if index == 0 else "", label, figure])
    widths = [w * CONTENT_WIDTH for w in (0.27, 0.36, 0.37)]
    return story + [appendix_table(["Reason", "Candidate", "Deciding figure"], rows, widths)]
