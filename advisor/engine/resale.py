"""What used hardware fetches: a depreciation curve per device class, fitted to used-market observations.

Each observation in ``resources/resale/observations.csv`` is a device's launch price and date against a dated
used price, with the source of both. Per class the resale share after ``age`` years is exponential,
``share = exp(-rate x age)``, the rate fitted by least squares on log share through share 1 at age 0. An
exponential is memoryless: a unit bought used keeps the same share of *its* purchase price after the same
time as a new one, so the curve applies to new and used purchases alike.

Classes: "desktop GPU" (GeForce, Radeon, Arc, RTX workstation cards), "data-centre GPU" (passively cooled PCIe
cards, SXM/OAM modules), "Apple", and "other" (APUs, CPUs: every observation pooled). A class with fewer than
MIN_OBSERVATIONS rows also takes the pooled rate. The 2025-2026 observations carry the local-LLM demand that
kept 24 GB cards dear; the curve is the past's, and the report says so.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from dataclasses import dataclass
from functools import cache

from advisor.paths import resources_dir

CLASSES = ("desktop GPU", "data-centre GPU", "Apple", "other")
MIN_OBSERVATIONS = 2
# Card brands sold with fans for a desktop; other PCIe GPUs (A100/H100 PCIe, L40S, A40, ...) are passively
# cooled data-centre cards.
DESKTOP_BRANDS = ("geforce", "rtx", "radeon", "arc", "titan", "quadro")
MODULE_LINKS = ("nvlink", "infinity_fabric")


def device_class(kind: str, name: str, link: str = "") -> str:
    """The resale class of a device (also the sweep's rule for which host a card needs).

    >>> device_class("gpu", "NVIDIA GeForce RTX 3090", "pcie4"), device_class("gpu", "NVIDIA L40S", "pcie4")
    ('desktop GPU', 'data-centre GPU')
    >>> device_class("gpu", "NVIDIA RTX PRO 6000 Blackwell Server Edition", "pcie5")
    'data-centre GPU'
    >>> device_class("apple", "Apple M3 Ultra"), device_class("cpu", "AMD EPYC 9654")
    ('Apple', 'other')
    """
    if kind == "apple":
        return "Apple"
    if kind != "gpu":
        return "other"
    text = name.lower()
    if link in MODULE_LINKS or "server" in text or "passive" in text:
        return "data-centre GPU"
    return "desktop GPU" if any(b in text for b in DESKTOP_BRANDS) else "data-centre GPU"


@dataclass(frozen=True)
class ResaleCurve:
    device_class: str
    rate_per_year: float  # share = exp(-rate x age in years)
    observations: int  # rows the rate was fitted on (the pooled count for a class that borrows it)
    pooled: bool  # True: too few rows of its own, the rate of every observation

    def share(self, age_months: float) -> float:
        """Resale value as a share of the purchase price after ``age_months`` [months]."""
        return math.exp(-self.rate_per_year * max(age_months, 0.0) / 12.0)

    @property
    def half_life_years(self) -> float:
        return math.log(2.0) / self.rate_per_year

    def describe(self) -> str:
        """In words, for the report and tooltips."""
        fitted = "all used-market observations pooled" if self.pooled else f"{self.observations} observations"
        return (f"{self.device_class}: half the value every {self.half_life_years:.1f} years "
                f"({self.share(36):.0%} after 3 years; {fitted})")


def _age_and_share(row: dict[str, str]) -> tuple[float, float]:
    age = (dt.date.fromisoformat(row["used_date"]) - dt.date.fromisoformat(row["launch_date"])).days / 365.25
    return age, float(row["used_price_usd"]) / float(row["launch_price_usd"])


def fit_rate(points: list[tuple[float, float]]) -> float:
    """Least-squares rate of ``share = exp(-rate x age)`` through (0, 1) [1/year].

    >>> round(fit_rate([(1.0, math.exp(-0.2)), (2.0, math.exp(-0.4))]), 6)
    0.2
    """
    return sum(a * -math.log(s) for a, s in points) / sum(a * a for a, _ in points)


@cache
def resale_curves() -> dict[str, ResaleCurve]:
    """The curve of every class, fitted to the bundled observations (read once)."""
    with (resources_dir() / "resale" / "observations.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    points: dict[str, list[tuple[float, float]]] = {c: [] for c in CLASSES}
    for row in rows:
        points[row["device_class"]].append(_age_and_share(row))
    everything = [p for c in CLASSES for p in points[c]]
    pooled = fit_rate(everything)
    return {
        c: ResaleCurve(c, fit_rate(points[c]), len(points[c]), False) if len(points[c]) >= MIN_OBSERVATIONS
        else ResaleCurve(c, pooled, len(everything), True)
        for c in CLASSES
    }


def curve_for(kind: str, name: str, link: str = "") -> ResaleCurve:
    return resale_curves()[device_class(kind, name, link)]
