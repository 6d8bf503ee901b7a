"""recommend() on the real seed catalog (hardware, models, quants) with a few real system and API records."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import pytest

from advisor.catalog.schema import ApiOfferRecord, HostRecord, PricePoint, SystemRecord
from advisor.catalog.snapshot import Catalog
from advisor.engine.economics import ApiPrices, api_curve
from advisor.engine.recommend import recommend
from advisor.engine.scenario import Scenario, scenario_from_json
from advisor.errors import InputError

DAY = dt.date(2026, 6, 1)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    seed = Catalog.load()
    host = HostRecord(id="desktop", name="Desktop host", cpu="Ryzen 9 9950X", ram_gb=128, ram_bandwidth_gbs=80,
                      cpu_tflops=2, idle_w=50, load_w=150, source="test record", as_of=DAY,
                      prices=[PricePoint(price_usd=1500, observed_at=DAY, source="test record")])
    systems = [
        SystemRecord(id="rtx-5090-box", name="RTX 5090 box", accelerator="rtx-5090", count=1, host="desktop",
                     extras_usd=0, idle_w=80, source="test record", as_of=DAY),
        SystemRecord(id="dual-3090", name="2x RTX 3090 box", accelerator="rtx-3090", count=2, host="desktop",
                     extras_usd=0, idle_w=90, source="test record", as_of=DAY),
    ]
    offers = [
        ApiOfferRecord(id="gpt-5", name="GPT-5", provider="OpenAI", usd_per_mtok_input_miss=1.25,
                       usd_per_mtok_input_hit=0.125, usd_per_mtok_output=10, source="test record", as_of=DAY),
        ApiOfferRecord(id="v4-flash", name="DeepSeek V4-Flash (peak)", provider="DeepSeek",
                       usd_per_mtok_input_miss=0.44, usd_per_mtok_input_hit=0.014, usd_per_mtok_output=1.32,
                       source="test record", as_of=DAY),
    ]
    return Catalog(hardware=seed.hardware, models=seed.models, quants=seed.quants, hosts=[host],
                   systems=systems, api_offers=offers)


FINANCE_KEYS = {"overflow", "tax_rate", "useful_life_months", "api_price_change_per_year", "discount_rate_per_year",
                "residual_share", "price_condition", "renting"}


def scenario(model: str = "Llama-3.1-8B", offer: str = "gpt-5", **changes: object) -> Scenario:
    workload = {"model": model, "tokens_in_per_month": 3e8, "tokens_out_per_month": 6e7, "peak_concurrency": 4}
    finance: dict[str, object] = {}
    for key, value in changes.items():
        (finance if key in FINANCE_KEYS else workload)[key] = value
    return scenario_from_json({"name": "test", "workload": workload, "finance": finance,
                               "candidates": ["rtx-5090-box", "dual-3090"], "api_offers": [offer]})


def test_small_model_against_an_expensive_api_says_buy(catalog: Catalog) -> None:
    """300 M input + 60 M output on GPT-5: 300 x 1.25 + 60 x 10 = $975 a month; an RTX 5090 box at
    $3,100 + a $1,500 host pays off within months."""
    seen: list[float] = []
    rec = recommend(scenario(), catalog, progress_callback=lambda done, what: seen.append(done))
    assert rec.verdict == "buy"
    assert rec.sentence.startswith("Buy ") and "pays off in month" in rec.sentence
    assert rec.monthly_api_usd == pytest.approx(975.0)
    best = rec.recommended
    assert best is not None and best is rec.candidates[0]
    assert best.fits and best.meets_sla and best.break_even_month is not None
    assert best.break_even_month < 12
    assert best.capex_usd == pytest.approx(3100 + 1500) or best.capex_usd == pytest.approx(2 * 1499 + 1500)
    viable = [c for c in rec.candidates if c.fits and c.meets_sla]
    assert [c.horizon_cost_local_usd for c in viable] == sorted(c.horizon_cost_local_usd for c in viable)
    assert len(rec.cumulative_api_usd) == 37 and rec.horizon_months == 36
    assert rec.cumulative_api_usd == api_curve(scenario().workload, scenario().finance,
                                               ApiPrices(1.25, 0.125, 10.0))
    assert len(rec.sensitivity) == 7
    assert seen[-1] == 1.0 and seen[0] == 0.0
    low, high = best.break_even_band
    assert low is not None and high is not None and low <= best.break_even_month <= high
    assert all(c.prices for c in rec.candidates)


def test_tax_is_charged_on_capex(catalog: Catalog) -> None:
    plain = recommend(scenario(), catalog).recommended
    taxed = recommend(scenario(tax_rate=0.2), catalog).recommended
    assert plain is not None and taxed is not None
    assert taxed.capex_usd == pytest.approx(plain.capex_usd * 1.2)


def test_a_model_that_fits_nowhere_stays_on_the_api_and_says_why(catalog: Catalog) -> None:
    """DeepSeek-V4-Flash is ~160 GB as released: neither a 32 GB nor a 2 x 24 GB box holds it."""
    rec = recommend(scenario("DeepSeek-V4-Flash", "v4-flash"), catalog)
    assert rec.verdict == "api" and rec.recommended is None
    assert rec.sentence.startswith("Stay on the API (DeepSeek V4-Flash (peak)): none of the 2 candidate systems")
    assert "cannot hold DeepSeek-V4-Flash at" in rec.sentence
    native = next(c for c in rec.candidates if c.quant == "native" and c.system_id == "rtx-5090-box")
    assert not native.fits and native.estimate.total_gb > 150
    assert native.break_even_month is None and native.cumulative_local_usd == ()
    assert all(math.isfinite(c.capex_usd) for c in rec.candidates)


def test_a_cheap_api_is_not_worth_buying_for(catalog: Catalog) -> None:
    """V4-Flash at 100 M in / 20 M out: 100 x 0.44 + 20 x 1.32 = $70.40 a month, falling 30 %/year:
    $4,500 of hardware does not pay back within 36 months."""
    rec = recommend(scenario(offer="v4-flash", tokens_in_per_month=1e8, tokens_out_per_month=2e7), catalog)
    assert rec.monthly_api_usd == pytest.approx(70.4)
    assert rec.verdict == "api"
    assert "would not pay off within 36 months" in rec.sentence or "would cost more" in rec.sentence
    assert rec.sensitivity  # the tornado is still shown for the best rig


def test_hybrid_overflow_keeps_the_base_load_local(catalog: Catalog) -> None:
    """A heavy load (4 B output tokens a month) on GPT-5 with one box and hybrid overflow: the box is busy
    for its 8 h a day and the API takes the rest."""
    rec = recommend(scenario(tokens_in_per_month=2e9, tokens_out_per_month=4e9, overflow="hybrid",
                             hours_per_day=8.0, renting="ignore"), catalog)
    assert rec.verdict == "hybrid", rec.sentence
    assert rec.sentence.startswith("Hybrid: buy ")
    best = rec.recommended
    assert best is not None and best.monthly_api_usd > 0
    assert best.monthly_api_usd < rec.monthly_api_usd
    assert any("locally; the API takes the rest" in r for r in best.reasons)


def test_unknown_names_are_input_errors_naming_the_field(catalog: Catalog) -> None:
    bad_system = dataclasses.replace(scenario(), candidates=("rtx-5090-box", "no-such-box"))
    with pytest.raises(InputError, match=r"^candidates\[1\]: unknown system 'no-such-box'"):
        recommend(bad_system, catalog)
    with pytest.raises(InputError, match=r"^workload.model: unknown model"):
        recommend(scenario("Llama-9-1T"), catalog)
    with pytest.raises(InputError, match=r"^api_offers\[0\]: unknown API offer"):
        recommend(scenario(offer="nobody"), catalog)
    # a typo in a later offer is refused too, not silently ignored
    later_typo = dataclasses.replace(scenario(), api_offers=("gpt-5", "v4-flash", "v4-flsh"))
    with pytest.raises(InputError, match=r"^api_offers\[2\]: unknown API offer 'v4-flsh'"):
        recommend(later_typo, catalog)
    bad_quant = scenario_from_json({"name": "q", "workload": {"model": "Llama-3.1-8B", "quant": "Q9_Z"},
                                    "candidates": ["rtx-5090-box"], "api_offers": ["gpt-5"]})
    with pytest.raises(InputError, match=r"^workload.quant: unknown quant"):
        recommend(bad_quant, catalog)


def test_a_chosen_quant_is_the_only_one_tried(catalog: Catalog) -> None:
    rec = recommend(scenario(quant="Q8_0"), catalog)
    assert {c.quant for c in rec.candidates} == {"Q8_0"}


def test_a_pay_off_that_needs_the_resale_says_so(catalog: Catalog) -> None:
    """V4-Flash at 300 M in / 60 M out is $211.20 a month: the RTX 5090 box only gets ahead of the API when
    its 20 % resale value comes back at month 36. It is ahead in 1 of 36 months: called that, and not bought."""
    rec = recommend(scenario(offer="v4-flash"), catalog)
    assert rec.monthly_api_usd == pytest.approx(211.2)
    top = rec.candidates[0]
    assert top.break_even_month is not None and top.break_even_month > 35
    assert top.horizon is not None and top.horizon.break_even_from_resale and top.horizon.months_ahead == 1
    assert rec.verdict == "api" and rec.recommended is None
    assert "it is ahead of the API in only 1 of 36 months; it gets ahead only through the resale credit in " \
           "month 36" in rec.sentence


@pytest.mark.parametrize("name", [s.name for s in Catalog.load().scenarios])
def test_each_example_scenario_gets_a_verdict_and_a_sentence(name: str) -> None:
    seed = Catalog.load()
    rec = recommend(scenario_from_json(seed.scenario(name).model_dump(mode="json")), seed)
    assert rec.verdict in {"buy", "api", "hybrid"}
    assert rec.sentence.endswith(".") and len(rec.sentence) > 40
    assert rec.candidates
    assert (rec.recommended is None) == (rec.verdict == "api")
    for c in rec.candidates:
        numbers = [c.capex_usd, c.monthly_opex_usd, c.monthly_api_usd, c.horizon_cost_local_usd,
                   c.horizon_cost_api_usd, c.cost_per_mtok_local_usd, *c.cumulative_local_usd]
        assert all(math.isfinite(x) and x >= -1e-6 for x in numbers), c.name
        assert c.reasons


def test_example_scenarios_exist() -> None:
    assert len(Catalog.load().scenarios) >= 3
