"""Decode/prefill speed: structural truths of the roofline model and the shipped calibration."""

from __future__ import annotations

import numpy as np
import pytest

from advisor.engine import estimate, estimate_many
from advisor.engine.throughput import experts_touched
from advisor.engine.types import Device, Host, Quant, Setup
from tests.unit.engine.test_fit import DEEPSEEK_V3, LLAMA3_8B, LLAMA3_70B, Q4_K_M, RTX4090

H100 = Device("NVIDIA H100 SXM5 80GB", memory_gb=80, bandwidth_gbs=3350, fp16_tflops=989.4, fp8_tflops=1978.9,
              link="nvlink", link_bandwidth_gbs=450)
PCIE_H100 = Device("H100 on PCIe", memory_gb=80, bandwidth_gbs=3350, fp16_tflops=989.4, link="pcie4",
                   link_bandwidth_gbs=25)
FP8 = Quant("FP8", 8.0, family="float", compute="fp8")


def test_expert_touch_formula() -> None:
    assert experts_touched(256, 8, 1) == pytest.approx(8.0)
    assert experts_touched(256, 8, 64) == pytest.approx(256 * (1 - (1 - 8 / 256) ** 64))
    assert experts_touched(256, 8, 100_000) == pytest.approx(256.0)
    assert experts_touched(0, 0, 8) == 0.0  # dense model: no routed experts
    batch = np.array([1, 2, 4, 16, 256])
    assert np.all(np.diff(experts_touched(128, 8, batch)) > 0)


def test_moe_batch_reads_more_expert_bytes_per_step() -> None:
    host = Host(ram_gb=1024, ram_bandwidth_gbs=600)
    rig = Device("8 x H100", memory_gb=80, bandwidth_gbs=3350, fp16_tflops=989.4, link="nvlink",
                 link_bandwidth_gbs=450)
    e1, e32 = estimate_many([Setup(rig, DEEPSEEK_V3, FP8, count=8, parallel="tensor", host=host, backend="vllm",
                                   batch=b) for b in (1, 32)])
    # more experts touched per step: the step is slower, but far less than 32 x slower
    assert e32.tg_tok_s_per_user < e1.tg_tok_s_per_user
    assert e32.tg_tok_s > 8 * e1.tg_tok_s


def test_layer_split_single_stream_is_not_faster() -> None:
    """Measured llama.cpp 8B Q4_K_M on 1/2/4/8 RTX 4090: 130.6/124.7/120.3/118.1 tok/s (a May 2024 build)."""
    rates = [estimate(Setup(RTX4090, LLAMA3_8B, Q4_K_M, count=n, parallel="layer" if n > 1 else "none",
                            gen_tokens=512, prompt_tokens=0, build="2024")).tg_tok_s for n in (1, 2, 4, 8)]
    assert all(b <= a for a, b in zip(rates, rates[1:], strict=False))
    assert rates[-1] > 0.8 * rates[0]  # a small hop cost, not a collapse


def test_tensor_parallel_speeds_up_one_stream_more_on_nvlink_than_pcie() -> None:
    one = estimate(Setup(H100, LLAMA3_70B, FP8, backend="vllm")).tg_tok_s
    nvl = estimate(Setup(H100, LLAMA3_70B, FP8, count=4, parallel="tensor", backend="vllm")).tg_tok_s
    pcie = estimate(Setup(PCIE_H100, LLAMA3_70B, FP8, count=4, parallel="tensor", backend="vllm")).tg_tok_s
    assert nvl > 1.5 * one
    assert pcie < nvl


def test_decode_slows_with_context_depth_and_batch_raises_aggregate() -> None:
    shallow = estimate(Setup(RTX4090, LLAMA3_8B, Q4_K_M, context_depth=0))
    deep = estimate(Setup(RTX4090, LLAMA3_8B, Q4_K_M, context_depth=6000))
    assert deep.tg_tok_s < shallow.tg_tok_s
    b8 = estimate(Setup(RTX4090, LLAMA3_8B, Q4_K_M, batch=8))
    # each extra sequence adds its arithmetic to the step (llama.cpp MMVQ): 8 sequences cost far less than 8 steps
    # but more than one (an M2 Ultra, whose step has a similar bandwidth-to-ALU ratio, measures 3.3x)
    assert 3 * shallow.tg_tok_s < b8.tg_tok_s < 8 * shallow.tg_tok_s
    assert b8.tg_tok_s_per_user < shallow.tg_tok_s_per_user


