"""Scenario files: validation names the bad field; a valid file round-trips."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from advisor.engine.scenario import load_scenario, scenario_from_json, scenario_to_json
from advisor.engine.types import Finance, Workload
from advisor.errors import InputError

GOOD = {
    "name": "team chat",
    "description": "a small team",
    "workload": {"model": "Llama-3.1-8B", "quant": "Q4_K_M", "tokens_in_per_month": 2e8,
                 "tokens_out_per_month": 4e7, "cache_hit_share": 0.3, "peak_concurrency": 4},
    "finance": {"tariff_usd_per_kwh": 0.3, "useful_life_months": 36, "overflow": "hybrid"},
    "candidates": ["rtx-5090-box"],
    "api_offers": ["deepseek-v4-flash"],
    "source": "test",
    "as_of": "2026-06-01",
}


def test_valid_scenario_builds_engine_inputs_and_round_trips() -> None:
    s = scenario_from_json(GOOD)
    assert s.workload == Workload(model="Llama-3.1-8B", quant="Q4_K_M", tokens_in_per_month=2e8,
                                  tokens_out_per_month=4e7, cache_hit_share=0.3, peak_concurrency=4)
    assert s.finance == Finance(tariff_usd_per_kwh=0.3, useful_life_months=36, overflow="hybrid")
    assert s.candidates == ("rtx-5090-box",)
    assert scenario_from_json(scenario_to_json(s)) == s


@pytest.mark.parametrize(
    ("section", "key", "value", "message"),
    [
        ("workload", "cache_hit_share", 1.5, "workload.cache_hit_share: must be between 0 and 1"),
        ("workload", "cache_hit_share", "half", "workload.cache_hit_share: must be a number"),
        ("workload", "tokens_in_per_month", -1, "workload.tokens_in_per_month: must be between 0"),
        ("workload", "peak_concurrency", 2.5, "workload.peak_concurrency: must be a whole number"),
        ("workload", "hours_per_day", 0, "workload.hours_per_day: must be between 0.1 and 24"),
        ("workload", "growth_per_month", float("nan"), "workload.growth_per_month: must be a finite number"),
        ("workload", "sla_ttft_s", True, "workload.sla_ttft_s: must be a number"),
        ("workload", "tokens_per_month", 5, "workload.tokens_per_month: unknown field"),
        ("workload", "model", "", "workload.model: must be a non-empty text"),
        ("finance", "overflow", "spill", "finance.overflow: must be one of more_units, hybrid"),
        ("finance", "useful_life_months", 0, "finance.useful_life_months: must be between 1 and 240"),
        ("finance", "pue", 0.5, "finance.pue: must be between 1 and 5"),
        ("finance", "residual_share", -0.1, "finance.residual_share: must be between 0 and 1"),
        ("finance", "api_price_change_per_year", -1.0, "finance.api_price_change_per_year: must be between"),
        ("finance", "horizon_months", 0, "finance.horizon_months: must be between 1 and 240"),
    ],
)
def test_every_bad_field_is_named(section: str, key: str, value: object, message: str) -> None:
    data = json.loads(json.dumps(GOOD))
    data[section][key] = value
    with pytest.raises(InputError) as err:
        scenario_from_json(data)
    assert str(err.value).startswith(message)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"candidates": []}, "candidates: must be a non-empty list"),
        ({"candidates": ["ok", 3]}, "candidates[1]: must be a catalog id"),
        ({"api_offers": "x"}, "api_offers: must be a non-empty list"),
        ({"workload": []}, "workload: must be an object"),
        ({"workload": {"quant": "Q8_0"}}, "workload.model: is required"),
        ({"colour": "red"}, "colour: unknown field"),
    ],
)
def test_top_level_problems_are_named(change: dict, message: str) -> None:
    data = {**GOOD, **change}
    with pytest.raises(InputError) as err:
        scenario_from_json(data)
    assert str(err.value).startswith(message)


def test_load_from_file_and_by_name(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text(json.dumps(GOOD), encoding="utf-8")
    assert load_scenario(str(path)).name == "team chat"
    assert load_scenario("team chat", lookup=lambda name: GOOD if name == "team chat" else None).name == "team chat"
    with pytest.raises(InputError, match="no scenario named 'other'"):
        load_scenario("other", lookup=lambda name: None)
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="not valid JSON"):
        load_scenario(str(bad))
    with pytest.raises(InputError, match="cannot read the scenario file"):
        load_scenario(str(tmp_path / "missing.json"))


def test_a_scenario_with_no_demand_at_all_is_refused() -> None:
    """QA: 0 input and 0 output tokens gave "$0.000 per Mtok" for a $7,523 rig; one side may be 0, not both."""
    base = {"name": "z", "finance": {}, "candidates": ["a"], "api_offers": ["b"]}
    with pytest.raises(InputError, match=r"^workload.tokens_in_per_month: input and output tokens are both 0"):
        scenario_from_json({**base, "workload": {"model": "m", "tokens_in_per_month": 0,
                                                 "tokens_out_per_month": 0}})
    only_in = scenario_from_json({**base, "workload": {"model": "m", "tokens_out_per_month": 0}})
    assert only_in.workload.tokens_in_per_month == 100e6 and only_in.workload.tokens_out_per_month == 0
