"""The engine: pure functions on plain dataclasses (no database, no Qt).

>>> from advisor.engine import estimate
>>> from advisor.engine.types import Device, ModelArch, Quant, Setup
>>> rtx4090 = Device("RTX 4090", memory_gb=24, bandwidth_gbs=1008, fp16_tflops=165.2)
>>> llama8b = ModelArch("Llama-3-8B", 8.03, 8.03, num_layers=32, vocab_size=128256)
>>> e = estimate(Setup(rtx4090, llama8b, Quant("Q4_K_M", 4.89)))
>>> e.fits, round(e.weights_gb, 2)
(True, 4.91)
"""

from __future__ import annotations

from advisor.engine.build import era_text
from advisor.engine.constants import SERVING_BACKENDS, Calibration, gemm_class, load_calibration
from advisor.engine.fit import (
    FitResult,
    context_for,
    kv_bytes_per_token,
    read_params_b,
    unified_memory_note,
    validate,
    weights_split_bytes,
)
from advisor.engine.serving import SERVING_PREFILL_CHUNK
from advisor.engine.sweep import (
    METAL_MM_TILE,
    MMQ_TILE_TOKENS,
    Results,
    SweepResult,
    evaluate,
    max_useful_batch,
    sweep,
)
from advisor.engine.throughput import BLOCK_QUANT_FAMILIES, fp4_fallback, vector_tflops
from advisor.engine.types import Estimate, Setup

__all__ = [
    "Calibration",
    "Estimate",
    "FitResult",
    "Results",
    "Setup",
    "SweepResult",
    "estimate",
    "estimate_many",
    "evaluate",
    "kv_bytes_per_token",
    "load_calibration",
    "max_useful_batch",
    "read_params_b",
    "sweep",
    "validate",
    "weights_split_bytes",
]


def _notes(setup: Setup, r: Results, i: int) -> tuple[str, ...]:
    notes = []
    m = setup.model
    memory_note = unified_memory_note(setup.device)
    if memory_note:
        notes.append(memory_note)
    if m.is_moe:
        notes.append(f"MoE: all {m.total_params_b:g}B parameters must be held; {read_params_b(m):.3g}B are read per"
                     " token (the input-embedding table is a one-row lookup, the output head is read whole)")
    if setup.count > 1 and setup.parallel in ("none", "layer"):
        notes.append("layer split: one stream is not faster than on one device; it adds memory, not speed")
    if setup.count > 1 and setup.parallel == "tensor" and m.num_heads % setup.count:
        # vLLM / SGLang / TensorRT-LLM shard attention heads evenly: 64 heads cannot go over 3 GPUs
        notes.append(f"tensor parallel over {setup.count} devices needs the {m.num_heads} attention heads to divide"
                     f" evenly; serving engines refuse this split (use a divisor of {m.num_heads})")
    if setup.count > 1 and setup.parallel == "tensor" and setup.backend == "llama.cpp":
        notes.append(f"llama.cpp tensor split (-sm row): every split matrix product copies its input from the main GPU"
                     f" to the {setup.count - 1} others over the {setup.device.link_bandwidth_gbs:g} GB/s link; prefill is"
                     " bound by it (measured 4.3x slower than -sm layer on 4 x RTX 4090, llama.cpp PR 19378)")
    if setup.offload == "experts_cpu":
        notes.append(f"routed experts ({r.host_gb[i]:.0f} GB) in host RAM, read by the CPU each token")
    if not r.fits[i] and r.reasons[i]:
        notes.append(r.reasons[i])
    # the engine computes any pairing; a user must still hear that this one does not exist as such
    if setup.device.kind != "apple" and (setup.backend == "mlx" or setup.quant.family == "mlx"):
        notes.append("MLX runs only on Apple silicon: read this as an equivalent format on another runtime")
    ctx = context_for(setup)
    if ctx > m.max_context:  # memory is still computed (runtimes allow it), but the user must hear it
        notes.append(f"context {ctx:,} tokens is past the model's {m.max_context:,}-token window: output quality"
                     " there is not assured")
    notes.append(f"decode limited by {r.limiting[i]}")
    shader = setup.quant.family in BLOCK_QUANT_FAMILIES or (setup.backend == "llama.cpp" and setup.batch <= 8)
    if r.limiting[i] == "compute" and shader and setup.device.kind != "cpu" and setup.offload != "cpu_only":
        notes.append(f"compute here is the shader ALUs' FP32 rate ({vector_tflops(setup.device):g} TFLOPS, not the"
                     f" {setup.device.fp16_tflops:g} TFLOPS tensor rate): unpacking {setup.quant.name} weights"
                     " and llama.cpp's matrix-vector kernels (up to 8 sequences) run there")
    if setup.backend in SERVING_BACKENDS and setup.batch > 1:
        notes.append(f"serving {setup.batch} concurrent requests: {r.serving_tok_s[i]:,.0f} output tok/s over wall time"
                     f" (decode {r.tg_tok_s[i]:,.0f} tok/s less each request's prefill, prompts prefilled"
                     f" {SERVING_PREFILL_CHUNK:,.0f} tokens a step alongside the others' decode)")
    unpack = r.pp_unpack_s[i] * r.pp_tok_s[i] / max(setup.prompt_tokens, 1) if r.pp_unpack_s is not None else 0.0
    if setup.count == 1 and unpack >= UNPACK_NOTE_SHARE:
        notes.append(f"prefill: unpacking the {setup.quant.name} weights on the shader ALUs"
                     f" ({vector_tflops(setup.device):g} TFLOPS) takes {unpack:.0%} of the prompt time (llama.cpp"
                     f" unpacks each weight tile once per"
                     f" {METAL_MM_TILE if setup.device.kind == 'apple' else MMQ_TILE_TOKENS:.0f} prompt tokens)")
    vendor = gemm_class(setup.device)
    if setup.backend == "llama.cpp" and vendor == "amd":
        notes.append("AMD builds of llama.cpp change fast: builds from before November 2025 (--build 2024) prefill up"
                     " to ~1.8x slower, and the ROCm and Vulkan back ends still differ up to ~2x on one chip (the"
                     " p10-p90 band carries that spread)")
    fallback = fp4_fallback(setup.device, setup.quant, setup.backend)
    if fallback:
        notes.append(f"{setup.quant.name} on a part without FP4 tensor cores: "
                     + (f"{setup.backend} multiplies the FP4 weights with FP8 activations (FP8 tensor rate)"
                        if fallback == "fp8" else
                        f"{setup.backend} unpacks the weights to BF16 (FP16 tensor rate); they save memory and"
                        " reads, not arithmetic"))
    if setup.backend == "tensorrt-llm" and setup.batch > 1:
        notes.append("TensorRT-LLM through its API server: every sequence pays the server's per-token host cost"
                     if setup.harness == "online" else
                     "TensorRT-LLM offline (trtllm-bench): no API server, no per-sequence host cost")
    notes.append(f"speeds stand for {era_text(setup.build, vendor)} of {setup.backend}")
    return tuple(notes)