def test_prefill_is_never_faster_than_reading_the_weights_once() -> None:
    e = estimate(Setup(RTX4090, LLAMA3_8B, Q4_K_M, prompt_tokens=1))
    weight_read_s = e.weights_gb * 1e9 / (RTX4090.bandwidth_gbs * 1e9)
    assert 1 / e.pp_tok_s >= weight_read_s


def test_expert_offload_is_host_bandwidth_bound() -> None:
    host = Host(ram_gb=768, ram_bandwidth_gbs=614, cpu_tflops=6.0)
    e = estimate(Setup(RTX4090, DEEPSEEK_V3, Q4_K_M, host=host, offload="experts_cpu", backend="ktransformers"))
    assert e.fits
    assert e.limiting_factor == "host RAM bandwidth"
    assert 5 < e.tg_tok_s < 30  # measured 12-16 tok/s with ktransformers on dual Xeon + 4090


@pytest.mark.parametrize(("setup", "measured"), [  # XiongjieDai's sweep ran a ~May 2024 llama.cpp build
    (Setup(RTX4090, LLAMA3_8B, Q4_K_M, prompt_tokens=0, gen_tokens=512, build="2024"), 130.58),
    (Setup(RTX4090, LLAMA3_8B, Quant("F16", 16.0, family="float"), prompt_tokens=0, gen_tokens=512,
           build="2024"), 54.84),
])
def test_shipped_calibration_reproduces_measured_4090_decode(setup: Setup, measured: float) -> None:
    e = estimate(setup)
    assert e.tg_tok_s == pytest.approx(measured, rel=0.2)
    assert e.tg_band[0] < e.tg_tok_s < e.tg_band[1]


def test_long_prompt_attention_runs_at_the_fp16_rate_not_the_fp4_rate() -> None:
    """A serving engine runs FP4 weight GEMMs on FP4 tensor cores, but attention (QK^T, PV) on FP16 ones.

    Qwen3-30B-A3B at an 8,000-token prompt: causal attention is 4 x 48 layers x 32 heads x 128 x (8000 / 2)
    = 3.15 GFLOP per token; on an RTX 5090's 209.5 dense FP16 TFLOPS that alone caps prefill at
    209.5e12 / 3.15e9 = ~66.6k tok/s even at 100 % efficiency. Charging it at the 1,676 TFLOPS FP4 rate
    (the bug QA found) gave ~119k tok/s.
    """
    from advisor.catalog import Catalog

    qwen3_moe = Catalog.load().model("Qwen3-30B-A3B")
    assert (qwen3_moe.num_layers, qwen3_moe.num_heads, qwen3_moe.head_dim) == (48, 32, 128)
    rtx5090 = Device("NVIDIA GeForce RTX 5090", memory_gb=32, bandwidth_gbs=1792, fp16_tflops=209.5,
                     fp8_tflops=838, fp4_tflops=1676, link="pcie5", link_bandwidth_gbs=50)
    nvfp4 = Quant("NVFP4", 4.5, family="float", compute="fp4")
    e = estimate(Setup(rtx5090, qwen3_moe, nvfp4, backend="vllm", prompt_tokens=8000, gen_tokens=1))
    attention_only_tok_s = 209.5e12 / (4 * 48 * 32 * 128 * 8000 / 2)
    assert e.pp_tok_s < attention_only_tok_s


def test_tensor_parallel_over_a_non_divisor_of_the_heads_is_flagged() -> None:
    """Llama-3-70B has 64 heads: 4 GPUs shard them evenly, 3 GPUs cannot (vLLM refuses such a split)."""
    three = estimate(Setup(H100, LLAMA3_70B, FP8, count=3, parallel="tensor", backend="vllm"))
    four = estimate(Setup(H100, LLAMA3_70B, FP8, count=4, parallel="tensor", backend="vllm"))
    assert any("divide evenly" in n for n in three.notes)
    assert not any("divide evenly" in n for n in four.notes)


