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
    BUILDS,
    HARNESSES,
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
# Any other format spelled "<format>-experts" (e.g. "IQ2_XXS-experts": the DeepSeek V4 q2 GGUFs keep attention,
# shared experts and output at Q8 and quantise only the routed experts) is read the same way.
EXPERTS_SUFFIX = "-EXPERTS"
NON_EXPERT_BITS_EXPERT_ONLY = 8.5
MXFP4_BITS = 4.25  # 4-bit E2M1 values + one 8-bit scale per 32 [bits/weight]
# llama.cpp's quantize keeps the output head (or the tied embedding table that serves as one) at Q6_K in every
# legacy and k-quant preset below Q6_K. The catalog's bits/weight are whole-file figures on Llama-3.1-8B, whose
# head (128,256 x 4,096) is 6.54 % of its 8.03B parameters; a model with a bigger head share (Gemma-3-4B: 17 %)
# has a bigger file, one with a smaller (Llama-2-7B: 1.9 %) a smaller one.
HEAD_BITS = 6.5625
HEAD_KEPT_PRESETS = ("Q2_", "Q3_", "Q4_", "Q5_")  # legacy and k-quant presets below Q6_K
HEAD_SHARE_OF_PRESETS = 128256 * 4096 / 8.03e9
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


# Without a tie_word_embeddings flag, a table over this share of the parameters is taken as tied (small models:
# Gemma 3 4B, Phi-4-mini, Llama 3.2 3B), a smaller one as untied.
TIED_GUESS_SHARE = 0.10


def input_embedding_params(model: ModelArch) -> float:
    """Input-embedding parameters one token does NOT read [count]: decode gathers one row of the table.

    A tied table is also the output head, which every token reads whole: then nothing is skipped (0).
    ``model.tied_embeddings`` None: guessed from the table's share of the parameters (TIED_GUESS_SHARE).

    >>> m = ModelArch("MiniMax-M2", 228.69, 11.03, num_layers=62, hidden_size=3072, vocab_size=200064,
    ...               tied_embeddings=False)
    >>> input_embedding_params(m) / 1e9
    0.614596608
    """
    table = float(model.vocab_size) * model.hidden_size
    tied = model.tied_embeddings
    if tied is None:
        tied = table > TIED_GUESS_SHARE * model.total_params_b * 1e9
    return 0.0 if tied else table


def read_params_b(model: ModelArch) -> float:
    """Parameters one token reads and multiplies at batch 1 [1e9]: attention, dense and shared MLPs, router, the
    output head (read whole) and k of the E routed experts -- not the input-embedding table (one row).

    MoE: from the architecture (total - routed experts - input embedding + experts x k / E), whatever the
    publisher's active figure counts (Qwen and Moonshot include the embedding table, DeepSeek and OpenAI do
    not). Dense: the smaller of active_params_b and total - input embedding (a record with a reduced active
    figure, e.g. a generic case-file model, keeps it).

    >>> m = ModelArch("MiniMax-M2", 228.689, 11.03, num_layers=62, hidden_size=3072, vocab_size=200064,
    ...               n_routed_experts=256, experts_per_token=8, expert_params_b=224.680, tied_embeddings=False)
    >>> round(read_params_b(m), 2)
    10.42
    """
    embedding_b = input_embedding_params(model) / 1e9
    if not model.is_moe:
        return max(min(model.active_params_b, model.total_params_b - embedding_b), 0.0)
    experts_b = expert_params_b(model)
    share = min(max(model.experts_per_token, 1) / model.n_routed_experts, 1.0)
    return max(model.total_params_b - experts_b - embedding_b, 0.0) + experts_b * share


