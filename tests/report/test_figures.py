"""Derived report figures (purchase schedule, like-for-like unit cost, price status) and how the PDF shows them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

from advisor.engine.types import PriceUsed, SensitivityBar, Workload
from advisor.report import SourceRow, build_report, figures
from tests.report.conftest import pdf_pages_text
from tests.report.sample import HORIZON, SampleScenario, sample_recommendation


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _with_second_unit(month: int = 18):
    """The sample's first candidate with a second unit (3,400 USD) bought in `month`, as the engine's curve has it."""
    base = sample_recommendation()
    chosen = base.recommended
    assert chosen is not None
    curve = list(chosen.cumulative_local_usd)
    for m in range(month, len(curve)):
        curve[m] += 3400.0
    grown = dataclasses.replace(
        chosen,
        cumulative_local_usd=tuple(curve),
        horizon_cost_local_usd=curve[-1],
        reasons=(*chosen.reasons, "2 units by month 36: 1 more bought as demand grows"),
    )
    return dataclasses.replace(base, recommended=grown, candidates=(grown, *base.candidates[1:]))


def test_purchase_schedule_finds_a_later_unit() -> None:
    recommendation = _with_second_unit(18)
    assert recommendation.recommended is not None
    schedule = figures.purchase_schedule(recommendation.recommended)
    assert schedule == [figures.Purchase(0, 1, 3400.0), figures.Purchase(18, 1, 3400.0)]
    # the unchanged sample: the resale credit in the last month is not a purchase
    plain = sample_recommendation().recommended
    assert plain is not None and figures.purchase_schedule(plain) == [figures.Purchase(0, 1, 3400.0)]


def test_purchase_schedule_from_the_engine_wins() -> None:
    from advisor.engine.types import Purchase

    class Horizon:
        purchases = (Purchase(0, 1, 4700.0), Purchase(18, 1, 4043.0))

    class WithSchedule:
        horizon = Horizon()

    assert figures.purchase_schedule(WithSchedule()) == [  # type: ignore[arg-type]
        figures.Purchase(0, 1, 4700.0),
        figures.Purchase(18, 1, 4043.0),
    ]


def test_page_one_shows_the_purchase_schedule(tmp_path: Path) -> None:
    out = build_report(
        _with_second_unit(18), SampleScenario("Growing"), tmp_path / "g.pdf", generated=dt.date(2026, 11, 2)
    )
    pages = pdf_pages_text(out)
    first = _flat(pages[0])
    assert "$3,400 in month 0 (1 unit), then 1 more in month 18 ($3,400): $6,800 in all" in first
    assert "$3,400 + $3,400 later" in _flat(pages[1])  # the capex column on page 2 says so too


def test_tokens_and_api_average_follow_growth() -> None:
    work = Workload(model="m", tokens_in_per_month=1e6, tokens_out_per_month=0.0, growth_per_month=0.1)
    # 1M, 1.1M, 1.21M
    assert figures.tokens_over_horizon(work, 3) == 1e6 + 1.1e6 + 1.21e6
    recommendation = sample_recommendation()
    average = figures.api_cost_per_mtok_average(recommendation, SampleScenario("x").workload)
    assert average == recommendation.cumulative_api_usd[-1] / (1050 * HORIZON)


def test_calendar_month_and_headroom() -> None:
    assert figures.calendar_month(dt.date(2026, 12, 5), 13.3) == "January 2028"
    assert figures.calendar_month(dt.date(2026, 11, 2), 0.5) == "November 2026"
    chosen = sample_recommendation().recommended
    assert chosen is not None
    free, share = figures.memory_headroom(chosen)
    assert round(free, 2) == 13.9 and round(share, 4) == round(13.9 / 46.0, 4)


def test_price_status_reads_the_source() -> None:
    def price(source: str, url: str = "") -> PriceUsed:
        point = PriceUsed("GPU", 100.0, "new", "", source, "2026-10-01")
        if url:
            object.__setattr__(point, "url", url)  # a field a newer engine may add
        return point

    assert figures.price_status(price("Dell quote Q-1234")) == "quote"
    assert figures.price_status(price("parts estimate; not a quote")) == "estimate"
    assert figures.price_status(price("invoice 2026-0042")) == "invoice"
    assert figures.overall_price_status([price("Dell quote"), price("list price")]) == "estimate"
    assert figures.unverified(price("from memory; unverified"))
    assert figures.unverified(price(""))
    assert not figures.unverified(price("ebay.com sold listings"))


def test_sources_mark_unverified_prices_and_undated_sources(tmp_path: Path) -> None:
    base = sample_recommendation()
    chosen = base.recommended
    assert chosen is not None
    recalled = PriceUsed("Mystery GPU", 999.0, "new", "", "recalled from memory; unverified", "")
    changed = dataclasses.replace(chosen, prices=(*chosen.prices, recalled))
    recommendation = dataclasses.replace(
        base, recommended=changed, candidates=(changed, *base.candidates[1:])
    )
    rows = [SourceRow("hardware", "Old card", "8 GB", "vendor page (undated)", "2026-11-01")]
    out = build_report(recommendation, SampleScenario("Sources"), tmp_path / "s.pdf", sources=rows)
    whole = _flat(" ".join(pdf_pages_text(out)))
    assert "recalled from memory; unverified; no URL" in whole
    assert "ebay.com sold listings, median of 40; no URL" in whole
    assert "undated (checked 2026-11-01)" in whole
    # the unverified price is drawn in red (0.753 0.224 0.169 = #c0392b) in the page content
    from pypdf import PdfReader

    def red_pages(pdf: Path) -> set[int]:
        pages = PdfReader(str(pdf)).pages
        return {
            i
            for i, page in enumerate(pages)
            if b".752941 .223529 .168627 rg" in page.get_contents().get_data()
        }  # type: ignore[union-attr]

    plain = build_report(base, SampleScenario("Sources"), tmp_path / "plain.pdf", sources=rows)
    price_page = next(i for i, text in enumerate(pdf_pages_text(out)) if "recalled from memory" in text)
    assert price_page in red_pages(out)  # the chart's API line is the same red: compare with the plain report
    assert price_page not in red_pages(plain)


def test_sensitivity_shows_npv_when_the_engine_gives_it(tmp_path: Path) -> None:
    @dataclasses.dataclass(frozen=True)
    class NpvBar(SensitivityBar):
        npv_low_usd: float | None = None
        npv_high_usd: float | None = None
        horizon_cost_low_usd: float | None = None
        horizon_cost_high_usd: float | None = None

    base = sample_recommendation()
    bars = (NpvBar("Residual value", "0 %", "40 %", 2.6, 2.6, 31000.0, 32400.0, 20000.0, 18600.0),)
    out = build_report(dataclasses.replace(base, sensitivity=bars), SampleScenario("NPV"), tmp_path / "n.pdf")
    whole = _flat(" ".join(pdf_pages_text(out)))
    assert "Residual value 0 % month 2.6 $31,000 $20,000 40 % month 2.6 $32,400 $18,600" in whole
    plain = build_report(base, SampleScenario("NPV"), tmp_path / "p.pdf")
    assert "The engine's sensitivity measures break-even only" in _flat(" ".join(pdf_pages_text(plain)))


def test_hybrid_overflow_is_on_page_one(tmp_path: Path) -> None:
    base = sample_recommendation()
    chosen = base.recommended
    assert chosen is not None
    hybrid = dataclasses.replace(chosen, monthly_api_usd=300.0)
    recommendation = dataclasses.replace(
        base, verdict="hybrid", recommended=hybrid, candidates=(hybrid, *base.candidates[1:])
    )
    out = build_report(recommendation, SampleScenario("Hybrid"), tmp_path / "h.pdf")
    first = _flat(pdf_pages_text(out)[0])
    assert "Verdict: HYBRID" in first
    assert "$395 to run, of which $300 API overflow; $1,450 all on the API" in first  # 95 opex + 300 API
