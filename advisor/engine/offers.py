"""Which API offers a scenario is compared against, what each costs, and which one the verdict uses.

Every offer the scenario lists is compared, plus (with ``finance.api_offers_compared`` = "scenario_and_catalog",
the default) every catalog offer for the model the rigs run. Each is costed for all of the demand over the
horizon (same growth and yearly price change for all, so the cheapest over the horizon is also the cheapest in
month 1). The verdict uses the cheapest *acceptable* offer: one whose validity window contains the evaluation
day. An expired or not-yet-valid offer is still listed, flagged, and used only when no offer is valid.
The order offers are listed in does not matter: ties are broken by catalog id.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from advisor.engine.economics import ApiPrices, api_curve, api_monthly_usd
from advisor.engine.pricing import STALE_AFTER_MONTHS, age_months, as_date
from advisor.engine.types import Finance, OfferCost, Workload
from advisor.errors import InputError


def offer_prices(offer: OfferCost) -> ApiPrices:
    return ApiPrices(offer.usd_per_mtok_input_miss, offer.usd_per_mtok_input_hit, offer.usd_per_mtok_output)


def _flags(record: Any, today: dt.date, hours_per_day: float) -> tuple[tuple[str, ...], bool]:
    """(flags in words, acceptable) for one offer record on ``today``."""
    flags: list[str] = []
    acceptable = True
    start, end = as_date(record.effective_from), as_date(record.effective_to)
    if end is not None and end < today:
        flags.append(f"expired on {end.isoformat()}")
        acceptable = False
    if start is not None and start > today:
        flags.append(f"not valid before {start.isoformat()}")
        acceptable = False
    age = age_months(record.as_of, today)
    if age is not None and age > STALE_AFTER_MONTHS:
        flags.append(f"price checked {age:.0f} months ago ({str(record.as_of)[:10]})")
    if str(record.tier) == "off-peak" and hours_per_day > 8:
        # the provider's off-peak window is a few hours a day: a longer service day pays peak for the rest
        flags.append(f"off-peak price: only for requests in the provider's off-peak hours, not all {hours_per_day:g} h")
    return tuple(flags), acceptable


def _cost(record: Any, workload: Workload, finance: Finance, today: dt.date, from_scenario: bool,
          model_id: str) -> OfferCost:
    prices = ApiPrices(float(record.usd_per_mtok_input_miss), float(record.usd_per_mtok_input_hit),
                       float(record.usd_per_mtok_output))
    curve = api_curve(workload, finance, prices)
    tokens = _horizon_tokens(workload, len(curve) - 1)
    flags, acceptable = _flags(record, today, workload.hours_per_day)
    model_ref = getattr(record, "model_ref", None)
    return OfferCost(
        id=str(record.id), name=str(record.name), provider=str(record.provider), model_ref=model_ref,
        tier=str(record.tier), usd_per_mtok_input_miss=prices.input_miss, usd_per_mtok_input_hit=prices.input_hit,
        usd_per_mtok_output=prices.output,
        monthly_usd=api_monthly_usd(workload.tokens_in_per_month, workload.tokens_out_per_month,
                                    workload.cache_hit_share, prices.input_miss, prices.input_hit, prices.output),
        horizon_cost_usd=curve[-1], cost_per_mtok_usd=curve[-1] / tokens * 1e6 if tokens > 0 else 0.0,
        from_scenario=from_scenario, same_model=model_ref == model_id, acceptable=acceptable, flags=flags,
        source=str(record.source), as_of=str(record.as_of)[:10],
        effective_to=str(record.effective_to)[:10] if record.effective_to else None)


def _horizon_tokens(workload: Workload, horizon: int) -> float:
    """Input + output tokens served over the horizon [tok], with monthly growth."""
    g = workload.growth_per_month
    months = horizon if g == 0 else ((1.0 + g) ** horizon - 1.0) / g
    return (workload.tokens_in_per_month + workload.tokens_out_per_month) * months


def compared_offers(scenario: Any, catalog: Any, model_id: str, today: dt.date) -> tuple[OfferCost, ...]:
    """Every offer compared, the chosen one first: acceptable before flagged, then cheapest over the horizon,
    then by id. InputError names a scenario offer the catalog does not know (``api_offers[i]``)."""
    from advisor.engine.scenario import renamed  # late: scenario imports this module

    work, finance = scenario.workload, scenario.finance
    records: dict[str, tuple[Any, bool]] = {}
    for index, offer_id in enumerate(scenario.api_offers):
        try:
            record = catalog.api_offer(offer_id)
        except InputError as exc:
            raise renamed(exc, f"api_offers[{index}]") from None
        records.setdefault(str(record.id), (record, True))
    if finance.api_offers_compared == "scenario_and_catalog" and model_id:
        for record in getattr(catalog, "api_offers", ()):
            if getattr(record, "model_ref", None) == model_id:
                records.setdefault(str(record.id), (record, False))
    costs = [_cost(record, work, finance, today, listed, model_id) for record, listed in records.values()]
    return tuple(sorted(costs, key=lambda o: (not o.acceptable, round(o.horizon_cost_usd, 6), o.id)))


def offer_note(offer: OfferCost, model: str) -> str:
    """Why the chosen offer is worth a second look, in words ("" when nothing)."""
    parts = list(offer.flags)
    if not offer.acceptable:
        parts.insert(0, "no API offer in the comparison is valid today; the cheapest expired one is used")
    if not offer.same_model:
        parts.append(f"it serves a different model than {model}")
    return "; ".join(parts)