def weights_split_bytes(model: ModelArch, quant: Quant) -> tuple[float, float]:
    """(always-read bytes, routed-expert bytes) of the checkpoint [B].

    ``native`` uses the published checkpoint size exactly; otherwise params x bits/weight / 8, where MXFP4
    (an expert-only format) keeps the non-expert tensors at ~8.5 bit, and a GGUF quant of a model released
    with MXFP4 experts keeps the experts at MXFP4.
    """
    experts_b = expert_params_b(model)
    dense_b = max(model.total_params_b - experts_b, 0.0)
    is_native = quant.name.lower() == "native"
    if is_native and model.native_size_gb:
        total = model.native_size_gb * 1e9
        share = experts_b / model.total_params_b if model.total_params_b > 0 else 0.0
        return total * (1 - share), total * share
    bpw = quant.bits_per_weight
    if experts_b > 0 and quant.family == "gguf" and model.native_quant.upper().startswith(EXPERT_ONLY_FORMATS):
        # A model released with MXFP4 experts (gpt-oss) keeps them MXFP4 in every GGUF quant: llama.cpp
        # re-quantises only the other tensors (bartowski: "all quants keep the feed forward networks at mxfp4";
        # unsloth gpt-oss-120b-GGUF Q2_K..Q8_0 all 58-63 GB, Q4_K_M ~58.5-62.8 GB, not 71 GB).
        return dense_b * 1e9 * bpw / 8, experts_b * 1e9 * MXFP4_BITS / 8
    name = quant.name.upper()
    if experts_b > 0 and (name.startswith(EXPERT_ONLY_FORMATS) or name.endswith(EXPERTS_SUFFIX)):
        return dense_b * 1e9 * max(bpw, NON_EXPERT_BITS_EXPERT_ONLY) / 8, experts_b * 1e9 * bpw / 8
    if experts_b > 0 and quant.moe_bits_per_weight:
        # A quant measured on large MoE files (unsloth "UD-"): the whole file is params x moe_bits / 8; the
        # non-expert tensors keep the dense-model figure and the routed experts take the rest.
        total = model.total_params_b * 1e9 * quant.moe_bits_per_weight / 8
        dense = min(dense_b * 1e9 * bpw / 8, 0.5 * total)
        return dense, total - dense
    head_bits = quant.head_bits or HEAD_BITS
    if quant.family == "gguf" and name.startswith(HEAD_KEPT_PRESETS) and bpw < head_bits and model.vocab_size > 0:
        # head at Q6_K (or the file's own head bits), the rest at the block figure implied by the preset's
        # whole-file bits/weight on Llama-3.1-8B
        head_b = min(model.vocab_size * model.hidden_size / 1e9, dense_b)
        body_bpw = (bpw - HEAD_SHARE_OF_PRESETS * head_bits) / (1 - HEAD_SHARE_OF_PRESETS)
        return ((dense_b - head_b) * body_bpw + head_b * head_bits) * 1e9 / 8, experts_b * 1e9 * body_bpw / 8
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


def kv_shards(model: ModelArch) -> float:
    """Devices a tensor-parallel split can spread the KV cache over without copies [count].

    Tensor parallel splits attention by KV head: with more devices than KV heads each head is replicated
    (vLLM, SGLang, TensorRT-LLM), and an MLA latent cache (one shared vector per token) sits whole on every
    device. The per-device KV bytes are then those of max(1, n / shards) copies.
    """
    if model.attention_kind in ("mla", "dsv4"):
        return 1.0
    return float(max(model.num_kv_heads, 1))


def kv_copies(count: Any, tensor_parallel: Any, shards: Any) -> Any:
    """Copies of the KV cache over ``count`` devices: max(1, n / shards) under tensor parallel, else 1."""
    n = np.maximum(np.asarray(count, dtype=float), 1.0)
    tp = np.asarray(tensor_parallel, dtype=bool) & (n > 1)
    return np.where(tp, np.maximum(n / np.maximum(np.asarray(shards, dtype=float), 1.0), 1.0), 1.0)


def kv_bytes_per_token(model: ModelArch, kv_dtype: str = "f16") -> float:
    """KV bytes per token of context in the layers that keep growing [B/token] (the headline figure)."""
    return kv_layout(model, kv_dtype).growing_per_token


def capacity_gb(device: Device) -> float:
    """Physical memory of one device [GB = 1e9 B]. Memory is sold in binary units: a "24 GB" card or a "64 GB"
    Mac holds 24 / 64 GiB, i.e. 25.8 / 68.7 GB, and weights are counted in 1e9 B."""
    return device.memory_gb * GIB_PER_GB