def test_moe_grouped_gemm_efficiency_is_the_gpu_vendors() -> None:
    from dataclasses import replace

    from advisor.engine.constants import DEFAULT_CONSTANTS, Calibration
    from advisor.engine.sweep import evaluate
    from tests.unit.engine.test_fit import GPT_OSS_120B as MOE

    nvidia = Device("Some NVIDIA card", memory_gb=48, bandwidth_gbs=960, fp16_tflops=120.0)
    amd = replace(nvidia, name="Some Radeon card", vendor="amd")
    cal = Calibration(constants={**DEFAULT_CONSTANTS, "moe_gemm_eff.default": 0.4, "moe_gemm_eff.amd": 0.1})
    pp = {}
    for model in (LLAMA3_8B, MOE):
        res = evaluate([Setup(d, model, Q4_K_M, prompt_tokens=2048) for d in (nvidia, amd)], cal)
        pp[model.name] = res.pp_tok_s[1] / res.pp_tok_s[0]
    # ROCm/Vulkan mul_mat_id kernels: the MoE model's routed experts prefill slower on the AMD card ...
    assert pp[MOE.name] < 0.8 * pp[LLAMA3_8B.name]
    # ... while a dense model's prefill does not depend on the MoE constant at all
    dense_default = evaluate([Setup(amd, LLAMA3_8B, Q4_K_M, prompt_tokens=2048)], Calibration()).pp_tok_s[0]
    dense_cal = evaluate([Setup(amd, LLAMA3_8B, Q4_K_M, prompt_tokens=2048)], cal).pp_tok_s[0]
    assert dense_cal == pytest.approx(dense_default)


def test_dequantisation_runs_on_the_shader_alus_not_the_tensor_cores() -> None:
    from dataclasses import replace

    from advisor.engine.throughput import vector_tflops

    # an A100 lists 312 TFLOPS of FP16 tensor work but 19.5 of FP32 shader work: llama.cpp's unpacking of a
    # Q4_K_M model runs at the latter, so an A100 decodes a block-quantised 8B model below its bandwidth
    # roofline (XiongjieDai: 141 tok/s on a 1,935 GB/s A100 PCIe vs 131 on a 1,008 GB/s RTX 4090)
    a100 = Device("NVIDIA A100 80GB PCIe", memory_gb=80, bandwidth_gbs=1935, fp16_tflops=312, fp32_tflops=19.5)
    assert vector_tflops(a100) == 19.5
    assert vector_tflops(replace(a100, fp32_tflops=None)) == 156.0  # unknown: half the tensor rate
    assert vector_tflops(Device("Apple M2 Max", kind="apple", vendor="apple", fp16_tflops=13.6)) == 13.6
    as_tensor = replace(a100, fp32_tflops=312.0)
    q4 = [estimate(Setup(d, LLAMA3_8B, Q4_K_M, backend="llama.cpp")) for d in (a100, as_tensor)]
    assert q4[0].tg_tok_s < 0.9 * q4[1].tg_tok_s
    # the working names the rate that limits it
    assert q4[0].limiting_factor == "compute"
    assert any("19.5 TFLOPS" in n and "312 TFLOPS" in n for n in q4[0].notes)
    assert q4[1].limiting_factor == "memory bandwidth" and not any("shader" in n for n in q4[1].notes)
    # the measured pair, with the catalog's cards
    from advisor.catalog.snapshot import Catalog

    cat = Catalog.load()
    a100_tg, rtx_tg = (estimate(Setup(cat.device(n), LLAMA3_8B, Q4_K_M, backend="llama.cpp", build="2024")).tg_tok_s
                       for n in ("NVIDIA A100 80GB PCIe", "NVIDIA GeForce RTX 4090"))
    assert a100_tg / rtx_tg < 1.35  # bandwidth alone says 1.92


