"""Money over time: capex, energy, API spend, cumulative cost curves, break-even, NPV.

Pure functions on numbers (numpy-financial style). Sign convention, written once: every cost is a positive
number of USD spent; a saving is API cost minus local cost, so a positive NPV means buying is better.

Time convention: month 0 is the purchase (capex paid); month m >= 1 is the m-th month of service and its
spend is booked at its end. Month m serves demand ``tokens x (1 + growth)^(m-1)`` at API prices
``price x (1 + change)^((m-1)/12)``, so the first month is billed at today's demand and prices. A month has
730 hours (8760 / 12).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from advisor.engine.types import Finance, Workload

HOURS_PER_MONTH = 730.0  # 8760 h / 12 [h]


def capex_usd(unit_price_usd: float, units: int = 1, extras_usd: float = 0.0, tax_rate: float = 0.0) -> float:
    """Up-front cost [USD]: (unit price [USD] x units + extras [USD]) x (1 + tax rate [fraction]).

    >>> round(capex_usd(2800.0, units=2, extras_usd=400.0, tax_rate=0.1), 2)
    6600.0
    """
    return (unit_price_usd * units + extras_usd) * (1.0 + tax_rate)


def residual_value_usd(
    capex: float, residual_share: float, age_months: float, useful_life_months: float
) -> float:
    """Book value [USD] of hardware bought for ``capex`` [USD] after ``age_months`` [months].

    Straight-line from capex down to ``residual_share`` x capex at the end of the useful life [months],
    flat after that (a box keeps its resale value once it is old).

    >>> residual_value_usd(3000.0, 0.2, 36, 36)
    600.0
    >>> residual_value_usd(3000.0, 0.2, 18, 36)
    1800.0
    """
    worn = min(1.0, max(0.0, age_months / useful_life_months)) if useful_life_months > 0 else 1.0
    return capex * residual_share + capex * (1.0 - residual_share) * (1.0 - worn)


def prefilled_input_share(workload: Workload) -> float:
    """Share of the input tokens the local server must prefill: all of them, or with a prefix cache
    (``workload.local_prefix_cache`` "reuse") those the API would not bill as cache hits.

    >>> prefilled_input_share(Workload(model="m", cache_hit_share=0.8))
    0.19999999999999996
    >>> prefilled_input_share(Workload(model="m", cache_hit_share=0.8, local_prefix_cache="none"))
    1.0
    """
    return 1.0 - workload.cache_hit_share if workload.local_prefix_cache == "reuse" else 1.0


def serve_hours(tokens_in: float, tokens_out: float, pp_tok_s: float, tg_tok_s: float) -> float:
    """Hours [h] one unit needs to serve a token volume: prefill of the input [tok] at ``pp_tok_s``
    [tok/s] plus decode of the output [tok] at the aggregate ``tg_tok_s`` [tok/s].

    >>> serve_hours(36e6, 3.6e6, 10_000.0, 100.0)
    11.0
    """
    return (tokens_in / pp_tok_s + tokens_out / tg_tok_s) / 3600.0


def monthly_energy_usd(
    busy_hours: float,
    load_w: float,
    idle_w: float,
    pue: float,
    tariff_usd_per_kwh: float,
    hours_in_month: float = HOURS_PER_MONTH,
) -> float:
    """Electricity for one unit for one month [USD]: (busy h x load W + idle h x idle W) x PUE x tariff
    [USD/kWh] / 1000. The box stays powered all month: hours not busy are idle. Busy hours are capped at
    the month.

    >>> round(monthly_energy_usd(100.0, 500.0, 50.0, 1.0, 0.20), 6)
    16.3
    """
    busy = min(max(busy_hours, 0.0), hours_in_month)
    watt_hours = busy * load_w + (hours_in_month - busy) * idle_w
    return watt_hours * pue * tariff_usd_per_kwh / 1000.0


def api_monthly_usd(
    tokens_in: float,
    tokens_out: float,
    cache_hit_share: float,
    usd_per_mtok_input_miss: float,
    usd_per_mtok_input_hit: float,
    usd_per_mtok_output: float,
) -> float:
    """API bill [USD] for a token volume: input [tok] x (hit share x hit price + (1 - hit share) x miss
    price) + output [tok] x output price; prices in [USD per 10^6 tokens].

    >>> round(api_monthly_usd(100e6, 20e6, 0.5, 0.28, 0.028, 0.42), 6)
    23.8
    """
    input_price = cache_hit_share * usd_per_mtok_input_hit + (1.0 - cache_hit_share) * usd_per_mtok_input_miss
    return (tokens_in * input_price + tokens_out * usd_per_mtok_output) / 1e6


def compound_factor(months: float, rate: float, per_months: float = 1.0) -> float:
    """(1 + rate)^(months / per_months): demand growth per month (per_months=1) or a yearly API price
    change applied monthly (per_months=12).

    >>> round(compound_factor(6, -0.36, per_months=12), 6)
    0.8
    """
    return float((1.0 + rate) ** (months / per_months))


def break_even_month(cumulative_local: list[float] | tuple[float, ...],
                     cumulative_api: list[float] | tuple[float, ...]) -> float | None:
    """First month [months, fractional] where cumulative local cost falls to or below cumulative API
    cost, interpolated linearly between the two months around the crossing; None if it never does.

    >>> break_even_month([3000, 3040, 3080], [0, 300, 600]) is None
    True
    >>> round(break_even_month([3000 + 40 * m for m in range(13)], [300 * m for m in range(13)]), 4)
    11.5385
    """
    previous_gap = None
    for month, (local, api) in enumerate(zip(cumulative_local, cumulative_api, strict=True)):
        gap = local - api
        if gap <= 0:
            if month == 0 or previous_gap is None:
                return 0.0
            return (month - 1) + previous_gap / (previous_gap - gap)
        previous_gap = gap
    return None


def month_text(month: float) -> str:
    """A break-even month as every table prints it: one decimal ("month 15.8").

    >>> month_text(15.84), month_text(3.0)
    ('month 15.8', 'month 3.0')
    """
    return f"month {month:.1f}"


def monthly_discount_rate(rate_per_year: float) -> float:
    """Monthly rate equivalent to a yearly discount rate: (1 + r)^(1/12) - 1.

    >>> round(monthly_discount_rate(0.1268250301319698), 6)
    0.01
    """
    return float((1.0 + rate_per_year) ** (1.0 / 12.0) - 1.0)


def npv_usd(flows_usd: list[float] | tuple[float, ...], rate_per_year: float) -> float:
    """Net present value [USD] of monthly flows (index = month, month 0 undiscounted) at a yearly
    discount rate compounded monthly.

    >>> round(npv_usd([-1000.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1100.0], 0.1), 6) + 0.0
    0.0
    """
    monthly = monthly_discount_rate(rate_per_year)
    return float(sum(flow / (1.0 + monthly) ** month for month, flow in enumerate(flows_usd)))


def cost_per_mtok_usd(cost_usd: float, tokens: float) -> float:
    """Cost [USD per 10^6 tokens]; 0 when no tokens are served.

    >>> cost_per_mtok_usd(500.0, 250e6)
    2.0
    """
    return cost_usd / tokens * 1e6 if tokens > 0 else 0.0


@dataclass(frozen=True)
class ApiPrices:
    """An API offer's prices [USD per 10^6 tokens]."""

    input_miss: float
    input_hit: float
    output: float


