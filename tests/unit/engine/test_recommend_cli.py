"""`python main.py recommend` end to end in a subprocess (real database in the private data dir)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from advisor.catalog.snapshot import Catalog
from tests.conftest import ROOT

EXAMPLE = "24/7 batch summarisation"
CANDIDATE_KEYS = {"fits", "meets_sla", "capex_usd", "monthly_opex_usd", "monthly_api_usd", "break_even_month",
                  "horizon_cost_local_usd", "horizon_cost_api_usd", "cost_per_mtok_local_usd", "reasons"}


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, capture_output=True, text=True,
                          env=dict(os.environ), timeout=300)


def test_recommend_by_name_prints_json() -> None:
    result = run_cli("recommend", "--scenario", EXAMPLE, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["verdict"] in {"buy", "api", "hybrid"}
    assert data["sentence"].endswith(".")
    assert data["candidates"]
    for candidate in data["candidates"]:
        assert CANDIDATE_KEYS <= set(candidate)
        month = candidate["break_even_month"]
        assert month is None or 0 <= month <= data["horizon_months"]
    if data["verdict"] == "api":
        assert data["recommended"] is None
    else:
        assert data["recommended"]["fits"] and data["recommended"]["meets_sla"]
        assert data["recommended"] == data["candidates"][0]


def test_recommend_from_a_scenario_file_prints_the_verdict(tmp_path: Path) -> None:
    """The file is what `scenario show NAME --json` prints (the scenario record as JSON)."""
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(Catalog.load().scenario(EXAMPLE).model_dump(mode="json")), encoding="utf-8")
    result = run_cli("recommend", "--scenario", str(path))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Verdict: ")
    assert lines[1].startswith(("Buy ", "Stay on the API", "Hybrid: buy "))
    assert "Break-even [mo]" in result.stdout


def test_a_bad_scenario_file_exits_2_naming_the_field(tmp_path: Path) -> None:
    data = Catalog.load().scenario(EXAMPLE).model_dump(mode="json")
    data["workload"]["cache_hit_share"] = 1.5
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = run_cli("recommend", "--scenario", str(path))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip() == "error: workload.cache_hit_share: must be between 0 and 1 (got 1.5)"
    # nothing was opened or written: the data dir has no database
    assert not list(Path(os.environ["RIG_ADVISOR_DATA_DIR"]).iterdir())
