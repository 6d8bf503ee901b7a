"""A small in-memory catalog in the schema of advisor.catalog.schema.

Used when neither the database nor the seed catalog is available (a fresh checkout, widget previews, GUI tests
that need known numbers). Figures are taken from ../shared/reference (vendor spec sheets, launch prices).
"""

from __future__ import annotations

import datetime as dt

from advisor.catalog.schema import (
    ApiOfferRecord,
    HardwareRecord,
    HostRecord,
    ModelRecord,
    PricePoint,
    QuantRecord,
    ScenarioRecord,
    SystemRecord,
)

AS_OF = dt.date(2026, 10, 1)
SRC = "Rig Advisor sample (shared/reference)"


def _price(usd: float, condition: str = "new", vendor: str = "MSRP") -> PricePoint:
    return PricePoint(price_usd=usd, condition=condition, vendor=vendor, observed_at=AS_OF, source=SRC)  # type: ignore[arg-type]


def _gpu(
    id_: str, name: str, mem: float, bw: float, tf: float, tdp: float, usd: float, **kw: object
) -> HardwareRecord:
    base: dict[str, object] = dict(
        id=id_,
        name=name,
        source=SRC,
        as_of=AS_OF,
        kind="gpu",
        vendor="NVIDIA",
        memory_gb=mem,
        bandwidth_gbs=bw,
        fp16_tflops=tf,
        tdp_w=tdp,
        idle_w=20.0,
        link="pcie4",
        link_bandwidth_gbs=25.0,
        prices=[_price(usd)],
    )
    base.update(kw)
    return HardwareRecord(**base)  # type: ignore[arg-type]


