"""Number formatting for the report: one place, so the table, the chart labels and the tests agree."""

from __future__ import annotations

import math

from advisor.engine.types import CandidateResult


def usd(value: float | None, decimals: int = 0) -> str:
    """Money in US dollars with thousands separators; negatives as -$1,234.

    >>> usd(12345.6), usd(-20), usd(0.4567, 2)
    ('$12,346', '-$20', '$0.46')
    """
    if value is None or not math.isfinite(value):
        return "n/a"
    sign = "-" if value < 0 else ""
    return f"{sign}${abs(value):,.{decimals}f}"


def usd_short(value: float) -> str:
    """Compact money for chart axes: $950, $12k, $1.5M.

    >>> usd_short(950), usd_short(12000), usd_short(1_500_000)
    ('$950', '$12k', '$1.5M')
    """
    magnitude = abs(value)
    if magnitude >= 1e6:
        return f"${value / 1e6:.3g}M"
    if magnitude >= 1e3:
        return f"${value / 1e3:.3g}k"
    return f"${value:.0f}"


def months(value: float | None) -> str:
    """A (fractional) month count as printed everywhere in the report: one decimal.

    >>> months(14.26), months(None)
    ('14.3', 'never')
    """
    if value is None or not math.isfinite(value):
        return "never"
    return f"{value:.1f}"


def break_even(value: float | None, horizon_months: int) -> str:
    """Break-even wording for tables: 'month 14.3' or 'not within 36 months'.

    >>> break_even(14.26, 36), break_even(None, 36)
    ('month 14.3', 'not within 36 months')
    """
    if value is None or not math.isfinite(value):
        return f"not within {horizon_months} months"
    return f"month {months(value)}"


def number(value: float | None, decimals: int = 1) -> str:
    """A plain number with separators; 'n/a' for None/NaN.

    >>> number(1234.56), number(0.5, 2)
    ('1,234.6', '0.50')
    """
    if value is None or not math.isfinite(value):
        return "n/a"
    return f"{value:,.{decimals}f}"


def tokens(value: float) -> str:
    """A token volume: 120M, 2.5B, 800k.

    >>> tokens(120e6), tokens(2.5e9), tokens(800e3)
    ('120M', '2.5B', '800k')
    """
    for scale, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= scale:
            return f"{value / scale:.3g}{suffix}"
    return f"{value:.0f}"


def percent(fraction: float, decimals: int = 0) -> str:
    """A fraction as a percentage with a sign when negative.

    >>> percent(0.25), percent(-0.3), percent(0.055, 1)
    ('25 %', '-30 %', '5.5 %')
    """
    return f"{fraction * 100:.{decimals}f} %"


def nice_ticks(low: float, high: float, target: int = 5) -> list[float]:
    """Round axis ticks covering [low, high] (1-2-5 steps).

    >>> nice_ticks(0, 36)
    [0.0, 10.0, 20.0, 30.0, 40.0]
    """
    if high <= low:
        high = low + 1.0
    raw = (high - low) / max(target, 1)
    exponent = math.floor(math.log10(raw))
    base = 10.0**exponent
    step = next(m * base for m in (1, 2, 2.5, 5, 10) if m * base >= raw)
    start = math.floor(low / step) * step
    ticks = []
    value = start
    while value < high + step * 0.999:
        ticks.append(round(value, 10))
        value += step
    return ticks


def candidate_label(candidate: CandidateResult) -> str:
    """Units, system and quant: '2x RTX 5090 desktop (FP8)'."""
    return f"{candidate.name} ({candidate.quant})"
