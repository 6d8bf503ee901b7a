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


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_scenario_report(name: str, tmp_path: Path) -> None:
    scenario, recommendation, sources = load_inputs(name)
    out = build_report(recommendation, scenario, tmp_path / "r.pdf", sources=sources)
    pages = pdf_pages_text(out)
    total = len(pages)
    assert total >= 6  # page 1, assumptions, candidate details, sensitivity, sources, approval
    assert all(f"Page {i} of {total}" in text for i, text in enumerate(pages, start=1))
    first, whole = _flat(pages[0]), _flat(" ".join(pages))
    assert name in first
    assert _flat(recommendation.sentence) in first
    horizon = recommendation.horizon_months
    for candidate in top_candidates(recommendation):
        assert candidate.name in first
        assert fmt.break_even(candidate.break_even_month, horizon) in first
    if recommendation.recommended is not None and recommendation.recommended.break_even_month is not None:
        assert f"break-even: month {fmt.months(recommendation.recommended.break_even_month)}" in first
    for candidate in recommendation.candidates:  # every candidate is listed in the details
        assert candidate.name in whole
    # the sources section lists the model and the API offer compared, with their as_of dates
    kinds = {row.kind for row in sources}
    assert {"model", "API offer", "system", "hardware"} <= kinds
    for row in sources:
        assert row.as_of and row.as_of in whole
    assert "Approval" in whole


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
