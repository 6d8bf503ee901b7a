"""Switching values: how far one input must move, alone, for the verdict on the top candidate to flip.

Three inputs, each scaled by a factor from 1/16x to 16x: the API prices, the token volume (tokens per day)
and the hardware price. The verdict rule is the one `advisor.engine.verdict` applies (`buy_rule`): buying
saves money over the horizon, its NPV is positive and the rig is ahead of the API in most months. Every
moved input is costed in one vectorised pass over a grid of factors (ratio 2^(1/8) = 9 % apart), then once
more on a finer grid between the last factor that keeps the verdict and the first that flips it (0.6 %).
The factor reported is the one nearest to 1x (in ratio) that flips the verdict; None when none within 16x does.
"""

from __future__ import annotations

import numpy as np

from advisor.engine.economics import ApiPrices, UnitSpec, cost_arrays, horizon_months
from advisor.engine.types import Finance, SwitchingValue, Workload

COARSE = 2.0 ** np.linspace(-4.0, 4.0, 65)  # 1/16x .. 16x, 9 % apart
FINE_STEPS = 17
ASSUMPTIONS = ("API price", "Tokens per day", "Hardware price")
DAYS_PER_MONTH = 730.0 / 24.0


def buy_rule(saving: np.ndarray, npv: np.ndarray, pays_off: np.ndarray, months_ahead: np.ndarray,
             horizon: int) -> np.ndarray:
    """The verdict's rule on arrays: pays off, saves money, positive NPV, ahead in most months."""
    from advisor.engine.verdict import MIN_AHEAD_SHARE

    return pays_off & (saving > 0) & (npv > 0) & (months_ahead > horizon * MIN_AHEAD_SHARE)


def _buys(api: ApiPrices, unit: UnitSpec, units: int, workload: Workload, finance: Finance,
          factors: tuple[np.ndarray, np.ndarray, np.ndarray]) -> list[np.ndarray]:
    """Buy rule at each factor of each assumption (API price, tokens per day, hardware price), one pass."""
    sizes = [len(f) for f in factors]
    ones = [np.ones(k) for k in sizes]
    a = cost_arrays([(unit, units)], workload, finance, api,
                    api_scale=np.concatenate((factors[0], ones[1], ones[2])),
                    demand_scale=np.concatenate((ones[0], factors[1], ones[2])),
                    price_scale=np.concatenate((ones[0], ones[1], factors[2])))
    saving = a.api_cum[:, -1] - a.local[:, -1]
    ok = buy_rule(saving, a.npv, a.ever, a.ahead, horizon_months(finance))
    return np.split(ok, np.cumsum(sizes)[:-1])


def _nearest_flip(factors: np.ndarray, flips: np.ndarray) -> float | None:
    if not flips.any():
        return None
    candidates = factors[flips]
    return float(candidates[np.argmin(np.abs(np.log(candidates)))])


def _text(name: str, factor: float, unit: UnitSpec, workload: Workload, api: ApiPrices) -> str:
    if name == "API price":
        return (f"API prices x{factor:.2f}: ${api.input_miss * factor:.3g} input / ${api.output * factor:.3g} "
                f"output per Mtok")
    if name == "Tokens per day":
        per_day = (workload.tokens_in_per_month + workload.tokens_out_per_month) / DAYS_PER_MONTH * factor
        return f"tokens per day x{factor:.2f}: {per_day / 1e6:,.1f} M tokens a day"
    return f"hardware price x{factor:.2f}: ${unit.price_usd * factor:,.0f} per unit before tax"


def switching_values(unit: UnitSpec, units: int, workload: Workload, finance: Finance, api: ApiPrices,
                     buys_now: bool, flip_to: str) -> tuple[SwitchingValue, ...]:
    """For each of the three inputs, the factor that flips the verdict (see the module docstring).

    ``buys_now``: whether the verdict buys this candidate; ``flip_to``: the verdict the flip leads to.
    """
    coarse = [row != buys_now for row in _buys(api, unit, units, workload, finance, (COARSE, COARSE, COARSE))]
    found = [_nearest_flip(COARSE, row) for row in coarse]
    # refine between the nearest flipping grid factor and its neighbour towards 1x, all three in one pass
    brackets = []
    for factor in found:
        if factor is None:
            brackets.append(np.ones(1))
            continue
        i = int(np.argmin(np.abs(COARSE - factor)))
        inner = COARSE[min(max(i + 1 if factor < 1 else i - 1, 0), len(COARSE) - 1)]
        brackets.append(np.geomspace(inner, factor, FINE_STEPS))
    fine = _buys(api, unit, units, workload, finance, (brackets[0], brackets[1], brackets[2]))
    out = []
    for name, factor, grid, ok in zip(ASSUMPTIONS, found, brackets, fine, strict=True):
        if factor is None:
            out.append(SwitchingValue(name, None, f"no move of the {name.lower()} within 1/16x..16x flips it",
                                      flip_to))
            continue
        exact = _nearest_flip(grid, ok != buys_now) or factor
        out.append(SwitchingValue(name, exact, _text(name, exact, unit, workload, api), flip_to))
    return tuple(out)
