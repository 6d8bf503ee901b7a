"""The verdict in plain words: names, money, the buy / api / hybrid rule and its sentence.

Kept apart from the evaluation (advisor.engine.recommend) so the wording a finance reviewer reads is in one
place: break-even months with one decimal (`month_text`), money as "$3,760" / "-$817", rates as "8 %",
multi-unit names as "2 x (2x RTX 5090 desktop)".
"""

from __future__ import annotations

import math
import re

from advisor.engine.economics import month_text
from advisor.engine.offers import offer_note
from advisor.engine.scenario import ResolvedScenario
from advisor.engine.types import CandidateResult, HorizonView


def unit_label(name: str, units: int) -> str:
    """The candidate's display name, the same in the table, the sentence, the JSON and the report.

    One unit is the system's own name; several are "3 x NAME", with NAME in brackets when it starts with a
    count of its own, so "2 x (2x RTX 5090 desktop)" reads as two systems of two GPUs each.

    >>> unit_label("2x RTX 5090 desktop", 1), unit_label("Mac Studio M4 Max", 3)
    ('2x RTX 5090 desktop', '3 x Mac Studio M4 Max')
    >>> unit_label("2x RTX 5090 desktop", 2)
    '2 x (2x RTX 5090 desktop)'
    """
    if units == 1:
        return name
    if re.match(r"^\d+\s*x\s", name, flags=re.IGNORECASE):
        return f"{units} x ({name})"
    return f"{units} x {name}"


def percent_text(rate: float) -> str:
    """A yearly rate as "8 %" (up to one decimal)."""
    return f"{rate * 100:.1f}".rstrip("0").rstrip(".") + " %"


def money_text(usd: float) -> str:
    """Whole dollars with separators, the sign in front: "$3,760", "-$817"."""
    return f"{'-' if usd < -0.5 else ''}${abs(usd):,.0f}"


def compared_pair(value: float, limit: float, decimals: int = 1) -> tuple[str, str]:
    """``value`` and ``limit`` printed with the same decimals, enough of them that two different numbers never
    print alike: "19.96 is below 20.00", never "20.0 is below the SLA of 20".

    >>> compared_pair(12.34, 20.0), compared_pair(19.96, 20.0), compared_pair(19.9996, 20)
    (('12.3', '20.0'), ('19.96', '20.00'), ('19.9996', '20.0000'))
    """
    for places in range(decimals, 7):
        shown, bound = f"{value:.{places}f}", f"{limit:.{places}f}"
        if shown != bound:
            return shown, bound
    return f"{value:.6g}", f"{limit:.6g}"


def _price_note(candidate: CandidateResult) -> str:
    """" Price note: ..." for the verdict sentence when a price is old or from another condition."""
    caveats = [r.removeprefix("price: ") for r in candidate.reasons if r.startswith("price: ")]
    return f" Price note: {'; '.join(caveats)}." if caveats else ""


MIN_AHEAD_SHARE = 0.5  # buy only a rig that is ahead of the API in more than this share of the horizon's months


def ahead_for_most(view: HorizonView, horizon: int) -> bool:
    """True when the rig's cumulative cost is at or below the API's in most months of the horizon: a rig that
    crosses once and falls behind again, or gets ahead only by being resold, is not a purchase to advise.

    >>> ahead_for_most(HorizonView(19, 0.0, 0, False, (), (), 0.0, 0.0, 0.0), 36)
    True
    >>> ahead_for_most(HorizonView(18, 0.0, 0, False, (), (), 0.0, 0.0, 0.0), 36)
    False
    """
    return view.months_ahead > horizon * MIN_AHEAD_SHARE


