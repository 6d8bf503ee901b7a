"""Appendix D-F: sensitivity (tornado, table, flip notes), sources with dates, method and calibration error;\nand the approval block that follows page 2."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from advisor.engine.types import PriceUsed, Recommendation, SensitivityBar
from advisor.report import figures
from advisor.report import formatting as fmt
from advisor.report.calibration import CalibrationSummary
from advisor.report.inputs import SourceRow
from advisor.report.styles import (
    CELL,
    CELL_WARN,
    CONTENT_WIDTH,
    H1,
    H2,
    RULE,
    SMALL,
    appendix_table,
    bullet,
    heading,
    para,
    table_style,
)
from advisor.report.tornado import tornado_chart

METHOD_NOTE = (
    "Memory: weights (exact file size where known, else parameters x effective bits per weight / 8) plus the KV "
    "cache for every concurrent sequence at its context length plus per-device runtime overhead must fit in the "
    "usable memory. Decode speed: each step reads the active weights and the KV cache, so time per token is "
    "bytes / (bandwidth x efficiency) or FLOPs / (TFLOPS x efficiency), whichever is larger; prefill is "
    "compute-bound. Efficiency constants are fitted to published measurements (calibration error below) and "
    "every speed carries the p10-p90 band of the fit residuals. Money: capex from the price points listed "
    "here; monthly energy from busy hours (demand / capacity) at load power plus idle hours at idle power, "
    "times PUE and tariff; API cost from input (cache hit / miss) and output prices with the expected yearly "
    "price change. Break-even is the month the cumulative local cost falls below the cumulative API cost, "
    "interpolated; resale value is credited at the end of the horizon. GB = 10^9 bytes."
)


def _npv_columns(bars: Sequence[SensitivityBar]) -> bool:
    """Whether the engine gave NPV figures per assumption (a newer SensitivityBar has npv_low_usd ...)."""
    return any(getattr(b, "npv_low_usd", None) is not None for b in bars)


def sensitivity(recommendation: Recommendation) -> list[Flowable]:
    """D: the tornado chart of break-even month, the table (with NPV and horizon cost where the engine gives
    them) and the assumptions that would flip the verdict."""
    story: list[Flowable] = [*heading("D. Sensitivity", H1)]
    horizon = recommendation.horizon_months
    chosen = recommendation.recommended
    base = recommendation.sensitivity_base_month  # the break-even of the rig the bars are about
    bars = recommendation.sensitivity
    if bars:
        moves = [v for b in bars for v in (b.break_even_low, b.break_even_high)]
        if base is None and all(v is None for v in moves):
            story.append(
                para(
                    f"At every tested value of every assumption, buying does not pay off within {horizon} months.",
                    SMALL,
                )
            )
        else:
            chart = tornado_chart(bars, base, horizon, width=CONTENT_WIDTH)
            story.append(
                KeepTogether(
                    [
                        chart,
                        para(
                            f"Break-even month of {recommendation.sensitivity_of or 'the best rig'} when one "
                            "assumption at a time moves to its low or high value; the vertical line is its base "
                            "case. Longer bars matter more.",
                            SMALL,
                        ),
                    ]
                )
            )
        with_npv = _npv_columns(bars)
        rows = []
        for b in bars:
            row = [b.assumption, b.low_label, fmt.break_even(b.break_even_low, horizon)]
            if with_npv:
                row += [
                    fmt.usd(getattr(b, "npv_low_usd", None)),
                    fmt.usd(getattr(b, "horizon_cost_low_usd", None)),
                ]
            row += [b.high_label, fmt.break_even(b.break_even_high, horizon)]
            if with_npv:
                row += [
                    fmt.usd(getattr(b, "npv_high_usd", None)),
                    fmt.usd(getattr(b, "horizon_cost_high_usd", None)),
                ]
            rows.append(row)
        if with_npv:
            header = [
                "Assumption",
                "Low",
                "Break-even",
                "NPV",
                f"{horizon}-mo cost",
                "High",
                "Break-even",
                "NPV",
                f"{horizon}-mo cost",
            ]
            widths = [w * CONTENT_WIDTH for w in (0.17, 0.09, 0.12, 0.10, 0.10, 0.09, 0.12, 0.10, 0.11)]
        else:
            header = ["Assumption", "Low", "Break-even", "High", "Break-even"]
            widths = [w * CONTENT_WIDTH for w in (0.28, 0.14, 0.22, 0.14, 0.22)]
        story += [Spacer(1, 4), appendix_table(header, rows, widths)]
        if not with_npv:
            story.append(
                para(
                    "The engine's sensitivity measures break-even only: assumptions that act after break-even "
                    "(resale value, useful life) show little or no effect here although they change the NPV and "
                    "the horizon cost. NPV and horizon-cost sensitivity are printed when the engine provides them.",
                    SMALL,
                )
            )
    else:
        story.append(para("No sensitivity figures were computed for this scenario.", SMALL))
    story += heading("What would change the verdict", H2)
    if recommendation.flip_notes:
        story += [bullet(note) for note in recommendation.flip_notes]
    else:
        story.append(para("No single assumption in the tested ranges flips the verdict.", SMALL))
    if chosen is not None and chosen.break_even_band != (None, None):
        low, high = chosen.break_even_band
        story.append(
            para(
                f"Throughput uncertainty alone moves break-even between month {fmt.months(low)} and "
                f"month {fmt.months(high)} ('never' = not within the horizon).",
                SMALL,
            )
        )
    return story


def _price_rows(recommendation: Recommendation) -> list[list[object]]:
    seen: set[PriceUsed] = set()
    rows: list[list[object]] = []
    for candidate in recommendation.candidates:
        for price in candidate.prices:
            if price in seen:
                continue
            seen.add(price)
            url = str(getattr(price, "url", "") or "")
            source = price.source or "no source given"
            where = f"{source}; {url}" if url else f"{source}; no URL"
            rows.append(
                [
                    price.item,
                    str(price.quantity),
                    price.condition,
                    fmt.usd(price.price_usd),
                    figures.price_status(price),
                    price.vendor or "not given",
                    para(where, CELL_WARN) if figures.unverified(price) else where,
                    price.observed_at or "undated",
                ]
            )
    return rows


def _as_of(row: SourceRow) -> str:
    """The source's own date: 'undated' when the source says so (the catalog's check date is not its date)."""
    if "undated" in row.source.lower() or not row.as_of:
        return "undated" + (f" (checked {row.as_of})" if row.as_of else "")
    return row.as_of


def sources(
    recommendation: Recommendation, source_rows: Sequence[SourceRow], calibration: CalibrationSummary
) -> list[Flowable]:
    """Every price point and spec used, the calibration error and a note on method."""
    story: list[Flowable] = [*heading("E. Sources", H1), *heading("Prices used", H2)]
    prices = _price_rows(recommendation)
    if prices:
        widths = [w * CONTENT_WIDTH for w in (0.19, 0.04, 0.06, 0.08, 0.08, 0.09, 0.36, 0.10)]
        story.append(
            appendix_table(
                ["Item", "Qty", "Cond.", "Price", "Status", "Vendor", "Source / URL", "Observed"],
                prices,
                widths,
                right_cols=(1, 3),
            )
        )
        story.append(
            para(
                "Status: estimate = public list or market price; quote = a vendor's quote; invoice = paid. "
                "In red: a price with no URL whose source is missing, unverified or recalled from memory.",
                SMALL,
            )
        )
    else:
        story.append(para("The engine reported no individual price points for these candidates.", SMALL))
    story += heading("Specifications and offers used", H2)
    if source_rows:
        widths = [w * CONTENT_WIDTH for w in (0.08, 0.18, 0.22, 0.42, 0.10)]
        rows = [[r.kind, r.name, r.detail, r.source or "no source given", _as_of(r)] for r in source_rows]
        story.append(appendix_table(["Kind", "Name", "Figures used", "Source", "As of"], rows, widths))
    else:
        story.append(para("No catalog records were passed to the report.", SMALL))
    story += heading("F. Method and calibration error", H1)
    story += heading("Throughput model calibration error, per category", H2)
    if calibration.fidelity:
        rows = [
            [
                r.category,
                r.measure,
                str(r.cases),
                f"{r.mdape_pct:.1f} %",
                "n/a" if r.p90_pct is None else f"{r.p90_pct:.1f} %",
            ]
            for r in calibration.fidelity
        ]
        widths = [w * CONTENT_WIDTH for w in (0.30, 0.14, 0.12, 0.22, 0.22)]
        story.append(
            appendix_table(
                ["Category", "Speed", "Cases", "Median abs. error", "90th pct. abs. error"],
                rows,
                widths,
                right_cols=(2, 3, 4),
            )
        )
        story.append(
            para(
                f"Error of the throughput model against {calibration.cases or 'the'} published measurements "
                f"(fitted {calibration.fitted_at[:10] or 'date not recorded'}); data set SHA-256: "
                f"{calibration.dataset_hash or 'not recorded'}.",
                SMALL,
            )
        )
    elif calibration.errors_pct:
        rows = [[label, f"{value:.1f} %"] for label, value in calibration.errors_pct]
        story.append(
            appendix_table(
                ["Measure", "Median abs. % error"],
                rows,
                [0.6 * CONTENT_WIDTH, 0.25 * CONTENT_WIDTH],
                right_cols=(1,),
            )
        )
        if calibration.dataset_hash:
            story.append(para(f"Calibration data set SHA-256: {calibration.dataset_hash}", SMALL))
    else:
        story.append(
            para(
                "No calibration file (resources/calibration.json) was found: the speed estimates use "
                "uncalibrated default efficiencies and their bands may be too narrow.",
                SMALL,
            )
        )
    story += [*heading("Method", H2), para(METHOD_NOTE, SMALL)]
    return story


def approval_block() -> list[Flowable]:
    """A sign-off table: prepared / reviewed / approved, with name, role, signature and date lines."""
    header = ["", "Name", "Role", "Signature", "Date"]
    rows = [
        ["Prepared by", "", "", "", ""],
        ["Reviewed by (finance)", "", "", "", ""],
        ["Approved by", "", "", "", ""],
    ]
    widths = [w * CONTENT_WIDTH for w in (0.22, 0.22, 0.18, 0.24, 0.14)]
    table = Table(
        [[para(h, CELL) for h in header]] + [[para(c, CELL) for c in r] for r in rows],
        colWidths=widths,
        rowHeights=[None] + [7.5 * mm] * 3,
    )
    table.setStyle(
        table_style([("GRID", (0, 0), (-1, -1), 0.5, RULE), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")])
    )
    decision = (
        "Decision:   [  ] buy as recommended     [  ] stay on the API     [  ] revisit on: ______________"
    )
    order = "Purchase order no.: ______________     Budget line: ______________"
    return [
        KeepTogether(
            [
                para("Approval", H1),
                para(decision),
                Spacer(1, 1.5 * mm),
                para(order),
                Spacer(1, 2.5 * mm),
                table,
                Spacer(1, 1.5 * mm),
                para(
                    "Figures are estimates from public specifications, prices and benchmarks listed in the "
                    "appendix; re-run the advisor if prices have moved since the dates shown.",
                    SMALL,
                ),
            ]
        )
    ]