def test_llama_cpp_small_batches_decode_on_the_shader_alus() -> None:
    # llama.cpp runs up to 8 sequences through MMVQ (dp4a on the shader ALUs, unpacking per sequence), larger
    # batches through tensor-core MMQ tiles. DGX Spark (GB10: 125 TFLOPS FP16 tensor, ~31 FP32 shader),
    # Qwen2.5-7B Q8_0 after a 512-token prompt (llama.cpp benches/dgx-spark.md): 29.2, 104.3, 335.0 tok/s at
    # batch 1, 4, 16.
    from advisor.catalog.snapshot import Catalog

    cat = Catalog.load()
    spark, qwen, q8 = cat.device("NVIDIA DGX Spark (GB10)"), cat.model("Qwen2.5-7B"), cat.quant("Q8_0")
    rates = [estimate(Setup(spark, qwen, q8, backend="llama.cpp", batch=b, prompt_tokens=512, gen_tokens=32))
             .tg_tok_s for b in (1, 4, 16)]
    assert rates[1] / rates[0] == pytest.approx(104.3 / 29.2, rel=0.15)
    # MMQ at batch 16: ~20 % fast (small-tile MMQ on GB10 reaches less of the tensor rate than the fit's share)
    assert rates[2] / rates[0] == pytest.approx(335.0 / 29.2, rel=0.25)
    # the same card with its tensor rate on the shader ALUs would scale batch 4 almost for free
    from dataclasses import replace

    fast = replace(spark, fp32_tflops=spark.fp16_tflops)
    r4_fast = estimate(Setup(fast, qwen, q8, backend="llama.cpp", batch=4, prompt_tokens=512, gen_tokens=32)).tg_tok_s
    assert r4_fast > rates[1]



def test_matrix_vector_kernels_add_each_extra_sequence_after_the_weight_reads() -> None:
    """Hand-worked: a 10 ms weight read and 4 ms of arithmetic for 4 sequences, overlap loss 0.25. The first
    sequence's 1 ms hides under the reads (+0.25 ms), the other three add 3 ms: 10 + 0.25 + 3 = 13.25 ms."""
    from advisor.engine.throughput import decode_step

    common = dict(dense_bytes=10e9, expert_bytes=0.0, n_experts=0, experts_per_token=0, batch=4, kv_bytes_read=0.0,
                  read_factor=1.0, kv_read_factor=1.0, bw_gbs=1000.0, bw_eff=1.0, compute_eff=1.0,
                  active_params=4e12 / 8 / 1.0, count=1, tensor_parallel=False, num_layers=1, hidden_size=1,
                  link_gbs=1.0, allreduce_latency_s=0.0, layer_hop_s=0.0, step_overhead_s=0.0, experts_on_host=False,
                  host_bw_gbs=1.0, host_bw_eff=1.0, overlap_loss=0.25)
    # 2 x active x batch FLOPs = 4e12 FLOP at 1000 TFLOPS = 4 ms
    t = decode_step(**common, tflops=1000.0, serial_compute_share=0.75)
    assert float(t.memory_s) == pytest.approx(0.010) and float(t.compute_s) == pytest.approx(0.004)
    assert float(t.step_s) == pytest.approx(0.01325)
    assert float(decode_step(**common, tflops=1000.0).step_s) == pytest.approx(0.010 + 0.25 * 0.004)


def test_m2_ultra_batch_steps_grow_by_a_cost_a_sequence() -> None:
    # llama.cpp benches/mac-m2-ultra.md, Qwen2.5-7B Q8_0 at depth 512: 78.2 tok/s at batch 1, 218.7 at batch 4
    # (steps 12.8 and 18.3 ms). Hiding the extra sequences' arithmetic under the weight reads gave 1.27x too fast.
    from advisor.catalog.snapshot import Catalog

    cat = Catalog.load()
    m2u, qwen, q8 = cat.device("Apple M2 Ultra (76-core GPU)"), cat.model("Qwen2.5-7B"), cat.quant("Q8_0")
    r1, r4 = (estimate(Setup(m2u, qwen, q8, backend="llama.cpp", batch=b, prompt_tokens=512, gen_tokens=32,
                             context_depth=512)).tg_tok_s for b in (1, 4))
    assert r4 / r1 == pytest.approx(218.7 / 78.2, rel=0.12)


