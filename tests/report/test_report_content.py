"""The PDF holds the decision and its numbers as text: checked by reading it back with pypdf."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from pypdf import PdfReader

from advisor.report import SourceRow, build_report
from advisor.report.summary import summary_rows
from tests.report.conftest import pdf_pages_text
from tests.report.sample import UNICODE_NAME, SampleScenario, sample_recommendation


def _build(tmp_path: Path, name: str = "Team coding assistant", **kwargs: object) -> tuple[Path, list[str]]:
    recommendation = sample_recommendation(name)
    out = build_report(
        recommendation,
        SampleScenario(name, "Pilot for 8 developers"),
        tmp_path / "r.pdf",
        generated=dt.date(2026, 11, 2),
        **kwargs,
    )  # type: ignore[arg-type]
    return out, pdf_pages_text(out)


def _flat(text: str) -> str:
    """Paragraphs wrap lines: compare sentences with whitespace runs folded to one space."""
    return re.sub(r"\s+", " ", text)


def test_page_one_has_decision_date_currency_and_table(tmp_path: Path) -> None:
    out, pages = _build(tmp_path)
    first = _flat(pages[0])
    recommendation = sample_recommendation()
    assert "Buying recommendation" in first
    assert "Team coding assistant" in first
    assert "2026-11-02" in first
    assert "US dollars (USD)" in first
    assert _flat(recommendation.sentence) in first
    assert "Verdict: BUY" in first
    # the break-even month of the sample is month 2.6: 3,400 USD against 1,450 USD/month of API spending
    assert recommendation.recommended is not None
    assert f"{recommendation.recommended.break_even_month:.1f}" == "2.6"
    assert "month 2.6" in first
    for name in ("2x RTX 3090 workstation", "RTX 5090 desktop", "Mac Studio M3 Ultra 256 GB"):
        assert name in first
    assert "API only: DeepSeek V3.2 (list)" in first
    assert "$3,400" in first and "$1,450" in first
    assert "break-even: month 2.6" in first  # the marker on the cumulative-cost chart


def test_summary_rows_are_top_three_then_api() -> None:
    recommendation = sample_recommendation()
    rows = summary_rows(recommendation, SampleScenario("x"))
    assert [r[0] for r in rows] == [
        "2x RTX 3090 workstation (Q4_K_M)",
        "RTX 5090 desktop (Q4_K_M)",
        "Mac Studio M3 Ultra 256 GB (Q4_K_M)",
        "API only: DeepSeek V3.2 (list)",
    ]
    # API blended price at month 0: 1,450 USD / (900M + 150M tokens) = 1.38 USD/Mtok
    assert rows[-1][5] == "$1.38"
    assert rows[0][3] == "month 2.6"


def test_every_section_page_numbers_and_headers(tmp_path: Path) -> None:
    out, pages = _build(tmp_path)
    assert len(pages) == 6  # the assumptions table lists every declared field (issue 13 added two finance rows)
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of 6" in text
        assert "Rig Advisor · buying recommendation" in text
        assert "Team coding assistant" in text  # header repeats the scenario on every page
    whole = _flat(" ".join(pages))
    for heading in (
        "Workload and assumptions",
        "Candidate details",
        "Memory fit",
        "Throughput",
        "Power and running cost",
        "Rejected candidates",
        "Sensitivity",
        "What would change the verdict",
        "Sources and method",
        "Prices used",
        "Method",
        "Approval",
        "Reviewed by (finance)",
    ):
        assert heading in whole, heading
    # every workload and finance input is listed with its unit
    for field in (
        "tokens_in_per_month",
        "cache_hit_share",
        "sla_tok_s_per_user",
        "tariff_usd_per_kwh",
        "api_price_change_per_year",
        "residual_share",
        "horizon_months",
    ):
        assert field in whole, field
    assert "USD/kWh" in whole and "tokens/month" in whole
    # why rejected, flip notes, price sources with dates
    assert "does not fit: needs 32.1 GB, 23.0 GB usable" in whole
    assert "6.1 tok/s per user misses the 15 tok/s SLA" in whole
    assert "If API prices fall 60 % a year, buying never pays off within 36 months." in whole
    assert "ebay.com sold listings, median of 40" in whole and "2026-10-02" in whole
    assert "not within 36 months" in whole  # the tornado table: API prices -60 %/yr never pays off


def test_document_metadata_and_vector_charts(tmp_path: Path) -> None:
    out, _ = _build(tmp_path)
    reader = PdfReader(str(out))
    assert reader.metadata is not None
    assert reader.metadata.title == "Buying recommendation: Team coding assistant"
    # charts are vector drawings, not images: no image XObjects on the chart pages
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        xobjects = resources.get("/XObject") or {}
        assert not any(xobjects[k].get("/Subtype") == "/Image" for k in xobjects)


def test_sources_and_calibration_are_listed(tmp_path: Path) -> None:
    rows = [
        SourceRow(
            "hardware", "GeForce RTX 3090", "24 GB, 936 GB/s, 350 W", "nvidia.com datasheet", "2025-01-15"
        )
    ]
    calibration = {"decode": {"mdape": 0.183}, "prefill": {"mdape_pct": 24.5}, "dataset_sha256": "c0ffee12"}
    _, pages = _build(tmp_path, sources=rows, calibration=calibration)
    whole = _flat(" ".join(pages))
    assert "24 GB, 936 GB/s, 350 W" in whole and "nvidia.com datasheet" in whole and "2025-01-15" in whole
    assert "18.3 %" in whole and "24.5 %" in whole and "c0ffee12" in whole


def test_missing_calibration_is_said_plainly(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("advisor.report.builder.load_calibration", lambda: None)
    _, pages = _build(tmp_path)
    assert "No calibration file" in _flat(" ".join(pages))


def test_unicode_scenario_name_extracts_exactly(tmp_path: Path) -> None:
    out, pages = _build(tmp_path, name=UNICODE_NAME)
    assert UNICODE_NAME in pages[0].splitlines()  # the subtitle line on page 1 is exactly the name
    for text in pages:
        assert UNICODE_NAME in text  # and the header on every page
    assert PdfReader(str(out)).metadata.title == f"Buying recommendation: {UNICODE_NAME}"


def test_user_text_with_markup_characters_in_vendor_and_notes(tmp_path: Path) -> None:
    vendor = 'Smith & Sons <used> "A-grade" 東京'
    recommendation = sample_recommendation(vendor=vendor)
    out = build_report(
        recommendation, SampleScenario("x<y & z", 'notes: a<b && "c" ü 日本'), tmp_path / "v.pdf"
    )
    whole = _flat(" ".join(pdf_pages_text(out)))  # the vendor column is narrow: the name wraps at spaces
    assert vendor in whole
    assert "x<y & z" in whole
    assert 'notes: a<b && "c" ü 日本' in whole
    assert "&amp;" not in whole and "&lt;" not in whole


def test_progress_reaches_one_in_order(tmp_path: Path) -> None:
    seen: list[tuple[float, str]] = []
    _build(tmp_path, progress_callback=lambda f, s: seen.append((f, s)))
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions)
    assert fractions[-1] == 1.0 and seen[-1][1] == "done"
    assert len(seen) >= 8
    json.dumps(seen)  # plain values only: the GUI forwards them as signal arguments


def test_long_candidate_tables_split_with_repeated_headers(tmp_path: Path) -> None:
    import dataclasses

    base = sample_recommendation()
    many = tuple(
        dataclasses.replace(c, name=f"{c.name} #{i}", system_id=f"{c.system_id}-{i}")
        for i in range(12)
        for c in base.candidates
    )  # 60 rows
    recommendation = dataclasses.replace(base, candidates=many)
    out = build_report(recommendation, SampleScenario("Many"), tmp_path / "many.pdf")
    pages = pdf_pages_text(out)
    assert len(pages) > 8
    # the memory table header repeats on each page the table spans
    header_pages = [i for i, text in enumerate(pages) if "Max context" in text and "Overhead" in text]
    assert len(header_pages) >= 2, header_pages
    whole = _flat(" ".join(pages))
    assert "Ryzen AI Max+ 395 128 GB #11 (Q4_K_M)" in whole  # the last row made it in


def test_stay_on_api_verdict_without_recommended(tmp_path: Path) -> None:
    import dataclasses

    base = sample_recommendation()
    sentence = "Stay on the API: no candidate pays for itself within 36 months at $1,450 a month."
    recommendation = dataclasses.replace(
        base,
        verdict="api",
        sentence=sentence,
        recommended=None,
        candidates=base.candidates[3:],
        sensitivity=(),
        flip_notes=(),
    )
    out = build_report(recommendation, SampleScenario("API wins"), tmp_path / "api.pdf")
    pages = pdf_pages_text(out)
    first = _flat(pages[0])
    assert "Verdict: STAY ON THE API" in first and sentence in first
    assert "No candidate both fits the model in memory and meets the SLA" in first
    whole = _flat(" ".join(pages))
    assert "No sensitivity figures were computed" in whole
    assert "No single assumption in the tested ranges flips the verdict." in whole


def test_calibration_file_format_is_tabulated(tmp_path: Path) -> None:
    from advisor.report.calibration import load_calibration, summarize

    calibration = {
        "format": "rig-advisor-calibration/1",
        "dataset_sha256": "8d68a5e0",
        "n_rows": 429,
        "fitted_at": "2026-11-23T15:01:55+00:00",
        "fidelity": {
            "all": {
                "tg": {"n": 320, "mdape": 0.0638, "p90": 0.3016},
                "pp": {"n": 231, "mdape": 0.1346, "p90": 0.4916},
            },
            "AMD": {
                "tg": {"n": 5, "mdape": 0.032, "p90": 0.339},
                "pp": {"n": 0, "mdape": float("nan"), "p90": float("nan")},
            },
        },
    }
    summary = summarize(calibration)
    assert [(r.category, r.measure, r.cases, round(r.mdape_pct, 2)) for r in summary.fidelity] == [
        ("all", "decode", 320, 6.38),
        ("all", "prefill", 231, 13.46),
        ("AMD", "decode", 5, 3.2),
    ]
    _, pages = _build(tmp_path, calibration=calibration)
    whole = _flat(" ".join(pages))
    assert "all decode 320 6.4 % 30.2 %" in whole
    assert "AMD decode 5 3.2 % 33.9 %" in whole
    assert "nan %" not in whole
    assert "against 429 published measurements (fitted 2026-11-23); data set SHA-256: 8d68a5e0" in whole
    bundled = load_calibration()  # the calibration step ships this file; it must parse into rows
    assert bundled is not None and summarize(bundled).fidelity


def test_candidate_label_is_the_engine_name_and_quant() -> None:
    """The engine names multi-unit candidates ("2 x (2x RTX 5090 desktop)"); the report must not add a count."""
    import dataclasses

    from advisor.report.formatting import candidate_label

    base = sample_recommendation().candidates[1]
    two = dataclasses.replace(base, units=2, name="2 x (2x RTX 5090 desktop)")
    assert candidate_label(two) == "2 x (2x RTX 5090 desktop) (Q4_K_M)"
    assert candidate_label(base) == f"{base.name} ({base.quant})"


def test_memory_table_shows_host_ram_for_expert_offload(tmp_path: Path) -> None:
    """QA: with experts in host RAM the device total is below the weights; the table must say where the rest is."""
    import dataclasses

    base = sample_recommendation()
    first = base.candidates[0]
    offloaded = dataclasses.replace(first, estimate=dataclasses.replace(first.estimate, host_gb=115.25))
    recommendation = dataclasses.replace(base, candidates=(offloaded, *base.candidates[1:]))
    out = build_report(recommendation, SampleScenario("Offload"), tmp_path / "offload.pdf")
    whole = _flat(" ".join(pdf_pages_text(out)))
    assert "Host RAM" in whole and "On devices" in whole
    assert "115.2" in whole or "115.3" in whole
    assert "routed MoE experts kept in the host's RAM" in whole