@dataclass(frozen=True)
class UnitSpec:
    """One unit (a system) as economics sees it: its price and what it does per second and per watt.

    pp_tok_s / tg_tok_s are the unit's aggregate prefill / decode rates [tok/s] at the serving batch;
    load_w / idle_w its whole-system draw [W]; price_usd its purchase price before tax [USD].
    """

    price_usd: float
    pp_tok_s: float
    tg_tok_s: float
    load_w: float
    idle_w: float
    # resale share after t years = exp(-rate x t) with finance.resale_model "device_class" (the device's
    # class curve, advisor.engine.resale); None: the flat residual_share straight line
    resale_rate_per_year: float | None = None


@dataclass(frozen=True)
class CostCurves:
    """Cumulative costs months 0..horizon [USD] and the figures read off them.

    monthly_* figures are month 1 (today's demand and prices). busy_hours_per_month is per unit [h].
    served_share is the share of month-1 demand served locally (1 unless hybrid overflow).
    """

    cumulative_local_usd: tuple[float, ...]
    cumulative_api_usd: tuple[float, ...]
    break_even_month: float | None
    horizon_cost_local_usd: float
    horizon_cost_api_usd: float
    npv_saving_usd: float
    cost_per_mtok_local_usd: float
    capex_usd: float
    monthly_energy_usd: float
    monthly_opex_usd: float
    monthly_overflow_api_usd: float
    monthly_api_usd: float
    busy_hours_per_month: float
    served_share: float
    units_final: int
    months_ahead: int = 0  # months 1..horizon with cumulative local <= cumulative API
    worst_gap_usd: float = 0.0  # max over months 0..horizon of (cumulative local - cumulative API) [USD]
    worst_gap_month: int = 0
    break_even_from_resale: bool = False  # first month ahead is ahead only through a resale credit
    monthly_overflow_curve_usd: tuple[float, ...] = ()  # hybrid API bill, months 1..horizon [USD/month]
    purchases: tuple[tuple[int, int, float], ...] = ()  # (month, units bought, capex [USD])
    tokens_total: float = 0.0  # input + output tokens over the horizon [tok]