def test_metal_matrix_kernel_costs_a_whole_tile_of_32_sequences() -> None:
    # Metal's mul_mm multiplies 32 activation columns per tile: on an M2 Ultra, Qwen2.5-7B Q8_0 decodes a step of
    # 16 sequences in 49.8 ms and of 32 in 52.4 ms (llama.cpp benches/mac-m2-ultra.md), while a CUDA card's MMQ
    # picks its tile to the batch. The dense GEMM time of 16 and 32 sequences is therefore the same on Metal.
    from advisor.catalog.snapshot import Catalog

    cat = Catalog.load()
    qwen, q8 = cat.model("Qwen2.5-7B"), cat.quant("Q8_0")

    def step_ratio(device_name: str) -> float:
        dev = cat.device(device_name)
        r16, r32 = (estimate(Setup(dev, qwen, q8, backend="llama.cpp", batch=b, prompt_tokens=512, gen_tokens=32))
                    .tg_tok_s_per_user for b in (16, 32))
        return r32 / r16  # = step(16) / step(32)

    assert step_ratio("Apple M2 Ultra (76-core GPU)") == pytest.approx(49.8 / 52.4, rel=0.08)
    # (without the tile the M2 Ultra came out at 0.71; a CUDA APU, partly bandwidth-bound, at ~0.85)
    assert step_ratio("Apple M2 Ultra (76-core GPU)") > step_ratio("NVIDIA DGX Spark (GB10)") + 0.05


def test_mmq_prompt_kernels_unpack_each_weight_tile_once_per_128_tokens() -> None:
    # llama.cpp's MMQ unpacks a quantised weight tile on the shader ALUs once per 128 token columns, then runs the
    # tile on the tensor cores. An A100 (19.5 TFLOPS FP32 shader, 312 FP16 tensor) pays for it; the same card with
    # shader ALUs as fast as its tensor cores would not. Hand-worked: a 512-token prompt in one micro-batch is
    # 4 column tiles, so every weight is unpacked 4 times, each time dequant_ops x (16 / 4.89 - 1) operations.
    from dataclasses import replace

    from advisor.engine.constants import DEFAULT_CONSTANTS, Calibration
    from advisor.engine.fit import read_params_b

    cal = Calibration(constants={**DEFAULT_CONSTANTS, "dequant_ops.default": 2.0})
    a100 = Device("NVIDIA A100 80GB PCIe", memory_gb=80, bandwidth_gbs=1935, fp16_tflops=312, fp32_tflops=19.5)
    fast = replace(a100, fp32_tflops=312.0)
    prompt = 512
    times = [prompt / estimate(Setup(d, LLAMA3_8B, Q4_K_M, backend="llama.cpp", prompt_tokens=prompt), cal).pp_tok_s
             for d in (a100, fast)]
    ops = read_params_b(LLAMA3_8B) * 1e9 * 4 * 2.0 * (16 / 4.89 - 1)
    assert times[0] - times[1] == pytest.approx(ops / 19.5e12 - ops / 312e12, rel=1e-6)
    # twice the tiles at twice the prompt: the unpacking per token stays, it is not a one-off per prompt
    t1024 = [1024 / estimate(Setup(d, LLAMA3_8B, Q4_K_M, backend="llama.cpp", prompt_tokens=1024, ubatch=1024),
                             cal).pp_tok_s for d in (a100, fast)]
    assert t1024[0] - t1024[1] > 1.9 * (times[0] - times[1])
    # Metal's mul_mm unpacks per 32-column tile: 16 unpackings of every weight for the same 512-token prompt
    m2 = Device("Apple M2 Max", kind="apple", vendor="apple", memory_gb=96, bandwidth_gbs=400, fp16_tflops=13.6,
                fp32_tflops=13.6, unified_memory=True)
    m2_times = [prompt / estimate(Setup(d, LLAMA3_8B, Q4_K_M, backend="llama.cpp", prompt_tokens=prompt),
                                  cal).pp_tok_s for d in (m2, replace(m2, fp32_tflops=1e6))]
    metal_ops = ops / 4 * 16
    assert m2_times[0] - m2_times[1] == pytest.approx(metal_ops / 13.6e12 - metal_ops / 1e18, rel=1e-6)
    # float weights are not unpacked (cuBLAS GEMMs): no shader term
    f16 = Quant("F16", 16.0, family="float", compute="fp16")
    f16_times = [estimate(Setup(d, LLAMA3_8B, f16, backend="llama.cpp", prompt_tokens=prompt), cal).pp_tok_s
                 for d in (a100, fast)]
    assert f16_times[0] == pytest.approx(f16_times[1], rel=1e-9)


