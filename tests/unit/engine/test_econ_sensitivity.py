"""Tornado of the break-even month on the hand-worked flat case (capex $3,000, energy $40, API $300)."""

from __future__ import annotations

import pytest

from advisor.engine.sensitivity import Case, break_even, tornado
from tests.unit.engine.test_economics import FLAT_API, FLAT_UNIT, FLAT_WORK, flat_finance

CASE = Case(unit=FLAT_UNIT, units=1, workload=FLAT_WORK, finance=flat_finance(), api=FLAT_API)


def test_each_bar_moves_break_even_as_worked_by_hand() -> None:
    """Break-even = capex / (API - energy) per month while prices are flat:
    tariff x0.5 / x2 -> energy $20 / $80: 3000/280 = 10.714, 3000/220 = 13.636;
    API -50 % / +50 % -> 3000/110 = 27.273, 3000/410 = 7.317;
    demand x0.5 / x2 (the box idles at load power, energy unchanged) -> 3000/110, 3000/560 = 5.357;
    hardware -25 % / +25 % -> 2250/260 = 8.654, 3750/260 = 14.423;
    life and residual leave the first crossing at 11.538."""
    bars, _ = tornado(CASE)
    by_name = {bar.assumption: bar for bar in bars}
    assert len(bars) == 7
    assert break_even(CASE) == pytest.approx(3000 / 260)
    expected = {
        "Electricity tariff": (3000 / 280, 3000 / 220),
        "API price": (3000 / 110, 3000 / 410),
        "Demand": (3000 / 110, 3000 / 560),
        "Hardware price": (2250 / 260, 3750 / 260),
        "Useful life": (3000 / 260, 3000 / 260),
        "Residual value": (3000 / 260, 3000 / 260),
    }
    for name, (low, high) in expected.items():
        assert by_name[name].break_even_low == pytest.approx(low), name
        assert by_name[name].break_even_high == pytest.approx(high), name
    assert by_name["Electricity tariff"].low_label == "$0.05/kWh"
    assert by_name["API price change per year"].break_even_high == pytest.approx(3000 / 260)


def test_fast_falling_api_prices_flip_the_verdict() -> None:
    """At -60 %/year month m bills 300 x 0.4^((m-1)/12); after 36 months the API has cost
    300 x (1 - 0.4^3) / (1 - 0.4^(1/12)) = $3,820 against $4,440 local: buying never pays off."""
    bars, notes = tornado(CASE)
    change = next(bar for bar in bars if bar.assumption == "API price change per year")
    assert change.break_even_low is None
    assert "If API prices fall 60 %/year, buying would never pay off within 36 months." in notes
    # the widest swing ("never" vs 11.5) is listed first
    assert bars[0].assumption == "API price change per year"


def test_flip_towards_buying_is_reported_with_its_month() -> None:
    """API $150/month against energy $40 and capex $6,000: 6000/110 = 54.5 months, beyond 36 (never).
    With the API 50 % dearer ($225): 6000/185 = 32.43 -> "month 32.4", one decimal as in every table."""
    unit = FLAT_UNIT.__class__(price_usd=6000.0, pp_tok_s=1e9, tg_tok_s=1e9, load_w=500.0, idle_w=500.0)
    work = FLAT_WORK.__class__(model="m", tokens_in_per_month=5e8, tokens_out_per_month=0.0, hours_per_day=24.0)
    case = Case(unit=unit, units=1, workload=work, finance=flat_finance(), api=FLAT_API)
    assert break_even(case) is None
    bars, notes = tornado(case)
    api = next(bar for bar in bars if bar.assumption == "API price")
    assert api.break_even_high == pytest.approx(6000 / 185)
    assert "If the API were 50 % dearer, buying would pay off in month 32.4." in notes
