"""Hypothesis over scenario values: bad values raise only InputError; good ones never give NaN, infinity or a
negative cost."""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.engine.economics import ApiPrices, UnitSpec, api_curve, break_even_month, cost_curves
from advisor.engine.scenario import scenario_from_json
from advisor.errors import InputError

ANY_NUMBER = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=-2, max_value=2),
    st.integers(min_value=-10, max_value=300),
    st.just(None), st.booleans(), st.text(max_size=3),
)
WORKLOAD = st.fixed_dictionaries(
    {"model": st.just("m")},
    optional={
        "tokens_in_per_month": st.one_of(ANY_NUMBER, st.floats(0, 1e15)),
        "tokens_out_per_month": st.one_of(ANY_NUMBER, st.floats(0, 1e15)),
        "cache_hit_share": ANY_NUMBER, "peak_concurrency": ANY_NUMBER, "hours_per_day": ANY_NUMBER,
        "growth_per_month": ANY_NUMBER, "sla_ttft_s": ANY_NUMBER, "prompt_tokens": ANY_NUMBER,
    },
)
FINANCE = st.fixed_dictionaries(
    {},
    optional={
        "tariff_usd_per_kwh": ANY_NUMBER, "pue": ANY_NUMBER, "useful_life_months": ANY_NUMBER,
        "residual_share": ANY_NUMBER, "discount_rate_per_year": ANY_NUMBER,
        "api_price_change_per_year": ANY_NUMBER, "maintenance_usd_per_month": ANY_NUMBER,
        "tax_rate": ANY_NUMBER, "overflow": st.sampled_from(["more_units", "hybrid", "other"]),
        "horizon_months": ANY_NUMBER,
    },
)
POSITIVE = st.floats(min_value=1e-3, max_value=1e7)


def _finite_nonnegative(values: tuple[float, ...] | list[float]) -> bool:
    return all(math.isfinite(v) and v >= -1e-6 for v in values)


@settings(deadline=None, max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(workload=WORKLOAD, finance=FINANCE, price=POSITIVE, pp=POSITIVE, tg=POSITIVE, load=POSITIVE,
       idle=st.floats(0, 1e4), units=st.integers(1, 16),
       api=st.tuples(st.floats(0, 100), st.floats(0, 100), st.floats(0, 100)))
def test_only_input_errors_and_never_nan_inf_or_negative(
    workload: dict, finance: dict, price: float, pp: float, tg: float, load: float, idle: float, units: int,
    api: tuple[float, float, float],
) -> None:
    data = {"name": "p", "workload": workload, "finance": finance, "candidates": ["a"], "api_offers": ["b"]}
    try:
        scenario = scenario_from_json(data)
    except InputError as exc:
        assert exc.field  # every rejection names its field
        return
    prices = ApiPrices(*api)
    curves = cost_curves(UnitSpec(price, pp, tg, load, idle), units, scenario.workload, scenario.finance, prices)
    assert _finite_nonnegative(curves.cumulative_local_usd)
    assert _finite_nonnegative(curves.cumulative_api_usd)
    assert _finite_nonnegative([curves.capex_usd, curves.monthly_energy_usd, curves.monthly_opex_usd,
                                curves.monthly_overflow_api_usd, curves.monthly_api_usd,
                                curves.horizon_cost_local_usd, curves.horizon_cost_api_usd,
                                curves.cost_per_mtok_local_usd, curves.busy_hours_per_month])
    assert math.isfinite(curves.npv_saving_usd)
    assert 0.0 <= curves.served_share <= 1.0
    horizon = len(curves.cumulative_local_usd) - 1
    assert curves.break_even_month is None or 0.0 <= curves.break_even_month <= horizon
    # the vectorised break-even agrees with the plain one
    plain = break_even_month(curves.cumulative_local_usd, curves.cumulative_api_usd)
    assert (plain is None) == (curves.break_even_month is None)
    assert plain is None or math.isclose(plain, curves.break_even_month or 0.0, rel_tol=1e-9, abs_tol=1e-9)
    assert api_curve(scenario.workload, scenario.finance, prices) == curves.cumulative_api_usd or all(
        math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
        for a, b in zip(api_curve(scenario.workload, scenario.finance, prices), curves.cumulative_api_usd,
                        strict=True))
