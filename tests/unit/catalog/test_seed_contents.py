"""The bundled seed catalog: minimum contents, provenance, and known reference values."""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

import pytest

from advisor.catalog import Catalog
from advisor.catalog.seed import SeedCatalog

# The distinct (hardware, memory_gb, fp16_tflops, model, quant) rows of the shared calibration.csv (429 rows);
# the full file is read instead when it is present.
SHARED_CALIBRATION = Path("/work/shared/calibration/calibration.csv")
CALIBRATION = SHARED_CALIBRATION if SHARED_CALIBRATION.exists() else Path(__file__).with_name("calibration_names.csv")


def test_minimum_counts(seed: SeedCatalog) -> None:
    assert len(seed.hardware) >= 45
    assert len(seed.models) >= 25
    assert len(seed.systems) >= 20
    assert len(seed.scenarios) == 3
    assert {q.name for q in seed.quants} >= {
        "F32", "F16", "BF16", "FP8", "Q8_0", "Q6_K", "Q5_K_M", "Q5_K_S", "Q4_K_M", "Q4_K_S", "Q4_0", "Q3_K_M", "Q2_K",
        "IQ4_XS", "IQ3_XXS", "IQ2_XXS", "MXFP4", "NVFP4", "AWQ-INT4", "GPTQ-INT4", "EXL2-2.5", "EXL2-3.0", "EXL2-4.0",
        "EXL2-4.5", "EXL2-5.0", "EXL2-6.0", "EXL2-8.0", "MLX-4bit", "MLX-6bit", "MLX-8bit"}
    assert len(seed.tariffs) >= 8 and len(seed.pue) == 5
    kinds = {h.kind for h in seed.hardware}
    assert kinds == {"gpu", "apple", "apu", "cpu"}


def test_every_record_has_source_and_date(seed: SeedCatalog) -> None:
    count = 0
    for field in dataclasses.fields(seed):
        for record in getattr(seed, field.name):
            assert len(record.source) >= 3, record
            assert record.as_of is not None
            for point in getattr(record, "prices", []):
                assert point.source and point.observed_at
            count += 1
    assert count > 200


def test_every_device_has_a_dated_price(seed: SeedCatalog) -> None:
    """Every device, except the RAM configurations of an Apple chip the reference data has no price for (issue
    12: priced only where a source says; their systems are then 'not costed' instead of costed at a guess)."""
    by_id = {h.id: h for h in seed.hardware}
    missing = [h.id for h in seed.hardware if not h.prices]
    unpriced_configs = [i for i in missing if by_id[i].kind == "apple" and i.rsplit("-", 1)[0] in by_id
                        and i.endswith("gb") and by_id[i.rsplit("-", 1)[0]].prices]
    assert sorted(missing) == sorted(unpriced_configs)
    assert len(missing) < 50


def test_deepseek_v4_sizes(catalog: Catalog) -> None:
    pro = catalog.model("DeepSeek-V4-Pro")
    flash = catalog.model("deepseek-ai/DeepSeek-V4-Flash")
    assert (pro.total_params_b, pro.active_params_b, pro.num_layers) == (1600, 49, 61)
    assert (flash.total_params_b, flash.active_params_b, flash.num_layers) == (284, 13, 43)
    assert pro.attention_kind == flash.attention_kind == "dsv4"
    assert (flash.csa_layers, flash.hca_layers, flash.csa_ratio, flash.hca_ratio) == (21, 20, 4, 128)
    assert (pro.csa_layers, pro.hca_layers) == (30, 31)
    assert flash.native_size_gb == 160 and pro.native_size_gb == 865
    assert catalog.model("DeepSeek-V4.1-Flash").attention_kind == "opaque"
    assert catalog.model("DeepSeek-V4.1-Flash").kv_bytes_per_token_f16 == 4096


def _gqa_kv_bytes(model) -> float:  # type: ignore[no-untyped-def]
    return 2 * model.num_layers * model.num_kv_heads * model.head_dim * 2