# Serving engines claim a fixed share of a discrete GPU's memory for weights + KV pool + activations: vLLM
# gpu_memory_utilization 0.9, SGLang mem_fraction_static ~0.88 on one 80 GB GPU (TensorRT-LLM takes 0.9 of
# what is free after the weights, close to capacity minus the reserve, kept as is).
SERVING_MEMORY_SHARE = {"vllm": 0.90, "sglang": 0.88}
MIB = 2**20  # iogpu.wired_limit_mb counts MiB [B]


def usable_gb(device: Device, backend: str = "") -> float:
    """Memory one device offers the model [GB]: capacity minus reserve, or the GPU-wired share of unified RAM
    (on a Mac the wired limit the user set with sysctl iogpu.wired_limit_mb, when given)."""
    cap = capacity_gb(device)
    if backend in SERVING_MEMORY_SHARE and device.kind == "gpu" and not device.unified_memory:
        return cap * SERVING_MEMORY_SHARE[backend]
    if device.wired_limit_mb:
        return min(device.wired_limit_mb * MIB / 1e9, cap)
    if device.unified_memory or device.kind in ("apple", "apu"):
        return max(cap * device.gpu_memory_share, 0.0)
    if device.kind == "cpu":
        return cap * HOST_RAM_USABLE_SHARE
    return max(cap - max(DISCRETE_RESERVE_GB, 0.02 * cap), 0.0)


def overhead_gb(device: Device, model: ModelArch, backend: str, context_tokens: float, batch: int) -> float:
    """Runtime overhead on ONE device [GB]: context/driver, compute buffers (logits + activations of one
    micro-batch, attention scratch growing with context) and serving-engine graphs."""
    return float(overhead_gb_array(base_overhead_gb(device, backend), model.vocab_size, model.hidden_size,
                                   context_tokens, batch))


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


def devices_text(device_name: str, count: int) -> str:
    return f"{count} x {device_name}" if count > 1 else device_name


def fit_arrays(*, dense: Any, expert: Any, kvg: Any, kvc: Any, kvw: Any, kvf: Any, vocab: Any, hidden: Any,
               max_ctx: Any, usable_dev: Any, base_ovh: Any, host_cap: Any, count: Any, batch: Any, ctx: Any,
               cpu_only: Any, on_host: Any, kv_copies: Any = 1.0) -> dict[str, np.ndarray]:
    """The fit on numpy arrays (one row per setup); `fit` is this for one row.

    Inputs: weight bytes (dense, routed experts) [B]; KV layout (kvg/kvc [B/token], kvw [tokens], kvf [B]);
    usable_dev per device [GB]; base_ovh per device [GB]; host_cap [GB] (host RAM, or the CPU device's RAM
    when ``cpu_only``); reserved context ``ctx`` [tokens]. Returns the FitResult columns plus ``why``
    (0 fits, 1 weights do not fit, 2 the KV cache does not, 3 host RAM too small). ``kv_copies``: copies of the
    KV cache over the devices (tensor parallel beyond the KV heads replicates heads) [count].
    """
    copies = np.maximum(np.asarray(kv_copies, dtype=float), 1.0)
    headline_kvg = kvg
    kvg, kvc, kvf = kvg * copies, kvc * copies, kvf * copies
    n = np.maximum(np.asarray(count, dtype=float), 1.0)
    b = np.maximum(np.asarray(batch, dtype=float), 1.0)
    cpu_only = np.asarray(cpu_only, dtype=bool)
    on_host = np.asarray(on_host, dtype=bool) & ~cpu_only
    weights = (np.asarray(dense, dtype=float) + np.asarray(expert, dtype=float)) / 1e9
    kv = (kvg * np.asarray(ctx, dtype=float) + kvc * np.minimum(ctx, kvw) + kvf) * b / 1e9
    ovh_ctx = overhead_gb_array(base_ovh, vocab, hidden, ctx, b)
    ovh_0 = overhead_gb_array(base_ovh, vocab, hidden, 0.0, b)
    # cpu_only: everything in (host) RAM, a lighter runtime (no device context); otherwise per device.
    ovh = np.where(cpu_only, 0.2 + 0.25 * ovh_ctx, ovh_ctx * n)
    free_ovh = np.where(cpu_only, 0.2 + 0.25 * ovh_0, ovh_0 * n)
    host_gb = np.where(on_host, np.asarray(expert, dtype=float) / 1e9, 0.0)
    dev_weights = np.where(cpu_only, 0.0, weights - host_gb)
    usable = np.where(cpu_only, host_cap, np.asarray(usable_dev, dtype=float) * n)
    total = np.where(cpu_only, weights + kv + ovh, dev_weights + kv + ovh)
    host_gb = np.where(cpu_only, total, host_gb)
    fits_host = cpu_only | (host_gb <= host_cap)
    fits = (total <= usable) & fits_host
    free = usable - np.where(cpu_only, weights, dev_weights) - free_ovh
    scratch = np.where(cpu_only, 0.25, n) * SCRATCH_BYTES_PER_TOKEN
    budget = free * 1e9 / b - kvf
    g = kvg + scratch / b
    within = (kvc > 0) & (budget <= (g + kvc) * kvw)
    with np.errstate(divide="ignore", invalid="ignore"):
        mc = np.where(within, budget / (g + kvc), np.where(g > 0, (budget - kvc * kvw) / g, CONTEXT_CAP_TOKENS))
    mc = np.clip(np.nan_to_num(mc, nan=0.0, posinf=CONTEXT_CAP_TOKENS), 0, CONTEXT_CAP_TOKENS)
    mc = np.where((budget > 0) & fits_host, np.minimum(np.floor(mc), max_ctx), 0).astype(np.int64)
    # 1: the weights alone are too big; 2: the weights fit but not with the KV cache and the runtime overhead
    # (which grows with the batch: a huge batch is a KV / overhead problem, not a weights one)
    why = np.where(fits, 0, np.where(~fits_host, 3, np.where(dev_weights > usable, 1, 2)))
    why = np.where(cpu_only & ~fits, 1, why)
    out = {"fits": fits, "weights_gb": weights, "device_weights_gb": dev_weights, "host_gb": host_gb,
           "expert_weights_gb": np.asarray(expert, dtype=float) / 1e9, "kv_bytes_per_token": headline_kvg, "kv_gb": kv,
           "overhead_gb": ovh, "total_gb": total, "usable_gb": usable, "max_context_tokens": mc,
           "host_cap_gb": host_cap, "why": why}
    shaped = np.broadcast_arrays(*[np.asarray(v) for v in out.values()])
    return {k: np.array(v) for k, v in zip(out, shaped, strict=True)}