def test_estimate_names_the_unpacking_share_and_the_amd_build_spread() -> None:
    from advisor.catalog.snapshot import Catalog

    cat = Catalog.load()
    llama70, q3 = cat.model("Llama-3-70B"), cat.quant("Q3_K_M")
    a100 = estimate(Setup(cat.device("NVIDIA A100 80GB SXM4"), llama70, q3, prompt_tokens=2048))
    note = next(n for n in a100.notes if n.startswith("prefill: unpacking"))
    # the share it states is the engine's own: unpacking seconds over the prompt time
    from advisor.engine import evaluate

    r = evaluate([Setup(cat.device("NVIDIA A100 80GB SXM4"), llama70, q3, prompt_tokens=2048)])
    share = float(r.pp_unpack_s[0] * r.pp_tok_s[0] / 2048)
    assert f"{share:.0%}" in note and "19.5 TFLOPS" in note and "128 prompt tokens" in note
    # an RTX 4090's shader ALUs hide it: no note
    rtx = estimate(Setup(cat.device("NVIDIA GeForce RTX 4090"), cat.model("Llama-3-8B"), cat.quant("Q4_K_M")))
    assert not any(n.startswith("prefill: unpacking") for n in rtx.notes)
    # llama.cpp on AMD parts carries the build-to-build spread; a serving engine on AMD does not
    halo = estimate(Setup(cat.device("AMD Ryzen AI Max+ 395 (Radeon 8060S, 128GB)"), cat.model("Qwen3-30B-A3B"),
                          cat.quant("Q4_K_M")))
    assert any("AMD builds of llama.cpp" in n for n in halo.notes)
    mi300 = estimate(Setup(cat.device("AMD Instinct MI300X"), cat.model("Llama-3-8B"), cat.quant("BF16"),
                           backend="vllm"))
    assert not any("AMD builds of llama.cpp" in n for n in mi300.notes)


def test_llama_cpp_pays_a_latency_floor_per_layer_and_prompt_micro_batch() -> None:
    # llama.cpp launches every layer's prompt kernels once per -ub micro-batch (no CUDA graph for prompts), so a
    # prompt pays prefill_layer_s x layers per micro-batch whatever the card: SpareCores' pp16 of a 7B model takes
    # 11-13 ms on an A100 and on an L40S alike. Hand-worked: 1 ms a layer, 32 layers, 2048 tokens = 4 micro-batches
    # of 512 (128 ms) or 2 of 1024 (64 ms); the rest of the prompt time is the same GEMM and attention work.
    from advisor.engine.constants import DEFAULT_CONSTANTS, Calibration

    def prompt_s(layer_s: float, backend: str, ubatch: int) -> float:
        cal = Calibration(constants={**DEFAULT_CONSTANTS, "prefill_layer_s.default": layer_s})
        setup = Setup(H100, LLAMA3_8B, FP8 if backend == "vllm" else Q4_K_M, backend=backend, prompt_tokens=2048,
                      ubatch=ubatch)
        return 2048 / estimate(setup, cal).pp_tok_s

    assert LLAMA3_8B.num_layers == 32
    for ubatch, micro in ((512, 4), (1024, 2)):
        assert prompt_s(0.001, "llama.cpp", ubatch) - prompt_s(0.0, "llama.cpp", ubatch) == pytest.approx(
            micro * 32 * 0.001, rel=1e-6)
    # a serving engine prefills the prompt in chunks of thousands of tokens: no per-micro-batch floor
    assert prompt_s(0.001, "vllm", 512) == pytest.approx(prompt_s(0.0, "vllm", 512), rel=1e-12)
    # the shipped calibration fits a floor well above a graph replay's 15 us a layer
    from advisor.engine.constants import load_calibration

    assert 20e-6 < load_calibration().get("prefill_layer_s", "default") < 1e-3


