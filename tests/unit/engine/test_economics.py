"""Economics against hand-worked numbers (the arithmetic is in each docstring)."""

from __future__ import annotations

import math

import pytest

from advisor.engine.economics import (
    ApiPrices,
    UnitSpec,
    api_monthly_usd,
    break_even_month,
    capex_usd,
    compound_factor,
    cost_curves,
    monthly_energy_usd,
    npv_usd,
    residual_value_usd,
    serve_hours,
)
from advisor.engine.types import Finance, Workload

# 500 W all month = 365 kWh; at 40/365 USD/kWh that is exactly $40 of electricity a month.
FLAT_UNIT = UnitSpec(price_usd=3000.0, pp_tok_s=1e9, tg_tok_s=1e9, load_w=500.0, idle_w=500.0)
FLAT_TARIFF = 40.0 / 365.0
# 1e9 input tokens at $0.30/Mtok miss, nothing else: $300 a month on the API.
FLAT_API = ApiPrices(input_miss=0.30, input_hit=0.0, output=0.0)
FLAT_WORK = Workload(model="m", tokens_in_per_month=1e9, tokens_out_per_month=0.0, hours_per_day=24.0)


def flat_finance(**changes: object) -> Finance:
    base = dict(tariff_usd_per_kwh=FLAT_TARIFF, useful_life_months=36, residual_share=0.0,
                api_price_change_per_year=0.0, discount_rate_per_year=0.0)
    base.update(changes)
    return Finance(**base)  # type: ignore[arg-type]


def test_hand_worked_break_even_to_the_cent() -> None:
    """capex $3,000, energy $40/month, API $300/month, flat prices, no residual:
    local(m) = 3000 + 40 m, api(m) = 300 m, equal at m = 3000 / (300 - 40) = 11.538461... months.
    Over 36 months: local 3000 + 36 x 40 = $4,440, API 36 x 300 = $10,800; 36e9 tokens served,
    so local costs 4440 / 36000 = $0.12333 per million tokens."""
    curves = cost_curves(FLAT_UNIT, 1, FLAT_WORK, flat_finance(), FLAT_API)
    assert curves.capex_usd == pytest.approx(3000.0, abs=0.005)
    assert curves.monthly_energy_usd == pytest.approx(40.0, abs=0.005)
    assert curves.monthly_api_usd == pytest.approx(300.0, abs=0.005)
    assert curves.break_even_month == pytest.approx(3000.0 / 260.0, abs=1e-9)
    assert round(curves.break_even_month, 2) == 11.54
    assert curves.cumulative_local_usd[12] == pytest.approx(3480.0, abs=0.005)
    assert curves.cumulative_api_usd[12] == pytest.approx(3600.0, abs=0.005)
    assert len(curves.cumulative_local_usd) == 37
    assert curves.horizon_cost_local_usd == pytest.approx(4440.0, abs=0.005)
    assert curves.horizon_cost_api_usd == pytest.approx(10800.0, abs=0.005)
    assert curves.cost_per_mtok_local_usd == pytest.approx(4440.0 / 36000.0, rel=1e-12)


def test_never_breaks_even_when_api_is_cheaper_than_energy() -> None:
    """API $30/month < energy $40/month: the gap only grows, break-even is None."""
    work = Workload(model="m", tokens_in_per_month=1e8, tokens_out_per_month=0.0, hours_per_day=24.0)
    curves = cost_curves(FLAT_UNIT, 1, work, flat_finance(), FLAT_API)
    assert curves.break_even_month is None
    assert curves.horizon_cost_local_usd > curves.horizon_cost_api_usd


def test_api_cost_with_cache_hits() -> None:
    """100 M input, half cache hits: 100 x (0.5 x 0.028 + 0.5 x 0.28) = $15.40; 20 M output x 0.42 = $8.40;
    total $23.80. With no hits the input costs 100 x 0.28 = $28.00."""
    assert api_monthly_usd(100e6, 20e6, 0.5, 0.28, 0.028, 0.42) == pytest.approx(23.80, abs=1e-9)
    assert api_monthly_usd(100e6, 20e6, 0.0, 0.28, 0.028, 0.42) == pytest.approx(36.40, abs=1e-9)
    work = Workload(model="m", tokens_in_per_month=100e6, tokens_out_per_month=20e6, cache_hit_share=0.5)
    curves = cost_curves(FLAT_UNIT, 1, work, flat_finance(), ApiPrices(0.28, 0.028, 0.42))
    assert curves.monthly_api_usd == pytest.approx(23.80, abs=1e-9)
    assert curves.cumulative_api_usd[36] == pytest.approx(36 * 23.80, abs=1e-6)