def reason_text(why: int, cols: dict[str, Any], i: int, devices: str, batch: int, ctx: int, cpu_only: bool) -> str:
    """Plain words for why row ``i`` of `fit_arrays` does not fit ("" when it fits)."""
    if why == 0:
        return ""
    if cpu_only:
        return f"needs {cols['total_gb'][i]:.0f} GB in RAM; the host offers {cols['usable_gb'][i]:.0f} GB usable"
    if why == 1:
        plural = "" if devices.split(" x ")[0].isdigit() else "s"
        return f"needs {cols['device_weights_gb'][i]:.0f} GB of weights; {devices} offer{plural} {cols['usable_gb'][i]:.0f} GB usable"
    if why == 2:
        left = cols["usable_gb"][i] - cols["device_weights_gb"][i] - cols["overhead_gb"][i]
        if left < 0:  # the overhead of this many sequences alone overflows what the weights leave
            after_weights = cols["usable_gb"][i] - cols["device_weights_gb"][i]
            return (f"weights fit, but the KV cache for {batch:,} x {ctx:,} tokens ({cols['kv_gb'][i]:,.1f} GB) "
                    f"and the runtime overhead ({cols['overhead_gb'][i]:,.1f} GB) do not: {after_weights:.1f} GB "
                    "left after the weights")
        return (f"weights fit, but the KV cache for {batch} x {ctx:,} tokens ({cols['kv_gb'][i]:.1f} GB) does not:"
                f" {left:.1f} GB left")
    return (f"offloaded experts need {cols['host_gb'][i]:.0f} GB of host RAM; the host offers"
            f" {cols['host_cap_gb'][i]:.0f} GB usable")


def host_capacity_gb(device: Device, host: Host, cpu_only: bool) -> float:
    """RAM an offloaded or CPU-only model may use [GB]: the CPU device's own RAM, else the host's."""
    ram = device.memory_gb if (cpu_only and device.kind == "cpu") else host.ram_gb
    return ram * GIB_PER_GB * HOST_RAM_USABLE_SHARE