def sample_records() -> dict[str, list]:
    """Catalog records by kind: hardware, hosts, systems, models, quants, api_offers, scenarios."""
    hardware = [
        _gpu(
            "rtx-3090",
            "GeForce RTX 3090",
            24,
            936,
            71,
            350,
            1499,
            prices=[_price(1499), _price(750, "used", "eBay")],
        ),
        _gpu("rtx-4090", "GeForce RTX 4090", 24, 1008, 165.2, 450, 1599),
        _gpu(
            "rtx-5090", "GeForce RTX 5090", 32, 1792, 209.5, 575, 1999, link="pcie5", link_bandwidth_gbs=50.0
        ),
        _gpu(
            "rtx-pro-6000-blackwell",
            "RTX PRO 6000 Blackwell",
            96,
            1792,
            504,
            600,
            8565,
            link="pcie5",
            link_bandwidth_gbs=50.0,
        ),
        HardwareRecord(
            id="apple-m3-ultra",
            name="Apple M3 Ultra 512GB",
            source=SRC,
            as_of=AS_OF,
            kind="apple",
            vendor="Apple",
            memory_gb=512,
            bandwidth_gbs=819,
            fp16_tflops=28.4,
            unified_memory=True,
            gpu_memory_share=0.75,
            tdp_w=270,
            idle_w=15,
            link="thunderbolt",
            link_bandwidth_gbs=10,
            prices=[_price(9499)],
        ),
    ]
    hosts = [
        HostRecord(
            id="desktop-am5",
            name="AM5 desktop, 128 GB DDR5",
            source=SRC,
            as_of=AS_OF,
            cpu="Ryzen 9 9950X",
            ram_gb=128,
            ram_bandwidth_gbs=80,
            cpu_tflops=2.0,
            idle_w=60,
            load_w=200,
            prices=[_price(1800)],
        ),
        HostRecord(
            id="mac-builtin",
            name="(built into the Mac)",
            source=SRC,
            as_of=AS_OF,
            cpu="Apple M3 Ultra",
            ram_gb=1,
            ram_bandwidth_gbs=1,
            cpu_tflops=1.0,
            idle_w=0,
            load_w=1,
            prices=[],
        ),
    ]

    def system(id_: str, name: str, acc: str, count: int, host: str, idle_w: float) -> SystemRecord:
        return SystemRecord(
            id=id_,
            name=name,
            source=SRC,
            as_of=AS_OF,
            accelerator=acc,
            count=count,
            host=host,
            idle_w=idle_w,
            extras_usd=0.0,
        )

    systems = [
        system("1x-rtx-3090", "1x RTX 3090 desktop", "rtx-3090", 1, "desktop-am5", 80),
        system("2x-rtx-3090", "2x RTX 3090 desktop", "rtx-3090", 2, "desktop-am5", 100),
        system("1x-rtx-4090", "1x RTX 4090 desktop", "rtx-4090", 1, "desktop-am5", 80),
        system("2x-rtx-5090", "2x RTX 5090 desktop", "rtx-5090", 2, "desktop-am5", 100),
        system(
            "1x-rtx-pro-6000", "1x RTX PRO 6000 workstation", "rtx-pro-6000-blackwell", 1, "desktop-am5", 90
        ),
        system("mac-studio-m3-ultra", "Mac Studio M3 Ultra 512GB", "apple-m3-ultra", 1, "mac-builtin", 15),
    ]
    models = [
        ModelRecord(
            id="llama-3.1-8b",
            name="Llama-3.1-8B",
            source=SRC,
            as_of=AS_OF,
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
            native_size_gb=16.06,
        ),
        ModelRecord(
            id="qwen3-32b",
            name="Qwen3-32B",
            source=SRC,
            as_of=AS_OF,
            total_params_b=32.8,
            active_params_b=32.8,
            num_layers=64,
            hidden_size=5120,
            num_heads=64,
            num_kv_heads=8,
            head_dim=128,
            attention_kind="gqa",
            vocab_size=151936,
            max_context=131072,
            native_quant="BF16",
        ),
        ModelRecord(
            id="llama-3.1-70b",
            name="Llama-3.1-70B",
            source=SRC,
            as_of=AS_OF,
            total_params_b=70.6,
            active_params_b=70.6,
            num_layers=80,
            hidden_size=8192,
            num_heads=64,
            num_kv_heads=8,
            head_dim=128,
            attention_kind="gqa",
            vocab_size=128256,
            max_context=131072,
            native_quant="BF16",
        ),
    ]
    quants = [
        QuantRecord(id="q4_k_m", name="Q4_K_M", source=SRC, as_of=AS_OF, family="gguf", bits_per_weight=4.89),
        QuantRecord(id="q8_0", name="Q8_0", source=SRC, as_of=AS_OF, family="gguf", bits_per_weight=8.5),
        QuantRecord(
            id="fp8", name="FP8", source=SRC, as_of=AS_OF, family="float", bits_per_weight=8.0, compute="fp8"
        ),
        QuantRecord(id="bf16", name="BF16", source=SRC, as_of=AS_OF, family="float", bits_per_weight=16.0),
    ]
    api_offers = [
        ApiOfferRecord(
            id="deepseek-v4-flash",
            name="DeepSeek V4-Flash",
            source=SRC,
            as_of=AS_OF,
            provider="DeepSeek",
            usd_per_mtok_input_miss=0.14,
            usd_per_mtok_input_hit=0.028,
            usd_per_mtok_output=0.28,
        ),
        ApiOfferRecord(
            id="together-llama-70b",
            name="Together Llama 3.3 70B Turbo",
            source=SRC,
            as_of=AS_OF,
            provider="Together",
            model_ref="llama-3.1-70b",
            usd_per_mtok_input_miss=0.88,
            usd_per_mtok_input_hit=0.88,
            usd_per_mtok_output=0.88,
        ),
        ApiOfferRecord(
            id="openai-gpt-5-mini",
            name="OpenAI GPT-5 mini",
            source=SRC,
            as_of=AS_OF,
            provider="OpenAI",
            usd_per_mtok_input_miss=0.25,
            usd_per_mtok_input_hit=0.025,
            usd_per_mtok_output=2.0,
        ),
    ]
    scenarios = [
        ScenarioRecord(
            name="Team coding assistant (70B)",
            description="A 20-person team on a 70B model, 8 h a day.",
            workload={
                "model": "llama-3.1-70b",
                "quant": "auto",
                "tokens_in_per_month": 600e6,
                "tokens_out_per_month": 60e6,
                "cache_hit_share": 0.3,
                "prompt_tokens": 4000,
                "output_tokens": 400,
                "peak_concurrency": 4,
                "hours_per_day": 8.0,
                "sla_tok_s_per_user": 10.0,
                "sla_ttft_s": 10.0,
                "growth_per_month": 0.02,
            },
            finance={"tariff_usd_per_kwh": 0.17, "useful_life_months": 36},
            candidates=[
                "2x-rtx-3090",
                "2x-rtx-5090",
                "1x-rtx-pro-6000",
                "mac-studio-m3-ultra",
                "1x-rtx-4090",
            ],
            api_offers=["together-llama-70b"],
            as_of=AS_OF,
        ),
        ScenarioRecord(
            name="Personal 8B assistant",
            description="One person, a small model, a few hours a day.",
            workload={
                "model": "llama-3.1-8b",
                "quant": "Q4_K_M",
                "tokens_in_per_month": 30e6,
                "tokens_out_per_month": 5e6,
                "peak_concurrency": 1,
                "hours_per_day": 4.0,
            },
            finance={"tariff_usd_per_kwh": 0.30},
            candidates=["1x-rtx-3090", "1x-rtx-4090"],
            api_offers=["openai-gpt-5-mini"],
            as_of=AS_OF,
        ),
    ]
    return {
        "hardware": hardware,
        "hosts": hosts,
        "systems": systems,
        "models": models,
        "quants": quants,
        "api_offers": api_offers,
        "scenarios": scenarios,
    }
