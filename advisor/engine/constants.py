"""The few efficiency constants of the performance model, their defaults, and the calibrated values.

Constants are a flat ``{name: value}`` mapping so the calibration can fit them as one vector. Names are
``<what>.<class>``; a lookup falls back from the specific class to ``<what>.default``. The classes are the
device classes of `device_class` (nvidia, amd, apple, apu, cpu) and the backends of
`advisor.engine.types.BACKENDS`. The calibrated values live in ``resources/calibration.json`` (written by
`python main.py calibrate`); the defaults below are physically plausible starting points used when that file
is missing or unreadable, so the engine always answers.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from advisor.engine.types import Device
from advisor.paths import resources_dir

# Memory the driver/OS keeps on a discrete GPU whatever we do (display, CUDA/ROCm context) [GB].
DISCRETE_RESERVE_GB = 0.5
# Share of host RAM the OS and other programs leave to an offloaded model [fraction].
HOST_RAM_USABLE_SHARE = 0.9
# llama.cpp default micro-batch for prompt processing [tokens]; pipeline (layer split) prefill works per ubatch.
PREFILL_UBATCH_TOKENS = 512
# llama.cpp default logical batch (-b) [tokens]: a layer split pipelines the micro-batches of one batch only.
PREFILL_BATCH_TOKENS = 2048
# Runtime overhead per device: a fixed context + compute buffers that grow with the logits/activations of one
# micro-batch and with the attention scratch of the context [GB]. Measured llama.cpp CUDA buffers for an 8B
# model at 8k context are ~0.3 GB compute + ~0.3-0.5 GB context; vLLM/TRT-LLM additionally keep CUDA graphs.
OVERHEAD_BASE_GB = {"gpu": 0.6, "apple": 0.3, "apu": 0.4, "cpu": 0.1}
OVERHEAD_SERVER_EXTRA_GB = 1.5  # vLLM/SGLang/TRT-LLM: CUDA graphs, NCCL buffers, sampler workspace
# Most sequences an engine schedules at once when a benchmark runs at "max load" (empty batch) [sequences]:
# llama-server slots, vLLM/SGLang max_num_seqs (V1 defaults on datacenter GPUs), TensorRT-LLM max_batch_size.
MAX_LOAD_BATCH_CAP = {"llama.cpp": 64, "vllm": 1024, "sglang": 1024, "tensorrt-llm": 2048, "default": 256}

SERVING_BACKENDS = ("vllm", "sglang", "tensorrt-llm")
SERVING_CLASS = "serving"  # constant-name class shared by the SERVING_BACKENDS (e.g. prefill_eff.serving)
# TensorRT-LLM compiles its engines with NVIDIA's fused GEMM and attention kernels; held out, its offline and
# MLPerf runs came out at 0.7-0.8x of measured with vLLM's and SGLang's efficiencies. Its GEMM constants
# (decode_compute_eff, prefill_eff, prefill_tflops_per_w) are its own; its other constants are the serving class's.
OWN_KERNEL_BACKENDS = ("tensorrt-llm",)


def kernel_class(backend: str) -> str:
    """The class of a backend's GEMM constants (decode_compute_eff, prefill_eff, prefill_tflops_per_w): its own
    (TensorRT-LLM), the serving class (vLLM, SGLang), else the backend (an era class "llama.cpp@2024" as it is).

    >>> kernel_class("tensorrt-llm"), kernel_class("vllm"), kernel_class("llama.cpp@2024")
    ('tensorrt-llm', 'serving', 'llama.cpp@2024')
    """
    if backend in OWN_KERNEL_BACKENDS:
        return backend
    return SERVING_CLASS if backend in SERVING_BACKENDS else backend

DEFAULT_CONSTANTS: dict[str, float] = {
    # achievable share of peak memory bandwidth for streaming weights (decode) [fraction]
    "bw_eff.nvidia": 0.85,
    "bw_eff.amd": 0.70,
    "bw_eff.apple": 0.80,
    "bw_eff.apu": 0.75,
    "bw_eff.cpu": 0.50,  # CPU-only decode: llama.cpp on server/desktop CPUs reaches ~45-60 % of peak DRAM
    "bw_eff.default": 0.75,
    # extra cost of block-quantised weights (dequantisation) relative to plain float reads: the time to read
    # a quantised weight byte is multiplied by (1 + quant_penalty x (16 / bpw - 1) / 3) [dimensionless]
    "quant_penalty.default": 0.25,
    # ALU operations to unpack one block-quantised weight, per unit of (16 / bpw - 1) [ops]: Q4_0 (4.5 bpw)
    # ~2.5 ops (shift, mask, scale), IQ2 codebooks (2.06 bpw) ~7; run at the device's listed TFLOPS per step
    "dequant_ops.default": 1.0,
    # fixed host-side cost of one decode step (sampling, sync) [s]; current llama.cpp: fixed (FIXED_CONSTANTS)
    "step_overhead_s.default": 0.0003,
    "step_overhead_s.llama.cpp": 0.0003,
    "step_overhead_s.llama.cpp@2024": 0.0003,
    # host-side cost per running sequence of one decode step (scheduling, input preparation, sampling,
    # detokenisation, streaming each token to its client) [s]: vLLM and SGLang run it in Python (default, fitted),
    # and so does TensorRT-LLM served through its API server (sweep.seq_overhead_class); TensorRT-LLM's offline
    # trtllm-bench runs it in its C++ executor, overlapped with the GPU step (fixed 0, not fitted); llama.cpp
    # samples each sequence on the CPU (fitted).
    "seq_overhead_s.default": 0.000005,
    "seq_overhead_s.tensorrt-llm": 0.0,
    "seq_overhead_s.llama.cpp": 0.000005,
    # host-side cost per layer of one decode step (kernel launches without graphs) [s]; current llama.cpp
    # replays a CUDA graph: ~10 kernels a layer with ~1.5 us gaps (fixed, FIXED_CONSTANTS)
    "layer_overhead_s.llama.cpp": 0.000015,
    # 2023-2024 llama.cpp builds (advisor.engine.build): kernels launched one by one from the CPU
    "layer_overhead_s.llama.cpp@2024": 0.0001,
    "layer_overhead_s.ktransformers": 0.0002,
    "layer_overhead_s.default": 0.00002,
    # latency floor of one layer's kernels in one prompt micro-batch of a weight-only engine [s]: llama.cpp
    # runs each -ub micro-batch as a graph of ~15-20 kernels a layer launched one by one (no CUDA graph for
    # prompts), each with a launch and ramp-up/tail floor whatever the card; paid once per micro-batch, so it
    # weighs on short prompts and fast cards (SpareCores' llama-bench runs: a 7B model's pp16 takes 11-13 ms on
    # an A100 and on an L40S alike, ~0.3-0.4 ms a layer). Serving engines prefill chunks of thousands of tokens.
    # Fixed (FIXED_CONSTANTS) at ~15 kernels x ~5 us of launch each: fitted free it came out 75 us with one power
    # cap for all engines, and 0 once the cap was split, trading against prefill_eff.llama.cpp at its bound.
    "prefill_layer_s.default": 0.000075,
    # kernels one layer launches per decode step relative to a dense GQA layer, per attention kind
    # [dimensionless]; DeepSeek V4 (dsv4) is fitted where its rows are present
    "layer_ops.default": 1.0,
    "layer_ops.dsv4": 2.0,
    # extra host/launch cost of an MoE layer over a dense one, in dense-layer units: routing (gate GEMM, top-k,
    # weight gather and normalisation) and expert GEMMs with their id bookkeeping are ~10 more kernels a layer
    # (llama.cpp discussion 15396: gpt-oss-20b decodes at 282 tok/s on an RTX 5090, 3.5 ms a token of which ~1.2
    # ms is reading the weights; Llama-2-7B's dense layers leave ~0.9 ms). Added to layer_ops where experts exist.
    "moe_layer_ops.default": 0.0,
    # per-layer host/latency cost of a device class relative to a discrete NVIDIA GPU [dimensionless]
    "layer_latency.default": 1.0,
    # GEMM rows at which prefill reaches half its large-GEMM efficiency [rows]
    "gemm_half_rows.default": 64.0,
    # intermediate columns per device at which a tensor-parallel strip of a routed expert runs at half the
    # efficiency of a whole expert's GEMM
    "moe_half_width.default": 1.0,
    # MoE prefill: the routed experts run as grouped GEMMs (one small GEMM per expert over its share of the
    # micro-batch, m x k / E rows, plus gather/scatter of the tokens); their efficiency relative to a dense
    # GEMM of the same rows [fraction]
    "moe_gemm_eff.default": 0.6,
    # cost of one pipeline hop between devices in a layer split [s]
    "layer_hop_s.default": 0.0003,
    # all-reduce latency of one tensor-parallel all-reduce [s]
    "allreduce_latency_s.default": 0.000015,
    # share of peak dense FP16/FP8 tensor rate reached by prefill GEMMs [fraction], per backend
    "prefill_eff.llama.cpp": 0.45,
    "prefill_eff.llama.cpp@2024": 0.45,  # before the int8 tensor-core MMQ kernels (June 2024)
    "prefill_eff.mlx": 0.55,
    "prefill_eff.serving": 0.7,
    "prefill_eff.tensorrt-llm": 0.8,
    "prefill_eff.default": 0.55,
    # Sustained tensor throughput is capped by board power: sustained clocks fall far below boost on a big chip,
    # so the GEMM rate is 1 / (1 / (peak x eff) + 1 / (k x tdp_w x r)) with k [FP16-equivalent TFLOPS per W]
    # and r the GEMM format's rate over the FP16 rate (FP8 2, FP4 4: an 8-bit multiply-add costs about half the
    # energy of a 16-bit one, so FP8 GEMMs reach ~2x the FP16 rate at the same power; TensorRT-LLM's FP8
    # first-token and offline tables, lmsys' FP8 DeepSeek prefill). It explains the XiongjieDai pp512 sweep
    # (RTX 3070 81 TFLOPS -> 2402 tok/s, RTX 4090 330 -> 7139, 300 W RTX 6000 Ada 364 -> slower than the 450 W
    # 4090), the 140 W DGX Spark, and H100 SXM (989 TFLOPS BF16 at 700 W) prefilling only ~1.6-1.9x as fast as
    # A100 (312 at 400 W) in the gpustack vLLM runs. Two values (fitted): the weight-only engines' MMQ kernels
    # (int8 tiles unpacked on the shader ALUs, llama.cpp) spend more energy per tensor operation than the serving
    # engines' cuBLAS/CUTLASS GEMMs on float weights. Default: H100 peak per watt.
    "prefill_tflops_per_w.default": 1.4,
    "prefill_tflops_per_w.serving": 1.4,
    "prefill_tflops_per_w.tensorrt-llm": 1.4,
    # prefill of block-quantised weights runs this much slower than of float weights (dequant in the GEMM)
    "prefill_quant_penalty.default": 0.2,
    # device-class multiplier on prefill efficiency (Apple figures are shader FP32 peaks) [dimensionless]
    "prefill_dev.apple": 1.4,
    "prefill_dev.default": 1.0,
    # attention FLOPs cost this many times a GEMM FLOP (no/old flash attention) [dimensionless]
    "attn_flop_factor.default": 4.0,
    # KV-cache bytes read in decode cost this many times a weight byte [dimensionless]
    "kv_read_factor.default": 2.0,
    # share of the shorter of memory/compute time of a decode step not hidden behind the longer [fraction]
    "overlap_loss.default": 0.0,
    # share of peak tensor rate reached by batched decode GEMMs [fraction]
    "decode_compute_eff.default": 0.5,
    "decode_compute_eff.tensorrt-llm": 0.5,
    # share of the listed peak tensor rate a device class's GEMM kernels reach relative to CUDA [dimensionless];
    # fixed, not fitted (few AMD rows): MI300X BF16/FP8 GEMMs measure ~47 % / ~42 % of peak vs ~72 % / ~68 %
    # on H100 (SemiAnalysis MI300X-vs-H100 GEMM sweeps, Dec 2024) -> ~0.65.
    "compute_dev.amd": 0.65,
    "compute_dev.default": 1.0,
    # achievable share of host RAM bandwidth for CPU expert matmuls [fraction]
    "host_bw_eff.default": 0.55,
    # share of the host's cpu_tflops reached by CPU expert GEMMs in prefill [fraction]
    "host_compute_eff.default": 0.5,
}

# Constants kept at their physical defaults even where rows of their class are present: the public rows
# cannot separate them from the class multipliers (layer_latency, layer_ops) and the fit trades them against
# those, which held out (leave-one-source-out) caps fast cards with a per-token overhead they do not show
# (llama.cpp CUDA scoreboard: RTX 5090 300 tok/s on Llama-2-7B Q4_0 = 3.3 ms a token, ~0.8 ms above its
# bandwidth time).
FIXED_CONSTANTS = ("layer_overhead_s.llama.cpp", "step_overhead_s.llama.cpp", "layer_hop_s.default",
                   "prefill_layer_s.default")

# Bounds for the fit: physically meaningful ranges [lower, upper].
CONSTANT_BOUNDS: dict[str, tuple[float, float]] = {
    "bw_eff": (0.3, 0.92),  # STREAM-like reads reach at most ~90 % of the DRAM peak
    "quant_penalty": (0.0, 3.0),
    "dequant_ops": (0.0, 50.0),
    "step_overhead_s": (0.0, 0.05),
    "seq_overhead_s": (0.0, 0.0001),  # <= 100 us a sequence a step (a Python API server at full load)
    "layer_hop_s": (0.0, 0.005),
    "layer_overhead_s": (0.0, 0.0005),
    "prefill_layer_s": (0.0, 0.002),
    "layer_ops": (1.0, 6.0),
    "moe_layer_ops": (0.0, 6.0),
    "layer_latency": (0.3, 10.0),
    "gemm_half_rows": (1.0, 1024.0),
    "moe_half_width": (1.0, 8192.0),
    "moe_gemm_eff": (0.1, 1.0),
    "allreduce_latency_s": (0.0, 0.00003),  # NCCL/RCCL small all-reduce over NVLink/IF: 5-30 us
    "prefill_eff": (0.05, 1.0),
    "prefill_dev": (0.2, 4.0),
    "prefill_tflops_per_w": (0.05, 1.0e3),  # 1e5: no ceiling in practice
    "prefill_quant_penalty": (0.0, 2.0),
    "attn_flop_factor": (1.0, 30.0),
    "kv_read_factor": (1.0, 10.0),
    "decode_compute_eff": (0.05, 0.6),
    "overlap_loss": (0.0, 0.5),
    "host_bw_eff": (0.1, 1.0),
    "compute_dev": (0.2, 1.5),
    "host_compute_eff": (0.05, 5.0),
}


@dataclass(frozen=True)
class Calibration:
    """Fitted constants plus the residual quantiles used for p10-p90 bands (ratios measured / predicted)."""

    constants: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_CONSTANTS))
    # category -> (p10, p90) of measured/predicted for decode and prefill
    tg_band: dict[str, tuple[float, float]] = field(default_factory=dict)
    pp_band: dict[str, tuple[float, float]] = field(default_factory=dict)
    dataset_sha256: str = ""

    def get(self, what: str, cls: str) -> float:
        """The constant ``what`` for class ``cls`` (an era class "llama.cpp@2024" falls back to "llama.cpp"; then
        ``what.default``, then the built-in default)."""
        keys = (f"{what}.{cls}", f"{what}.{cls.split('@')[0]}", f"{what}.default") if "@" in cls else \
            (f"{what}.{cls}", f"{what}.default")
        for table in (self.constants, DEFAULT_CONSTANTS):
            for key in keys:
                if key in table:
                    return table[key]
        raise KeyError(what)

    def band(self, kind: str, category: str) -> tuple[float, float]:
        """p10/p90 ratio band for ``kind`` ('tg' or 'pp') in ``category`` (falls back to 'all', then +-25 %)."""
        bands = self.tg_band if kind == "tg" else self.pp_band
        low, high = bands.get(category) or bands.get("all") or (0.8, 1.2)
        # a category the model misses one way still brackets its own estimate
        return min(low, 1.0), max(high, 1.0)


def device_class(device: Device) -> str:
    """nvidia | amd | intel | apple | apu | cpu: the class whose efficiency constants apply to ``device``."""
    if device.kind == "cpu":
        return "cpu"
    if device.kind == "apple" or device.vendor.lower() == "apple":
        return "apple"
    vendor = device.vendor.lower()
    # An NVIDIA APU (DGX Spark's GB10) runs the CUDA stack of the discrete cards (kernel launch latency, memory
    # efficiency of the same drivers); "apu" holds the ROCm/Vulkan APUs (Strix Halo).
    if device.kind == "apu" and vendor != "nvidia":
        return "apu"
    return vendor if vendor in ("amd", "intel") else "nvidia"


def gemm_class(device: Device) -> str:
    """The class whose GEMM-efficiency constant (compute_dev) applies: the GPU vendor for AMD parts of any kind
    (Radeon, Instinct, Ryzen AI APUs: ROCm/Vulkan kernels), else `device_class`."""
    if device.kind != "cpu" and device.vendor.lower() == "amd":
        return "amd"
    return device_class(device)


def calibration_path() -> Path:
    return resources_dir() / "calibration.json"


def calibration_from_dict(data: dict) -> Calibration:
    """Build a Calibration from the JSON written by `advisor.engine.calibration` (ignores unknown keys)."""
    constants = dict(DEFAULT_CONSTANTS)
    for key, value in (data.get("constants") or {}).items():
        if isinstance(value, int | float) and math.isfinite(value):
            constants[str(key)] = float(value)
    tg = {k: (float(v[0]), float(v[1])) for k, v in (data.get("bands", {}).get("tg") or {}).items()}
    pp = {k: (float(v[0]), float(v[1])) for k, v in (data.get("bands", {}).get("pp") or {}).items()}
    return Calibration(constants=constants, tg_band=tg, pp_band=pp, dataset_sha256=str(data.get("dataset_sha256", "")))


@lru_cache(maxsize=4)
def _load(path_str: str, mtime: float) -> Calibration:
    try:
        data = json.loads(Path(path_str).read_text(encoding="utf-8"))
        return calibration_from_dict(data)
    except (OSError, ValueError, TypeError, AttributeError, IndexError):
        return Calibration()


def load_calibration(path: Path | None = None) -> Calibration:
    """The shipped calibration (resources/calibration.json), or the defaults if it is missing/unreadable."""
    p = path or calibration_path()
    try:
        mtime = p.stat().st_mtime
    except OSError:
        return Calibration()
    return _load(str(p), mtime)