def test_yearly_api_price_change_applied_monthly() -> None:
    """-36 %/year: month m bills 300 x 0.64^((m-1)/12). Month 13 bills 300 x 0.64 = $192; the first
    year sums 300 x (1 - q^12) / (1 - q) with q = 0.64^(1/12)."""
    curves = cost_curves(FLAT_UNIT, 1, FLAT_WORK, flat_finance(api_price_change_per_year=-0.36), FLAT_API)
    api = curves.cumulative_api_usd
    assert api[13] - api[12] == pytest.approx(192.0, abs=1e-9)
    q = 0.64 ** (1 / 12)
    assert api[12] == pytest.approx(300 * (1 - q**12) / (1 - q), abs=1e-9)
    assert compound_factor(12, -0.36, per_months=12) == pytest.approx(0.64)


def test_demand_growth_compounds_monthly() -> None:
    """+5 %/month: month m bills 300 x 1.05^(m-1); a year sums 300 x (1.05^12 - 1) / 0.05 = $4,775.14."""
    work = Workload(model="m", tokens_in_per_month=1e9, tokens_out_per_month=0.0, growth_per_month=0.05,
                    hours_per_day=24.0)
    curves = cost_curves(FLAT_UNIT, 1, work, flat_finance(), FLAT_API)
    assert curves.cumulative_api_usd[12] == pytest.approx(300 * (1.05**12 - 1) / 0.05, abs=1e-6)
    assert round(curves.cumulative_api_usd[12], 2) == 4775.14


def test_busy_hours_and_energy() -> None:
    """36 M input at 10,000 tok/s = 1 h; 3.6 M output at 100 tok/s = 10 h: 11 busy hours.
    Energy: (11 h x 600 W + 719 h x 60 W) x PUE 1.2 x $0.20/kWh / 1000 = (6,600 + 43,140) x 0.24 / 1000
    = $11.9376."""
    assert serve_hours(36e6, 3.6e6, 10_000.0, 100.0) == pytest.approx(11.0)
    assert monthly_energy_usd(11.0, 600.0, 60.0, 1.2, 0.20) == pytest.approx(11.9376, abs=1e-9)
    unit = UnitSpec(price_usd=1000.0, pp_tok_s=10_000.0, tg_tok_s=100.0, load_w=600.0, idle_w=60.0)
    work = Workload(model="m", tokens_in_per_month=36e6, tokens_out_per_month=3.6e6)
    curves = cost_curves(unit, 1, work, Finance(pue=1.2, tariff_usd_per_kwh=0.20), FLAT_API)
    assert curves.busy_hours_per_month == pytest.approx(11.0)
    assert curves.monthly_energy_usd == pytest.approx(11.9376, abs=1e-9)


def test_busy_hours_capped_at_the_month() -> None:
    """Asking for 2,000 h of work in a 730 h month bills 730 h at load, none idle."""
    assert monthly_energy_usd(2000.0, 1000.0, 100.0, 1.0, 0.1) == pytest.approx(73.0)


def test_hybrid_overflow_sends_the_excess_to_the_api() -> None:
    """Output 525.6 M tokens/month at 100 tok/s needs 1,460 h; one unit has 730 h (24 h/day): it serves
    half, the other half (262.8 M tokens at $1/M = $262.80) goes to the API. The unit is busy all month:
    energy 730 h x 500 W x $0.10/kWh = $36.50."""
    unit = UnitSpec(price_usd=2000.0, pp_tok_s=1e9, tg_tok_s=100.0, load_w=500.0, idle_w=50.0)
    work = Workload(model="m", tokens_in_per_month=0.0, tokens_out_per_month=525.6e6, hours_per_day=24.0)
    api = ApiPrices(0.0, 0.0, 1.0)
    hybrid = cost_curves(unit, 1, work, Finance(tariff_usd_per_kwh=0.1, overflow="hybrid"), api)
    assert hybrid.served_share == pytest.approx(0.5)
    assert hybrid.monthly_overflow_api_usd == pytest.approx(262.80, abs=1e-9)
    assert hybrid.monthly_energy_usd == pytest.approx(36.50, abs=1e-9)
    assert hybrid.units_final == 1
    assert hybrid.capex_usd == pytest.approx(2000.0)
    more = cost_curves(unit, 1, work, Finance(tariff_usd_per_kwh=0.1, overflow="more_units"), api)
    # A second unit is bought in month 1; each then runs 730 h (24 h/day) and nothing overflows.
    assert more.units_final == 2
    assert more.monthly_overflow_api_usd == 0.0
    assert more.cumulative_local_usd[1] - more.cumulative_local_usd[0] == pytest.approx(2000.0 + 2 * 36.5)


