"""Memory fit: weights, KV cache, runtime overhead and usable memory, per device and in host RAM.

GB = 10^9 bytes. Everything here is a pure function of engine dataclasses; the formulas follow DESIGN §3.1.

>>> from advisor.engine.types import ModelArch
>>> llama8b = ModelArch("Llama-3-8B", 8.03, 8.03, num_layers=32, num_kv_heads=8, head_dim=128)
>>> kv_bytes_per_token(llama8b, "f16")
131072.0
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from advisor.engine.constants import (
    DISCRETE_RESERVE_GB,
    HOST_RAM_USABLE_SHARE,
    OVERHEAD_BASE_GB,
    OVERHEAD_SERVER_EXTRA_GB,
    PREFILL_UBATCH_TOKENS,
    SERVING_BACKENDS,
)
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

# Weight formats that quantise only the routed experts (gpt-oss MXFP4): the rest stays at ~8.5 bit (GGUF Q8_0/
# BF16 mix as shipped in the llama.cpp gpt-oss files: 12.1 GB for gpt-oss-20b).
EXPERT_ONLY_FORMATS = ("MXFP4",)
NON_EXPERT_BITS_EXPERT_ONLY = 8.5
# Largest context we report, whatever memory is left [tokens].
CONTEXT_CAP_TOKENS = 10_485_760
# Attention scratch (KQ tiles of one micro-batch against the context, f32 x 2) per token of context [B],
# growing up to SCRATCH_CAP_TOKENS (beyond that flash-attention tiles stop growing).
SCRATCH_BYTES_PER_TOKEN = PREFILL_UBATCH_TOKENS * 4.0 * 2
SCRATCH_CAP_TOKENS = 131072
GIB_PER_GB = 2**30 / 1e9  # memory capacities are marketed in binary units


@dataclass(frozen=True)
class KvLayout:
    """KV bytes of one sequence: growing x ctx + capped x min(ctx, cap_tokens) + fixed [B]."""

    growing_per_token: float
    capped_per_token: float
    cap_tokens: int
    fixed_bytes: float

    def per_sequence(self, context_tokens: float) -> float:
        ctx = max(0.0, float(context_tokens))
        return self.growing_per_token * ctx + self.capped_per_token * min(ctx, self.cap_tokens) + self.fixed_bytes


@dataclass(frozen=True)
class FitResult:
    """Where the bytes go [GB] and whether they fit; ``reason`` says why not in plain words."""

    fits: bool
    weights_gb: float  # whole model
    device_weights_gb: float  # on the accelerators (all devices together)
    host_gb: float  # in host RAM (offloaded experts or everything)
    expert_weights_gb: float  # routed experts (part of weights_gb)
    kv_bytes_per_token: float  # growing layers, per token of context [B]
    kv_gb: float  # all sequences at the reserved context
    overhead_gb: float  # all devices
    total_gb: float  # on the accelerators: weights + KV + overhead
    usable_gb: float  # all devices
    max_context_tokens: int
    reason: str


def expert_params_b(model: ModelArch) -> float:
    """Parameters of all routed experts [1e9]; derived from total/active when the catalog does not say."""
    if not model.is_moe:
        return 0.0
    if model.expert_params_b > 0:
        return min(model.expert_params_b, model.total_params_b)
    share = min(max(model.experts_per_token, 1) / model.n_routed_experts, 0.99)
    return max(0.0, min(model.total_params_b, (model.total_params_b - model.active_params_b) / (1.0 - share)))


def weights_split_bytes(model: ModelArch, quant: Quant) -> tuple[float, float]:
    """(always-read bytes, routed-expert bytes) of the checkpoint [B].

    ``native`` uses the published checkpoint size exactly; otherwise params x bits/weight / 8, where MXFP4
    (an expert-only format) keeps the non-expert tensors at ~8.5 bit.
    """
    experts_b = expert_params_b(model)
    dense_b = max(model.total_params_b - experts_b, 0.0)
    is_native = quant.name.lower() == "native"
    if is_native and model.native_size_gb:
        total = model.native_size_gb * 1e9
        share = experts_b / model.total_params_b if model.total_params_b > 0 else 0.0
        return total * (1 - share), total * share
    bpw = quant.bits_per_weight
    if experts_b > 0 and quant.name.upper().startswith(EXPERT_ONLY_FORMATS):
        return dense_b * 1e9 * max(bpw, NON_EXPERT_BITS_EXPERT_ONLY) / 8, experts_b * 1e9 * bpw / 8
    return dense_b * 1e9 * bpw / 8, experts_b * 1e9 * bpw / 8


def kv_layout(model: ModelArch, kv_dtype: str = "f16") -> KvLayout:
    """KV-cache layout per attention kind (DESIGN §3.1) for the cache dtype ``kv_dtype``."""
    b = KV_DTYPE_BYTES[kv_dtype]
    kind = model.attention_kind
    if kind == "opaque" or (model.kv_bytes_per_token_f16 and kind not in ("gqa", "mla", "dsv4")):
        return KvLayout((model.kv_bytes_per_token_f16 or 0.0) * b / 2.0, 0.0, 0, 0.0)
    if kind == "mla":
        return KvLayout(model.num_layers * (model.kv_lora_rank + model.qk_rope_head_dim) * b, 0.0, 0, 0.0)
    if kind == "dsv4":
        # CSA: one head_dim entry + indexer key per csa_ratio tokens; HCA: one entry per hca_ratio tokens;
        # every layer also keeps a sliding window of full entries per sequence (reference/models.json).
        csa = model.csa_layers * (model.head_dim + model.index_head_dim) * b / model.csa_ratio
        hca = model.hca_layers * model.head_dim * b / model.hca_ratio
        window = model.num_layers * model.sliding_window * model.head_dim * b
        return KvLayout(csa + hca, 0.0, 0, window)
    per_layer = 2.0 * model.num_kv_heads * model.head_dim * b
    sliding = min(model.sliding_layers, model.num_layers) if model.sliding_window > 0 else 0
    return KvLayout(
        (model.num_layers - sliding) * per_layer, sliding * per_layer, int(model.sliding_window), 0.0
    )


def kv_bytes_per_token(model: ModelArch, kv_dtype: str = "f16") -> float:
    """KV bytes per token of context in the layers that keep growing [B/token] (the headline figure)."""
    return kv_layout(model, kv_dtype).growing_per_token


def capacity_gb(device: Device) -> float:
    """Physical memory of one device [GB = 1e9 B]. Memory is sold in binary units: a "24 GB" card or a "64 GB"
    Mac holds 24 / 64 GiB, i.e. 25.8 / 68.7 GB, and weights are counted in 1e9 B."""
    return device.memory_gb * GIB_PER_GB


def usable_gb(device: Device) -> float:
    """Memory one device offers the model [GB]: capacity minus reserve, or the GPU-wired share of unified RAM."""
    cap = capacity_gb(device)
    if device.unified_memory or device.kind in ("apple", "apu"):
        return max(cap * device.gpu_memory_share, 0.0)
    if device.kind == "cpu":
        return cap * HOST_RAM_USABLE_SHARE
    return max(cap - max(DISCRETE_RESERVE_GB, 0.02 * cap), 0.0)


def overhead_gb(device: Device, model: ModelArch, backend: str, context_tokens: float, batch: int) -> float:
    """Runtime overhead on ONE device [GB]: context/driver, compute buffers (logits + activations of one
    micro-batch, attention scratch growing with context) and serving-engine graphs."""
    base = OVERHEAD_BASE_GB.get(device.kind, 0.5) + (OVERHEAD_SERVER_EXTRA_GB if backend in SERVING_BACKENDS else 0.0)
    return float(overhead_gb_array(base, model.vocab_size, model.hidden_size, context_tokens, batch))


def overhead_gb_array(base_gb: Any, vocab: Any, hidden: Any, context_tokens: Any, batch: Any) -> Any:
    """`overhead_gb` on numpy arrays (the sweep): base + logits + activations + scratch + batch buffers [GB]."""
    ubatch = PREFILL_UBATCH_TOKENS
    logits = ubatch * np.asarray(vocab, dtype=float) * 4.0  # f32 logits of one micro-batch
    activations = ubatch * np.asarray(hidden, dtype=float) * 4.0 * 12  # a dozen f32 activations per micro-batch
    scratch = SCRATCH_BYTES_PER_TOKEN * np.minimum(np.maximum(context_tokens, 0.0), SCRATCH_CAP_TOKENS)
    per_seq = np.asarray(batch, dtype=float) * np.asarray(hidden, dtype=float) * 4.0 * 64  # batched decode
    return base_gb + (logits + activations + scratch + per_seq) / 1e9


def context_for(setup: Setup) -> int:
    """Context each sequence reserves KV for [tokens]."""
    if setup.context_tokens is not None:
        return int(setup.context_tokens)
    return int(setup.prompt_tokens + setup.gen_tokens + setup.context_depth)


def _devices_text(setup: Setup) -> str:
    return f"{setup.count} x {setup.device.name}" if setup.count > 1 else setup.device.name


def fit(setup: Setup) -> FitResult:
    """Does ``setup`` fit? Weights + KV x context x batch + overhead per device against usable memory."""
    model, device, n = setup.model, setup.device, max(setup.count, 1)
    host = setup.host or Host()
    dense_b, expert_b = weights_split_bytes(model, setup.quant)
    weights_gb = (dense_b + expert_b) / 1e9
    layout = kv_layout(model, setup.kv_dtype)
    ctx = context_for(setup)
    kv_gb = layout.per_sequence(ctx) * setup.batch / 1e9
    if setup.offload == "cpu_only" or device.kind == "cpu":
        # Everything in host RAM: the "device" is the CPU socket(s).
        host_cap = (device.memory_gb if device.kind == "cpu" else host.ram_gb) * GIB_PER_GB * HOST_RAM_USABLE_SHARE
        ovh = 0.2 + overhead_gb(device, model, setup.backend, ctx, setup.batch) * 0.25
        need = weights_gb + kv_gb + ovh
        free = host_cap - weights_gb - ovh
        max_ctx = _max_context(layout, free, setup.batch, SCRATCH_BYTES_PER_TOKEN * 0.25)
        fits = need <= host_cap
        reason = "" if fits else f"needs {need:.0f} GB in RAM; the host offers {host_cap:.0f} GB usable"
        return FitResult(fits, weights_gb, 0.0, need, expert_b / 1e9, layout.growing_per_token, kv_gb, ovh,
                         need, host_cap, max_ctx if fits or free > 0 else 0, reason)
    host_gb = expert_b / 1e9 if setup.offload == "experts_cpu" else 0.0
    dev_weights_gb = weights_gb - host_gb
    usable = usable_gb(device) * n
    ovh = overhead_gb(device, model, setup.backend, ctx, setup.batch) * n
    total = dev_weights_gb + kv_gb + ovh
    host_cap = host.ram_gb * GIB_PER_GB * HOST_RAM_USABLE_SHARE
    fits_host = host_gb <= host_cap
    fits = total <= usable and fits_host
    free = usable - dev_weights_gb - overhead_gb(device, model, setup.backend, 0, setup.batch) * n
    max_ctx = _max_context(layout, free, setup.batch, SCRATCH_BYTES_PER_TOKEN * n) if fits_host else 0
    max_ctx = min(max_ctx, int(model.max_context)) if max_ctx > 0 else 0
    reason = ""
    if dev_weights_gb + ovh > usable:
        reason = (f"needs {dev_weights_gb:.0f} GB of weights; {_devices_text(setup)} offer{'' if n > 1 else 's'}"
                  f" {usable:.0f} GB usable")
    elif total > usable:
        reason = (f"weights fit, but the KV cache for {setup.batch} x {ctx:,} tokens ({kv_gb:.1f} GB) does not:"
                  f" {usable - dev_weights_gb - ovh:.1f} GB left")
    elif not fits_host:
        reason = f"offloaded experts need {host_gb:.0f} GB of host RAM; the host offers {host_cap:.0f} GB usable"
    return FitResult(fits, weights_gb, dev_weights_gb, host_gb, expert_b / 1e9, layout.growing_per_token, kv_gb,
                     ovh, total, usable, max_ctx, reason)


def _max_context(layout: KvLayout, free_gb: float, batch: int, scratch_per_token: float = 0.0) -> int:
    """Largest context per sequence whose KV for ``batch`` sequences (plus the attention scratch, which also
    grows with the context, ``scratch_per_token`` [B] in all) fits in ``free_gb`` [tokens]."""
    b = max(batch, 1)
    budget = free_gb * 1e9 / b - layout.fixed_bytes
    if budget <= 0:
        return 0
    g = layout.growing_per_token + scratch_per_token / b
    c, w = layout.capped_per_token, layout.cap_tokens
    if c > 0 and budget <= (g + c) * w:
        ctx = budget / (g + c)
    elif g > 0:
        ctx = (budget - c * w) / g
    else:
        ctx = CONTEXT_CAP_TOKENS
    if not math.isfinite(ctx):
        return CONTEXT_CAP_TOKENS
    return int(max(0, min(ctx, CONTEXT_CAP_TOKENS)))


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
