"""Memory fit against known truths (configs from the models' published config.json)."""

from __future__ import annotations

import pytest

from advisor.engine.fit import fit, kv_bytes_per_token, kv_layout, usable_gb, weights_split_bytes
from advisor.engine.types import Device, Host, ModelArch, Quant, Setup

LLAMA3_8B = ModelArch("Llama-3-8B", 8.03, 8.03, num_layers=32, hidden_size=4096, num_heads=32, num_kv_heads=8,
                      head_dim=128, vocab_size=128256, max_context=8192)
LLAMA3_70B = ModelArch("Llama-3-70B", 70.55, 70.55, num_layers=80, hidden_size=8192, num_heads=64, num_kv_heads=8,
                       head_dim=128, vocab_size=128256, max_context=8192)
DEEPSEEK_V3 = ModelArch("DeepSeek-V3", 671, 37, num_layers=61, hidden_size=7168, num_heads=128, num_kv_heads=128,
                        head_dim=192, attention_kind="mla", kv_lora_rank=512, qk_rope_head_dim=64,
                        n_routed_experts=256, experts_per_token=8, n_shared_experts=1, expert_params_b=653.9,
                        vocab_size=129280, max_context=163840, native_quant="FP8", native_size_gb=688)
V4_PRO = ModelArch("DeepSeek-V4-Pro", 1600, 49, num_layers=61, hidden_size=7168, num_heads=128, num_kv_heads=1,
                   head_dim=512, attention_kind="dsv4", sliding_window=128, csa_layers=30, hca_layers=31,
                   index_head_dim=128, n_routed_experts=384, experts_per_token=6, n_shared_experts=1,
                   expert_params_b=1547.4, vocab_size=129280, max_context=1048576, native_quant="FP4+FP8",
                   native_size_gb=865)
GPT_OSS_120B = ModelArch("gpt-oss-120b", 116.8, 5.1, num_layers=36, hidden_size=2880, num_heads=64, num_kv_heads=8,
                         head_dim=64, sliding_window=128, sliding_layers=18, n_routed_experts=128,
                         experts_per_token=4, expert_params_b=114.66, vocab_size=201088, max_context=131072)
Q4_K_M = Quant("Q4_K_M", 4.89)
RTX4090 = Device("NVIDIA GeForce RTX 4090", memory_gb=24, bandwidth_gbs=1008, fp16_tflops=165.2)


def test_llama3_8b_f16_kv_is_131072_bytes_per_token() -> None:
    assert kv_bytes_per_token(LLAMA3_8B, "f16") == 131_072


def test_kv_dtype_scales_the_cache() -> None:
    assert kv_bytes_per_token(LLAMA3_8B, "q8_0") == pytest.approx(131_072 * 1.0625 / 2)
    assert kv_bytes_per_token(LLAMA3_8B, "q4_0") == pytest.approx(131_072 * 0.5625 / 2)


def test_deepseek_v3_mla_latent_kv_is_70272_bytes_per_token() -> None:
    assert kv_bytes_per_token(DEEPSEEK_V3, "f16") == 70_272


def test_deepseek_v4_pro_compressed_kv_matches_reference_formula() -> None:
    layout = kv_layout(V4_PRO, "bf16")
    assert layout.growing_per_token == 9_848  # 30 x (512 + 128) x 2 / 4 + 31 x 512 x 2 / 128
    assert layout.fixed_bytes == 7_995_392  # 61 layers x 128-token window x 512 x 2 B per sequence


def test_sliding_layers_are_capped_at_the_window() -> None:
    layout = kv_layout(GPT_OSS_120B, "f16")
    assert layout.growing_per_token == 36_864  # 18 full layers x 2 x 8 x 64 x 2
    assert layout.per_sequence(100_000) - layout.per_sequence(50_000) == pytest.approx(36_864 * 50_000)
    assert layout.per_sequence(64) == pytest.approx(73_728 * 64)  # below the window every layer grows


@pytest.mark.parametrize(("model", "expected_gb"), [(LLAMA3_8B, 4.9), (LLAMA3_70B, 42.5)])
def test_q4_k_m_weights_within_3_percent(model: ModelArch, expected_gb: float) -> None:
    dense, expert = weights_split_bytes(model, Q4_K_M)
    assert (dense + expert) / 1e9 == pytest.approx(expected_gb, rel=0.03)


def test_native_quant_uses_the_published_checkpoint_size() -> None:
    dense, expert = weights_split_bytes(V4_PRO, Quant("native", 4.6, family="native"))
    assert (dense + expert) / 1e9 == pytest.approx(865)
    assert expert > 0.9 * (dense + expert)  # MoE: the experts dominate


@pytest.mark.parametrize("bpw", [1.56, 2.06, 3.0, 4.5, 4.89, 8.5, 16.0])
def test_deepseek_v4_pro_never_fits_in_27_gb(bpw: float) -> None:
    device = Device("27 GB card", memory_gb=27, bandwidth_gbs=1000, fp16_tflops=100)
    r = fit(Setup(device, V4_PRO, Quant("q", bpw), batch=1))
    assert not r.fits
    assert r.weights_gb > 250  # 1.6T parameters: even at ~1.5 bit that is ~300 GB
    assert r.max_context_tokens == 0
    assert "GB of weights" in r.reason


def test_v4_pro_native_reason_names_the_sizes() -> None:
    r = fit(Setup(RTX4090, V4_PRO, Quant("native", 4.6, family="native"), count=2))
    assert r.reason == "needs 865 GB of weights; 2 x NVIDIA GeForce RTX 4090 offer 51 GB usable"