def test_residual_credited_at_end_of_life_and_book_value_at_a_short_horizon() -> None:
    """Capex $3,000, residual 20 %: $600 back at month 36. Horizon 24 < life 36: book value
    3000 x (0.2 + 0.8 x 12/36) = $1,400 back at month 24. Horizon 48: at month 36 sell ($600) and buy
    again ($3,000); at month 48 the new box (12 months old) is worth 3000 x (0.2 + 0.8 x 24/36) = $2,200."""
    assert residual_value_usd(3000.0, 0.2, 36, 36) == pytest.approx(600.0)
    assert residual_value_usd(3000.0, 0.2, 24, 36) == pytest.approx(1400.0)
    life = cost_curves(FLAT_UNIT, 1, FLAT_WORK, flat_finance(residual_share=0.2), FLAT_API).cumulative_local_usd
    assert life[36] - life[35] == pytest.approx(40.0 - 600.0)
    assert life[36] == pytest.approx(3000 + 36 * 40 - 600)
    short = cost_curves(FLAT_UNIT, 1, FLAT_WORK, flat_finance(residual_share=0.2, horizon_months=24), FLAT_API)
    assert short.horizon_cost_local_usd == pytest.approx(3000 + 24 * 40 - 1400)
    long = cost_curves(FLAT_UNIT, 1, FLAT_WORK, flat_finance(residual_share=0.2, horizon_months=48), FLAT_API)
    assert long.cumulative_local_usd[36] - long.cumulative_local_usd[35] == pytest.approx(40 - 600 + 3000)
    assert long.horizon_cost_local_usd == pytest.approx(2 * 3000 + 48 * 40 - 600 - 2200)


def test_npv_of_the_saving_against_a_hand_computation() -> None:
    """Saving flows: -$3,000 at month 0, then +$260 a month for 36 months. At 12 %/year the monthly rate
    is r = 1.12^(1/12) - 1 = 0.0094888; NPV = -3000 + 260 x (1 - (1 + r)^-36) / r = $4,897.44."""
    r = 1.12 ** (1 / 12) - 1
    hand = -3000 + 260 * (1 - (1 + r) ** -36) / r
    assert round(hand, 2) == 4897.44
    assert npv_usd([-3000.0] + [260.0] * 36, 0.12) == pytest.approx(hand, abs=1e-6)
    curves = cost_curves(FLAT_UNIT, 1, FLAT_WORK, flat_finance(discount_rate_per_year=0.12), FLAT_API)
    assert curves.npv_saving_usd == pytest.approx(hand, abs=1e-6)


def test_break_even_interpolation_and_edges() -> None:
    """Gap 100 at month 4, -300 at month 5: crosses a quarter of the way, at 4.25."""
    assert break_even_month([100, 100, 100, 100, 100, -200], [0, 0, 0, 0, 0, 100]) == pytest.approx(4.25)
    assert break_even_month([0.0, 1.0], [0.0, 2.0]) == 0.0
    assert break_even_month([5.0, 6.0], [0.0, 1.0]) is None


def test_capex_with_tax_and_extras() -> None:
    """(2 x $2,800 + $400) x 1.1 = $6,600."""
    assert capex_usd(2800.0, 2, 400.0, 0.1) == pytest.approx(6600.0)
    assert math.isclose(capex_usd(1000.0), 1000.0)


def test_growth_buys_a_second_unit_when_demand_first_needs_it() -> None:
    """One unit decodes 100 tok/s x 730 h x 3600 s = 262.8 M tokens a month. 200 M output tokens growing
    5 %/month exceed that in month 7 (200 x 1.05^6 = 268.0 M), so a second $1,000 unit is bought then.
    Horizon 12 months, life 36, residual 20 %: at month 12 the first unit's book value is
    1000 x (0.2 + 0.8 x 24/36) = $733.33 and the second's (5 months old) 1000 x (0.2 + 0.8 x 31/36) =
    $888.89; no energy or upkeep, so the horizon costs 2000 - 733.33 - 888.89 = $377.78."""
    unit = UnitSpec(price_usd=1000.0, pp_tok_s=1e9, tg_tok_s=100.0, load_w=0.0, idle_w=0.0)
    work = Workload(model="m", tokens_in_per_month=0.0, tokens_out_per_month=200e6, growth_per_month=0.05,
                    hours_per_day=24.0)
    finance = Finance(useful_life_months=36, horizon_months=12, residual_share=0.2, overflow="more_units")
    curves = cost_curves(unit, 1, work, finance, ApiPrices(0.0, 0.0, 1.0))
    local = curves.cumulative_local_usd
    assert curves.units_final == 2
    assert local[6] == pytest.approx(1000.0) and local[7] == pytest.approx(2000.0)
    assert curves.horizon_cost_local_usd == pytest.approx(2000 - 1000 * (0.2 + 0.8 * 24 / 36)
                                                          - 1000 * (0.2 + 0.8 * 31 / 36))
    assert round(curves.horizon_cost_local_usd, 2) == 377.78
