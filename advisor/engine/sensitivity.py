"""Tornado: how the break-even month moves when one assumption moves to a low / high value.

Each assumption is moved alone, everything else at its scenario value: electricity tariff (x0.5 / x2),
API price (-50 % / +50 %), API price change per year (-60 %/yr / flat), demand (x0.5 / x2), hardware price
(-25 % / +25 %), useful life (24 / 60 months) and residual value (none / 40 %, or with a device-class resale
curve none / losing value half as fast). Where a move flips the
answer (pays off <-> never pays off within the horizon) a plain sentence says so.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from advisor.engine.assumptions import what_if
from advisor.engine.economics import ApiPrices, UnitSpec, cost_arrays, month_text
from advisor.engine.types import Finance, SensitivityBar, Workload


@dataclass(frozen=True)
class Case:
    """One evaluation input: a unit, how many, the workload, money assumptions and the API prices."""

    unit: UnitSpec
    units: int
    workload: Workload
    finance: Finance
    api: ApiPrices


Move = Callable[[Case], Case]


def _finance(case: Case, **changes: object) -> Case:
    return dataclasses.replace(case, finance=what_if(case.finance, **changes))


def _scale_api(case: Case, factor: float) -> Case:
    api = ApiPrices(case.api.input_miss * factor, case.api.input_hit * factor, case.api.output * factor)
    return dataclasses.replace(case, api=api)


def _scale_demand(case: Case, factor: float) -> Case:
    work = what_if(case.workload, tokens_in_per_month=case.workload.tokens_in_per_month * factor,
                   tokens_out_per_month=case.workload.tokens_out_per_month * factor)
    return dataclasses.replace(case, workload=work)


def _scale_hardware(case: Case, factor: float) -> Case:
    return dataclasses.replace(case, unit=dataclasses.replace(case.unit, price_usd=case.unit.price_usd * factor))


def _assumptions(case: Case) -> list[tuple[str, str, str, Move, Move, str, str]]:
    """(assumption, low label, high label, low move, high move, low phrase, high phrase)."""
    tariff = case.finance.tariff_usd_per_kwh
    return [
        ("Electricity tariff", f"${tariff * 0.5:.2f}/kWh", f"${tariff * 2:.2f}/kWh",
         lambda c: _finance(c, tariff_usd_per_kwh=tariff * 0.5),
         lambda c: _finance(c, tariff_usd_per_kwh=tariff * 2),
         f"electricity cost ${tariff * 0.5:.2f}/kWh", f"electricity cost ${tariff * 2:.2f}/kWh"),
        ("API price", "-50 %", "+50 %", lambda c: _scale_api(c, 0.5), lambda c: _scale_api(c, 1.5),
         "the API were 50 % cheaper", "the API were 50 % dearer"),
        ("API price change per year", "-60 %/yr", "flat",
         lambda c: _finance(c, api_price_change_per_year=-0.6),
         lambda c: _finance(c, api_price_change_per_year=0.0),
         "API prices fall 60 %/year", "API prices stay flat"),
        ("Demand", "x0.5", "x2", lambda c: _scale_demand(c, 0.5), lambda c: _scale_demand(c, 2.0),
         "demand were half", "demand doubled"),
        ("Hardware price", "-25 %", "+25 %", lambda c: _scale_hardware(c, 0.75),
         lambda c: _scale_hardware(c, 1.25), "the hardware cost 25 % less", "the hardware cost 25 % more"),
        ("Useful life", "24 months", "60 months", lambda c: _finance(c, useful_life_months=24),
         lambda c: _finance(c, useful_life_months=60), "the hardware lasted 24 months",
         "the hardware lasted 60 months"),
        _residual_row(case),
    ]


def _residual_row(case: Case) -> tuple[str, str, str, Move, Move, str, str]:
    """Resale: none vs 40 % flat, or with a device-class curve none vs losing value half as fast."""
    no_resale = lambda c: _finance(c, resale_model="flat", residual_share=0.0)  # noqa: E731
    rate = case.unit.resale_rate_per_year
    if case.finance.resale_model == "device_class" and rate is not None:
        def slower(c: Case) -> Case:
            return dataclasses.replace(c, unit=dataclasses.replace(c.unit, resale_rate_per_year=rate * 0.5))

        return ("Residual value", "none", "half the loss", no_resale, slower, "the hardware had no resale value",
                "used prices fell half as fast")
    return ("Residual value", "0 %", "40 %", no_resale, lambda c: _finance(c, residual_share=0.4),
            "the hardware had no resale value", "the hardware resold for 40 %")


def break_even(case: Case) -> float | None:
    """Break-even month [months] of one case (None: never within the horizon)."""
    a = cost_arrays([(case.unit, case.units)], case.workload, case.finance, case.api)
    return float(a.crossing[0]) if a.ever[0] else None


# (key, API price factor, demand factor, hardware price factor): the moves `_assumptions` makes by scaling
_SCALED = (("base", 1.0, 1.0, 1.0), ("API price low", 0.5, 1.0, 1.0), ("API price high", 1.5, 1.0, 1.0),
           ("Demand low", 1.0, 0.5, 1.0), ("Demand high", 1.0, 2.0, 1.0),
           ("Hardware price low", 1.0, 1.0, 0.75), ("Hardware price high", 1.0, 1.0, 1.25))


def _scaled_break_evens(case: Case) -> dict[str, float | None]:
    """Break-even of the base case and of every scaling move, in one vectorised pass."""
    a = cost_arrays([(case.unit, case.units)], case.workload, case.finance, case.api,
                    api_scale=np.array([m[1] for m in _SCALED]), demand_scale=np.array([m[2] for m in _SCALED]),
                    price_scale=np.array([m[3] for m in _SCALED]))
    return {key: (float(a.crossing[i]) if a.ever[i] else None) for i, (key, *_) in enumerate(_SCALED)}


def _flip_note(phrase: str, base: float | None, moved: float | None, horizon: int) -> str | None:
    if base is not None and moved is None:
        return f"If {phrase}, buying would never pay off within {horizon} months."
    if base is None and moved is not None:
        return f"If {phrase}, buying would pay off in {month_text(moved)}."
    return None


def tornado(case: Case) -> tuple[tuple[SensitivityBar, ...], tuple[str, ...]]:
    """Sensitivity bars, widest swing first, and the flip notes.

    A bar's break-even is None when that move makes buying never pay off within the horizon.
    """
    batched = _scaled_break_evens(case)  # base and the moves that only scale a price or the volume: one pass
    base = batched["base"]
    horizon = int(case.finance.horizon_months or case.finance.useful_life_months)
    bars: list[SensitivityBar] = []
    notes: list[str] = []
    for name, low_label, high_label, low_move, high_move, low_phrase, high_phrase in _assumptions(case):
        low_case, high_case = low_move(case), high_move(case)
        low = batched[f"{name} low"] if f"{name} low" in batched else break_even(low_case)
        high = batched[f"{name} high"] if f"{name} high" in batched else break_even(high_case)
        bars.append(SensitivityBar(name, low_label, high_label, low, high))
        for phrase, moved, moved_case in ((low_phrase, low, low_case), (high_phrase, high, high_case)):
            moved_horizon = int(moved_case.finance.horizon_months or moved_case.finance.useful_life_months)
            note = _flip_note(phrase, base, moved, moved_horizon if moved is None else horizon)
            if note:
                notes.append(note)

    def swing(bar: SensitivityBar) -> float:
        never = 2.0 * horizon + 60.0  # "never" plots beyond any real month
        low = never if bar.break_even_low is None else bar.break_even_low
        high = never if bar.break_even_high is None else bar.break_even_high
        return abs(high - low)

    bars.sort(key=swing, reverse=True)
    return tuple(bars), tuple(notes)
