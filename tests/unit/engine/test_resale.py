"""Resale value per device class (advisor.engine.resale) and its use in the cost curves, hand-worked."""

from __future__ import annotations

import csv
import math

import pytest

from advisor.engine.economics import ApiPrices, UnitSpec, cost_curves
from advisor.engine.resale import CLASSES, device_class, fit_rate, resale_curves
from advisor.engine.types import Finance, Workload
from advisor.paths import resources_dir

NO_API = ApiPrices(0.0, 0.0, 0.0)
IDLE_WORK = Workload(model="m", tokens_in_per_month=0.0, tokens_out_per_month=1.0, hours_per_day=24.0)
FREE = dict(tariff_usd_per_kwh=0.0, api_price_change_per_year=0.0, discount_rate_per_year=0.0)


def test_every_observation_is_sourced_and_every_class_has_a_curve() -> None:
    with (resources_dir() / "resale" / "observations.csv").open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) >= 20
    for row in rows:
        assert row["device_class"] in CLASSES
        assert row["launch_source"] and row["used_source"] and row["confidence"] in ("high", "medium", "low")
        assert 0 < float(row["used_price_usd"]) and 0 < float(row["launch_price_usd"])
    curves = resale_curves()
    assert set(curves) == set(CLASSES)
    # the fitted rates are what the rows say (desktop GPUs: 11 rows, half-life between 4 and 8 years)
    desktop = curves["desktop GPU"]
    assert desktop.observations == 11 and not desktop.pooled
    assert 4.0 < desktop.half_life_years < 8.0
    assert curves["other"].pooled


def test_fit_recovers_a_known_rate_and_the_share_is_memoryless() -> None:
    rate = math.log(2) / 3.0  # half the value every 3 years
    points = [(age, math.exp(-rate * age)) for age in (1.0, 2.5, 4.0, 7.0)]
    assert fit_rate(points) == pytest.approx(rate)
    curve = resale_curves()["Apple"]
    # bought used at any age, a unit keeps the same share of what was paid for it after 3 more years
    assert curve.share(72) / curve.share(36) == pytest.approx(curve.share(36))


def test_curve_credit_at_the_end_of_life_hand_worked() -> None:
    """A $3,000 unit whose value halves every 3 years, sold after its 36-month life: credit $1,500, so the
    36-month cost is $1,500 (no energy, no API); the flat model at 20 % would credit $600."""
    rate = math.log(2) / 3.0
    unit = UnitSpec(price_usd=3000.0, pp_tok_s=1e9, tg_tok_s=1e9, load_w=0.0, idle_w=0.0, resale_rate_per_year=rate)
    curve = cost_curves(unit, 1, IDLE_WORK, Finance(useful_life_months=36, **FREE), NO_API)  # type: ignore[arg-type]
    assert curve.horizon_cost_local_usd == pytest.approx(1500.0)
    flat = cost_curves(unit, 1, IDLE_WORK, Finance(useful_life_months=36, resale_model="flat", residual_share=0.2,
                                                   **FREE), NO_API)  # type: ignore[arg-type]
    assert flat.horizon_cost_local_usd == pytest.approx(2400.0)
    # a horizon of 18 months inside the life: credited at the horizon, 3000 x 2^-0.5 = $2,121.32
    short = cost_curves(unit, 1, IDLE_WORK, Finance(useful_life_months=36, horizon_months=18, **FREE), NO_API)  # type: ignore[arg-type]
    assert short.horizon_cost_local_usd == pytest.approx(3000.0 - 3000.0 * 2 ** -0.5)


def test_unit_without_a_curve_keeps_the_flat_rule() -> None:
    unit = UnitSpec(price_usd=3000.0, pp_tok_s=1e9, tg_tok_s=1e9, load_w=0.0, idle_w=0.0)
    curves = cost_curves(unit, 1, IDLE_WORK, Finance(useful_life_months=36, residual_share=0.2, **FREE), NO_API)  # type: ignore[arg-type]
    assert curves.horizon_cost_local_usd == pytest.approx(2400.0)


@pytest.mark.parametrize(("kind", "name", "link", "expected"), [
    ("gpu", "NVIDIA GeForce RTX 5090", "pcie5", "desktop GPU"),
    ("gpu", "AMD Radeon AI PRO R9700", "pcie5", "desktop GPU"),
    ("gpu", "NVIDIA H100 PCIe 80GB", "pcie5", "data-centre GPU"),
    ("gpu", "NVIDIA H100 SXM5", "nvlink", "data-centre GPU"),
    ("gpu", "AMD Instinct MI300X", "infinity_fabric", "data-centre GPU"),
    ("apple", "Apple M3 Ultra (80-core GPU)", "none", "Apple"),
    ("apu", "AMD Ryzen AI Max+ 395", "none", "other"),
])
def test_device_classes(kind: str, name: str, link: str, expected: str) -> None:
    assert device_class(kind, name, link) == expected