# Unpacking share of the prompt time from which an estimate says so [fraction].
UNPACK_NOTE_SHARE = 0.10


def estimate_many(setups: list[Setup], calibration: Calibration | None = None) -> list[Estimate]:
    """`estimate` for many setups at once (vectorised; same numbers as one by one)."""
    r = evaluate(setups, calibration)
    out = []
    for i, s in enumerate(setups):
        out.append(Estimate(
            fits=bool(r.fits[i]), weights_gb=float(r.weights_gb[i]), kv_bytes_per_token=float(r.kv_bytes_per_token[i]),
            kv_gb=float(r.kv_gb[i]), overhead_gb=float(r.overhead_gb[i]), total_gb=float(r.total_gb[i]),
            usable_gb=float(r.usable_gb[i]), host_gb=float(r.host_gb[i]),
            max_context_tokens=int(r.max_context_tokens[i]), pp_tok_s=float(r.pp_tok_s[i]),
            tg_tok_s=float(r.tg_tok_s[i]), tg_tok_s_per_user=float(r.tg_tok_s_per_user[i]),
            ttft_s=float(r.ttft_s[i]), tg_band=(float(r.tg_band[i, 0]), float(r.tg_band[i, 1])),
            pp_band=(float(r.pp_band[i, 0]), float(r.pp_band[i, 1])), limiting_factor=r.limiting[i],
            load_power_w=float(r.load_power_w[i]), idle_power_w=float(r.idle_power_w[i]), reason=r.reasons[i],
            notes=_notes(s, r, i)))
    return out


def estimate(setup: Setup, calibration: Calibration | None = None) -> Estimate:
    """Fit, speed, power and working for one setup (raises InputError naming a bad field).

    Speeds are for the setup as given even when it does not fit (so a user sees what it would do).
    """
    return estimate_many([setup], calibration)[0]
