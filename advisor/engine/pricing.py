"""Which price point a candidate is costed at, and the plain-words caveats a finance reviewer needs.

Rule, written once: the latest price in the scenario's wanted condition; else the latest new price; else the
latest price in any condition (a used-only or refurbished-only item is never counted as $0). Whenever the
price used is from another condition than the one wanted, or is older than ``STALE_AFTER_MONTHS`` on the
day of the evaluation, a caveat says so (and names a fresher price in another condition when there is one:
a rig sold used today must not silently carry its launch price from years ago).

``catalog`` is anything with ``latest_price(item_id, condition) -> point | None`` whose points have
``price_usd``, ``condition`` and ``observed_at`` (advisor.catalog.Catalog, the app's store catalog).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

PRICE_CONDITIONS = ("new", "used", "refurb")
STALE_AFTER_MONTHS = 12.0  # a price older than this is flagged [months]
DAYS_PER_MONTH = 365.25 / 12.0


def as_date(value: Any) -> dt.date | None:
    """A date from a date, datetime or ISO text ('2026-05-15', '2026-05-15T10:00:00'); None if unreadable.

    >>> as_date("2026-05-15T10:00:00"), as_date("soon")
    (datetime.date(2026, 5, 15), None)
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def age_months(observed_at: Any, today: dt.date) -> float | None:
    """Months [months, fractional] from ``observed_at`` to ``today``; None when the date is unreadable.

    >>> round(age_months("2024-11-23", dt.date(2026, 11, 23)), 1)
    24.0
    """
    day = as_date(observed_at)
    return None if day is None else (today - day).days / DAYS_PER_MONTH


def _latest(points: list[Any]) -> Any | None:
    dated = [(as_date(p.observed_at) or dt.date.min, i, p) for i, p in enumerate(points)]
    return max(dated, key=lambda t: (t[0], t[1]))[2] if dated else None


def choose_price(catalog: Any, item_id: str, wanted: str) -> Any | None:
    """The price point an item is costed at: wanted condition, else new, else the latest in any condition;
    None only when the item has no price at all."""
    for condition in dict.fromkeys((wanted, "new")):
        point = catalog.latest_price(item_id, condition)
        if point is not None:
            return point
    others = [catalog.latest_price(item_id, c) for c in PRICE_CONDITIONS if c not in (wanted, "new")]
    return _latest([p for p in others if p is not None])


def fresher_elsewhere(catalog: Any, item_id: str, chosen: Any) -> Any | None:
    """The latest price of the item in another condition than ``chosen``'s, if it is more recent."""
    others = [catalog.latest_price(item_id, c) for c in PRICE_CONDITIONS if c != chosen.condition]
    best = _latest([p for p in others if p is not None])
    if best is None:
        return None
    best_day, chosen_day = as_date(best.observed_at), as_date(chosen.observed_at)
    return best if best_day and chosen_day and best_day > chosen_day else None


def _money(usd: float) -> str:
    return f"${usd:,.0f}"


def price_caveat(item: str, point: Any, wanted: str, today: dt.date, fresher: Any | None = None) -> str | None:
    """One sentence fragment when the price of ``item`` is from another condition or older than
    ``STALE_AFTER_MONTHS`` on ``today``; None when the price is current and in the wanted condition.

    >>> price_caveat("RTX 3090", _Point(1499.0, "new", "2020-09-24"), "new", dt.date(2026, 11, 23),
    ...              _Point(750.0, "used", "2026-05-15"))
    'RTX 3090 is priced at its new price of $1,499 from 2020-09-24 (74 months old; latest used price $750 on 2026-05-15)'
    >>> price_caveat("A100 80GB", _Point(11500.0, "refurb", "2026-06-01"), "new", dt.date(2026, 11, 23))
    'A100 80GB has no new price: priced at its latest refurb price of $11,500 (2026-06-01)'
    >>> price_caveat("RTX 5090", _Point(3100.0, "new", "2026-06-22"), "new", dt.date(2026, 11, 23)) is None
    True
    """
    condition, day = str(point.condition), str(point.observed_at)[:10]
    age = age_months(point.observed_at, today)
    stale = age is not None and age > STALE_AFTER_MONTHS
    if condition != wanted:
        text = (f"{item} has no {wanted} price: priced at its latest {condition} price of "
                f"{_money(float(point.price_usd))} ({day}")
        text += f", {age:.0f} months old)" if stale and age is not None else ")"
        return text
    if not stale or age is None:
        return None
    text = f"{item} is priced at its {condition} price of {_money(float(point.price_usd))} from {day} ({age:.0f} months old"
    if fresher is not None:
        text += (f"; latest {fresher.condition} price {_money(float(fresher.price_usd))} on "
                 f"{str(fresher.observed_at)[:10]}")
    return text + ")"


class _Point:
    """A bare price point for the doctests."""

    def __init__(self, price_usd: float, condition: str, observed_at: str) -> None:
        self.price_usd, self.condition, self.observed_at = price_usd, condition, observed_at
