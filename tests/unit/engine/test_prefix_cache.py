"""Local prefix caching (workload.local_prefix_cache): the cache-hit share of the input is not prefilled again
on the local server, as the API does not bill it in full. Hand-worked busy hours and energy."""

from __future__ import annotations

import pytest

from advisor.engine.economics import ApiPrices, UnitSpec, cost_curves
from advisor.engine.types import Finance, Workload

# 1,000 tok/s prefill, decode irrelevantly fast; 1,000 W busy, 0 W idle; 36e6 input tokens a month.
UNIT = UnitSpec(price_usd=1000.0, pp_tok_s=1000.0, tg_tok_s=1e12, load_w=1000.0, idle_w=0.0)
API = ApiPrices(input_miss=1.0, input_hit=0.1, output=0.0)
FINANCE = Finance(tariff_usd_per_kwh=0.10, residual_share=0.0, api_price_change_per_year=0.0,
                  discount_rate_per_year=0.0)


def work(cache: str) -> Workload:
    return Workload(model="m", tokens_in_per_month=36e6, tokens_out_per_month=0.0, cache_hit_share=0.75,
                    hours_per_day=24.0, local_prefix_cache=cache)  # type: ignore[arg-type]


def test_prefix_cache_prefills_only_the_cache_misses() -> None:
    # none: 36e6 tok / 1,000 tok/s = 36,000 s = 10 h busy; 10 kWh x $0.10 = $1.00 of electricity a month
    full = cost_curves(UNIT, 1, work("none"), FINANCE, API)
    assert full.busy_hours_per_month == pytest.approx(10.0)
    assert full.monthly_energy_usd == pytest.approx(1.0)
    # reuse: only the 25 % cache misses are prefilled: 2.5 h, $0.25
    cached = cost_curves(UNIT, 1, work("reuse"), FINANCE, API)
    assert cached.busy_hours_per_month == pytest.approx(2.5)
    assert cached.monthly_energy_usd == pytest.approx(0.25)
    # the API side is the same either way: 9e6 misses x $1 + 27e6 hits x $0.10 per Mtok = $11.70 a month
    assert cached.monthly_api_usd == full.monthly_api_usd == pytest.approx(11.7)


def test_prefix_cache_is_the_default_and_a_scenario_field() -> None:
    from advisor.engine.scenario import scenario_from_json

    assert Workload(model="m").local_prefix_cache == "reuse"
    body = {"name": "x", "workload": {"model": "m", "local_prefix_cache": "none"}, "finance": {},
            "candidates": ["c"], "api_offers": ["o"]}
    assert scenario_from_json(body).workload.local_prefix_cache == "none"
    from advisor.errors import InputError

    with pytest.raises(InputError, match="workload.local_prefix_cache"):
        scenario_from_json(body | {"workload": {"model": "m", "local_prefix_cache": "sometimes"}})
