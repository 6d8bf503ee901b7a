"""Evaluate many setups at once: fit per setup, speed vectorised over all of them with numpy.

`evaluate(setups)` is what `estimate(setup)` and `estimate --cases` both use, so a single estimate and a
100,000-row case file run the same formulas. Per-model/device/quant terms are computed once per distinct
object (the CLI resolves each name once, so rows share objects).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from advisor.engine import fit as fitmod
from advisor.engine.constants import (
    MAX_LOAD_BATCH_CAP,
    PREFILL_UBATCH_TOKENS,
    SERVING_BACKENDS,
    Calibration,
    device_class,
    load_calibration,
)
from advisor.engine.throughput import LIMITS, decode_step, limiting_factor, prefill_time
from advisor.engine.types import (
    BACKENDS,
    KV_DTYPE_BYTES,
    OFFLOAD_MODES,
    PARALLEL_MODES,
    Device,
    Host,
    ModelArch,
    Quant,
    Setup,
)
from advisor.errors import InputError

BLOCK_QUANT_FAMILIES = ("gguf", "int4", "exl2", "mlx")
CATEGORY_ORDER = ("offload", "tensor parallel", "multi-GPU layer", "batched", "MoE", "AMD", "Apple", "single GPU")


@dataclass(frozen=True)
class Results:
    """Columns of results, one entry per setup (numpy arrays; reasons/notes/categories as lists)."""

    fits: np.ndarray
    weights_gb: np.ndarray
    kv_bytes_per_token: np.ndarray
    kv_gb: np.ndarray
    overhead_gb: np.ndarray
    total_gb: np.ndarray
    usable_gb: np.ndarray
    host_gb: np.ndarray
    max_context_tokens: np.ndarray
    pp_tok_s: np.ndarray
    tg_tok_s: np.ndarray  # aggregate over the batch
    tg_tok_s_per_user: np.ndarray
    serving_tok_s: np.ndarray  # aggregate output rate including the prefill share of each request
    ttft_s: np.ndarray
    tg_band: np.ndarray  # (n, 2)
    pp_band: np.ndarray  # (n, 2)
    limiting: list[str]
    load_power_w: np.ndarray
    idle_power_w: np.ndarray
    reasons: list[str]
    categories: list[tuple[str, ...]]


def _finite_pos(value: float, name: str, allow_zero: bool = False) -> None:
    if not isinstance(value, int | float) or not math.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        raise InputError(f"must be a finite number {'>= 0' if allow_zero else '> 0'}, got {value!r}", name)


def validate(setup: Setup) -> None:
    """Raise InputError naming the first bad field of ``setup``."""
    d, m, q = setup.device, setup.model, setup.quant
    for name in ("memory_gb", "bandwidth_gbs", "fp16_tflops", "link_bandwidth_gbs"):
        _finite_pos(getattr(d, name), f"device.{name}")
    for name in ("tdp_w", "idle_w"):
        _finite_pos(getattr(d, name), f"device.{name}", allow_zero=True)
    if not 0 < d.gpu_memory_share <= 1:
        raise InputError(f"must be in (0, 1], got {d.gpu_memory_share!r}", "device.gpu_memory_share")
    _finite_pos(m.total_params_b, "model.total_params_b")
    _finite_pos(m.active_params_b, "model.active_params_b")
    if m.active_params_b > m.total_params_b * 1.0001:
        raise InputError("active parameters exceed total parameters", "model.active_params_b")
    if m.num_layers < 1:
        raise InputError("must be >= 1", "model.num_layers")
    if m.attention_kind == "opaque" and not m.kv_bytes_per_token_f16:
        raise InputError("opaque attention needs kv_bytes_per_token_f16", "model.kv_bytes_per_token_f16")
    if m.is_moe and not 0 < m.experts_per_token <= m.n_routed_experts:
        raise InputError("must be between 1 and n_routed_experts", "model.experts_per_token")
    if not (isinstance(q.bits_per_weight, int | float) and math.isfinite(q.bits_per_weight)
            and 0 < q.bits_per_weight <= 32):
        raise InputError(f"must be in (0, 32], got {q.bits_per_weight!r}", "quant.bits_per_weight")
    for name, low in (("count", 1), ("batch", 1), ("prompt_tokens", 0), ("gen_tokens", 0), ("context_depth", 0)):
        value = getattr(setup, name)
        if not isinstance(value, int) or isinstance(value, bool) or value < low or value > 100_000_000:
            raise InputError(f"must be an integer >= {low}, got {value!r}", name)
    if setup.context_tokens is not None and (not isinstance(setup.context_tokens, int) or setup.context_tokens < 0):
        raise InputError(f"must be an integer >= 0, got {setup.context_tokens!r}", "context_tokens")
    for name, allowed in (("backend", BACKENDS), ("parallel", PARALLEL_MODES), ("offload", OFFLOAD_MODES),
                          ("kv_dtype", tuple(KV_DTYPE_BYTES))):
        if getattr(setup, name) not in allowed:
            raise InputError(f"must be one of {', '.join(allowed)}; got {getattr(setup, name)!r}", name)
    if setup.host is not None:
        _finite_pos(setup.host.ram_bandwidth_gbs, "host.ram_bandwidth_gbs")
        _finite_pos(setup.host.ram_gb, "host.ram_gb")


def compute_tflops(device: Device, quant: Quant, backend: str = "vllm") -> float:
    """Dense tensor rate the GEMMs run at for ``quant`` on ``device`` with ``backend`` [TFLOPS].

    Serving engines (vLLM, SGLang, TensorRT-LLM) run FP8/FP4 formats on FP8/FP4 tensor cores. Weight-only
    engines (llama.cpp, ExLlamaV2, MLX, ktransformers) dequantise to FP16 and use FP16 *accumulate* GEMMs
    (or int8 MMQ), which GeForce cards run at twice the FP32-accumulate rate the catalog lists for them.
    """
    if backend in SERVING_BACKENDS:
        if quant.compute == "fp4" and device.fp4_tflops:
            return device.fp4_tflops
        if quant.compute in ("fp8", "fp4") and device.fp8_tflops:
            return device.fp8_tflops
        return device.fp16_tflops
    if device.kind == "gpu" and device.vendor.lower() == "nvidia" and "geforce" in device.name.lower():
        return 2.0 * device.fp16_tflops
    return device.fp16_tflops


def embedding_params(model: ModelArch) -> float:
    """Input-embedding parameters that decode does NOT read per token (one row is gathered) [count].

    Small models tie the input and output embeddings (the table is then read as the output head); we assume
    tied when the table is over 10 % of the parameters (Gemma 3 4B, Phi-4-mini), untied otherwise.
    """
    table = float(model.vocab_size) * model.hidden_size
    if table > 0.10 * model.total_params_b * 1e9:
        return 0.0
    return table


def attn_flops_coeff(model: ModelArch) -> float:
    """Causal attention FLOPs per token per token of context (QK^T and AV, 2 FLOP per MAC) [FLOP]."""
    if model.attention_kind == "dsv4":
        return 4.0 * model.num_heads * model.head_dim * (model.csa_layers / model.csa_ratio
                                                          + model.hca_layers / model.hca_ratio)
    full = model.num_layers - (min(model.sliding_layers, model.num_layers) if model.sliding_window else 0)
    return 4.0 * full * model.num_heads * model.head_dim


def category(setup: Setup) -> tuple[str, ...]:
    """Calibration categories ``setup`` belongs to (most specific first)."""
    cats = []
    if setup.offload != "none":
        cats.append("offload")
    if setup.count > 1 and setup.parallel in ("tensor", "expert"):
        cats.append("tensor parallel")
    elif setup.count > 1:
        cats.append("multi-GPU layer")
    if setup.batch > 1:
        cats.append("batched")
    if setup.model.is_moe or setup.model.active_params_b < setup.model.total_params_b * 0.9:
        cats.append("MoE")
    cls = device_class(setup.device)
    if cls == "amd":
        cats.append("AMD")
    if cls == "apple":
        cats.append("Apple")
    if setup.count == 1 and cls in ("nvidia", "amd", "apu"):
        cats.append("single GPU")
    return tuple(cats) or ("single GPU",)


def max_useful_batch(setup: Setup) -> int:
    """Most concurrent sequences that fit in memory at the setup's context, capped at what engines schedule."""
    cap = MAX_LOAD_BATCH_CAP.get(setup.backend, MAX_LOAD_BATCH_CAP["default"])
    one = fitmod.fit(_replace_batch(setup, 1))
    layout = fitmod.kv_layout(setup.model, setup.kv_dtype)
    per_seq_gb = layout.per_sequence(fitmod.context_for(setup)) / 1e9
    free = one.usable_gb - (one.total_gb - one.kv_gb)
    if free <= 0 or per_seq_gb <= 0:
        return 1 if free <= 0 else cap
    b = int(max(1, min(cap, free // per_seq_gb)))
    # Batched decode buffers grow with the batch too: step down until it really fits.
    while b > 1 and not fitmod.fit(_replace_batch(setup, b)).fits:
        b = max(1, int(b * 0.9))
    return b


def _replace_batch(setup: Setup, batch: int) -> Setup:
    from dataclasses import replace

    return replace(setup, batch=batch)


@dataclass
class Prepared:
    """Everything about a list of setups that does not depend on the calibration constants."""

    setups: Sequence[Setup]
    fits: list[fitmod.FitResult]
    a: dict[str, np.ndarray]
    keys: dict[str, list[str]]  # per row: device class, backend, link kind (for constant lookup)
    categories: list[tuple[str, ...]]


def prepare(setups: Sequence[Setup], *, decode_depth: Sequence[float] | None = None,
            validate_inputs: bool = True) -> Prepared:
    """Fit each setup and gather the per-row inputs of the speed formulas. ``decode_depth`` overrides the mean
    context depth during decode [tokens] (default: context_depth + prompt_tokens + gen_tokens / 2)."""
    if validate_inputs:
        for s in setups:
            validate(s)
    n = len(setups)
    fit_cache: dict[tuple, fitmod.FitResult] = {}
    fits = []
    for s in setups:
        key = (id(s.device), id(s.model), id(s.quant), id(s.host), s.count, s.backend, s.offload, s.kv_dtype,
               s.batch, s.parallel, fitmod.context_for(s))
        r = fit_cache.get(key)
        if r is None:
            r = fit_cache[key] = fitmod.fit(s)
        fits.append(r)
    mq_cache: dict[tuple[int, int, str], tuple] = {}
    names = ("dense", "expert", "ne", "k", "active", "layers", "hidden", "bpw", "blockq", "attn", "dense_params",
             "emb", "kvg", "kvc", "kvw", "bw", "tfl", "link", "tdp", "idle", "host_bw", "host_tfl", "host_idle",
             "host_load")
    rows: list[tuple] = []
    for s in setups:
        mk = (id(s.model), id(s.quant), s.kv_dtype)
        mt = mq_cache.get(mk)
        if mt is None:
            dense, expert = fitmod.weights_split_bytes(s.model, s.quant)
            bpw = (dense + expert) * 8 / (s.model.total_params_b * 1e9)
            lay = fitmod.kv_layout(s.model, s.kv_dtype)
            mt = mq_cache[mk] = (
                dense, expert, float(s.model.n_routed_experts), float(s.model.experts_per_token),
                s.model.active_params_b * 1e9, float(s.model.num_layers), float(s.model.hidden_size), bpw,
                float(s.quant.family in BLOCK_QUANT_FAMILIES), attn_flops_coeff(s.model),
                (s.model.total_params_b - fitmod.expert_params_b(s.model)) * 1e9,
                embedding_params(s.model) * bpw / 8, lay.growing_per_token, lay.capped_per_token, float(lay.cap_tokens))
        d = s.device
        h = s.host or _DEFAULT_HOST
        rows.append(mt + (d.bandwidth_gbs, compute_tflops(d, s.quant, s.backend), d.link_bandwidth_gbs, d.tdp_w, d.idle_w,
                          h.ram_bandwidth_gbs, h.cpu_tflops, h.idle_w, h.load_w))
    table = np.asarray(rows, dtype=float).reshape(n, len(names))
    a = {name: table[:, i] for i, name in enumerate(names)}
    a["count"] = np.fromiter((s.count for s in setups), float, n)
    a["batch"] = np.fromiter((s.batch for s in setups), float, n)
    a["prompt"] = np.fromiter((s.prompt_tokens for s in setups), float, n)
    a["gen"] = np.fromiter((s.gen_tokens for s in setups), float, n)
    ctx_depth = np.fromiter((s.context_depth for s in setups), float, n)
    a["tp"] = np.fromiter((s.parallel in ("tensor", "expert") for s in setups), bool, n)
    a["serving"] = np.fromiter((s.backend in SERVING_BACKENDS for s in setups), bool, n)
    a["on_host"] = np.fromiter((s.offload == "experts_cpu" for s in setups), bool, n)
    a["cpu_only"] = np.fromiter((s.offload == "cpu_only" or s.device.kind == "cpu" for s in setups), bool, n)
    a["dev_cpu"] = np.fromiter((s.device.kind == "cpu" for s in setups), bool, n)
    a["depth"] = (np.asarray(decode_depth, dtype=float) if decode_depth is not None
                  else ctx_depth + a["prompt"] + a["gen"] / 2.0)
    keys = {"cls": [device_class(s.device) for s in setups], "backend": [s.backend for s in setups],
            "link": [s.device.link for s in setups]}
    return Prepared(setups, fits, a, keys, [category(s) for s in setups])


_DEFAULT_HOST = Host()


def _lookup(cal: Calibration, what: str, keys: list[str]) -> np.ndarray:
    """Constant ``what`` per row, looked up once per distinct key."""
    uniq = {k: cal.get(what, k) for k in set(keys)}
    return np.fromiter((uniq[k] for k in keys), float, len(keys))


def compute(prep: Prepared, calibration: Calibration | None = None) -> Results:
    """Speed, bands and power for prepared setups under the given calibration."""
    cal = calibration or load_calibration()
    a, keys, n = prep.a, prep.keys, len(prep.setups)
    cls, backend = keys["cls"], keys["backend"]
    count, batch, prompt, gen = a["count"], a["batch"], a["prompt"], a["gen"]
    tp, on_host, cpu_only = a["tp"], a["on_host"], a["cpu_only"]
    host_eff = cal.get("host_bw_eff", "default")
    depth = a["depth"]
    kv_seq = a["kvg"] * depth + a["kvc"] * np.minimum(depth, a["kvw"])
    # cpu_only: the CPU streams everything from host RAM; the accelerator's numbers do not apply.
    # A CPU device streams from its own RAM (its catalog figures); cpu_only on an accelerator box uses the host.
    bw = np.where(cpu_only & ~a["dev_cpu"], a["host_bw"], a["bw"])
    bw_eff = np.where(cpu_only, host_eff, _lookup(cal, "bw_eff", cls))
    tfl = np.where(cpu_only & ~a["dev_cpu"], a["host_tfl"], a["tfl"])
    qpen = _lookup(cal, "quant_penalty", cls)
    read_factor = 1.0 + np.where(a["blockq"] > 0, qpen * np.maximum(16.0 / np.clip(a["bpw"], 1, 32) - 1, 0) / 3, 0)
    ovh = _lookup(cal, "step_overhead_s", backend) + _lookup(cal, "layer_overhead_s", backend) * a["layers"]
    hop = _lookup(cal, "layer_hop_s", backend)
    layer_split_serving = a["serving"] & ~tp & (count > 1)
    times = decode_step(
        dense_bytes=np.maximum(a["dense"] - a["emb"], 0.0), expert_bytes=a["expert"], n_experts=a["ne"], experts_per_token=a["k"], batch=batch,
        kv_bytes_read=kv_seq * batch, read_factor=read_factor, kv_read_factor=_lookup(cal, "kv_read_factor", backend),
        bw_gbs=bw, bw_eff=bw_eff, tflops=tfl, compute_eff=_lookup(cal, "decode_compute_eff", backend),
        active_params=a["active"], count=count, tensor_parallel=tp, num_layers=a["layers"],
        hidden_size=a["hidden"], link_gbs=a["link"], allreduce_latency_s=_lookup(cal, "allreduce_latency_s",
                                                                                 keys["link"]),
        layer_hop_s=hop, step_overhead_s=ovh, experts_on_host=on_host, host_bw_gbs=a["host_bw"],
        host_bw_eff=host_eff, pipeline_streams=np.where(layer_split_serving, np.minimum(count, batch), 1.0))
    tg_user = 1.0 / times.step_s
    tg = tg_user * batch
    # Offloaded experts are computed by the CPU during prefill too (their share of the active FLOPs).
    dense_active = np.minimum(a["dense_params"], a["active"])
    host_flops = np.where(on_host, 2.0 * np.maximum(a["active"] - dense_active, 0.0), 0.0)
    weight_read = np.where(on_host, a["dense"], a["dense"] + a["expert"]) * read_factor
    # GEMM efficiency falls with the rows per GEMM: a micro-batch of m tokens (MoE: m x k / E per expert)
    # reaches m / (m + m0) of the backend's large-GEMM efficiency.
    m = np.minimum(prompt, np.where(a["serving"], 8192.0, PREFILL_UBATCH_TOKENS))
    m = np.where(a["ne"] > 0, m * a["k"] / np.maximum(a["ne"], 1.0), m)
    m0 = _lookup(cal, "gemm_half_rows", backend)
    pref = _lookup(cal, "prefill_eff", backend) * _lookup(cal, "prefill_dev", cls) * m / (m + m0)
    pp_time = prefill_time(
        prompt_tokens=prompt, active_params=np.where(on_host, dense_active, a["active"]),
        attn_flops_per_token_sq=a["attn"], attn_flop_factor=_lookup(cal, "attn_flop_factor", backend), tflops=tfl,
        prefill_eff=pref, weight_bytes=weight_read, bw_gbs=bw, bw_eff=bw_eff, count=count, tensor_parallel=tp,
        pipeline_ubatch=np.where(a["serving"], 1e9, PREFILL_UBATCH_TOKENS), layer_hop_s=hop,
        host_flops=host_flops, host_tflops=a["host_tfl"] * cal.get("host_compute_eff", "default"), overhead_s=ovh)
    pp = np.maximum(prompt, 1.0) / pp_time
    ttft = pp_time + times.step_s
    # Serving engines report output tokens over wall time: each request's prefill takes its share.
    serving_rate = 1.0 / (1.0 / tg + (prompt / np.maximum(gen, 1.0)) / pp)
    lim_idx = np.atleast_1d(limiting_factor(times))
    cats = prep.categories
    tg_band = np.array([cal.band("tg", c[0]) for c in cats], dtype=float).reshape(n, 2) * tg[:, None]
    pp_band = np.array([cal.band("pp", c[0]) for c in cats], dtype=float).reshape(n, 2) * pp[:, None]
    busy = np.clip(times.compute_s / np.maximum(times.memory_s, 1e-12), 0, 1)
    load_w = count * a["tdp"] * (0.65 + 0.3 * busy) + a["host_load"]
    idle_w = count * a["idle"] + a["host_idle"]
    fits = prep.fits
    return Results(
        fits=np.array([f.fits for f in fits], dtype=bool),
        weights_gb=np.array([f.weights_gb for f in fits]),
        kv_bytes_per_token=np.array([f.kv_bytes_per_token for f in fits]),
        kv_gb=np.array([f.kv_gb for f in fits]),
        overhead_gb=np.array([f.overhead_gb for f in fits]),
        total_gb=np.array([f.total_gb for f in fits]),
        usable_gb=np.array([f.usable_gb for f in fits]),
        host_gb=np.array([f.host_gb for f in fits]),
        max_context_tokens=np.array([f.max_context_tokens for f in fits], dtype=np.int64),
        pp_tok_s=pp, tg_tok_s=tg, tg_tok_s_per_user=tg_user, serving_tok_s=serving_rate, ttft_s=ttft,
        tg_band=tg_band, pp_band=pp_band, limiting=[LIMITS[i] for i in lim_idx],
        load_power_w=load_w, idle_power_w=idle_w, reasons=[f.reason for f in fits], categories=cats)


def evaluate(setups: Sequence[Setup], calibration: Calibration | None = None, *,
             decode_depth: Sequence[float] | None = None, validate_inputs: bool = True) -> Results:
    """Fit and speed of every setup (prepare + compute)."""
    return compute(prepare(setups, decode_depth=decode_depth, validate_inputs=validate_inputs), calibration)