def horizon_months(finance: Finance) -> int:
    """Months the comparison runs over: the finance horizon, else the useful life."""
    return int(finance.horizon_months or finance.useful_life_months)


def cost_curves(unit: UnitSpec, units: int, workload: Workload, finance: Finance, api: ApiPrices,
                detail: bool = True) -> CostCurves:
    """Cumulative local vs all-API cost for ``units`` units serving ``workload``.

    Local: capex (units x price x (1 + tax)) at month 0; each month energy for every unit (busy hours from
    demand / capacity, the rest idle), maintenance and hosting per unit [USD/month per unit], and, with
    overflow "hybrid", the API bill for the demand the units cannot serve within ``hours_per_day``. With
    overflow "more_units", a unit is bought in the month demand growth first needs it. At the end of the
    useful life every unit's residual value is credited and, if the horizon goes on, the fleet is bought
    again; at a horizon shorter than the life the straight-line book value is credited at the horizon.
    """
    return cost_curves_many([(unit, units)], workload, finance, api, detail_rows=1 if detail else 0)[0]


@dataclass(frozen=True)
class CostArrays:
    """`cost_arrays`' result: plans x months arrays (months 1..horizon unless named otherwise) [USD, h, units]."""

    units: np.ndarray  # plans x 1, bought at month 0
    unit_capex: np.ndarray  # plans x 1, price x (1 + tax)
    capex: np.ndarray  # plans
    local: np.ndarray  # plans x (horizon + 1), cumulative
    api_cum: np.ndarray  # plans x (horizon + 1), cumulative all-API
    gap: np.ndarray  # local - api_cum, plans x (horizon + 1)
    energy: np.ndarray
    fixed: np.ndarray
    overflow: np.ndarray
    served: np.ndarray
    busy: np.ndarray
    fleet: np.ndarray
    bought: np.ndarray  # units bought per month (growth and end-of-life renewals)
    npv: np.ndarray  # plans: NPV of (API - local)
    tokens_total: np.ndarray  # plans: tokens over the horizon
    month1_api: np.ndarray  # plans: all-API bill of month 1
    crossing: np.ndarray  # plans: interpolated break-even month (valid where ever)
    ever: np.ndarray  # plans: bool, local <= API in some month
    ahead: np.ndarray  # plans: months 1..horizon with local <= API
    worst_month: np.ndarray  # plans: month of the largest gap
    from_resale: np.ndarray  # plans: bool, the first month ahead is ahead only through a resale credit


