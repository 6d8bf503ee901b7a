"""Switching values: the factor on the API price, the tokens per day or the hardware price at which the verdict
flips, checked by moving the input just past it (and just short of it) and costing again."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from advisor.catalog.snapshot import Catalog
from advisor.cli.recommend_cmd import recommendation_to_json
from advisor.engine.economics import ApiPrices, CostCurves, UnitSpec, cost_curves
from advisor.engine.recommend import recommend
from advisor.engine.scenario import Scenario, scenario_from_json
from advisor.engine.switching import switching_values
from advisor.engine.types import Finance, Workload

TODAY = dt.date(2026, 12, 5)
UNIT = UnitSpec(price_usd=4000.0, pp_tok_s=8000.0, tg_tok_s=300.0, load_w=600.0, idle_w=80.0)
WORK = Workload(model="m", tokens_in_per_month=1e9, tokens_out_per_month=1e8, hours_per_day=24.0)
FINANCE = Finance(tariff_usd_per_kwh=0.2)
API = ApiPrices(0.1, 0.01, 0.4)  # $140 a month for the demand above


def buys(c: CostCurves, horizon: int = 36) -> bool:
    """The verdict's rule, restated: pays off, saves money, positive NPV, ahead in most months."""
    return (c.break_even_month is not None and c.horizon_cost_api_usd > c.horizon_cost_local_usd
            and c.npv_saving_usd > 0 and c.months_ahead * 2 > horizon)


def moved(name: str, factor: float) -> CostCurves:
    if name == "API price":
        return cost_curves(UNIT, 1, WORK, FINANCE, ApiPrices(API.input_miss * factor, API.input_hit * factor,
                                                              API.output * factor))
    if name == "Tokens per day":
        work = dataclasses.replace(WORK, tokens_in_per_month=WORK.tokens_in_per_month * factor,
                                   tokens_out_per_month=WORK.tokens_out_per_month * factor)
        return cost_curves(UNIT, 1, work, FINANCE, API)
    return cost_curves(dataclasses.replace(UNIT, price_usd=UNIT.price_usd * factor), 1, WORK, FINANCE, API)


def test_each_switching_value_flips_the_rule_just_past_it_and_not_short_of_it() -> None:
    now = buys(cost_curves(UNIT, 1, WORK, FINANCE, API))
    assert not now  # $140 a month never pays for a $4,000 box in 36 months
    values = switching_values(UNIT, 1, WORK, FINANCE, API, now, "buy")
    assert [v.assumption for v in values] == ["API price", "Tokens per day", "Hardware price"]
    for v in values:
        assert v.factor is not None, v
        past = v.factor * 1.01 if v.factor > 1 else v.factor / 1.01
        short = v.factor / 1.01 if v.factor > 1 else v.factor * 1.01
        assert buys(moved(v.assumption, past)) != now, v
        assert buys(moved(v.assumption, short)) == now, v
    api = values[0]
    assert api.value_text.startswith(f"API prices x{api.factor:.2f}: ${0.1 * api.factor:.3g} input")


def test_no_flip_within_sixteen_times_is_said() -> None:
    free = ApiPrices(0.0, 0.0, 0.0)  # an API that costs nothing: no hardware price or volume makes buying pay
    values = switching_values(UNIT, 1, WORK, FINANCE, free, False, "buy")
    assert values[0].factor is None and values[1].factor is None
    assert values[0].value_text == "no move of the api price within 1/16x..16x flips it"


def batch(seed: Catalog) -> Scenario:
    return scenario_from_json(seed.scenario("24/7 batch summarisation").model_dump(mode="json"))


def test_the_api_price_switching_value_flips_the_recommendation_end_to_end() -> None:
    """Gemini 2.5 Flash-Lite is the offer compared; scale its prices just past the switching value."""
    seed = Catalog.load()
    rec = recommend(batch(seed), seed, today=TODAY)
    assert rec.verdict == "api"
    api = next(v for v in rec.switching_values if v.assumption == "API price")
    assert api.factor is not None and api.flips_to == f"buy {rec.candidates[0].name}"

    def with_gemini_at(factor: float) -> str:
        offers = [o.model_copy(update={"usd_per_mtok_input_miss": o.usd_per_mtok_input_miss * factor,
                                       "usd_per_mtok_input_hit": o.usd_per_mtok_input_hit * factor,
                                       "usd_per_mtok_output": o.usd_per_mtok_output * factor})
                  if o.id == "google-gemini-2.5-flash-lite" else o for o in seed.api_offers]
        catalog = Catalog(hardware=seed.hardware, hosts=seed.hosts, systems=seed.systems, models=seed.models,
                          quants=seed.quants, api_offers=offers)
        scenario = dataclasses.replace(batch(seed), api_offers=("google-gemini-2.5-flash-lite",))
        return recommend(scenario, catalog, today=TODAY).verdict

    assert with_gemini_at(api.factor * 1.02) == "buy"
    assert with_gemini_at(api.factor / 1.02) == "api"


def test_switching_values_and_like_for_like_unit_costs_are_in_the_json() -> None:
    seed = Catalog.load()
    rec = recommend(batch(seed), seed, today=TODAY)
    data = json.loads(json.dumps(recommendation_to_json(rec)))
    assert [v["assumption"] for v in data["switching_values"]] == ["API price", "Tokens per day", "Hardware price"]
    top = data["candidates"][0]
    # the API's cost per Mtok as a horizon average, like the rig's: $8,076.34 / (36 x 3,150 M tokens)
    assert top["cost_per_mtok_api_usd"] == pytest.approx(8076.3434 / (36 * 3150), abs=1e-6)
    # (the JSON prints 6 decimals: compare at that precision)
    assert top["cost_per_mtok_local_usd"] == pytest.approx(top["horizon_cost_local_usd"] / (36 * 3150), abs=1e-6)
    # month 1, like for like: the API's list price mix against the rig's running cost (capex excluded)
    assert top["cost_per_mtok_api_month1_usd"] == pytest.approx(360.0 / 3150, abs=1e-6)  # JSON keeps 6 decimals
    assert top["cost_per_mtok_local_month1_usd"] == pytest.approx(top["monthly_opex_usd"] / 3150, abs=1e-6)
