"""End to end on the 3 bundled example scenarios: database -> recommend -> PDF -> text read back with pypdf."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from advisor.cli.report_cmd import load_inputs
from advisor.paths import catalog_dir
from advisor.report import build_report
from advisor.report import formatting as fmt
from advisor.report.summary import top_candidates
from tests.conftest import ROOT
from tests.report.conftest import pdf_pages_text
from tests.report.sample import UNICODE_NAME

EXAMPLES = [s["name"] for s in json.loads((catalog_dir() / "scenarios.json").read_text(encoding="utf-8"))]


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_three_examples_are_bundled() -> None:
    assert len(EXAMPLES) == 3


def _recommend_json(name: str) -> dict:
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "recommend", "--scenario", name, "--json"],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# The body frame on A4 [pt from the top]: below the header rule, above the footer rule (builder.py margins).
FRAME_TOP, FRAME_BOTTOM = 28 * 72 / 25.4, 842 - 20 * 72 / 25.4


def _page_fill(pdf: Path) -> list[float]:
    """Share of each page's body frame that holds text, from the lowest word pdftotext finds on it."""
    html = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    fills = []
    for page in html.split("<page ")[1:]:
        bottoms = [
            float(y_max)
            for y_min, y_max in re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', page)
            if FRAME_TOP < float(y_min) < FRAME_BOTTOM
        ]
        fills.append((max(bottoms, default=FRAME_TOP) - FRAME_TOP) / (FRAME_BOTTOM - FRAME_TOP))
    return fills


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_scenario_report(name: str, tmp_path: Path) -> None:
    scenario, recommendation, sources = load_inputs(name)
    out = build_report(recommendation, scenario, tmp_path / "r.pdf", sources=sources)
    pages = pdf_pages_text(out)
    total = len(pages)
    assert 5 <= total <= 9, total  # two decisive pages, then the appendix
    assert all(f"Page {i} of {total}" in text for i, text in enumerate(pages, start=1))
    first, second, whole = _flat(pages[0]), _flat(pages[1]), _flat(" ".join(pages))
    assert name in first
    assert _flat(recommendation.sentence) in first
    # page 1 numbers equal `recommend --json` (same rounding as the CLI's table)
    shown = _recommend_json(name)
    assert shown["sentence"] == recommendation.sentence
    option = shown["recommended"] or next(
        (c for c in shown["candidates"] if c["fits"] and c["meets_sla"]), None
    )
    if option is not None:
        assert f"{fmt.usd(option['capex_usd'])} in month 0" in first
        assert f"{fmt.usd(option['monthly_opex_usd'] + option['monthly_api_usd'])} to run" in first
        assert f"{fmt.usd(shown['monthly_api_usd'])} all on the API" in first
        assert fmt.usd(option["npv_saving_usd"]) in first
        assert (
            f"{fmt.usd(option['horizon_cost_local_usd'])} against {fmt.usd(option['horizon_cost_api_usd'])}"
            in first
        )
        if option["break_even_month"] is not None:
            assert f"month {fmt.months(option['break_even_month'])} (" in first
        else:
            assert f"not within {shown['horizon_months']} months" in first
        free = option["usable_gb"] - option["total_gb"]
        assert f"{fmt.number(free)} GB free of {fmt.number(option['usable_gb'])} GB usable" in first
    for item in ("Main risk", "Switching values", "Price status", "Break-even", "Capex"):
        assert item in first, item
    # page 2: every viable purchase and the API, approval after it
    assert "Comparison of the options" in second
    for candidate in top_candidates(recommendation, None):
        assert candidate.name in whole
    assert f"API: {recommendation.api_offer}" in whole  # every offer compared, the chosen one among them
    assert "Approval" in whole and whole.index("Approval") < whole.index("A. Assumptions")
    for candidate in recommendation.candidates:  # every candidate is listed in the appendix
        assert candidate.name in whole
    kinds = {row.kind for row in sources}
    assert {"model", "API offer", "system", "hardware"} <= kinds
    for row in sources:
        assert row.as_of and row.as_of in whole
    # no page under 40 % full except the ones that end a section: page 1, the approval page, the last page
    fills = _page_fill(out)
    approval_page = next(i for i, text in enumerate(pages) if "Approval" in text)
    for index, fill in enumerate(fills):
        if index not in (0, approval_page, total - 1):
            assert fill >= 0.4, (index + 1, [round(f, 2) for f in fills])


def test_long_title_keeps_page_one_on_page_one(tmp_path: Path) -> None:
    """A 600-character name and description are cut by measured width: the decision stays on page 1."""
    from tests.report.sample import SampleScenario, sample_recommendation

    name = "Very long scenario title 日本語のテスト " * 15
    out = build_report(
        sample_recommendation(name), SampleScenario(name, "description " * 80), tmp_path / "long.pdf"
    )
    pages = pdf_pages_text(out)
    first = _flat(pages[0])
    assert "Price status" in first and "Comparison of the options" in _flat(pages[1])
    assert "…" in first


def test_cli_with_edited_scenario_file_prints_name_exactly(tmp_path: Path) -> None:
    """`scenario show NAME --json` -> edit the name -> `report --scenario FILE`: the real command line."""
    env_dir = tmp_path / "data"
    env_dir.mkdir()
    base = {"RIG_ADVISOR_DATA_DIR": str(env_dir), "PATH": "/usr/bin:/bin"}
    shown = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "scenario", "show", EXAMPLES[1], "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env=base,
    )
    assert shown.returncode == 0, shown.stderr
    data = json.loads(shown.stdout)
    data["name"] = UNICODE_NAME
    data["description"] = 'Budget <2025> & "Q3" — 日本語'
    scenario_file = tmp_path / "edited.json"
    scenario_file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "edited.pdf"
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "report", "--scenario", str(scenario_file), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=ROOT,
        env=base,
    )
    assert result.returncode == 0, result.stderr
    pages = pdf_pages_text(out)
    assert result.stdout.startswith(f"wrote {out} ({len(pages)} pages): ")
    assert UNICODE_NAME in pages[0].splitlines()
    assert all(UNICODE_NAME in text for text in pages)
    assert 'Budget <2025> & "Q3" — 日本語' in pages[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "edited.json", "edited.pdf"]