def test_board_power_caps_fp8_gemms_at_twice_the_fp16_rate() -> None:
    # The power ceiling k x TDP counts FP16-equivalent operations: an FP8 multiply-add costs about half the energy
    # of an FP16 one, so where power binds an FP8 GEMM runs at twice the FP16 one (TensorRT-LLM's FP8 first-token
    # tables on H100; one ceiling in native operations held FP8 prefill at ~1.2x BF16). Hand-worked with a ceiling
    # far below both peaks (k = 0.1 TFLOPS/W x 700 W = 70 FP16-equivalent TFLOPS): the GEMM part of the prompt
    # halves, the attention (FP16 either way) does not.
    from dataclasses import replace

    from advisor.engine.constants import DEFAULT_CONSTANTS, Calibration

    cal = Calibration(constants={**DEFAULT_CONSTANTS, "prefill_tflops_per_w.serving": 0.1})
    h100 = replace(H100, tdp_w=700)
    bf16 = Quant("BF16", 16.0, family="float", compute="fp16")
    t = {q.name: 512 / estimate(Setup(h100, LLAMA3_8B, q, backend="vllm", prompt_tokens=512), cal).pp_tok_s
         for q in (bf16, FP8)}
    assert t["BF16"] / t["FP8"] == pytest.approx(2.0, rel=0.05)
    # the two engine classes have their own ceiling: the serving one does not touch llama.cpp's prompt
    loose = Calibration(constants={**DEFAULT_CONSTANTS, "prefill_tflops_per_w.serving": 100.0})
    q4 = [estimate(Setup(h100, LLAMA3_8B, Q4_K_M, backend="llama.cpp", prompt_tokens=512), c).pp_tok_s for c in (cal, loose)]
    assert q4[0] == pytest.approx(q4[1], rel=1e-12)
    vllm = [estimate(Setup(h100, LLAMA3_8B, bf16, backend="vllm", prompt_tokens=512), c).pp_tok_s for c in (cal, loose)]
    assert vllm[1] > 3 * vllm[0]


def test_fp4_checkpoints_without_fp4_tensor_cores_run_at_the_engines_own_rate() -> None:
    # vLLM and SGLang unpack MXFP4/NVFP4 weights to BF16 on Hopper (Marlin / Triton W4A16); TensorRT-LLM multiplies
    # them with FP8 activations (W4A8); a Blackwell part with FP4 tensor cores runs them at the FP4 rate.
    from advisor.engine.throughput import compute_tflops

    mxfp4 = Quant("MXFP4", 4.25, family="float", compute="fp4")
    b200 = Device("NVIDIA B200", memory_gb=180, bandwidth_gbs=8000, fp16_tflops=2250, fp8_tflops=4500,
                  fp4_tflops=9000)
    assert compute_tflops(H100, mxfp4, "vllm") == compute_tflops(H100, mxfp4, "sglang") == 989.4
    assert compute_tflops(H100, mxfp4, "tensorrt-llm") == 1978.9
    assert compute_tflops(b200, mxfp4, "vllm") == compute_tflops(b200, mxfp4, "tensorrt-llm") == 9000
    assert compute_tflops(H100, FP8, "vllm") == 1978.9


def test_estimate_says_how_an_fp4_checkpoint_runs_without_fp4_tensor_cores() -> None:
    from advisor.catalog.snapshot import Catalog

    cat = Catalog.load()
    h100, b200 = cat.device("NVIDIA H100 SXM5 80GB"), cat.device("NVIDIA B200")
    goss, mxfp4 = cat.model("gpt-oss-120b"), cat.quant("MXFP4")

    def fp4_notes(device: Device, backend: str) -> list[str]:
        return [n for n in estimate(Setup(device, goss, mxfp4, backend=backend)).notes
                if "without FP4 tensor cores" in n]

    assert "unpacks the weights to BF16" in fp4_notes(h100, "vllm")[0]
    assert "FP8 activations" in fp4_notes(h100, "tensorrt-llm")[0]
    assert fp4_notes(b200, "vllm") == [] and fp4_notes(h100, "llama.cpp") == []
    # the note reads the rule the arithmetic uses: an A100 has no FP8 either, so TensorRT-LLM runs BF16 there
    a100 = cat.device("NVIDIA A100 80GB SXM4")
    assert "unpacks the weights to BF16" in fp4_notes(a100, "tensorrt-llm")[0]


