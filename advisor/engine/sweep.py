"""Vectorised evaluation: many setups at once (`evaluate`) and full grids (`sweep`), with numpy.

`estimate(setup)`, `estimate --cases` and the sweep all run `compute()`, so their numbers agree. Per-setup
work (fit, per-model/device terms) happens in `prepare()`, once per distinct object; `compute()` is pure
array arithmetic, so the calibration can re-run it thousands of times and the sweep can run it on 10^6 rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

import advisor.engine.fit as fitmod
from advisor.engine.build import era_class
from advisor.engine.constants import (
    PREFILL_BATCH_TOKENS,
    PREFILL_UBATCH_TOKENS,
    SERVING_BACKENDS,
    SERVING_CLASS,
    Calibration,
    device_class,
    gemm_class,
    kernel_class,
    load_calibration,
)
from advisor.engine.serving import (
    SERVING_PREFILL_CHUNK,
    max_num_seqs,
    paged_context_tokens,
    ragged_decode_rate,
    ragged_tail_batches,
    serving_output_rate,
)
from advisor.engine.throughput import (
    BLOCK_QUANT_FAMILIES,
    LIMITS,
    MESH_LINKS,
    allreduce_link_gbs,
    attn_flops,
    attn_terms,
    compute_tflops,
    decode_step,
    experts_touched,
    limiting_factor,
    prefill_time,
    vector_tflops,
)
from advisor.engine.types import Device, Host, ModelArch, Quant, Setup
from advisor.progress import Cancelled, ProgressCallback

CATEGORY_ORDER = ("offload", "tensor parallel", "multi-GPU layer", "batched", "MoE", "AMD", "Apple", "single GPU",
                  "serving at load", "long depth")
# Share of the board's dynamic power (TDP - idle) a bandwidth-bound decode step draws; compute-bound work
# (large batches, prefill) approaches TDP. An RTX 4090 decoding an 8B model at batch 1 draws ~250 W of its 450 W
# (issue 12's measurement); llama-bench runs of a 4090 box read 279 W at the wall with the host
# (github.com/geerlingguy/ai-benchmarks/issues/43); an RTX PRO 6000 capped at 400 of its 600 W decodes
# Llama-2-7B Q4_0 as fast as uncapped (279 tok/s; AUGMXNT/llm-tracker.info-vault "RTX PRO 6000.md").
DECODE_POWER_SHARE = 0.5
# Context already cached before the measured work from which a row counts as "long depth" [tokens].
LONG_DEPTH_TOKENS = 4096
_LIMITS_ARR = np.array(LIMITS, dtype=object)
_DEFAULT_HOST = Host()
# Most sequences llama.cpp decodes with its matrix-vector kernels (MMVQ) before switching to MMQ tiles.
MMVQ_MAX_BATCH = 8.0
# Metal's matrix-matrix kernel (mul_mm, used above MMVQ_MAX_BATCH) multiplies the activations in tiles of 32
# columns: 9-32 sequences cost the FLOPs of 32 (llama.cpp benches/mac-m2-ultra.md: Qwen2.5-7B Q8_0 decodes a
# step of 16 in 49.8 ms and of 32 in 52.4 ms).
METAL_MM_TILE = 32.0
# llama.cpp's MMQ prompt kernels unpack each quantised weight tile on the shader ALUs once per tile of up to
# 128 token columns (mmq_x), then multiply it on the tensor cores: the unpacking costs weights x ceil(rows / 128)
# shader operations per micro-batch, which parts with few ALUs per tensor core (A100: 19.5 vs 312 TFLOPS) feel.
MMQ_TILE_TOKENS = 128.0
_ATTENTION_QUANT = Quant("F16", 16.0, family="float", compute="fp16")
# Per (model, quant, kv dtype) columns and per (device, quant, backend, host) columns of `prepare`.
_MQ_COLS = ("dense", "expert", "ne", "k", "active", "layers", "hidden", "bpw", "blockq", "attn", "attn_c", "attn_cap",
            "dense_params", "emb", "kvg", "kvc", "kvw", "kvf", "vocab", "max_ctx", "kvh", "rs_in", "rs_out", "rs_mm")
_DEV_COLS = ("bw", "tfl", "link", "tdp", "idle", "host_bw", "host_tfl", "host_idle", "host_load", "usable_dev",
             "base_ovh", "host_cap", "attn_tfl", "vec_tfl")
_FIT_COLS = ("fits", "weights_gb", "kv_bytes_per_token", "kv_gb", "overhead_gb", "total_gb", "usable_gb", "host_gb",
             "max_context_tokens")


@dataclass(frozen=True)
class Results:
    """Columns of results, one entry per setup (numpy arrays; reasons/categories as lists)."""

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
    # prompt tokens per second when the batch's prompts are prefilled together (serving engines: chunked
    # prefill; weight-only engines prefill one prompt at a time: pp_tok_s)
    batch_pp_tok_s: np.ndarray
    ttft_s: np.ndarray
    tg_band: np.ndarray  # (n, 2)
    pp_band: np.ndarray  # (n, 2)
    limiting: np.ndarray  # strings (object array), one of throughput.LIMITS
    load_power_w: np.ndarray
    idle_power_w: np.ndarray
    reasons: list[str]
    categories: list[tuple[str, ...]]
    # seconds of a prompt's prefill spent unpacking quantised weight tiles on the shader ALUs (llama.cpp MMQ),
    # summed over the devices; None where not computed (the sweep)
    pp_unpack_s: np.ndarray | None = None


def seq_overhead_class(backend: str, harness: str) -> str:
    """The class of the per-sequence host cost: TensorRT-LLM's offline runs (trtllm-bench: the C++ executor
    schedules and samples alongside the GPU) have their own (0); served through its API server it pays what the
    other serving engines' Python servers do (streaming and detokenising every token of every sequence)."""
    return SERVING_CLASS if backend == "tensorrt-llm" and harness == "online" else backend


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
    if setup.count == 1 and cls in ("nvidia", "amd", "apu", "intel"):
        cats.append("single GPU")
    cats = cats or ["single GPU"]
    if setup.backend in SERVING_BACKENDS and setup.batch > 1:
        cats.append("serving at load")
    if setup.context_depth >= LONG_DEPTH_TOKENS or setup.prompt_tokens >= 4 * LONG_DEPTH_TOKENS:
        cats.append("long depth")
    return tuple(cats)


def max_useful_batch(setup: Setup) -> int:
    """Most concurrent sequences that fit in memory at the setup's context, capped at what engines schedule."""
    return int(max_useful_batches([setup])[0])


