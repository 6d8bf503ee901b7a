"""Decode and prefill speed: a memory/compute roofline with a few calibrated efficiencies (DESIGN §3.2).

The core functions take numpy arrays or plain floats (everything broadcasts), so the single estimate, the
``--cases`` path and the sweep share exactly the same formulas. Times are in seconds, bytes in B, rates in
tokens/s, bandwidths in GB/s (1e9 B/s), compute in TFLOPS (1e12 FLOP/s).

>>> round(float(experts_touched(256, 8, 1)), 3), round(float(experts_touched(256, 8, 64)), 1)
(8.0, 222.4)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from advisor.engine.constants import SERVING_BACKENDS
from advisor.engine.types import Device, ModelArch, Quant

Array = np.ndarray

BLOCK_QUANT_FAMILIES = ("gguf", "int4", "exl2", "mlx")  # weight-only formats dequantised in software
LIMITS = ("memory bandwidth", "compute", "host RAM bandwidth", "interconnect", "per-token overhead")


def experts_touched(n_experts: ArrayLike, experts_per_token: ArrayLike, batch: ArrayLike) -> Array:
    """Unique routed experts one layer reads for ``batch`` tokens with uniform routing: E x (1-(1-k/E)^B)."""
    e = np.asarray(n_experts, dtype=float)
    k = np.asarray(experts_per_token, dtype=float)
    b = np.asarray(batch, dtype=float)
    safe_e = np.where(e > 0, e, 1.0)
    frac = np.clip(k / safe_e, 0.0, 1.0)
    return np.where(e > 0, e * (1.0 - (1.0 - frac) ** np.maximum(b, 0.0)), 0.0)


# Links wired as a full mesh: every device has a direct link to every other one (AMD Instinct OAM boards:
# 7 x-GMI links per MI300X in an 8-GPU box). The catalog gives ONE link's rate; an all-reduce spreads its
# traffic over all n - 1 links at once. NVLink (NVSwitch) figures are already per-device aggregates.
MESH_LINKS = ("infinity_fabric",)


def allreduce_link_gbs(link_gbs: ArrayLike, mesh: ArrayLike, count: ArrayLike) -> Array:
    """Bandwidth one device drives into an all-reduce [GB/s]: the link rate, x (n - 1) on a full mesh.

    >>> float(allreduce_link_gbs(64.0, True, 8)), float(allreduce_link_gbs(450.0, False, 8))
    (448.0, 450.0)
    """
    n = np.maximum(np.asarray(count, dtype=float), 1.0)
    links = np.where(np.asarray(mesh, dtype=bool), np.maximum(n - 1.0, 1.0), 1.0)
    return np.asarray(link_gbs, dtype=float) * links


@dataclass(frozen=True)
class DecodeTimes:
    """Components of one decode step (all sequences of the batch advance one token) [s]."""

    memory_s: Array
    compute_s: Array
    host_s: Array
    link_s: Array
    overhead_s: Array
    step_s: Array


def decode_step(
    *,
    dense_bytes: ArrayLike,
    expert_bytes: ArrayLike,
    n_experts: ArrayLike,
    experts_per_token: ArrayLike,
    batch: ArrayLike,
    kv_bytes_read: ArrayLike,
    read_factor: ArrayLike,
    kv_read_factor: ArrayLike,
    bw_gbs: ArrayLike,
    bw_eff: ArrayLike,
    tflops: ArrayLike,
    compute_eff: ArrayLike,
    active_params: ArrayLike,
    count: ArrayLike,
    tensor_parallel: ArrayLike,
    num_layers: ArrayLike,
    hidden_size: ArrayLike,
    link_gbs: ArrayLike,
    allreduce_latency_s: ArrayLike,
    layer_hop_s: ArrayLike,
    step_overhead_s: ArrayLike,
    experts_on_host: ArrayLike,
    host_bw_gbs: ArrayLike,
    host_bw_eff: ArrayLike,
    pipeline_streams: ArrayLike = 1.0,
    attn_flops: ArrayLike = 0.0,
    overlap_loss: ArrayLike = 0.0,
    seq_overhead_s: ArrayLike = 0.0,
    touched_experts: ArrayLike | None = None,
    dequant_flops_per_byte: ArrayLike = 0.0,
    serial_compute_share: ArrayLike = 0.0,
) -> DecodeTimes:
    """Time of one decode step for ``batch`` sequences.

    memory: (dense weights + routed experts touched by the batch) x quant read factor + KV read x kv factor,
    over the achievable bandwidth of the devices that share them (tensor parallel: n devices in parallel;
    layer split: in series, so one stream is not faster). compute: 2 x active params x batch FLOPs. With
    experts on the host, the touched expert bytes are read by the CPU from RAM, in series with the GPU part.
    Tensor parallel adds two all-reduces per layer (latency + activations over the link); layer split adds
    a hop per device boundary. ``attn_flops`` (attention over the cached context, already weighted by its
    inefficiency) run after the weight GEMVs, in series; ``overlap_loss`` is the share of the shorter of
    memory and compute time that is not hidden behind the longer. ``pipeline_streams`` > 1 lets a serving engine overlap micro-batches across a
    layer split (aggregate rate only). ``seq_overhead_s`` is the host time per running sequence per step
    (scheduler, input preparation, sampling, detokenisation), so the step overhead grows with the batch.
    ``dequant_flops_per_byte``: arithmetic to unpack one byte of block-quantised weights (shifts, scales, codebook
    lookups) at the ``tflops`` rate, once per step (the caller scales it up for kernels that unpack again for every
    sequence, and down to the shader-ALU rate); a compute-poor device (an A100's 19.5 FP32 TFLOPS, an Apple base
    or binned chip, an IQ2 quant) turns compute-bound at batch 1. ``serial_compute_share`` of the compute runs after
    the weight reads instead of under them (llama.cpp's matrix-vector kernels at batch 2-8: the share of the
    sequences after the first).
    """
    n = np.maximum(np.asarray(count, dtype=float), 1.0)
    tp = np.asarray(tensor_parallel, dtype=bool)
    b = np.maximum(np.asarray(batch, dtype=float), 1.0)
    on_host = np.asarray(experts_on_host, dtype=bool)
    touched = experts_touched(n_experts, experts_per_token, b) if touched_experts is None else \
        np.asarray(touched_experts, dtype=float)
    e = np.asarray(n_experts, dtype=float)
    expert_read = np.asarray(expert_bytes, dtype=float) * np.where(e > 0, touched / np.where(e > 0, e, 1.0), 0.0)
    rf = np.asarray(read_factor, dtype=float)
    gpu_bytes = np.asarray(dense_bytes, dtype=float) * rf + np.where(on_host, 0.0, expert_read * rf)
    gpu_bytes = gpu_bytes + np.asarray(kv_bytes_read, dtype=float) * np.asarray(kv_read_factor, dtype=float)
    parallel_devices = np.where(tp, n, 1.0)
    memory_s = gpu_bytes / (np.asarray(bw_gbs, dtype=float) * 1e9 * np.asarray(bw_eff, dtype=float)) / parallel_devices
    host_rate = np.asarray(host_bw_gbs, dtype=float) * 1e9 * np.asarray(host_bw_eff, dtype=float)
    host_s = np.where(on_host, expert_read * rf / np.maximum(host_rate, 1.0), 0.0)
    flops = 2.0 * np.asarray(active_params, dtype=float) * b
    compute_s = flops / (np.asarray(tflops, dtype=float) * 1e12 * np.asarray(compute_eff, dtype=float)) / parallel_devices
    dq_bytes = np.asarray(dense_bytes, dtype=float) + np.where(on_host, 0.0, expert_read)
    compute_s = compute_s + dq_bytes * np.asarray(dequant_flops_per_byte, dtype=float) / (
        np.asarray(tflops, dtype=float) * 1e12) / parallel_devices
    activations = b * np.asarray(hidden_size, dtype=float) * 2.0 * 2.0 * (n - 1.0) / n  # ring all-reduce bytes
    allreduce = np.asarray(allreduce_latency_s, dtype=float) + activations / (np.asarray(link_gbs, dtype=float) * 1e9)
    link_s = np.where(tp & (n > 1), 2.0 * np.asarray(num_layers, dtype=float) * allreduce,
                      np.where(n > 1, np.log2(n) * np.asarray(layer_hop_s, dtype=float), 0.0))
    overhead = np.asarray(step_overhead_s, dtype=float) + np.asarray(seq_overhead_s, dtype=float) * b + 0.0 * n
    streams = np.clip(np.asarray(pipeline_streams, dtype=float), 1.0, None)
    attn_s = np.asarray(attn_flops, dtype=float) / (np.asarray(tflops, dtype=float) * 1e12
                                                     * np.asarray(compute_eff, dtype=float)) / parallel_devices
    compute_s = compute_s + attn_s
    # Weight reads and the arithmetic on them (dequantisation, FMAs) overlap imperfectly: ``overlap_loss`` of
    # the shorter of the two is not hidden behind the longer one (0 = perfect roofline, 1 = fully serial).
    # It matters where compute is slow relative to bandwidth (Apple base chips, CPUs, batched decode).
    ser = np.asarray(serial_compute_share, dtype=float)
    par = compute_s * (1.0 - ser)
    roof = np.maximum(memory_s, par) + np.asarray(overlap_loss, dtype=float) * np.minimum(memory_s, par) + compute_s * ser
    step = (roof + host_s + link_s + overhead) / streams
    return DecodeTimes(memory_s, compute_s, host_s, link_s, overhead, step)


def limiting_factor(times: DecodeTimes) -> Array:
    """Index into LIMITS of the largest contributor to the step time (numpy int array)."""
    stack = np.stack(np.broadcast_arrays(times.memory_s, times.compute_s, times.host_s, times.link_s,
                                         times.overhead_s))
    order = np.array([0, 1, 2, 3, 4])
    return order[np.argmax(stack, axis=0)]


def prefill_time(
    *,
    prompt_tokens: ArrayLike,
    active_params: ArrayLike,
    attn_flops_prompt: ArrayLike,
    attn_flop_factor: ArrayLike,
    tflops: ArrayLike,
    prefill_eff: ArrayLike,
    weight_bytes: ArrayLike,
    attn_tflops: ArrayLike | None = None,
    bw_gbs: ArrayLike,
    bw_eff: ArrayLike,
    count: ArrayLike,
    tensor_parallel: ArrayLike,
    pipeline_ubatch: ArrayLike,
    layer_hop_s: ArrayLike,
    pipeline_batch: ArrayLike = np.inf,
    host_flops: ArrayLike = 0.0,
    host_tflops: ArrayLike = 1.0,
    overhead_s: ArrayLike = 0.0,
    num_layers: ArrayLike = 0.0,
    hidden_size: ArrayLike = 0.0,
    link_gbs: ArrayLike = 1.0,
    allreduce_latency_s: ArrayLike = 0.0,
    dequant_s: ArrayLike = 0.0,
) -> Array:
    """Time to process a prompt of ``prompt_tokens`` [s].

    GEMM FLOPs 2 x active params x tokens over tflops x prefill_eff, plus the attention of the prompt's tokens
    over the cached context and each other (``attn_flops_prompt``, weighted by attn_flop_factor) over attn_tflops x prefill_eff
    (attention runs in FP16 even when the weights use FP8/FP4 GEMMs; default: tflops), plus ``dequant_s`` of
    weight unpacking on the shader ALUs (llama.cpp MMQ), never faster than reading the weights once.
    Tensor parallel divides by n; a layer split pipelines micro-batches of ``pipeline_ubatch`` tokens over n
    devices, but only within one batch of ``pipeline_batch`` tokens (llama.cpp: -b 2048 = 4 micro-batches of
    512; the pipeline drains between batches): speed-up n x u / (u + n - 1) for u micro-batches per batch.
    ``host_flops`` (offloaded experts) run on the CPU at host_tflops, in series. Tensor parallel adds two
    all-reduces per layer of the prompt's activations (tokens x hidden x 2 B, ring: x 2 (n - 1) / n over the link).
    """
    p = np.maximum(np.asarray(prompt_tokens, dtype=float), 1.0)
    n = np.maximum(np.asarray(count, dtype=float), 1.0)
    tp = np.asarray(tensor_parallel, dtype=bool)
    gemm = 2.0 * np.asarray(active_params, dtype=float) * p
    attn = np.asarray(attn_flops_prompt, dtype=float) * np.asarray(attn_flop_factor, dtype=float)
    eff = np.asarray(prefill_eff, dtype=float)
    rate = np.asarray(tflops, dtype=float) * 1e12 * eff
    attn_rate = rate if attn_tflops is None else np.asarray(attn_tflops, dtype=float) * 1e12 * eff
    single = np.maximum(gemm / rate + attn / attn_rate + np.asarray(dequant_s, dtype=float),
                        np.asarray(weight_bytes, dtype=float) / (np.asarray(bw_gbs, dtype=float) * 1e9 * np.asarray(bw_eff, dtype=float)))
    ub = np.maximum(np.asarray(pipeline_ubatch, dtype=float), 1.0)
    micro = np.ceil(p / ub)
    per_batch = np.ceil(np.minimum(p, np.asarray(pipeline_batch, dtype=float)) / ub)
    pipeline_speedup = n * per_batch / (per_batch + n - 1.0)
    speedup = np.where(tp, n, pipeline_speedup)
    hops = np.where(n > 1, np.log2(n) * np.asarray(layer_hop_s, dtype=float) * micro, 0.0)
    host = np.asarray(host_flops, dtype=float) * p / (np.maximum(np.asarray(host_tflops, dtype=float), 1e-3) * 1e12)
    out = single / speedup + hops + host + np.asarray(overhead_s, dtype=float)
    split = tp & (n > 1)
    if np.any(split):  # most rows of a sweep are single-device or layer split: skip the arithmetic
        act = p * np.asarray(hidden_size, dtype=float) * 2.0 * 2.0 * (n - 1.0) / n
        link = np.maximum(np.asarray(link_gbs, dtype=float), 1e-3) * 1e9
        out = out + np.where(split, 2.0 * np.asarray(num_layers, dtype=float)
                             * (np.asarray(allreduce_latency_s, dtype=float) + act / link), 0.0)
    return out


def fp4_fallback(device: Device, quant: Quant, backend: str) -> str:
    """The tensor format a serving engine runs an FP4 checkpoint (MXFP4, NVFP4) in on a part without FP4 tensor
    cores: TensorRT-LLM multiplies the FP4 weights with FP8 activations (W4A8, Hopper) where the part has FP8;
    vLLM and SGLang unpack them to BF16 (Marlin / Triton W4A16). "" when the checkpoint runs as FP4 or is not one.
    """
    if backend not in SERVING_BACKENDS or quant.compute != "fp4" or device.fp4_tflops:
        return ""
    return "fp8" if backend == "tensorrt-llm" and device.fp8_tflops else "fp16"


def compute_tflops(device: Device, quant: Quant, backend: str = "vllm") -> float:
    """Dense tensor rate the GEMMs run at for ``quant`` on ``device`` with ``backend`` [TFLOPS].

    Serving engines (vLLM, SGLang, TensorRT-LLM) run FP8/FP4 formats on FP8/FP4 tensor cores (FP8 with FP32
    accumulate: half the listed FP8 rate on a GeForce card; FP4 without FP4 tensor cores: `fp4_fallback`).
    Weight-only engines (llama.cpp, ExLlamaV2, MLX, ktransformers) dequantise to FP16 and use FP16 *accumulate*
    GEMMs (or int8 MMQ), which GeForce cards run at twice the FP32-accumulate rate the catalog lists for them.
    """
    geforce = device.kind == "gpu" and device.vendor.lower() == "nvidia" and "geforce" in device.name.lower()
    if backend in SERVING_BACKENDS:
        if quant.compute == "fp4" and device.fp4_tflops:
            return device.fp4_tflops
        if quant.compute == "fp8" or fp4_fallback(device, quant, backend) == "fp8":
            if device.fp8_tflops:
                # the serving engines' FP8 GEMMs accumulate in FP32, which a GeForce card runs at half the
                # FP16-accumulate headline the catalog lists (RTX 4090: 660.6 FP8 TFLOPS, 330.3 with FP32
                # accumulate)
                return device.fp8_tflops / 2.0 if geforce else device.fp8_tflops
        return device.fp16_tflops
    if geforce:
        return 2.0 * device.fp16_tflops
    return device.fp16_tflops


def vector_tflops(device: Device) -> float:
    """FP32 rate of the shader ALUs (no tensor/matrix units) [TFLOPS]: the catalog's fp32_tflops.

    Without one: Apple GPUs and CPUs list their vector rate as fp16_tflops already; on other GPUs the listed FP16
    tensor rate is twice the shader FP32 rate or more (GeForce FP32-accumulate tensor 2x, Radeon WMMA 2x, A100 16x),
    so half of it is the optimistic guess.
    """
    if device.fp32_tflops:
        return device.fp32_tflops
    if device.kind in ("apple", "cpu") or device.vendor.lower() == "apple":
        return device.fp16_tflops
    return device.fp16_tflops / 2.0


# DeepSeek V4 / V3.2 sparse attention: a lightning indexer scores every compressed entry with a few small heads,
# then each CSA layer attends only the top-k entries (V4-Flash 512, V4-Pro 1024; research notes, models.json).
# The indexer head count is not in the V4 configs we hold; V3.2's index_n_heads (64) is used.
DSV4_INDEX_HEADS = 64


def dsv4_index_topk(model: ModelArch) -> int:
    """Compressed entries a V4 CSA layer attends per query: 512 (Flash, hidden 4096), 1024 (Pro, hidden 7168)."""
    return 1024 if model.hidden_size >= 7168 else 512


def attn_terms(model: ModelArch) -> tuple[float, float, float]:
    """Attention FLOPs of one token against a context of d tokens: lin x d + capped x min(d, cap) [FLOP].

    QK^T and AV, 2 FLOP per MAC. Full-attention layers grow with d (lin); sliding-window layers grow only up to
    their window (capped, cap = window). DeepSeek V4: HCA layers attend d/128 compressed entries (lin), each CSA
    layer's indexer scores d/4 entries with DSV4_INDEX_HEADS small heads (lin) and its attention reads only the
    top-k selected entries (capped, cap = top-k x 4 tokens): not dense over the million-token context.

    >>> from advisor.engine.types import ModelArch
    >>> lin, capped, cap = attn_terms(ModelArch("x", 8, 8, num_layers=32, num_heads=32, head_dim=128))
    >>> lin, capped
    (524288.0, 0.0)
    """
    per_layer = 4.0 * model.num_heads * model.head_dim
    if model.attention_kind == "dsv4":
        index = 2.0 * DSV4_INDEX_HEADS * (model.index_head_dim or 128)
        lin = model.hca_layers * per_layer / model.hca_ratio + model.csa_layers * index / model.csa_ratio
        topk = dsv4_index_topk(model)
        return lin, model.csa_layers * per_layer / model.csa_ratio, float(topk * model.csa_ratio)
    sliding = min(model.sliding_layers, model.num_layers) if model.sliding_window else 0
    full = model.num_layers - sliding
    return full * per_layer, sliding * per_layer, float(model.sliding_window or 0)


def attn_flops(lin: ArrayLike, capped: ArrayLike, cap: ArrayLike, depth: ArrayLike) -> Array:
    """FLOPs of one token attending ``depth`` tokens of context (see `attn_terms`) [FLOP]."""
    d = np.maximum(np.asarray(depth, dtype=float), 0.0)
    return np.asarray(lin, dtype=float) * d + np.asarray(capped, dtype=float) * np.minimum(d, np.asarray(cap, dtype=float))
