"""A small, known seed catalog for database tests (real records, validated by advisor.catalog.schema)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import BaseModel

from advisor.catalog.schema import (
    ApiOfferRecord,
    HardwareRecord,
    HostRecord,
    ModelRecord,
    PricePoint,
    PueRecord,
    QuantRecord,
    ScenarioRecord,
    SystemRecord,
    TariffRecord,
)

AS_OF = dt.date(2026, 11, 1)
SRC = "test fixture"


def _common(id_: str, name: str) -> dict[str, Any]:
    return {"id": id_, "name": name, "source": SRC, "as_of": AS_OF}


def mini_seed_records() -> dict[str, list[BaseModel]]:
    """Two GPUs, a host, a system, two models, a quant, an API offer, a tariff, a PUE, a scenario."""
    price = PricePoint(
        price_usd=1599.0,
        condition="new",
        vendor="NVIDIA",
        observed_at=dt.date(2026, 10, 1),
        source="list price",
    )
    used = PricePoint(
        price_usd=1450.0,
        condition="used",
        vendor="eBay",
        observed_at=dt.date(2026, 10, 5),
        source="eBay sold listings",
    )
    gpus = [
        HardwareRecord(
            **_common("rtx-4090", "GeForce RTX 4090"),
            aliases=["4090"],
            kind="gpu",
            vendor="NVIDIA",
            memory_gb=24,
            bandwidth_gbs=1008,
            fp16_tflops=165.2,
            tdp_w=450,
            idle_w=20,
            link="pcie4",
            link_bandwidth_gbs=25,
            prices=[price, used],
        ),
        HardwareRecord(
            **_common("rtx-3090", "GeForce RTX 3090"),
            kind="gpu",
            vendor="NVIDIA",
            memory_gb=24,
            bandwidth_gbs=936,
            fp16_tflops=71,
            tdp_w=350,
            idle_w=20,
            link="pcie4",
            link_bandwidth_gbs=25,
        ),
    ]
    host = HostRecord(
        **_common("desktop-am5", "AM5 desktop"),
        cpu="Ryzen 9 7950X",
        ram_gb=128,
        ram_bandwidth_gbs=80,
        cpu_tflops=2,
        idle_w=60,
        load_w=200,
        prices=[PricePoint(price_usd=1800, observed_at=dt.date(2026, 10, 1), source="parts list")],
    )
    system = SystemRecord(
        **_common("2x4090-am5", "2x RTX 4090 workstation"),
        accelerator="rtx-4090",
        count=2,
        host="desktop-am5",
        extras_usd=300,
        idle_w=110,
    )
    models = [
        ModelRecord(
            **_common("deepseek-v4-pro", "DeepSeek-V4-Pro"),
            total_params_b=1600,
            active_params_b=49,
            num_layers=61,
            hidden_size=7168,
            num_heads=128,
            num_kv_heads=1,
            head_dim=512,
            attention_kind="dsv4",
            vocab_size=129280,
            max_context=1048576,
            native_quant="FP4+FP8",
            native_size_gb=865,
        ),
        ModelRecord(
            **_common("llama-3.1-8b", "Llama-3.1-8B"),
            total_params_b=8.03,
            active_params_b=8.03,
            num_layers=32,
            hidden_size=4096,
            num_heads=32,
            num_kv_heads=8,
            head_dim=128,
            attention_kind="gqa",
            vocab_size=128256,
            max_context=131072,
            native_quant="BF16",
        ),
    ]
    quant = QuantRecord(**_common("q4_k_m", "Q4_K_M"), family="gguf", bits_per_weight=4.89)
    api = ApiOfferRecord(
        **_common("deepseek-v4-flash-list", "DeepSeek V4-Flash"),
        provider="DeepSeek",
        usd_per_mtok_input_miss=0.14,
        usd_per_mtok_input_hit=0.028,
        usd_per_mtok_output=0.28,
    )
    tariff = TariffRecord(**_common("us-residential", "US residential"), region="US", usd_per_kwh=0.17)
    pue = PueRecord(**_common("home", "Home office"), pue=1.0)
    scenario = ScenarioRecord(
        name="Team chat on 2x4090",
        workload={"model": "llama-3.1-8b", "tokens_in_per_month": 100e6},
        finance={"useful_life_months": 36},
        candidates=["2x4090-am5"],
        api_offers=["deepseek-v4-flash-list"],
        as_of=AS_OF,
    )
    return {
        "hardware": gpus,
        "hosts": [host],
        "systems": [system],
        "models": models,
        "quants": [quant],
        "api_offers": [api],
        "tariffs": [tariff],
        "pue": [pue],
        "scenarios": [scenario],
    }


@pytest.fixture
def mini_seed() -> dict[str, list[BaseModel]]:
    return mini_seed_records()