def test_geforce_fp8_serving_gemms_run_at_the_fp32_accumulate_rate() -> None:
    # The catalog lists a GeForce card's FP8 rate with FP16 accumulate (RTX 4090: 660.6 TFLOPS); vLLM's and
    # TensorRT-LLM's FP8 GEMMs accumulate in FP32, which GeForce runs at half that (330.3, NVIDIA's Ada whitepaper).
    # llama.cpp keeps its FP16-accumulate rate, and a datacenter card its full FP8 rate.
    from advisor.catalog.snapshot import Catalog
    from advisor.engine.fit import read_params_b
    from advisor.engine.throughput import compute_tflops

    cat = Catalog.load()
    rtx, l40s = cat.device("NVIDIA GeForce RTX 4090"), cat.device("NVIDIA L40S")
    fp8, q4 = cat.quant("FP8"), cat.quant("Q4_K_M")
    assert compute_tflops(rtx, fp8, "vllm") == pytest.approx(330.3) == compute_tflops(rtx, fp8, "tensorrt-llm")
    assert compute_tflops(rtx, q4, "llama.cpp") == pytest.approx(330.4)
    assert compute_tflops(l40s, fp8, "vllm") == l40s.fp8_tflops
    # end to end: an FP8 prompt on a 4090 in vLLM never runs its GEMMs faster than the FP32-accumulate peak
    llama = cat.model("Llama-3.1-8B")
    e = estimate(Setup(rtx, llama, fp8, backend="vllm", prompt_tokens=4096))
    assert 2 * read_params_b(llama) * 1e9 * e.pp_tok_s < 330.3e12


def test_llama_cpp_tensor_split_copies_every_split_product_over_the_main_gpus_link() -> None:
    """llama.cpp -sm row: each split product's F32 input goes from the main GPU to the n - 1 others (results come
    back the other way). 70B layer inputs: q, k, v 3 x 8192 + o 8192 + gate, up 2 x 8192 + down 28,672 = 77,824.
    Measured (llama.cpp PR 19378, 4 x RTX 4090, Llama 70B Q4_K_M pp512): 334 tok/s with -sm row, 1,435 with -sm layer."""
    import dataclasses

    def prompt_s(link_gbs: float, parallel: str = "tensor") -> float:
        dev = dataclasses.replace(RTX4090, link="pcie4", link_bandwidth_gbs=link_gbs)
        e = estimate(Setup(dev, LLAMA3_70B, Q4_K_M, count=4, parallel=parallel, backend="llama.cpp",
                           prompt_tokens=512, gen_tokens=0))
        return 512 / e.pp_tok_s

    copies = 512 * 80 * 4 * 3 * 77_824  # tokens x layers x F32 bytes x peers x input widths
    assert prompt_s(25) - prompt_s(50) == pytest.approx(copies / 25e9 - copies / 50e9, rel=2e-3)
    assert prompt_s(25, "layer") < prompt_s(25) / 2  # the layer split does not copy activations per product
    vllm = Setup(dataclasses.replace(RTX4090, link="pcie4", link_bandwidth_gbs=25), LLAMA3_70B, FP8, count=4,
                 parallel="tensor", backend="vllm", prompt_tokens=512, gen_tokens=0)
    assert estimate(vllm).pp_tok_s > 3 * 512 / prompt_s(25)  # serving engines all-reduce twice a layer instead
    row = Setup(dataclasses.replace(RTX4090, link_bandwidth_gbs=25), LLAMA3_70B, Q4_K_M, count=4, parallel="tensor")
    assert any(n.startswith("llama.cpp tensor split (-sm row)") and "3 others over the 25 GB/s link" in n
               for n in estimate(row).notes)
    assert not any("tensor split" in n for n in estimate(vllm).notes)