def base_overhead_gb(device: Device, backend: str) -> float:
    """Fixed runtime overhead of one device [GB] (driver context; serving engines add graphs/buffers)."""
    return OVERHEAD_BASE_GB.get(device.kind, 0.5) + (OVERHEAD_SERVER_EXTRA_GB if backend in SERVING_BACKENDS else 0.0)


def fit(setup: Setup) -> FitResult:
    """Does ``setup`` fit? Weights + KV x context x batch + overhead per device against usable memory."""
    model, device = setup.model, setup.device
    host = setup.host or Host()
    dense_bytes, expert_bytes = weights_split_bytes(model, setup.quant)
    layout = kv_layout(model, setup.kv_dtype)
    ctx = context_for(setup)
    cpu_only = setup.offload == "cpu_only" or device.kind == "cpu"
    cols = fit_arrays(
        dense=np.array([dense_bytes]), expert=np.array([expert_bytes]), kvg=layout.growing_per_token,
        kvc=layout.capped_per_token, kvw=float(layout.cap_tokens), kvf=layout.fixed_bytes,
        vocab=float(model.vocab_size), hidden=float(model.hidden_size), max_ctx=float(model.max_context),
        usable_dev=usable_gb(device, setup.backend), base_ovh=base_overhead_gb(device, setup.backend),
        host_cap=host_capacity_gb(device, host, cpu_only), count=setup.count, batch=setup.batch, ctx=float(ctx),
        cpu_only=cpu_only, on_host=setup.offload == "experts_cpu",
        kv_copies=kv_copies(setup.count, setup.parallel == "tensor", kv_shards(model)))
    v = {k: c[0] for k, c in cols.items()}
    reason = reason_text(int(v["why"]), cols, 0, devices_text(device.name, max(setup.count, 1)), setup.batch, ctx,
                         cpu_only)
    return FitResult(bool(v["fits"]), float(v["weights_gb"]), float(v["device_weights_gb"]), float(v["host_gb"]),
                     float(v["expert_weights_gb"]), float(v["kv_bytes_per_token"]), float(v["kv_gb"]),
                     float(v["overhead_gb"]), float(v["total_gb"]), float(v["usable_gb"]),
                     int(v["max_context_tokens"]), reason)


def ram_mib(device: Device) -> int:
    """A unified-memory device's RAM in MiB (memory is sold in GiB: 128 GB = 131,072 MiB) [MiB]."""
    return int(round(device.memory_gb * 1024))


def validate_wired_limit(device: Device, wired_limit_mb: object, field: str = "wired_limit_mb") -> None:
    """Raise InputError unless ``wired_limit_mb`` is a whole number of MiB from 1 to the RAM of an Apple device."""
    if device.kind != "apple":
        raise InputError(f"the wired limit (macOS iogpu.wired_limit_mb) applies to Apple silicon, not {device.name}",
                         field)
    if not isinstance(wired_limit_mb, int) or isinstance(wired_limit_mb, bool) or wired_limit_mb < 1:
        raise InputError(f"must be a positive whole number of MiB, got {wired_limit_mb!r}", field)
    if wired_limit_mb > ram_mib(device):
        raise InputError(f"{wired_limit_mb:,} MiB is more than the {ram_mib(device):,} MiB of RAM of {device.name}",
                         field)


def unified_memory_note(device: Device) -> str:
    """The working of a unified-memory device's usable share, in words ("" for a discrete GPU or a CPU)."""
    usable = usable_gb(device)
    if device.kind == "apple" and device.wired_limit_mb:
        return (f"unified memory: the GPU may wire {device.wired_limit_mb:,} MiB = {usable:.1f} GB of the"
                f" {device.memory_gb:g} GB RAM ({device.wired_limit_mb / ram_mib(device):.0%}; sysctl"
                " iogpu.wired_limit_mb as given; leave the OS a few GB)")
    if device.kind == "apple":
        return (f"unified memory: macOS lets the GPU wire {device.gpu_memory_share:.0%} of the {device.memory_gb:g}"
                f" GB RAM = {usable:.1f} GB by default (~2/3 up to 36 GB, ~3/4 above); raise it with"
                " sudo sysctl iogpu.wired_limit_mb=N (--wired-limit-mb N)")
    if device.unified_memory or device.kind == "apu":
        return (f"unified memory: the GPU may use {device.gpu_memory_share:.0%} of the {device.memory_gb:g} GB RAM"
                f" = {usable:.1f} GB")
    return ""