def max_useful_batches(setups: Sequence[Setup]) -> np.ndarray:
    """`max_useful_batch` for many setups at once (their batch field is ignored)."""
    if not setups:
        return np.zeros(0, dtype=np.int64)
    # Distinct setups only: a big case file repeats the same few configurations.
    keyed: dict[tuple, int] = {}
    inverse = np.fromiter((keyed.setdefault((id(s.device), id(s.model), id(s.quant), id(s.host), s.count,
                                             s.backend, s.offload, s.kv_dtype, fitmod.context_for(s)), len(keyed))
                           for s in setups), np.int64, len(setups))
    firsts: dict[int, Setup] = {}
    for s, k in zip(setups, inverse.tolist(), strict=True):
        firsts.setdefault(k, s)
    uniq = [firsts[k] for k in range(len(keyed))]
    # Serving engines page the KV cache: a sequence holds its prompt plus what it generated so far, on average
    # prompt + gen / 2 over its life (an explicit context_tokens still wins).
    at = [replace(s, context_tokens=paged_context_tokens(s.prompt_tokens, s.gen_tokens, s.context_depth))
          if s.backend in SERVING_BACKENDS and s.context_tokens is None else s for s in uniq]
    ones = prepare([replace(s, batch=1) for s in at], validate_inputs=False).fit
    twos = prepare([replace(s, batch=2) for s in at], validate_inputs=False).fit
    # Memory is affine in the batch (KV and decode buffers per sequence): solve total(b) <= usable.
    per_seq = twos["total_gb"] - ones["total_gb"]
    free = ones["usable_gb"] - ones["total_gb"]
    cap = np.array([max_num_seqs(s.backend, s.device.memory_gb, s.device.name) for s in uniq], dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        b = np.where(per_seq > 0, 1 + np.floor(free / np.where(per_seq > 0, per_seq, 1.0)), cap)
    return np.where(free < 0, 1, np.clip(b, 1, cap)).astype(np.int64)[inverse]


def mq_terms(model: ModelArch, quant: Quant, kv_dtype: str) -> tuple[float, ...]:
    """The _MQ_COLS of one (model, quant, kv dtype)."""
    dense, expert = fitmod.weights_split_bytes(model, quant)
    bpw = (dense + expert) * 8 / (model.total_params_b * 1e9)
    lay = fitmod.kv_layout(model, kv_dtype)
    # Active = what one token reads (fit.read_params_b): the input-embedding table is a one-row lookup.
    emb = fitmod.input_embedding_params(model)
    return (dense, expert, float(model.n_routed_experts), float(model.experts_per_token),
            fitmod.read_params_b(model) * 1e9,
            float(model.num_layers), float(model.hidden_size), bpw, float(quant.family in BLOCK_QUANT_FAMILIES),
            *attn_terms(model), max((model.total_params_b - fitmod.expert_params_b(model)) * 1e9 - emb, 0.0),
            emb * bpw / 8, lay.growing_per_token, lay.capped_per_token, float(lay.cap_tokens),
            lay.fixed_bytes, float(model.vocab_size), float(model.max_context), fitmod.kv_shards(model),
            *row_split_widths(model))


def row_split_widths(model: ModelArch) -> tuple[float, float, float]:
    """What llama.cpp's tensor split (``-sm row``) moves per token and layer: (summed input widths, summed output
    widths, number) of the 2-D weight matrices it splits by rows -- the attention projections and the dense or
    shared FFN (routed experts stay whole on the main GPU). The dense FFN width comes from the parameters a layer
    holds beyond its attention projections.

    >>> ins, outs, mats = row_split_widths(ModelArch("70B", 70.55, 70.55, num_layers=80, hidden_size=8192,
    ...                                    num_heads=64, num_kv_heads=8, head_dim=128, vocab_size=128256))
    >>> round(ins), round(outs), mats  # FFN 28,672 wide: inputs 3 x 8192 + 8192 + 2 x 8192 + 28672
    (77823, 83966, 7.0)
    """
    h = float(model.hidden_size)
    q = float(model.num_heads * model.head_dim)
    kv = float(model.num_kv_heads * model.head_dim)
    tables = fitmod.input_embedding_params(model) + float(model.vocab_size) * h  # input table (if untied) + head
    per_layer = max((model.total_params_b - fitmod.expert_params_b(model)) * 1e9 - tables, 0.0) / max(model.num_layers, 1)
    ffn = max(per_layer - h * (q + 2.0 * kv) - q * h, 0.0) / (3.0 * h)
    has_ffn = ffn > 0.05 * h
    return (3.0 * h + q + (2.0 * h + ffn if has_ffn else 0.0), q + 2.0 * kv + h + (2.0 * ffn + h if has_ffn else 0.0),
            7.0 if has_ffn else 4.0)


def kv_copies(a: dict[str, np.ndarray]) -> np.ndarray:
    """Copies of the KV cache a setup keeps over its devices (1 unless tensor parallel beyond the KV heads)."""
    return fitmod.kv_copies(a["count"], a["tp_attn"], a["kvh"])


def dev_terms(device: Device, quant: Quant, backend: str, host: Host, cpu_only: bool = False) -> tuple[float, ...]:
    """The _DEV_COLS of one (device, quant, backend, host)."""
    return (device.bandwidth_gbs, compute_tflops(device, quant, backend), device.link_bandwidth_gbs, device.tdp_w,
            device.idle_w, host.ram_bandwidth_gbs, host.cpu_tflops, host.idle_w, host.load_w,
            fitmod.usable_gb(device, backend), fitmod.base_overhead_gb(device, backend),
            fitmod.host_capacity_gb(device, host, cpu_only),
            # attention (QK^T, PV) runs on the activations' FP16 tensor cores, not on FP8/FP4 weight GEMMs
            compute_tflops(device, _ATTENTION_QUANT, backend), vector_tflops(device))


@dataclass
class Prepared:
    """Everything about n setups that does not depend on the calibration constants (all numpy arrays)."""

    a: dict[str, np.ndarray]  # per-row inputs of the formulas
    keys: dict[str, tuple[list[str], np.ndarray]]  # constant lookup keys: (distinct values, per-row codes)
    fit: dict[str, np.ndarray]  # _FIT_COLS per row
    cat_idx: np.ndarray  # primary category per row (index into CATEGORY_ORDER)
    reasons: list[str]
    categories: list[tuple[str, ...]]


def _codes(values: Sequence[str]) -> tuple[list[str], np.ndarray]:
    uniq: dict[str, int] = {}
    codes = np.fromiter((uniq.setdefault(v, len(uniq)) for v in values), np.int64, len(values))
    return list(uniq), codes


def prepare(setups: Sequence[Setup], *, decode_depth: Sequence[float] | None = None,
            validate_inputs: bool = True) -> Prepared:
    """Fit every setup (vectorised) and gather the per-row inputs of the speed formulas. ``decode_depth``
    overrides the mean context depth during decode [tokens] (default: context_depth + prompt + gen / 2)."""
    n = len(setups)
    mq_cache: dict[tuple, tuple[float, ...]] = {}
    dev_cache: dict[tuple, tuple[float, ...]] = {}
    checked: set[tuple[int, int, int, int]] = set()
    rows = []
    for s in setups:
        if validate_inputs:
            parts = (id(s.device), id(s.model), id(s.quant), id(s.host))
            if parts not in checked:
                fitmod.validate_parts(s.device, s.model, s.quant, s.host)
                checked.add(parts)
            fitmod.validate(s, parts_checked=True)
        mk = (id(s.model), id(s.quant), s.kv_dtype)
        mt = mq_cache.get(mk)
        if mt is None:
            mt = mq_cache[mk] = mq_terms(s.model, s.quant, s.kv_dtype)
        cpu_only = s.offload == "cpu_only" or s.device.kind == "cpu"
        dk = (id(s.device), id(s.quant), s.backend, id(s.host), cpu_only)
        dt = dev_cache.get(dk)
        if dt is None:
            dt = dev_cache[dk] = dev_terms(s.device, s.quant, s.backend, s.host or _DEFAULT_HOST, cpu_only)
        rows.append(mt + dt)
    table = np.asarray(rows, dtype=float).reshape(n, len(_MQ_COLS) + len(_DEV_COLS))
    a = {name: table[:, i] for i, name in enumerate(_MQ_COLS + _DEV_COLS)}
    for name in ("count", "batch", "prompt_tokens", "gen_tokens", "context_depth", "ubatch", "num_prompts"):
        a[name] = np.fromiter((getattr(s, name) for s in setups), float, n)
    ctx = np.fromiter((s.context_tokens if s.context_tokens is not None else -1 for s in setups), float, n)
    ctx = np.where(ctx >= 0, ctx, a["prompt_tokens"] + a["gen_tokens"] + a["context_depth"])
    a["tp"] = np.fromiter((s.parallel in ("tensor", "expert") for s in setups), bool, n)
    # Expert parallel (DP attention + EP) keeps whole KV heads per device; only tensor parallel splits heads.
    a["tp_attn"] = np.fromiter((s.parallel == "tensor" for s in setups), bool, n)
    a["serving"] = np.fromiter((s.backend in SERVING_BACKENDS for s in setups), bool, n)
    a["ragged"] = a["serving"] & np.fromiter((s.length_spread == "ragged" for s in setups), bool, n)
    a["on_host"] = np.fromiter((s.offload == "experts_cpu" for s in setups), bool, n)
    a["cpu_only"] = np.fromiter((s.offload == "cpu_only" or s.device.kind == "cpu" for s in setups), bool, n)
    a["dev_cpu"] = np.fromiter((s.device.kind == "cpu" for s in setups), bool, n)
    a["depth"] = (np.asarray(decode_depth, dtype=float) if decode_depth is not None
                  else a["context_depth"] + a["prompt_tokens"] + a["gen_tokens"] / 2.0)
    keys = {"cls": _codes([device_class(s.device) for s in setups]), "backend": _codes([s.backend for s in setups]),
            "link": _codes([s.device.link for s in setups]),
            # the build era picks its own values of the ERA_CONSTANTS (llama.cpp 2024 vs current)
            "era": _codes([era_class(s.backend, s.build) for s in setups]),
            "arch": _codes([s.model.attention_kind for s in setups]),
            "gemm": _codes([gemm_class(s.device) for s in setups]),
            "seq": _codes([seq_overhead_class(s.backend, s.harness) for s in setups])}
    fit = _fit(a, ctx)
    reasons = [""] * n
    for i in np.flatnonzero(fit["why"]).tolist():
        s = setups[i]
        reasons[i] = fitmod.reason_text(int(fit["why"][i]), fit, int(i),
                                        fitmod.devices_text(s.device.name, max(s.count, 1)), s.batch, int(ctx[i]),
                                        bool(a["cpu_only"][i]))
    cat_cache: dict[tuple, tuple[str, ...]] = {}
    cats = []
    for s in setups:
        ck = (id(s.device), id(s.model), s.count > 1, s.parallel, s.batch > 1, s.offload, s.backend,
              s.context_depth >= LONG_DEPTH_TOKENS or s.prompt_tokens >= 4 * LONG_DEPTH_TOKENS)
        c = cat_cache.get(ck)
        if c is None:
            c = cat_cache[ck] = category(s)
        cats.append(c)
    cat_idx = np.fromiter((CATEGORY_ORDER.index(c[0]) for c in cats), np.int64, n)
    return Prepared(a, keys, fit, cat_idx, reasons, cats)


def _fit(a: dict[str, np.ndarray], ctx: np.ndarray) -> dict[str, np.ndarray]:
    rep = kv_copies(a)
    return fitmod.fit_arrays(
        dense=a["dense"], expert=a["expert"], kvg=a["kvg"], kvc=a["kvc"], kvw=a["kvw"], kvf=a["kvf"], kv_copies=rep,
        vocab=a["vocab"], hidden=a["hidden"], max_ctx=a["max_ctx"], usable_dev=a["usable_dev"],
        base_ovh=a["base_ovh"], host_cap=a["host_cap"], count=a["count"], batch=a["batch"], ctx=ctx,
        cpu_only=a["cpu_only"], on_host=a["on_host"])


def _lookup(cal: Calibration, what: str, key: tuple[list[str], np.ndarray]) -> np.ndarray:
    """Constant ``what`` per row, looked up once per distinct key."""
    uniq, codes = key
    return np.array([cal.get(what, k) for k in uniq], dtype=float)[codes]


def _bands(cal: Calibration, kind: str, cat_idx: np.ndarray) -> np.ndarray:
    table = np.array([cal.band(kind, c) for c in CATEGORY_ORDER], dtype=float)
    return table[cat_idx]


def compute(prep: Prepared, calibration: Calibration | None = None, *, detail: bool = True) -> Results:
    """Speed, bands and power for prepared setups under the given calibration (pure array arithmetic).
    ``detail`` False (the sweep) skips what only a single estimate shows: the p10-p90 bands and the limiting
    factor come back empty (bands nan, limiting None)."""
    cal = calibration or load_calibration()
    a, keys = prep.a, prep.keys
    cls, backend = keys["cls"], keys["backend"]
    count, batch, prompt, gen = a["count"], a["batch"], a["prompt_tokens"], a["gen_tokens"]
    tp, on_host, cpu_only, dev_cpu = a["tp"], a["on_host"], a["cpu_only"], a["dev_cpu"]
    host_eff = cal.get("host_bw_eff", "default")
    depth = a["depth"]
    kv_seq = (a["kvg"] * depth + a["kvc"] * np.minimum(depth, a["kvw"]) + a["kvf"]) * kv_copies(a)
    # A CPU device streams from its own RAM (its catalog figures); cpu_only on an accelerator box uses the host.
    bw = np.where(cpu_only & ~dev_cpu, a["host_bw"], a["bw"])
    # CPU-only decode (llama.cpp on all cores) streams at ~50 % of the DRAM peak (NUMA, prefetch limits);
    # a fixed physical share, not fitted: the calibration file has a single CPU-only row.
    bw_eff = np.where(cpu_only, cal.get("bw_eff", "cpu"), _lookup(cal, "bw_eff", cls))
    # Floors keep absurd-but-valid specs (a denormal TFLOPS figure) finite: time stays finite, speed > 0.
    # ROCm GEMM kernels reach a lower share of the listed peak than CUDA ones (compute_dev, per device class).
    # ROCm/Vulkan GEMM kernels reach a lower share of the listed peak than CUDA ones, on discrete Radeon/Instinct
    # cards and on AMD APUs (Strix Halo) alike: compute_dev per GPU vendor (gemm_class)
    tfl = np.where(cpu_only, 1.0, _lookup(cal, "compute_dev", keys["gemm"])) * a["tfl"]
    tfl = np.maximum(np.where(cpu_only & ~dev_cpu, a["host_tfl"], tfl), 1e-6)
    attn_tfl = np.where(cpu_only, 1.0, _lookup(cal, "compute_dev", keys["gemm"])) * a["attn_tfl"]
    attn_tfl = np.maximum(np.where(cpu_only & ~dev_cpu, a["host_tfl"], attn_tfl), 1e-6)
    bw = np.maximum(bw, 1e-6)
    qpen = _lookup(cal, "quant_penalty", cls)
    bpw = np.clip(a["bpw"], 1, 32)
    unpack = np.where(a["blockq"] > 0, np.maximum(16.0 / bpw - 1, 0), 0.0)  # more unpacking per weight at fewer bits
    read_factor = 1.0 + qpen * unpack / 3
    # unpacking a block-quantised byte: dequant_ops x (16 / bpw - 1) operations per weight, 8 / bpw weights a byte
    dq_per_weight = _lookup(cal, "dequant_ops", cls) * unpack
    dq_per_byte = dq_per_weight * 8.0 / bpw
    # The shader ALUs (no tensor units) unpack quantised weights and run llama.cpp's matrix-vector kernels.
    vec = np.where(cpu_only, tfl, np.maximum(a["vec_tfl"], 1e-6))
    era = keys["era"]
    # Host time per layer scales with the kernels a layer launches: a DeepSeek V4 layer (compressor, indexer,
    # hyper-connection mixing, grouped output projection) runs several times a dense GQA layer's (layer_ops).
    # Small latency-bound kernels (norms, rope, routing) also cost more on some devices than on a discrete CUDA
    # card: Metal dispatch, LPDDR unified memory, ROCm/Vulkan launches (layer_latency per device class).
    # Serving engines replay CUDA/HIP graphs on every vendor: the device-class latency is a weight-only engine's.
    ovh = _lookup(cal, "step_overhead_s", era) + _lookup(cal, "layer_overhead_s", era) * a["layers"] \
        * (_lookup(cal, "layer_ops", keys["arch"])
           + np.where((a["ne"] > 0) & ~a["serving"], cal.get("moe_layer_ops", "default"), 0.0)) \
        * np.where(a["serving"], 1.0, _lookup(cal, "layer_latency", cls))
    # GEMM constants per kernel class (constants.kernel_class): vLLM and SGLang (FP8/FP16 cuBLASLt/CUTLASS GEMMs,
    # chunked prefill) share the serving class, TensorRT-LLM's compiled kernels have their own, weight-only
    # engines (llama.cpp, MLX, ExLlamaV2, ktransformers) theirs or the default.
    kernels = ([kernel_class(b) for b in era[0]], era[1])
    hop = _lookup(cal, "layer_hop_s", backend)
    # batched decode GEMMs: the serving engines' cuBLAS/CUTLASS kernels are not llama.cpp's MMQ tiles
    dce = _lookup(cal, "decode_compute_eff", kernels)
    link_names, link_codes = keys["link"]
    mesh = np.array([k in MESH_LINKS for k in link_names], dtype=bool)[link_codes]
    ar_link_gbs = allreduce_link_gbs(a["link"], mesh, count)
    ar_latency_s = _lookup(cal, "allreduce_latency_s", keys["link"])
    # attention efficiency per backend (flash-attention kernels or not); one value across build eras: an era
    # variant cannot be told apart from the era's prefill efficiency on the public data (it fits worse held out)
    attf = _lookup(cal, "attn_flop_factor", backend)
    # Batched MoE decode: each routed expert multiplies only its share of the batch (B x k / E rows) in a
    # grouped GEMM (B x k / touched experts rows each), far less efficient than a dense GEMM over all B rows
    # (the grouped-GEMM constants of prefill); expressed as equivalent parameters at the dense decode rate.
    m0 = _lookup(cal, "gemm_half_rows", backend)
    # The grouped-GEMM kernels are the GPU vendor's (CUDA vs ROCm/Vulkan mul_mat_id): one efficiency per gemm class.
    moe_eff = _lookup(cal, "moe_gemm_eff", keys["gemm"])
    dense_active = np.minimum(a["dense_params"], a["active"])
    # Tensor parallel slices every routed expert across the devices: each multiplies a 1/n-wide strip of the
    # expert's intermediate width (DeepSeek-V3 at TP 8: 256 of 2,048 columns), and a narrow GEMM runs further
    # from peak. Efficiency w / (w + w0) at strip width w, relative to the whole expert's (expert parallel, one
    # device and llama.cpp's layer split keep experts whole; a llama.cpp tensor row is taken as `-sm tensor`,
    # which splits the experts, not the deprecated `-sm row`, which splits only dense weights). The width is the
    # active expert parameters over k x layers x 3 x hidden (all layers counted: a few dense ones widen nothing).
    if np.any(a["tp_attn"] & (count > 1) & (a["ne"] > 0)):
        inter = np.maximum(a["active"] - dense_active, 0.0) / np.maximum(
            a["k"] * a["layers"] * 3.0 * a["hidden"], 1.0)
        w0 = cal.get("moe_half_width", "default")
        strip = inter / np.where(a["tp_attn"], np.maximum(count, 1.0), 1.0)
        moe_eff = moe_eff * np.where(a["ne"] > 0, strip / (strip + w0) * (inter + w0) / np.maximum(inter, 1e-9), 1.0)
    # llama.cpp decodes up to MMVQ_MAX_BATCH sequences with matrix-vector kernels (MMVQ: dp4a on the shader ALUs,
    # each sequence's dot products unpacking the weights again), larger batches with tensor-core MMQ tiles.
    mmvq = np.array([b == "llama.cpp" for b in backend[0]], dtype=bool)[backend[1]]
    any_mmvq = bool(mmvq.any())
    cls_names, cls_codes = cls
    metal = mmvq & np.array([c == "apple" for c in cls_names], dtype=bool)[cls_codes]
    any_metal = bool(metal.any())
    dq_vec = dq_per_byte / vec  # unpacking runs at the shader rate: decode_step's per-byte FLOPs at its tflops
    # llama.cpp's tensor split (-sm row) is no all-reduce: every split matrix product copies its F32 input from the
    # main GPU to each other GPU and their F32 results back. The main GPU's link carries (n - 1) input copies out
    # (results come in the other direction), and each product waits for two transfers (link latency). No fitted
    # constant: the link bandwidth and latency are the catalog's and the all-reduce's.
    row_split = mmvq & a["tp_attn"] & (count > 1) if any_mmvq else np.zeros(np.shape(count), bool)
    rs_token_s: np.ndarray | float = 0.0
    rs_step_s: np.ndarray | float = 0.0
    b1 = np.maximum(batch, 1.0)
    dec_link_gbs, dec_latency_s = ar_link_gbs, ar_latency_s
    if np.any(row_split):  # a sweep of layer splits or serving engines skips this
        peers = np.maximum(count - 1.0, 0.0)
        rs_token_s = np.where(row_split, 4.0 * np.maximum(peers * a["rs_in"], peers / np.maximum(count, 1.0) * a["rs_out"])
                              * a["layers"] / (np.maximum(a["link"], 1e-3) * 1e9), 0.0)
        rs_step_s = np.where(row_split, 2.0 * a["rs_mm"] * a["layers"] * ar_latency_s, 0.0)
        # decode_step charges link time as 2 x layers x (latency + activations / link): the copies go in as that
        # latency (the step then reads as interconnect-bound), with no activations over a link this wide
        dec_link_gbs = np.where(row_split, 1e12, ar_link_gbs)
        dec_latency_s = np.where(row_split, (rs_step_s + rs_token_s * b1) / np.maximum(2.0 * a["layers"], 1.0), ar_latency_s)
    expert_all = np.maximum(a["active"] - dense_active, 0.0)

    def step_args(bb: np.ndarray, rows: np.ndarray | slice = slice(None)) -> dict[str, np.ndarray]:
        """decode_step's batch-dependent arguments at decode batch ``bb`` for the setups ``rows``."""
        ne, k, b = a["ne"][rows], a["k"][rows], np.maximum(bb, 1.0)
        small = mmvq[rows] & (b <= MMVQ_MAX_BATCH) if any_mmvq else np.zeros(np.shape(b), bool)
        t_dec = np.where(small, vec[rows], tfl[rows]) if any_mmvq else tfl[rows]
        touched = experts_touched(ne, k, b)
        m_dec = np.where(ne > 0, b * k / np.maximum(touched, 1e-3), 1.0)  # rows per touched expert
        expert_rel = np.where(ne > 0, (m_dec + m0[rows]) / m_dec * b / (b + m0[rows]) / moe_eff[rows], 1.0)
        # Metal mul_mm: the dense weights' GEMMs run on whole 32-column tiles (expressed as more parameters)
        dense_rel = np.where(metal[rows] & ~small, np.ceil(b / METAL_MM_TILE) * METAL_MM_TILE / b, 1.0) \
            if any_metal else 1.0
        return {"batch": bb, "kv_bytes_read": kv_seq[rows] * bb,
                "active_params": dense_active[rows] * dense_rel + expert_all[rows] * expert_rel,
                "pipeline_streams": np.where(a["serving"][rows] & ~tp[rows] & (count[rows] > 1),
                                             np.minimum(count[rows], bb), 1.0),
                "attn_flops": bb * attn_flops(a["attn"][rows], a["attn_c"][rows], a["attn_cap"][rows],
                                              depth[rows]) * attf[rows],
                "touched_experts": touched,
                # MMVQ does not hide the extra sequences' arithmetic behind the weight reads: the step grows by a
                # fixed cost a sequence from batch 1 on (llama-batched-bench, Qwen2.5-7B Q8_0 at depth 512: DGX
                # Spark +1.4-2.5 ms a sequence on a 34 ms step, M2 Ultra +1.8-2.7 ms on a 13 ms one)
                "serial_compute_share": np.where(small, (b - 1.0) / b, 0.0) if any_mmvq else 0.0,
                "tflops": t_dec,
                # dequantisation runs at the shader rate (decode_step divides by t_dec), once a step, or once
                # per sequence in MMVQ
                "dequant_flops_per_byte": dq_vec[rows] * t_dec * np.where(small, b, 1.0) if any_mmvq
                else dq_vec[rows] * t_dec}

    fixed_args = dict(
        dense_bytes=np.maximum(a["dense"] - a["emb"], 0.0), expert_bytes=a["expert"], n_experts=a["ne"],
        experts_per_token=a["k"], read_factor=read_factor,
        kv_read_factor=_lookup(cal, "kv_read_factor", backend), bw_gbs=bw, bw_eff=bw_eff,
        compute_eff=dce, count=count, tensor_parallel=tp, num_layers=a["layers"],
        hidden_size=a["hidden"], link_gbs=dec_link_gbs, allreduce_latency_s=dec_latency_s,
        layer_hop_s=hop, step_overhead_s=ovh, experts_on_host=on_host, host_bw_gbs=a["host_bw"],
        host_bw_eff=host_eff, overlap_loss=_lookup(cal, "overlap_loss", backend),
        seq_overhead_s=_lookup(cal, "seq_overhead_s", keys["seq"]))
    times = decode_step(**fixed_args, **step_args(batch))
    tg_user = 1.0 / times.step_s
    tg = tg_user * batch
    # A burst of `batch` requests with ragged output lengths (ShareGPT-like) finishes in a tail at shrinking
    # batch: output tokens over the makespan (serving.ragged_decode_rate), not the steady rate at full batch.
    serving_tg = tg
    ragged = a.get("ragged")
    if ragged is not None and np.any(ragged):
        idx = np.flatnonzero(ragged)
        grid = ragged_tail_batches(batch[idx])  # (points, rows)
        rows = np.tile(idx, grid.shape[0])  # every grid point of the ragged rows in one decode_step call
        sub = {k: v[rows] if np.ndim(v) else v for k, v in fixed_args.items()}
        steps = decode_step(**sub, **step_args(grid.ravel(), rows)).step_s.reshape(grid.shape)
        serving_tg = tg.copy()
        serving_tg[idx] = ragged_decode_rate(batch[idx], grid, steps, np.maximum(a["num_prompts"][idx] - batch[idx], 0.0))
    # Offloaded experts are computed by the CPU during prefill too (their share of the active FLOPs).
    host_flops = np.where(on_host, 2.0 * np.maximum(a["active"] - dense_active, 0.0), 0.0)
    weight_read = np.where(on_host, a["dense"], a["dense"] + a["expert"]) * read_factor
    # Prefill all-reduces: tensor parallel only (expert parallel keeps attention data-parallel)
    pf_link_gbs = np.where(a["tp_attn"] & ~row_split, ar_link_gbs, 1e12)
    pf_latency_s = np.where(a["tp_attn"] & ~row_split, ar_latency_s, 0.0)
    # GEMM efficiency falls with the rows per GEMM: a micro-batch of m tokens reaches m / (m + m0) of the
    # backend's large-GEMM efficiency. MoE: attention, shared expert and other dense weights see all m rows;
    # each routed expert only its m x k / E share, in a grouped GEMM (moe_gemm_eff of a dense one). The FLOPs
    # are weighted by 1 / efficiency (equivalent parameters at the large-GEMM rate).
    m = np.minimum(np.maximum(prompt, 1.0), np.where(a["serving"], SERVING_PREFILL_CHUNK, a["ubatch"]))
    m_expert = np.maximum(m * a["k"] / np.maximum(a["ne"], 1.0), 1e-3)
    # The weights stream from memory once per micro-batch: a prompt in micro-batches of m tokens reads them
    # ceil(p / m) times, a MoE micro-batch only the experts its m x k routings touch (llama.cpp -ub 1-8 prefills
    # at about the decode rate: the weight reads bound it, not the GEMMs)
    reads = np.ceil(np.maximum(prompt, 1.0) / m)
    pf_weight_read = weight_read * reads
    # only MoE micro-batches of a few tokens leave experts untouched ((1 - k / E)^m vanishes beyond m k / E ~ 30)
    few = np.flatnonzero((a["ne"] > 0) & ~on_host & (m * a["k"] < 30.0 * a["ne"]))
    if few.size:
        ne_f = a["ne"][few]
        untouched = 1.0 - experts_touched(ne_f, a["k"][few], m[few]) / ne_f
        pf_weight_read[few] -= a["expert"][few] * untouched * np.broadcast_to(read_factor, m.shape)[few] * reads[few]
    expert_active = np.where(on_host, 0.0, np.maximum(a["active"] - dense_active, 0.0))
    gemm_params = dense_active * (m + m0) / m + np.where(
        a["ne"] > 0, expert_active * (m_expert + m0) / m_expert / moe_eff, 0.0)
    # MMQ unpacking per micro-batch: the dense weights once per tile of token rows, every expert the micro-batch
    # touches once per tile of its rows (an expert's few rows still unpack its whole tile); Metal's mul_mm tiles
    # are 32 columns wide
    dequant_s: np.ndarray | float = 0.0
    if any_mmvq:
        tile = np.where(metal, METAL_MM_TILE, MMQ_TILE_TOKENS) if any_metal else MMQ_TILE_TOKENS
        touched_pf = experts_touched(a["ne"], a["k"], m) / np.maximum(a["k"], 1.0)
        unpacked = dense_active * np.ceil(m / tile) + np.where(
            a["ne"] > 0, expert_active * touched_pf * np.ceil(m_expert / tile), 0.0)
        dequant_s = np.where(mmvq, np.maximum(prompt, 1.0) / m * unpacked * dq_per_weight / (vec * 1e12), 0.0)
    pref = _lookup(cal, "prefill_eff", kernels) * _lookup(cal, "prefill_dev", cls)
    pref = pref / (1.0 + np.where(a["blockq"] > 0, _lookup(cal, "prefill_quant_penalty", backend), 0.0))
    # Board power caps sustained tensor throughput: rate = 1 / (1 / (tflops x pref) + 1 / (k x tdp_w x r)), k in
    # FP16-equivalent TFLOPS per watt (per engine class) and r = the GEMM format's rate over the FP16 rate (an
    # FP8 multiply-add costs about half the energy of an FP16 one, an FP4 one a quarter; a GeForce card lists
    # FP4 at 8x its FP32-accumulate FP16 rate, and the energy ratio stays 4)
    fp16_equiv = np.minimum(tfl / attn_tfl, 4.0)
    pref = pref / (1.0 + tfl * pref / (_lookup(cal, "prefill_tflops_per_w", kernels) * a["tdp"] * fp16_equiv))
    # Weight-only engines launch every layer's kernels once per prompt micro-batch: a latency floor per layer
    # and micro-batch (serving engines prefill chunks of thousands of tokens; their step overhead covers it)
    micro = np.ceil(np.maximum(prompt, 1.0) / a["ubatch"])
    pf_ovh = ovh + np.where(a["serving"], 0.0, micro * a["layers"] * cal.get("prefill_layer_s", "default")) \
        + rs_token_s * np.maximum(prompt, 1.0) + rs_step_s * micro
    pp_time = prefill_time(
        prompt_tokens=prompt, active_params=gemm_params,
        attn_flops_prompt=np.maximum(prompt, 1.0) * attn_flops(a["attn"], a["attn_c"], a["attn_cap"],
                                                               a["context_depth"] + np.maximum(prompt, 1.0) / 2.0),
        attn_flop_factor=attf, tflops=tfl, attn_tflops=attn_tfl,
        prefill_eff=pref, dequant_s=dequant_s,
        weight_bytes=pf_weight_read, bw_gbs=bw, bw_eff=bw_eff, count=count, tensor_parallel=tp,
        # only llama.cpp (the mmvq rows) pipelines a prompt's micro-batches over a layer split (ggml's scheduler
        # keeps several in flight); ExLlamaV2, MLX and ktransformers run the devices one after the other
        pipeline_ubatch=np.where(mmvq, a["ubatch"], 1e9), layer_hop_s=hop,
        pipeline_batch=np.maximum(PREFILL_BATCH_TOKENS, a["ubatch"]),
        host_flops=host_flops, host_tflops=a["host_tfl"] * cal.get("host_compute_eff", "default"), overhead_s=pf_ovh,
        num_layers=a["layers"], hidden_size=a["hidden"], link_gbs=pf_link_gbs, allreduce_latency_s=pf_latency_s)
    pp = np.maximum(prompt, 1.0) / pp_time
    ttft = pp_time + times.step_s
    # Serving engines report output tokens over wall time: each request's prefill takes its share. Under load
    # they prefill the prompts of several requests in one chunk (chunked prefill, SERVING_PREFILL_CHUNK tokens
    # a step): the weights are read and the step overhead paid once per chunk, the GEMMs run on the chunk's
    # rows, and each prompt attends only to itself.
    serving_pp = pp
    if np.any(a["serving"]):  # the sweep of a weight-only engine skips this
        p1 = np.maximum(prompt, 1.0)
        # Expert parallel keeps attention data-parallel: every rank schedules its own chunk (SGLang/vLLM DP
        # attention), and the routed experts see all the ranks' tokens
        ranks = np.where(a["tp"] & ~a["tp_attn"], count, 1.0)
        chunk = np.where(a["serving"], np.maximum(np.minimum(b1 * p1, SERVING_PREFILL_CHUNK * ranks), p1), p1)
        m_c = np.minimum(chunk / ranks, SERVING_PREFILL_CHUNK)
        m_ce = np.maximum(np.minimum(chunk, SERVING_PREFILL_CHUNK * ranks) * a["k"] / np.maximum(a["ne"], 1.0), 1e-3)
        gemm_chunk = dense_active * (m_c + m0) / m_c + np.where(a["ne"] > 0, expert_active * (m_ce + m0) / m_ce / moe_eff,
                                                                0.0)
        chunk_time = prefill_time(
            prompt_tokens=chunk, active_params=gemm_chunk,
            attn_flops_prompt=chunk * attn_flops(a["attn"], a["attn_c"], a["attn_cap"], a["context_depth"] + p1 / 2.0),
            attn_flop_factor=attf, tflops=tfl, attn_tflops=attn_tfl, prefill_eff=pref, weight_bytes=weight_read,
            bw_gbs=bw, bw_eff=bw_eff, count=count, tensor_parallel=tp, pipeline_ubatch=1e9, layer_hop_s=hop,
            host_flops=host_flops, host_tflops=a["host_tfl"] * cal.get("host_compute_eff", "default"), overhead_s=ovh,
            num_layers=a["layers"], hidden_size=a["hidden"], link_gbs=pf_link_gbs, allreduce_latency_s=pf_latency_s)
        serving_pp = np.where(a["serving"], chunk / chunk_time, pp)
    serving_rate = serving_output_rate(serving_tg, serving_pp, prompt, gen)
    lim = _LIMITS_ARR[np.atleast_1d(limiting_factor(times))] if detail else np.full(np.shape(tg), None, object)
    busy = np.clip(times.compute_s / np.maximum(times.memory_s, 1e-12), 0, 1)
    # The host draws its load power only for the share of a step its CPU works (offloaded experts, in series
    # with the accelerators, which idle meanwhile; all of a cpu_only run on an accelerator box). Feeding the
    # accelerators keeps it near idle: an RTX 4090 desktop decoding an 8B model reads 279 W at the wall
    # (geerlingguy/ai-benchmarks#43).
    host_run = cpu_only & ~dev_cpu
    host_busy = np.where(host_run, 1.0, np.clip(times.host_s / np.maximum(times.step_s, 1e-12), 0, 1))
    dev_share = (1.0 - host_busy) * (DECODE_POWER_SHARE + (1 - DECODE_POWER_SHARE) * busy)
    f = prep.fit
    return Results(
        fits=f["fits"].astype(bool), weights_gb=f["weights_gb"], kv_bytes_per_token=f["kv_bytes_per_token"],
        kv_gb=f["kv_gb"], overhead_gb=f["overhead_gb"], total_gb=f["total_gb"], usable_gb=f["usable_gb"],
        host_gb=f["host_gb"], max_context_tokens=f["max_context_tokens"].astype(np.int64), pp_tok_s=pp,
        tg_tok_s=tg, tg_tok_s_per_user=tg_user, serving_tok_s=serving_rate, batch_pp_tok_s=serving_pp, ttft_s=ttft,
        tg_band=_bands(cal, "tg", prep.cat_idx) * tg[:, None] if detail else np.full((tg.size, 2), np.nan),
        pp_band=_bands(cal, "pp", prep.cat_idx) * pp[:, None] if detail else np.full((pp.size, 2), np.nan),
        limiting=lim, load_power_w=count * (a["idle"] + (a["tdp"] - a["idle"]) * dev_share)
        + a["host_idle"] + (a["host_load"] - a["host_idle"]) * host_busy,
        idle_power_w=count * a["idle"] + a["host_idle"], reasons=prep.reasons, categories=prep.categories,
        pp_unpack_s=np.broadcast_to(np.asarray(dequant_s, dtype=float), pp.shape) if detail else None)


def evaluate(setups: Sequence[Setup], calibration: Calibration | None = None, *,
             decode_depth: Sequence[float] | None = None, validate_inputs: bool = True) -> Results:
    """Fit and speed of every setup (prepare + compute)."""
    return compute(prepare(setups, decode_depth=decode_depth, validate_inputs=validate_inputs), calibration)


@dataclass(frozen=True)
class SweepResult:
    """A flattened grid: index arrays into the inputs plus result columns (all length n)."""

    device_idx: np.ndarray
    count: np.ndarray
    mq_idx: np.ndarray  # index into model_quants
    context_tokens: np.ndarray
    batch: np.ndarray
    fits: np.ndarray
    total_gb: np.ndarray
    usable_gb: np.ndarray
    max_context_tokens: np.ndarray
    tg_tok_s: np.ndarray
    tg_tok_s_per_user: np.ndarray
    pp_tok_s: np.ndarray
    ttft_s: np.ndarray
    load_power_w: np.ndarray
    completed: bool  # False when the progress callback cancelled


def sweep(devices: Sequence[Device], counts: Sequence[int], model_quants: Sequence[tuple[ModelArch, Quant]],
          contexts: Sequence[int], batches: Sequence[int], *, backend: str = "llama.cpp", parallel: str = "layer",
          kv_dtype: str = "f16", prompt_tokens: int = 512, gen_tokens: int = 128, host: Host | None = None,
          calibration: Calibration | None = None, progress_callback: ProgressCallback | None = None,
          chunk: int = 32_768, build: str = "current") -> SweepResult:
    """Every device x count x (model, quant) x context x batch, with the formulas of `estimate` (offload none).

    Rows are computed in chunks of ``chunk`` (32,768: each column array then stays in the CPU cache, ~25 %
    faster than 262,144). ``progress_callback(fraction, stage)`` is called after each chunk (advisor.progress); raising Cancelled
    from it stops the sweep: the result then holds the rows done so far and ``completed`` is False. ``parallel`` applies where count > 1.
    """
    cal = calibration or load_calibration()
    h = host or _DEFAULT_HOST
    shape = (len(devices), len(counts), len(model_quants), len(contexts), len(batches))
    total = int(np.prod(shape))
    mq = np.array([mq_terms(m, q, kv_dtype) for m, q in model_quants], dtype=float).reshape(len(model_quants), -1)
    dv = np.array([[dev_terms(d, q, backend, h, d.kind == "cpu") for _, q in model_quants] for d in devices],
                  dtype=float).reshape(len(devices), len(model_quants), -1)
    is_cpu = np.array([d.kind == "cpu" for d in devices])
    cls_codes = _codes([device_class(d) for d in devices])
    link_codes = _codes([d.link for d in devices])
    arch_codes = _codes([m.attention_kind for m, _ in model_quants])
    gemm_codes = _codes([gemm_class(d) for d in devices])
    is_moe = np.array([m.is_moe or m.active_params_b < 0.9 * m.total_params_b for m, _ in model_quants])
    cls_cat = np.array([CATEGORY_ORDER.index({"amd": "AMD", "apple": "Apple"}.get(device_class(d), "single GPU"))
                        for d in devices])
    counts_a, ctx_a, batch_a = (np.asarray(x, dtype=float) for x in (counts, contexts, batches))
    out: dict[str, np.ndarray] = {}
    done = 0
    completed = True
    mq_cols = [np.ascontiguousarray(mq[:, j]) for j in range(len(_MQ_COLS))]
    dv_flat = dv.reshape(len(devices) * len(model_quants), -1)
    dv_cols = [np.ascontiguousarray(dv_flat[:, j]) for j in range(len(_DEV_COLS))]
    for start in range(0, total, chunk):
        di, ci, mi, xi, bi = np.unravel_index(np.arange(start, min(start + chunk, total)), shape)
        n = di.size
        # gather each column from a contiguous copy with a flat index (np.take): ~3x cheaper than 2-D fancy indexing
        flat = di * len(model_quants) + mi
        a = {name: mq_cols[j].take(mi) for j, name in enumerate(_MQ_COLS)}
        a.update({name: dv_cols[j].take(flat) for j, name in enumerate(_DEV_COLS)})
        cnt, ctx, b = counts_a[ci], ctx_a[xi], batch_a[bi]
        a.update(count=cnt, batch=b, prompt_tokens=np.full(n, float(prompt_tokens)),
                 gen_tokens=np.full(n, float(gen_tokens)), context_depth=np.zeros(n),
                 ubatch=np.full(n, float(PREFILL_UBATCH_TOKENS)),
                 tp=(cnt > 1) & (parallel in ("tensor", "expert")), tp_attn=(cnt > 1) & (parallel == "tensor"), serving=np.full(n, backend in SERVING_BACKENDS),
                 on_host=np.zeros(n, bool), cpu_only=is_cpu[di], dev_cpu=is_cpu[di],
                 depth=np.full(n, prompt_tokens + gen_tokens / 2.0))
        fit = _fit(a, ctx)
        cat = np.where(cnt > 1, np.where(a["tp"], 1, 2), np.where(b > 1, 3, np.where(is_moe[mi], 4, cls_cat[di])))
        prep = Prepared(a, {"cls": (cls_codes[0], cls_codes[1][di]), "backend": ([backend], np.zeros(n, np.int64)),
                            "link": (link_codes[0], link_codes[1][di]),
                            "era": ([era_class(backend, build)], np.zeros(n, np.int64)),
                            "arch": (arch_codes[0], arch_codes[1][mi]),
                            "gemm": (gemm_codes[0], gemm_codes[1][di]),
                            "seq": ([seq_overhead_class(backend, "online")], np.zeros(n, np.int64))}, fit, cat, [], [])
        r = compute(prep, cal, detail=False)
        part = {"device_idx": di, "count": cnt.astype(np.int64), "mq_idx": mi, "context_tokens": ctx,
                "batch": b, "fits": r.fits, "total_gb": r.total_gb, "usable_gb": r.usable_gb,
                "max_context_tokens": r.max_context_tokens, "tg_tok_s": r.tg_tok_s,
                "tg_tok_s_per_user": r.tg_tok_s_per_user, "pp_tok_s": r.pp_tok_s, "ttft_s": r.ttft_s,
                "load_power_w": r.load_power_w}
        if not out:  # one output array per column, filled chunk by chunk (no concatenation at the end)
            out.update({k: np.empty(total, dtype=np.asarray(v).dtype) for k, v in part.items()})
        for k, v in part.items():
            out[k][start:start + n] = v
        done = start + n
        if progress_callback is not None:
            try:
                progress_callback(min(start + chunk, total) / total, f"{min(start + chunk, total):,} of {total:,}")
            except Cancelled:
                completed = False
                break
    cols = {k: out[k][:done] if out else np.zeros(0) for k in
            ("device_idx", "count", "mq_idx", "context_tokens", "batch", "fits", "total_gb", "usable_gb",
             "max_context_tokens", "tg_tok_s", "tg_tok_s_per_user", "pp_tok_s", "ttft_s", "load_power_w")}
    return SweepResult(**cols, completed=completed)