def test_max_context_is_the_largest_context_that_fits() -> None:
    s = Setup(RTX4090, LLAMA3_70B, Q4_K_M)
    assert fit(s).max_context_tokens == 0  # 42 GB of weights on a 24 GB card
    s8 = Setup(RTX4090, ModelArch(**{**LLAMA3_8B.__dict__, "max_context": 1_000_000}), Q4_K_M, batch=1)
    r = fit(s8)
    at_max = fit(Setup(s8.device, s8.model, s8.quant, context_tokens=r.max_context_tokens))
    beyond = fit(Setup(s8.device, s8.model, s8.quant, context_tokens=r.max_context_tokens + 2000))
    assert at_max.fits and not beyond.fits
    r4 = fit(Setup(s8.device, s8.model, s8.quant, batch=4))
    assert r4.max_context_tokens < r.max_context_tokens / 3.5  # four sequences share the same memory


def test_unified_memory_only_offers_the_wired_share() -> None:
    mac = Device("Mac", kind="apple", vendor="apple", memory_gb=64, bandwidth_gbs=400, fp16_tflops=13.6,
                 unified_memory=True, gpu_memory_share=0.75)
    assert usable_gb(mac) == pytest.approx(64 * 2**30 / 1e9 * 0.75)  # 64 GiB of RAM, 75 % wired


def test_expert_offload_moves_routed_experts_to_host_ram() -> None:
    host = Host(ram_gb=768, ram_bandwidth_gbs=614)
    on_gpu = fit(Setup(RTX4090, DEEPSEEK_V3, Q4_K_M, host=host))
    offloaded = fit(Setup(RTX4090, DEEPSEEK_V3, Q4_K_M, host=host, offload="experts_cpu"))
    assert not on_gpu.fits
    assert offloaded.fits
    # Q4_K_M's 4.89 bits/weight is a Llama-3.1-8B file figure with its Q6_K head (6.54 % of the parameters):
    # the routed experts take the rest's 4.773 bits, the head (129,280 x 7,168 = 0.927B) 6.5625
    body = (4.89 - 0.06542 * 6.5625) / (1 - 0.06542)
    assert body == pytest.approx(4.773, abs=1e-3)
    assert offloaded.host_gb == pytest.approx(653.9 * body / 8, rel=1e-4)
    head = 129280 * 7168 / 1e9
    assert offloaded.device_weights_gb == pytest.approx(((671 - 653.9 - head) * body + head * 6.5625) / 8, rel=1e-4)


def test_gguf_file_size_counts_the_q6_k_output_head() -> None:
    # llama.cpp's quantize keeps output.weight at Q6_K in Q4_0 files: TheBloke's llama-2-7b.Q4_0.gguf is
    # 3.83 GB (6.74B parameters, a 32,000 x 4,096 head), not 6.74 x 4.64 / 8 = 3.91 GB; Llama-3.1-8B, whose file
    # the 4.64 bits/weight preset figure comes from, keeps exactly 4.64.
    from advisor.catalog.snapshot import Catalog
    from advisor.engine.fit import weights_split_bytes

    cat = Catalog.load()
    q4_0 = cat.quant("Q4_0")
    assert sum(weights_split_bytes(cat.model("Llama-2-7B"), q4_0)) / 1e9 == pytest.approx(3.83, abs=0.02)
    l31 = cat.model("Llama-3.1-8B")
    assert sum(weights_split_bytes(l31, q4_0)) * 8 / (l31.total_params_b * 1e9) == pytest.approx(4.64, abs=0.01)
    # Q8_0 is above Q6_K: nothing changes
    q8 = cat.quant("Q8_0")
    assert sum(weights_split_bytes(cat.model("Gemma-3-4B"), q8)) * 8 / 3.88e9 == pytest.approx(8.5, rel=1e-6)


def test_gemma_qat_gguf_keeps_its_embedding_table_at_q8_0() -> None:
    # ggml-org/gemma-3-4b-it-qat-GGUF, as llama-bench lists it (llama.cpp benches/dgx-spark.md): 2.35 GiB for 3.88B
    # parameters. Q4_0 blocks with the 262k x 2,560 tied table at Q6_K would be 2.20 GiB: the file keeps it at Q8_0.
    from advisor.catalog.snapshot import Catalog
    from advisor.engine.fit import weights_split_bytes

    cat = Catalog.load()
    gemma = cat.model("Gemma-3-4B")
    assert sum(weights_split_bytes(gemma, cat.quant("Q4_0-QAT"))) / 2**30 == pytest.approx(2.35, abs=0.01)
    assert sum(weights_split_bytes(gemma, cat.quant("Q4_0"))) / 2**30 == pytest.approx(2.20, abs=0.01)
    # on Llama-3.1-8B the layout gives the preset convention's whole-file figure it is recorded with
    l31 = cat.model("Llama-3.1-8B")
    qat = cat.quant("Q4_0-QAT")
    assert qat.head_bits == 8.5
    assert sum(weights_split_bytes(l31, qat)) * 8 / (l31.total_params_b * 1e9) == pytest.approx(
        qat.bits_per_weight, abs=0.01)


def test_glm_4_5_air_gguf_sizes_count_the_mtp_layer() -> None:
    # ubergarm's GLM-4.5-Air GGUFs: BF16 205.811 GiB (16.004 bits/weight), Q8_0 109.381 GiB; both hold the MTP layer
    # on top of the official 106B, so the catalog counts 110.5B parameters.
    from advisor.catalog.snapshot import Catalog
    from advisor.engine.fit import weights_split_bytes

    cat = Catalog.load()
    air = cat.model("GLM-4.5-Air")
    assert sum(weights_split_bytes(air, cat.quant("Q8_0"))) / 2**30 == pytest.approx(109.381, rel=0.01)
    assert air.num_heads * air.head_dim == 12288 and air.hidden_size == 4096  # attention wider than the hidden size