def _finite_pos(value: float, name: str, allow_zero: bool = False) -> None:
    if not isinstance(value, int | float) or not math.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        raise InputError(f"must be a finite number {'>= 0' if allow_zero else '> 0'}, got {value!r}", name)


def validate_parts(device: Device, model: ModelArch, quant: Quant, host: Host | None) -> None:
    """Raise InputError naming the first bad field of the device, model, quant or host."""
    d, m, q = device, model, quant
    for name in ("memory_gb", "bandwidth_gbs", "fp16_tflops", "link_bandwidth_gbs"):
        _finite_pos(getattr(d, name), f"device.{name}")
    for name in ("tdp_w", "idle_w"):
        _finite_pos(getattr(d, name), f"device.{name}", allow_zero=True)
    if not 0 < d.gpu_memory_share <= 1:
        raise InputError(f"must be in (0, 1], got {d.gpu_memory_share!r}", "device.gpu_memory_share")
    if d.wired_limit_mb is not None:
        validate_wired_limit(d, d.wired_limit_mb, "device.wired_limit_mb")
    _finite_pos(m.total_params_b, "model.total_params_b")
    _finite_pos(m.active_params_b, "model.active_params_b")
    if m.active_params_b > m.total_params_b * 1.0001:
        raise InputError("active parameters exceed total parameters", "model.active_params_b")
    for name in ("num_layers", "hidden_size", "num_heads", "head_dim", "vocab_size", "max_context", "csa_ratio",
                 "hca_ratio"):
        if getattr(m, name) < 1:
            raise InputError(f"must be >= 1, got {getattr(m, name)!r}", f"model.{name}")
    if m.attention_kind == "opaque" and not m.kv_bytes_per_token_f16:
        raise InputError("opaque attention needs kv_bytes_per_token_f16", "model.kv_bytes_per_token_f16")
    if m.is_moe and not 0 < m.experts_per_token <= m.n_routed_experts:
        raise InputError("must be between 1 and n_routed_experts", "model.experts_per_token")
    if not (isinstance(q.bits_per_weight, int | float) and math.isfinite(q.bits_per_weight)
            and 0 < q.bits_per_weight <= 32):
        raise InputError(f"must be in (0, 32], got {q.bits_per_weight!r}", "quant.bits_per_weight")
    if host is not None:
        for name in ("ram_bandwidth_gbs", "ram_gb", "cpu_tflops"):
            _finite_pos(getattr(host, name), f"host.{name}")


MAX_DEVICES = 1024
MAX_BATCH = 100_000


def validate(setup: Setup, parts_checked: bool = False) -> None:
    """Raise InputError naming the first bad field of ``setup`` (``parts_checked``: skip `validate_parts`)."""
    if not parts_checked:
        validate_parts(setup.device, setup.model, setup.quant, setup.host)
    # Upper bounds are what a real deployment can be: a 1,024-device cluster, 100,000 concurrent sequences.
    for name, low, high in (("count", 1, MAX_DEVICES), ("batch", 1, MAX_BATCH), ("prompt_tokens", 0, 100_000_000),
                            ("gen_tokens", 0, 100_000_000), ("context_depth", 0, 100_000_000), ("ubatch", 1, 65536)):
        value = getattr(setup, name)
        if not isinstance(value, int) or isinstance(value, bool) or value < low or value > high:
            raise InputError(f"must be an integer from {low} to {high:,}, got {value!r}", name)
    if setup.context_tokens is not None and (not isinstance(setup.context_tokens, int) or setup.context_tokens < 0):
        raise InputError(f"must be an integer >= 0, got {setup.context_tokens!r}", "context_tokens")
    for name, allowed in (("backend", BACKENDS), ("parallel", PARALLEL_MODES), ("offload", OFFLOAD_MODES),
                          ("kv_dtype", tuple(KV_DTYPE_BYTES)), ("build", BUILDS), ("harness", HARNESSES)):
        if getattr(setup, name) not in allowed:
            raise InputError(f"must be one of {', '.join(allowed)}; got {getattr(setup, name)!r}", name)
