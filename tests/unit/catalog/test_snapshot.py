"""Catalog built from plain record lists and extra price points (the database's path)."""

from __future__ import annotations

import datetime as dt

import pytest

from advisor.catalog import Catalog
from advisor.catalog.schema import PricePoint
from advisor.catalog.seed import SeedCatalog
from advisor.engine.types import Device, Host, ModelArch
from advisor.errors import NotFoundError


def _point(usd: float, day: str, condition: str = "new") -> PricePoint:
    return PricePoint(price_usd=usd, condition=condition, observed_at=dt.date.fromisoformat(day), source="test feed")


def test_from_plain_lists_with_prices(seed: SeedCatalog) -> None:
    catalog = Catalog(hardware=seed.hardware, hosts=seed.hosts, systems=seed.systems, models=seed.models,
                      prices=[("rtx-4090", _point(1999, "2026-11-01")), ("rtx-4090", _point(1899, "2026-11-01")),
                              ("rtx-4090", _point(2999, "2026-01-01"))])
    latest = catalog.latest_price("rtx-4090", "new")
    assert latest is not None and latest.price_usd == 1899  # same day: the one added last wins
    assert [p.price_usd for p in catalog.prices("rtx-4090")][:2] == [1599, 2999]  # oldest first
    mapping = Catalog(hardware=seed.hardware, prices={"rtx-4090": [_point(10, "2026-11-02", "used")]})
    used = mapping.latest_price("rtx-4090", "used")
    assert used is not None and used.price_usd == 10


def test_engine_types(catalog: Catalog) -> None:
    device = catalog.device("RTX 5090")
    assert isinstance(device, Device)
    assert (device.name, device.memory_gb, device.bandwidth_gbs, device.fp16_tflops) == \
        ("NVIDIA GeForce RTX 5090", 32, 1792, 209.5)
    assert (device.link, device.link_bandwidth_gbs, device.idle_w) == ("pcie5", 50.0, 30)
    host = catalog.host_arch("EPYC 9355 1P 12-ch DDR5-6000 768 GB (offload box)")
    assert isinstance(host, Host) and host.ram_bandwidth_gbs == 576.0
    model = catalog.model("Qwen3-30B-A3B")
    assert isinstance(model, ModelArch) and model.is_moe and model.experts_per_token == 8


def test_systems_and_lists(catalog: Catalog) -> None:
    system = catalog.system("2x RTX 4090")
    assert (system.accelerator, system.count, system.host) == ("rtx-4090", 2, "desktop-9950x-128gb-2gpu")
    assert catalog.system("Mac Studio M3 Ultra 512GB").prices[0].price_usd == 9499
    assert catalog.api_offer("DeepSeek V4-Pro (75% off promo)").usd_per_mtok_output == 0.87
    assert catalog.tariff("Germany").usd_per_kwh == pytest.approx(0.3835 * 1.08, abs=1e-4)  # EUR 0.3835 at 1.08
    assert catalog.pue("uptime-average").pue == 1.54
    assert catalog.scenario("8-SEAT team assistant").workload["model"] == "gpt-oss-120b"
    assert len(catalog.systems) >= 20 and len(catalog.api_offers) >= 40
    with pytest.raises(NotFoundError, match="closest: 8-seat team assistant"):
        catalog.scenario("8 seat team assistent")
    with pytest.raises(NotFoundError, match="unknown catalog kind"):
        catalog.resolve("gpus", "RTX 4090")


def test_native_needs_a_model(catalog: Catalog) -> None:
    with pytest.raises(NotFoundError, match="needs a model"):
        catalog.quant("native")
    flash = catalog.quant("native", model="DeepSeek-V4-Flash")
    assert flash.bits_per_weight == pytest.approx(160 * 8 / 284) and flash.compute == "fp4"
    base = catalog.quant("native", model="DeepSeek-V4-Flash-Base")
    assert base.bits_per_weight == 8.0 and base.compute == "fp8"