def cost_arrays(plans: list[tuple[UnitSpec, int]], workload: Workload, finance: Finance, api: ApiPrices,
                api_scale: np.ndarray | None = None, demand_scale: np.ndarray | None = None,
                price_scale: np.ndarray | None = None) -> CostArrays:
    """The cost curves of many plans as arrays. ``api_scale`` / ``demand_scale`` / ``price_scale`` (one factor
    per row, default 1) multiply the API prices / the token volumes / the hardware price of that row alone;
    with one plan and n factors, the plan is evaluated n times (sensitivity and switching values cost hundreds
    of moved inputs in one pass)."""
    horizon = horizon_months(finance)
    life = finance.useful_life_months
    rs = finance.residual_share
    scales = [np.asarray(x, dtype=float)[:, None] for x in (api_scale, demand_scale, price_scale) if x is not None]
    n = max([len(plans), *(len(x) for x in scales)])
    column = lambda values: np.broadcast_to(np.array(values, dtype=float)[:, None], (n, 1))  # noqa: E731
    factor = lambda x: np.ones((n, 1)) if x is None else np.asarray(x, dtype=float)[:, None]  # noqa: E731
    units = column([k for _, k in plans])
    unit_capex = column([u.price_usd for u, _ in plans]) * (1.0 + finance.tax_rate) * factor(price_scale)
    pp, tg = column([u.pp_tok_s for u, _ in plans]), column([u.tg_tok_s for u, _ in plans])
    load_w, idle_w = column([u.load_w for u, _ in plans]), column([u.idle_w for u, _ in plans])
    hours_available = workload.hours_per_day * HOURS_PER_MONTH / 24.0
    input_price = workload.cache_hit_share * api.input_hit + (1.0 - workload.cache_hit_share) * api.input_miss
    volume = factor(demand_scale)
    price = volume * factor(api_scale)

    age = np.arange(horizon, dtype=float)  # months since month 1: demand and prices compound from there
    demand = (1.0 + workload.growth_per_month) ** age
    tokens_in = workload.tokens_in_per_month * demand
    tokens_out = workload.tokens_out_per_month * demand
    prefilled = tokens_in * prefilled_input_share(workload)  # a local prefix cache skips the cached share
    api_bill = (tokens_in * input_price + tokens_out * api.output) / 1e6 \
        * (1.0 + finance.api_price_change_per_year) ** (age / 12.0) * price  # plans x months
    need_hours = (prefilled / pp + tokens_out / tg) / 3600.0 * volume  # plans x months
    fleet = np.broadcast_to(units, need_hours.shape).copy()
    if finance.overflow == "more_units" and hours_available > 0:
        wanted = np.ceil(need_hours / hours_available - 1e-9)
        fleet = np.maximum.accumulate(np.maximum(fleet, wanted), axis=1)
    capacity = fleet * hours_available
    served = np.where(need_hours <= capacity, 1.0, capacity / np.where(need_hours > 0, need_hours, 1.0))
    busy = np.minimum(need_hours * served / fleet, HOURS_PER_MONTH)
    kwh_usd = finance.pue * finance.tariff_usd_per_kwh / 1000.0
    energy = fleet * (busy * load_w + (HOURS_PER_MONTH - busy) * idle_w) * kwh_usd
    overflow = api_bill * (1.0 - served)
    fixed = fleet * (finance.maintenance_usd_per_month + finance.hosting_usd_per_month)
    added = np.diff(fleet, axis=1, prepend=units)  # units bought in the month demand first needs them
    spend = energy + fixed + overflow + added * unit_capex

    curve = finance.resale_model == "device_class"
    rate = column([u.resale_rate_per_year if curve and u.resale_rate_per_year is not None else np.nan
                   for u, _ in plans])

    on_curve = ~np.isnan(rate)
    all_curve, no_curve = bool(on_curve.all()), not bool(on_curve.any())

    def book_share(age_months: np.ndarray | float) -> np.ndarray:
        """Resale value as a share of the purchase price after age_months, plans x ages: the device class's
        curve where the plan has one, else the straight line to the residual share at the end of life."""
        age = np.atleast_1d(np.asarray(age_months, dtype=float))[None, :]
        if all_curve:  # the usual case: every plan is a catalog device with its class's curve
            return np.exp(-rate * age / 12.0)
        flat = rs + (1.0 - rs) * (1.0 - np.clip(age / life, 0.0, 1.0))
        if no_curve:
            return np.broadcast_to(flat, (n, age.shape[1]))
        return np.where(on_curve, np.exp(-np.nan_to_num(rate) * age / 12.0), flat)

    # End of life: credit every unit's book value, buy the fleet again if the horizon goes on.
    start = 0
    credit = np.zeros_like(spend)
    bought = added.copy()
    for month in sorted({*range(life, horizon + 1, life), horizon}):
        first_units = units[:, 0] if start == 0 else fleet[:, start - 1]
        later = (added[:, start:month] * book_share(month - np.arange(start + 1, month + 1))).sum(axis=1)
        credit[:, month - 1] = unit_capex[:, 0] * (first_units * book_share(month - start)[:, 0] + later)
        spend[:, month - 1] -= credit[:, month - 1]
        if month % life == 0 and month < horizon:
            spend[:, month - 1] += unit_capex[:, 0] * fleet[:, month - 1]
            bought[:, month - 1] += fleet[:, month - 1]
            start = month
    capex = unit_capex[:, 0] * units[:, 0]
    local = np.concatenate((capex[:, None], capex[:, None] + np.cumsum(spend, axis=1)), axis=1)
    api_cum = np.concatenate((np.zeros((n, 1)), np.cumsum(api_bill, axis=1)), axis=1)
    discount = (1.0 + monthly_discount_rate(finance.discount_rate_per_year)) ** -np.arange(horizon + 1.0)
    npv = (api_bill - spend) @ discount[1:] - capex
    month_tokens = float(np.sum(tokens_in + tokens_out))
    month1 = (workload.tokens_in_per_month * input_price + workload.tokens_out_per_month * api.output) / 1e6
    # Break-even, vectorised: first month with local <= API, interpolated from the month before.
    gap = local - api_cum
    crossed = np.asarray(gap <= 0, dtype=bool)
    ever = np.asarray(crossed.any(axis=1), dtype=bool)
    first = crossed.argmax(axis=1)
    rows = np.arange(n)
    before, at = gap[rows, np.maximum(first - 1, 0)], gap[rows, first]
    with np.errstate(divide="ignore", invalid="ignore"):
        crossing = np.where(first == 0, 0.0, first - 1 + before / np.where(before > at, before - at, 1.0))
    # The whole horizon, not only the first crossing: months ahead, the worst gap, resale-only crossings.
    credit_at = np.concatenate((np.zeros((n, 1)), credit), axis=1)[rows, first]
    return CostArrays(
        units=units, unit_capex=unit_capex, capex=capex, local=local, api_cum=api_cum, gap=gap, energy=energy,
        fixed=fixed, overflow=overflow, served=served, busy=busy, fleet=fleet, bought=bought, npv=npv,
        tokens_total=month_tokens * volume[:, 0], month1_api=month1 * price[:, 0], crossing=crossing, ever=ever,
        ahead=np.sum(gap[:, 1:] <= 1e-9, axis=1), worst_month=gap.argmax(axis=1),
        from_resale=ever & (first > 0) & (credit_at > 0) & (gap[rows, first] + credit_at > 1e-9))