def offers_text(resolved: ResolvedScenario) -> str:
    """" The API figure is the cheapest ..." when several offers were compared or the chosen one is flagged."""
    offers = resolved.offers
    if not offers:
        return ""
    chosen = offers[0]
    note = offer_note(chosen, resolved.model.name)
    if len(offers) == 1:
        return f" The API offer compared, {chosen.name}: {note}." if note else ""
    which = "the cheapest acceptable" if chosen.acceptable else "the cheapest (none is valid today)"
    tail = f"; {note}" if note else ""
    return (f" The API figure is {which} of the {len(offers)} offers compared ({chosen.name}, "
            f"{money_text(chosen.monthly_usd)}/month in month 1{tail}).")


def verdict(resolved: ResolvedScenario, ranked: list[CandidateResult], api_total: float, horizon: int
            ) -> tuple[str, str, CandidateResult | None]:
    kind, sentence, best = _verdict(resolved, ranked, api_total, horizon)
    return kind, sentence + offers_text(resolved), best


def _verdict(resolved: ResolvedScenario, ranked: list[CandidateResult], api_total: float, horizon: int
             ) -> tuple[str, str, CandidateResult | None]:
    """Verdict, sentence and the recommended candidate.

    The cheapest viable candidate over the horizon (the ranking's first) is bought only when it is
    cheaper than the API over the horizon AND the net present value of the saving at the discount rate
    is positive: a nominal saving that money's cost wipes out is no reason to spend capex today. It is
    "hybrid" when it leaves part of the demand to the API. Both the nominal saving and its NPV are stated.
    """
    offer, model = resolved.api_offer, resolved.model.name
    finance = resolved.scenario.finance
    viable = [r for r in ranked if r.fits and r.meets_sla and r.cumulative_local_usd]
    if not viable:
        why = next((r.reasons[0] for r in ranked if r.reasons), "")
        fails = next((r for r in ranked if r.fits), None)
        if fails is not None and not fails.meets_sla:
            why = "; ".join(fails.reasons[1:2]) or why
        elif fails is not None and fails.meets_sla:  # it would serve, but it has no price to cost it at
            why = next((r for r in fails.reasons if r.startswith("cannot be costed")), why)
        tail = f": {why}" if why else ""
        fitting = [r for r in ranked if r.fits]
        if fitting and not any(r.meets_sla for r in fitting):
            work = resolved.scenario.workload
            fastest = max(fitting, key=lambda r: r.estimate.tg_tok_s_per_user)
            speed, sla = compared_pair(fastest.estimate.tg_tok_s_per_user, work.sla_tok_s_per_user)
            tail = (f": the SLA of {sla} tok/s per user and {work.sla_ttft_s:g} s to the first token cannot be met "
                    f"on any of them; the fastest that holds the model, {fastest.name} ({fastest.quant}), gives "
                    f"{speed} tok/s per user at {work.peak_concurrency} concurrent users and "
                    f"{fastest.estimate.ttft_s:.1f} s to the first token")
        return "api", (f"Stay on the API ({offer}): none of the {len(resolved.systems)} candidate systems can "
                       f"serve {model} within the SLA{tail}."), None
    best = viable[0]
    local = best.horizon_cost_local_usd
    saving = api_total - local
    rate = percent_text(finance.discount_rate_per_year)
    totals = f"{money_text(local)} against {money_text(api_total)} all on {offer}"
    worth = f"worth {money_text(best.npv_saving_usd)} today at a discount rate of {rate} a year"
    note = _price_note(best)
    view = best.horizon
    if best.break_even_month is not None and saving > 0 and best.npv_saving_usd > 0 and view is not None \
            and not ahead_for_most(view, horizon):
        resale = (f"; it gets ahead only through the resale credit in month {math.ceil(best.break_even_month)}"
                  if view.break_even_from_resale else "")
        return "api", (
            f"Stay on the API ({offer}): the cheapest rig that serves the workload, {best.name} ({best.quant}), "
            f"would save {money_text(saving)} over {horizon} months ({totals}), but it is ahead of the API in only "
            f"{view.months_ahead} of {horizon} months{resale}; at worst it is {money_text(view.worst_gap_usd)} "
            f"behind (month {view.worst_gap_month}). Buying is advised only when the rig is ahead for most of the "
            f"horizon.{note}"), None
    if best.break_even_month is not None and saving > 0 and best.npv_saving_usd > 0:
        when = month_text(best.break_even_month)
        if view is not None and view.break_even_from_resale:
            when += ", only through the resale credit at the end of its life,"
        elif best.break_even_month > finance.useful_life_months - 1 and (
                finance.residual_share > 0 or finance.resale_model == "device_class"):
            when += ", only once it is resold at the end of its life,"
        if view is not None:
            when += f" (ahead of the API in {view.months_ahead} of {horizon} months)"
        value = f"saves {money_text(saving)} over {horizon} months ({totals}), {worth}"
        bills = view.monthly_overflow_api_usd if view is not None else ()
        if best.monthly_api_usd > 0 or any(b > 0.5 for b in bills):
            all_api = resolved_monthly_api(resolved)
            served = 1.0 - best.monthly_api_usd / all_api if all_api > 0 else 1.0
            hours = resolved.scenario.workload.hours_per_day
            they, can = ("they serve", "they can") if best.units > 1 else ("it serves", "it can")
            later = ""
            if bills and max(bills) > bills[0] * 1.05 + 0.5:
                peak = max(range(len(bills)), key=lambda m: bills[m])
                later = (f" With demand growth the API overflow rises to {money_text(bills[peak])}/month by month "
                         f"{peak + 1} ({money_text(sum(bills))} over {horizon} months, counted in the costs below).")
            share = (f"{they} about {served:.0%} of the tokens locally, as much as {can} in {hours:g} h a day, and "
                     f"the remaining {1 - served:.0%} overflow to {offer}" if best.monthly_api_usd > 0 else
                     f"{they} all of month 1's tokens locally in {hours:g} h a day; what demand growth adds beyond "
                     f"that overflows to {offer}")
            return "hybrid", (
                f"Hybrid: buy {best.name} ({best.quant}) for the base load: {share}. Month 1: "
                f"{money_text(best.monthly_opex_usd)} to run locally plus {money_text(best.monthly_api_usd)} on the "
                f"API (after {money_text(best.capex_usd)} up front), against {money_text(all_api)} all on the "
                f"API.{later} It pays off in {when} and {value}.{note}"), best
        return "buy", (f"Buy {best.name} ({best.quant}): it pays off in {when} and {value}.{note}"), best
    if best.break_even_month is not None and saving > 0:
        return "api", (
            f"Stay on the API ({offer}): buying the cheapest rig that serves the workload, {best.name} "
            f"({best.quant}), would save {money_text(saving)} over {horizon} months in nominal terms ({totals}), "
            f"but that saving is {worth}: once money has a cost, the nominal saving disappears.{note}"), None
    why = f"would not pay off within {horizon} months" if best.break_even_month is None \
        else f"would cost more over {horizon} months"
    # a negative "saving worth -$X" reads as a typo to a finance reviewer: say what buying costs instead
    npv_text = (f"the saving is {worth}" if best.npv_saving_usd >= 0 else
                f"in today's money, at a discount rate of {rate} a year, buying costs "
                f"{money_text(-best.npv_saving_usd)} more")
    return "api", (f"Stay on the API ({offer}): the cheapest rig that serves the workload, {best.name} "
                   f"({best.quant}), {why} ({totals}; {npv_text}).{note}"), None


def resolved_monthly_api(resolved: ResolvedScenario) -> float:
    """All demand on the API in month 1 [USD]."""
    work, api = resolved.scenario.workload, resolved.api
    price_in = work.cache_hit_share * api.input_hit + (1.0 - work.cache_hit_share) * api.input_miss
    return (work.tokens_in_per_month * price_in + work.tokens_out_per_month * api.output) / 1e6
