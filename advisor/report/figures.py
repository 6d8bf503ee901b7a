"""Figures the report derives from the recommendation: like-for-like unit costs, purchase schedule, calendar dates,
memory headroom, the main risk and the price status.

The report's input stays the engine's Recommendation. Fields a newer engine may add (a purchase schedule, every
API offer, renting, switching values, NPV sensitivity, price status) are read with getattr and used when present;
without them these functions derive what the existing fields allow, or return None so the page says "not given".
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from advisor.engine.types import CandidateResult, PriceUsed, Recommendation, Workload

AVG_DAYS_PER_MONTH = 365.25 / 12


def tokens_over_horizon(workload: Workload, horizon_months: int) -> float:
    """Tokens (input + output) served over the horizon with monthly demand growth, as the engine counts them.

    >>> tokens_over_horizon(Workload(model="m", tokens_in_per_month=1e6, tokens_out_per_month=0.0), 3)
    3000000.0
    """
    per_month = workload.tokens_in_per_month + workload.tokens_out_per_month
    growth = 1.0 + workload.growth_per_month
    return float(sum(per_month * growth**age for age in range(horizon_months)))


def api_cost_per_mtok_average(recommendation: Recommendation, workload: Workload) -> float | None:
    """All-API cost per million tokens averaged over the horizon [USD/Mtok]: like-for-like with the rigs' figure
    (horizon cost / tokens served), not today's list price."""
    tokens = tokens_over_horizon(workload, recommendation.horizon_months)
    if tokens <= 0 or not recommendation.cumulative_api_usd:
        return None
    return recommendation.cumulative_api_usd[-1] / (tokens / 1e6)


@dataclass(frozen=True)
class Purchase:
    """Units bought in a month [month index, units, USD]."""

    month: int
    units: int
    usd: float


def purchase_schedule(candidate: CandidateResult) -> list[Purchase]:
    """Month 0 purchase plus later ones. Uses `candidate.purchase_schedule` ((month, units, usd) rows) when the
    engine gives it; else finds the months where the cumulative cost jumps by about a unit's price."""
    horizon = getattr(candidate, "horizon", None)
    if horizon is not None and horizon.purchases:  # the engine's own schedule
        return [Purchase(p.month, p.units, p.capex_usd) for p in horizon.purchases]
    schedule = [Purchase(0, candidate.units, candidate.capex_usd)]
    curve = candidate.cumulative_local_usd
    unit_usd = candidate.capex_usd / candidate.units if candidate.units else 0.0
    if unit_usd <= 0 or len(curve) < 3:
        return schedule
    steps = [b - a for a, b in zip(curve, curve[1:], strict=False)]
    for month in range(
        1, len(steps)
    ):  # steps[m-1] is month m's spending; the last month carries the resale credit
        base = min(
            steps[month - 2] if month >= 2 else steps[0], steps[month] if month < len(steps) - 1 else steps[0]
        )
        extra = steps[month - 1] - base
        if extra > 0.6 * unit_usd:
            units = max(1, round(extra / unit_usd))
            schedule.append(Purchase(month, units, units * unit_usd))
    return schedule


def calendar_month(start: dt.date, months: float) -> str:
    """The calendar month `months` after `start`: 'March 2027'.

    >>> calendar_month(dt.date(2026, 11, 2), 2.6)
    'January 2027'
    """
    return (start + dt.timedelta(days=months * AVG_DAYS_PER_MONTH)).strftime("%B %Y")


def memory_headroom(candidate: CandidateResult) -> tuple[float, float]:
    """Free accelerator memory once the model, KV cache and overhead are loaded: (GB, share of usable)."""
    est = candidate.estimate
    free = est.usable_gb - est.total_gb
    return free, (free / est.usable_gb if est.usable_gb > 0 else 0.0)


def _swing(before: float | None, after: float | None, horizon: int) -> float:
    a = horizon * 2.0 if before is None else before
    b = horizon * 2.0 if after is None else after
    return abs(a - b)


def main_risk(recommendation: Recommendation) -> str:
    """The one assumption that moves the answer most, in words (from the sensitivity bars)."""
    horizon = recommendation.horizon_months
    chosen = recommendation.recommended
    bars = list(recommendation.sensitivity)
    if chosen is None or not bars:
        return (
            recommendation.flip_notes[0]
            if recommendation.flip_notes
            else "none identified in the tested ranges"
        )
    base = chosen.break_even_month

    def worst(bar: Any) -> tuple[float, str, float | None]:
        low = _swing(base, bar.break_even_low, horizon)
        high = _swing(base, bar.break_even_high, horizon)
        return (
            (low, bar.low_label, bar.break_even_low)
            if low >= high
            else (high, bar.high_label, bar.break_even_high)
        )

    bar = max(bars, key=lambda b: worst(b)[0])
    _size, label, month = worst(bar)
    outcome = "buying never pays off" if month is None else f"break-even moves to month {month:.1f}"
    return f"{bar.assumption} at {label}: {outcome} (base: " + (
        "never)" if base is None else f"month {base:.1f})"
    )


def _verdict_words(text: str) -> str:
    """'buy 1x RTX 5090 desktop' -> 'BUY 1x RTX 5090 desktop' (the verdict word as on page 1)."""
    word, _, rest = text.partition(" ")
    return f"{word.upper()} {rest}".strip()


def switching_values(recommendation: Recommendation) -> list[str]:
    """Values at which the verdict flips: `recommendation.switching_values` when given, else the flip notes."""
    given = getattr(recommendation, "switching_values", None)
    if given:
        # whole sentences, so several read apart on page 1 ("... to BUY x. Tokens per day ...")
        return [f"{_capital(v.value_text)} flips the verdict to {_verdict_words(v.flips_to)}."
                if v.factor is not None else f"{v.assumption}: no move within 1/16x..16x flips the verdict."
                for v in given]
    return list(recommendation.flip_notes)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


_STATUS_WORDS = ("invoice", "quote")


def price_status(price: PriceUsed) -> str:
    """'invoice', 'quote' or 'estimate' (public list or market prices): the field when given, else the source."""
    given = str(getattr(price, "status", "") or "").lower()
    if given:
        return given
    source = price.source.lower()
    for word in _STATUS_WORDS:
        if word in source and f"not a {word}" not in source and f"not an {word}" not in source:
            return word
    return "estimate"


def overall_price_status(prices: Sequence[PriceUsed]) -> str:
    """The weakest status among the prices of an option: one estimate makes the capex an estimate."""
    statuses = {price_status(p) for p in prices}
    for status in ("estimate", "quote", "invoice"):
        if status in statuses:
            return status
    return "estimate"


def unverified(price: PriceUsed) -> bool:
    """A price with no URL whose source is missing or says it is unverified / recalled from memory."""
    if str(getattr(price, "url", "") or ""):
        return False
    source = price.source.lower()
    return not source.strip() or any(w in source for w in ("memory", "unverified", "recalled"))


def finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)