def test_kv_sanity_from_records(catalog: Catalog) -> None:
    llama = catalog.model("Llama-3-8B")
    assert _gqa_kv_bytes(llama) == 131_072
    v3 = catalog.model("DeepSeek-V3")
    assert v3.attention_kind == "mla"
    assert v3.num_layers * (v3.kv_lora_rank + v3.qk_rope_head_dim) * 2 == 70_272
    kimi = catalog.model("Kimi-K2")
    assert kimi.num_layers * (kimi.kv_lora_rank + kimi.qk_rope_head_dim) * 2 == 70_272


def test_expert_params_follow_the_shapes(catalog: Catalog) -> None:
    # 58 MoE layers x 256 experts x 3 matrices x 7168 x 2048 = 653,908,770,816
    assert catalog.model("DeepSeek-V3").expert_params_b == pytest.approx(653.91, abs=0.01)  # ~654.0B
    for record in catalog.models:
        if record.n_routed_experts:
            assert 0 < record.expert_params_b < record.total_params_b, record.id
            assert record.experts_per_token <= record.n_routed_experts


def test_sliding_windows(catalog: Catalog) -> None:
    gemma = catalog.model("Gemma-3-27B")
    assert (gemma.sliding_window, gemma.sliding_layers, gemma.num_layers) == (1024, 52, 62)
    oss = catalog.model("gpt-oss-120b")
    assert (oss.sliding_window, oss.sliding_layers) == (128, 18)
    scout = catalog.model("Llama-4-Scout")
    assert (scout.sliding_window, scout.sliding_layers) == (8192, 36)


def test_quant_bits(catalog: Catalog) -> None:
    assert catalog.quant("Q4_K_M").bits_per_weight == 4.89
    assert catalog.quant("AWQ").name == "AWQ-INT4"
    assert catalog.quant("gptq").bits_per_weight == 4.25
    assert catalog.quant("MLX-4bit").bits_per_weight == 4.5
    assert catalog.quant("NVFP4").compute == "fp4"
    assert catalog.quant("FP8").compute == "fp8"
    assert catalog.quant("EXL2-3.7").bits_per_weight == 3.7  # parsed, not a record
    assert catalog.quant("MLX-5bit").bits_per_weight == 5.5
    native = catalog.quant("native", model="gpt-oss-120b")
    assert native.bits_per_weight == pytest.approx(65.3 * 8 / 116.83)


def test_apple_variants_differ(catalog: Catalog) -> None:
    m3_30 = catalog.device("Apple M3 Max (30-core GPU)")
    m3_40 = catalog.device("Apple M3 Max (40-core GPU)")
    assert (m3_30.bandwidth_gbs, m3_40.bandwidth_gbs) == (300, 400)
    assert m3_30.fp16_tflops < m3_40.fp16_tflops
    assert m3_40.unified_memory and m3_40.gpu_memory_share == 0.75
    assert catalog.device("Apple M1 (8-core GPU)").gpu_memory_share == 0.67


def test_calibration_names_resolve(catalog: Catalog) -> None:
    with CALIBRATION.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) > 50
    for row in rows:
        device = catalog.device(row["hardware"])
        catalog.model(row["model"])
        catalog.quant(row["quant"])
        assert device.memory_gb >= float(row["memory_gb"]), row["hardware"]
        if row["fp16_tflops"]:
            assert device.fp16_tflops == pytest.approx(float(row["fp16_tflops"]), rel=0.01), row["hardware"]


def test_latest_price(catalog: Catalog) -> None:
    point = catalog.latest_price("rtx-5090", "new")
    assert point is not None and point.price_usd == 3100 and str(point.observed_at) == "2026-06-22"
    used = catalog.latest_price("rtx-3090", "used")
    assert used is not None and used.price_usd == 750
    assert catalog.latest_price("rtx-5090", "used") is None
    assert catalog.latest_price("no-such-item") is None
