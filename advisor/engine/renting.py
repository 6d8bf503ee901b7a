"""Renting as a third path: the same rig's GPUs by the hour in a cloud, instead of buying them or the API.

A candidate that fits and meets the SLA can be rented when the catalog has a dated rental price for its
GPU type (price points with condition ``rent-on-demand`` or ``rent-spot``, USD per GPU-hour). Hours are
driven by the demand: each month rents as many copies of the rig as that month's tokens need (the same
throughput the purchase is costed at, never fewer than the units the peak concurrency needs), for the
service hours of the day (``hours_per_day`` x 30.4 days: a rented GPU serving users is paid while it waits for
them). Energy, hosting and resale are the cloud's; rental prices are held flat over the horizon (no trend
is modelled). Spot / community capacity can be taken away at short notice: it is listed, flagged, and only
the on-demand price decides the verdict.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np

from advisor.engine.economics import HOURS_PER_MONTH, horizon_months, prefilled_input_share
from advisor.engine.pricing import STALE_AFTER_MONTHS, age_months
from advisor.engine.types import CandidateResult, Finance, RentOption, Workload

RENT_TIERS = (("rent-on-demand", "on-demand"), ("rent-spot", "spot"))


def rent_options(candidates: list[CandidateResult], devices: dict[str, str], catalog: Any, workload: Workload,
                 finance: Finance, today: dt.date) -> tuple[RentOption, ...]:
    """Every (viable candidate x rental tier) with a price, cheapest over the horizon first.

    ``devices`` maps a candidate's system id to its accelerator's catalog id (where rental prices live).
    """
    horizon = horizon_months(finance)
    hours_available = workload.hours_per_day * HOURS_PER_MONTH / 24.0
    age = np.arange(horizon, dtype=float)
    demand = (1.0 + workload.growth_per_month) ** age
    rows: list[tuple[CandidateResult, str, Any]] = []
    prices: dict[str, list[tuple[str, Any]]] = {}  # device id -> (tier, latest point), looked up once
    for cand in candidates:
        if not (cand.fits and cand.meets_sla) or cand.system_id not in devices:
            continue
        device = devices[cand.system_id]
        if device not in prices:
            prices[device] = [(tier, catalog.latest_price(device, condition)) for condition, tier in RENT_TIERS]
        rows += [(cand, tier, point) for tier, point in prices[device] if point is not None]
    if not rows or hours_available <= 0:
        return ()
    est_pp = np.array([c.estimate.pp_tok_s for c, _, _ in rows])[:, None]
    est_tg = np.array([c.estimate.tg_tok_s for c, _, _ in rows])[:, None]
    units = np.array([c.units for c, _, _ in rows], dtype=float)[:, None]
    gpus = np.array([c.setup.count for c, _, _ in rows], dtype=float)[:, None]
    usd_per_hour = np.array([float(p.price_usd) for _, _, p in rows])[:, None]
    prefilled = workload.tokens_in_per_month * prefilled_input_share(workload)
    need_hours = (prefilled * demand / est_pp + workload.tokens_out_per_month * demand / est_tg) / 3600.0
    fleet = np.maximum(units, np.ceil(need_hours / hours_available - 1e-9))
    monthly = fleet * gpus * usd_per_hour * hours_available
    cumulative = np.concatenate((np.zeros((len(rows), 1)), np.cumsum(monthly, axis=1)), axis=1)
    out = []
    for i, (cand, tier, point) in enumerate(rows):
        flags = []
        if tier == "spot":
            flags.append("spot / community capacity can be interrupted: fit for restartable batch work only")
        age_m = age_months(point.observed_at, today)
        if age_m is not None and age_m > STALE_AFTER_MONTHS:
            flags.append(f"rental price {age_m:.0f} months old")
        out.append(RentOption(
            system_id=cand.system_id, name=cand.name, quant=cand.quant, tier=tier,
            usd_per_gpu_hour=float(point.price_usd), gpus=int(gpus[i, 0] * fleet[i, 0]),
            hours_per_month=hours_available, monthly_usd=float(monthly[i, 0]),
            horizon_cost_usd=float(cumulative[i, -1]), cumulative_usd=tuple(cumulative[i].tolist()),
            gpus_final=int(gpus[i, 0] * fleet[i, -1]), vendor=str(getattr(point, "vendor", "")),
            source=str(getattr(point, "source", "")), observed_at=str(point.observed_at)[:10],
            flags=tuple(flags)))
    ranked = sorted(out, key=lambda o: (o.tier != "on-demand", o.horizon_cost_usd, o.system_id, o.quant))
    seen: set[tuple[str, str]] = set()
    kept = []
    for option in ranked:  # one row per rig and tier: its cheapest quant (the same GPUs rent at the same price)
        if (option.system_id, option.tier) not in seen:
            seen.add((option.system_id, option.tier))
            kept.append(option)
    return tuple(kept)


def best_on_demand(options: tuple[RentOption, ...]) -> RentOption | None:
    return next((o for o in options if o.tier == "on-demand"), None)


def rent_sentence(option: RentOption, offer: str, api_total: float, buy: CandidateResult | None,
                  horizon: int) -> str:
    """The RENT verdict in words, with the figures it was decided on."""
    from advisor.engine.verdict import money_text

    per_gpu = f"${option.usd_per_gpu_hour:.2f}"
    buying = (f" and {money_text(buy.horizon_cost_local_usd)} buying {buy.name}" if buy is not None else "")
    more = (f", growing to {option.gpus_final} GPUs as demand grows" if option.gpus_final > option.gpus else "")
    return (f"Rent {option.name} ({option.quant}) on demand: {option.gpus} GPU{'s' if option.gpus > 1 else ''} at "
            f"{per_gpu} per GPU-hour for {option.hours_per_month:,.0f} h a month is "
            f"{money_text(option.monthly_usd)}/month{more}, {money_text(option.horizon_cost_usd)} over {horizon} "
            f"months, against {money_text(api_total)} all on {offer}{buying}: no capex and no resale risk. "
            f"Rental price: {option.vendor} {per_gpu}/GPU-hour on {option.observed_at}.")


def rent_is_cheaper(option: RentOption | None, api_total: float, buy_total: float | None) -> bool:
    """Rent when the on-demand rental costs less over the horizon than the API and than buying (if buying
    would be advised)."""
    if option is None:
        return False
    rivals = [api_total] + ([buy_total] if buy_total is not None else [])
    return option.horizon_cost_usd < min(rivals) and math.isfinite(option.horizon_cost_usd)