def cost_curves_many(plans: list[tuple[UnitSpec, int]], workload: Workload, finance: Finance, api: ApiPrices,
                     detail_rows: int | None = None) -> list[CostCurves]:
    """`cost_curves` for many (unit, units) plans at once, vectorised over plans x months (the app
    recomputes every candidate on every edit). Only the first ``detail_rows`` plans (default: all) get the
    per-month overflow bills and the purchase schedule; the others (throughput bands, sensitivity moves)
    only need their curves and break-even."""
    if not plans:
        return []
    a = cost_arrays(plans, workload, finance, api)
    detailed = len(plans) if detail_rows is None else detail_rows
    api_tuple = tuple(a.api_cum[0].tolist())
    tokens_total, month1_api = float(a.tokens_total[0]), float(a.month1_api[0])
    overflow_rows = a.overflow[:detailed].tolist()
    bought_rows = a.bought[:detailed].tolist()
    unit_capex = a.unit_capex[:, 0].tolist()
    out = []
    for i, row in enumerate(a.local.tolist()):
        purchases: tuple[tuple[int, int, float], ...] = ()
        if i < detailed:
            later = [(m + 1, int(n), n * unit_capex[i]) for m, n in enumerate(bought_rows[i]) if n > 0]
            purchases = ((0, int(a.units[i, 0]), float(a.capex[i])), *later)
        out.append(CostCurves(
            cumulative_local_usd=tuple(row),
            cumulative_api_usd=api_tuple,
            break_even_month=float(a.crossing[i]) if a.ever[i] else None,
            horizon_cost_local_usd=row[-1],
            horizon_cost_api_usd=api_tuple[-1],
            npv_saving_usd=float(a.npv[i]),
            cost_per_mtok_local_usd=cost_per_mtok_usd(row[-1], tokens_total),
            capex_usd=float(a.capex[i]),
            monthly_energy_usd=float(a.energy[i, 0]),
            monthly_opex_usd=float(a.energy[i, 0] + a.fixed[i, 0]),
            monthly_overflow_api_usd=float(a.overflow[i, 0]),
            monthly_api_usd=month1_api,
            busy_hours_per_month=float(a.busy[i, 0]),
            served_share=float(a.served[i, 0]),
            units_final=int(a.fleet[i, -1]),
            months_ahead=int(a.ahead[i]),
            worst_gap_usd=float(a.gap[i, a.worst_month[i]]),
            worst_gap_month=int(a.worst_month[i]),
            break_even_from_resale=bool(a.from_resale[i]),
            monthly_overflow_curve_usd=tuple(overflow_rows[i]) if i < detailed else (),
            purchases=purchases,
            tokens_total=tokens_total,
        ))
    return out


def api_curve(workload: Workload, finance: Finance, api: ApiPrices) -> tuple[float, ...]:
    """Cumulative all-API cost months 0..horizon [USD], with demand growth and the yearly price change.

    >>> api_curve(Workload(model="m", tokens_in_per_month=1e9, tokens_out_per_month=0.0),
    ...           Finance(useful_life_months=3, api_price_change_per_year=0.0), ApiPrices(0.3, 0.0, 0.0))
    (0.0, 300.0, 600.0, 900.0)
    """
    input_price = workload.cache_hit_share * api.input_hit + (1.0 - workload.cache_hit_share) * api.input_miss
    month1 = (workload.tokens_in_per_month * input_price + workload.tokens_out_per_month * api.output) / 1e6
    step = (1.0 + workload.growth_per_month) * (1.0 + finance.api_price_change_per_year) ** (1.0 / 12.0)
    cumulative = [0.0]
    bill = month1
    for _ in range(horizon_months(finance)):
        cumulative.append(cumulative[-1] + bill)
        bill *= step
    return tuple(cumulative)
