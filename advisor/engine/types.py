"""Plain, frozen inputs and outputs of the engine. No database, no Qt.

Units are in the names: GB = 10^9 bytes, GB/s, TFLOPS (10^12 FLOP/s), W, USD. Catalog rows become these
dataclasses in exactly one place (`advisor.catalog.convert`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from advisor.engine.assumptions import Finance, Workload  # noqa: F401  (declared there, used everywhere)

# Bytes per cached element for each KV-cache dtype (llama.cpp block formats include their scales).
KV_DTYPE_BYTES: dict[str, float] = {"f16": 2.0, "bf16": 2.0, "q8_0": 1.0625, "q4_0": 0.5625, "fp8": 1.0}

DEVICE_KINDS = ("gpu", "apple", "apu", "cpu")
ATTENTION_KINDS = ("gqa", "mla", "dsv4", "opaque")
BACKENDS = ("llama.cpp", "vllm", "sglang", "tensorrt-llm", "exllamav2", "mlx", "ktransformers")
# Backend build eras an estimate can stand for (advisor.engine.build): "current" = 2025-2026 releases (default),
# "2024" = builds of 2023-2024 (llama.cpp before CUDA graphs / fused ops were routine: more host time per layer;
# on AMD GPUs, llama.cpp builds before the matrix-core prompt kernels of November 2025).
BUILDS = ("current", "2024")
# How a serving engine's speed was or will be measured: "online" = through its API server (per-token streaming and
# detokenisation in the server process), "offline" = an engine-throughput run without a server (trtllm-bench).
HARNESSES = ("online", "offline")
PARALLEL_MODES = ("none", "layer", "tensor", "expert")
OFFLOAD_MODES = ("none", "experts_cpu", "cpu_only")
LINK_KINDS = ("none", "pcie3", "pcie4", "pcie5", "nvlink", "infinity_fabric", "ethernet", "thunderbolt")


@dataclass(frozen=True)
class Device:
    """One accelerator (GPU, Apple SoC, APU) or a CPU socket used as the compute device.

    fp16_tflops is the usable dense FP16/BF16 tensor rate [TFLOPS]: GeForce cards use the FP32-accumulate rate,
    Apple the GPU's FP32 shader rate. fp32_tflops is the shader ALUs' FP32 rate (no tensor cores), which
    dequantisation and llama.cpp's matrix-vector decode kernels run at. memory_gb is the capacity [GB]; for unified memory, gpu_memory_share is the
    fraction the OS lets the GPU wire (e.g. 0.75 on macOS by default).
    """

    name: str
    kind: str = "gpu"
    vendor: str = "nvidia"
    memory_gb: float = 24.0
    bandwidth_gbs: float = 1000.0
    fp16_tflops: float = 100.0
    fp8_tflops: float | None = None
    fp4_tflops: float | None = None
    # shader (non-tensor) FP32 rate [TFLOPS]; None: see throughput.vector_tflops
    fp32_tflops: float | None = None
    unified_memory: bool = False
    gpu_memory_share: float = 1.0
    tdp_w: float = 300.0
    idle_w: float = 20.0
    link: str = "pcie4"
    link_bandwidth_gbs: float = 25.0  # achievable device-to-device, one direction [GB/s]
    # macOS sysctl iogpu.wired_limit_mb [MiB]: the GPU-wired ceiling a user set on an Apple device; None: the
    # OS default (gpu_memory_share: ~2/3 of RAM up to 36 GB, ~3/4 above)
    wired_limit_mb: int | None = None


@dataclass(frozen=True)
class Host:
    """The machine around the accelerators: CPU and RAM (used for expert/layer offload) and its own power."""

    name: str = "generic desktop"
    ram_gb: float = 64.0
    ram_bandwidth_gbs: float = 80.0
    cpu_tflops: float = 1.0  # dense FP32/BF16 the CPU can sustain on matmul [TFLOPS]
    idle_w: float = 60.0
    load_w: float = 150.0


@dataclass(frozen=True)
class ModelArch:
    """Architecture of an LLM, as much as the engine needs.

    attention_kind:
      - "gqa": MHA/GQA/MQA; 2 x kv_heads x head_dim elements per layer per token. sliding_layers of the
        num_layers hold at most sliding_window tokens (Gemma 2/3, gpt-oss, Llama 4 chunked).
      - "mla": DeepSeek V2/V3 latent; (kv_lora_rank + qk_rope_head_dim) elements per layer per token.
      - "dsv4": DeepSeek V4 compressed attention; csa_layers keep 1 entry per csa_ratio tokens of head_dim
        elements plus indexer keys of index_head_dim, hca_layers 1 per hca_ratio; every layer also holds a
        sliding_window of full entries per sequence.
      - "opaque": unknown layout; kv_bytes_per_token_f16 must be given.
    MoE: expert_params_b is the parameter count of ALL routed experts of all layers; the rest of
    total_params_b (attention, embeddings, shared experts, dense layers) is read for every token.
    """

    name: str
    total_params_b: float
    active_params_b: float
    num_layers: int
    hidden_size: int = 4096
    num_heads: int = 32
    num_kv_heads: int = 8
    head_dim: int = 128
    attention_kind: str = "gqa"
    sliding_window: int = 0
    sliding_layers: int = 0
    kv_lora_rank: int = 0
    qk_rope_head_dim: int = 0
    csa_layers: int = 0
    hca_layers: int = 0
    csa_ratio: int = 4
    hca_ratio: int = 128
    index_head_dim: int = 0
    n_routed_experts: int = 0
    experts_per_token: int = 0
    n_shared_experts: int = 0
    expert_params_b: float = 0.0
    vocab_size: int = 32000
    max_context: int = 8192
    native_quant: str = "BF16"
    native_size_gb: float | None = None
    kv_bytes_per_token_f16: float | None = None  # override (opaque layouts, imported files)
    # Input embedding and output head share one table (config tie_word_embeddings); None: not known, guessed
    # from the table's share of the parameters (advisor.engine.fit.input_embedding_params).
    tied_embeddings: bool | None = None

    @property
    def is_moe(self) -> bool:
        return self.n_routed_experts > 0


@dataclass(frozen=True)
class Quant:
    """A weight format. bits_per_weight is the effective whole-file figure (Q4_K_M ~4.89, not 4.5).

    compute: the matmul dtype the backend uses for prefill on hardware that supports it
    ("fp16", "fp8", "fp4"); weight-only formats (GGUF, AWQ, EXL2, MLX) compute in fp16.
    moe_bits_per_weight: the whole-file figure measured on large mixture-of-experts files, when it differs
    from the dense-model one (unsloth dynamic "UD-" quants keep attention at 4-6 bit and squeeze the routed
    experts: DeepSeek-R1 UD-Q2_K_XL is 212 GB = 2.53 bit over 671B); None: bits_per_weight for MoE files too.
    head_bits: bits of the output head (or the tied embedding table serving as one) when a file keeps it at other
    than llama.cpp's Q6_K (ggml-org's Gemma 3 QAT GGUFs: Q8_0); None: the preset rule (`fit.HEAD_BITS`).
    """

    name: str
    bits_per_weight: float
    family: str = "gguf"  # gguf | float | int4 | exl2 | mlx | native
    compute: str = "fp16"
    moe_bits_per_weight: float | None = None
    head_bits: float | None = None


# Bits per weight of a checkpoint's native format when its published size is unknown.
NATIVE_BPW: dict[str, float] = {"F32": 32.0, "FP32": 32.0, "BF16": 16.0, "F16": 16.0, "FP16": 16.0, "FP8": 8.0,
                                "MXFP4": 4.25, "NVFP4": 4.5, "FP4": 4.5, "FP4+FP8": 4.6}


def native_quant(model: ModelArch) -> Quant:
    """The checkpoint exactly as released ("native") -- the one rule every front end uses.

    bits_per_weight = published size [GB] x 8 / parameters [B] when the size is known, else the bits of the
    native format (FP8 -> 8, BF16 -> 16, ...). Compute follows the format (FP8 checkpoints prefill in fp8,
    FP4 ones in fp4); the throughput model falls back to the next rate a device has.

    >>> m = ModelArch("demo", total_params_b=284, active_params_b=13, num_layers=43, native_quant="FP4+FP8",
    ...               native_size_gb=160)
    >>> q = native_quant(m); (q.name, round(q.bits_per_weight, 3), q.compute)
    ('native', 4.507, 'fp4')
    """
    fmt = model.native_quant.upper()
    if model.native_size_gb:
        bpw = model.native_size_gb * 8.0 / model.total_params_b
    else:
        bpw = NATIVE_BPW.get(fmt, 16.0)
    compute = "fp4" if "FP4" in fmt else "fp8" if "FP8" in fmt else "fp16"
    return Quant(name="native", bits_per_weight=bpw, family="native", compute=compute)


@dataclass(frozen=True)
class Setup:
    """One configuration to estimate: hardware x count, model x quant, backend and load.

    batch: concurrent sequences (decode batch). context_tokens: the context each sequence reserves KV for;
    None means prompt_tokens + gen_tokens + context_depth.
    """

    device: Device
    model: ModelArch
    quant: Quant
    count: int = 1
    host: Host | None = None
    backend: str = "llama.cpp"
    parallel: str = "none"
    offload: str = "none"
    kv_dtype: str = "f16"
    batch: int = 1
    prompt_tokens: int = 512
    gen_tokens: int = 128
    context_depth: int = 0
    context_tokens: int | None = None
    build: str = "current"  # backend build era, one of BUILDS
    ubatch: int = 512  # llama.cpp prompt micro-batch (-ub) [tokens]; serving engines chunk on their own
    # Request lengths of a serving benchmark at max load: "" (steady serving, the default), "fixed" (every request
    # the same length) or "ragged" (ShareGPT-like lengths sent as one burst: a tail at shrinking batch).
    length_spread: str = ""
    # Requests a serving benchmark submits in the run (vllm bench serve --num-prompts) [requests]; 0 = as many as
    # run at once (batch). More than the batch queue up and keep the batch full until the queue drains.
    num_prompts: int = 0
    harness: str = "online"  # one of HARNESSES; only TensorRT-LLM's offline runs skip the per-sequence host cost


@dataclass(frozen=True)
class Estimate:
    """What `estimate(setup)` returns: memory fit, speed and power, with the working in `notes`.

    tg_tok_s is the aggregate decode rate over all `batch` sequences; tg_tok_s_per_user per sequence.
    tg_band is the p10-p90 band of tg_tok_s from the calibration residuals. load_power_w is the whole
    system's draw while busy (devices + host).
    """

    fits: bool
    weights_gb: float
    kv_bytes_per_token: float
    kv_gb: float
    overhead_gb: float
    total_gb: float
    usable_gb: float
    host_gb: float
    max_context_tokens: int
    pp_tok_s: float
    tg_tok_s: float
    tg_tok_s_per_user: float
    ttft_s: float
    tg_band: tuple[float, float]
    pp_band: tuple[float, float]
    limiting_factor: str
    load_power_w: float
    idle_power_w: float
    reason: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class PriceUsed:
    """A price that went into a capex figure, with where it came from (shown in the app and the PDF)."""

    item: str  # catalog name of the hardware/host/system
    price_usd: float
    condition: str
    vendor: str
    source: str
    observed_at: str  # ISO date
    quantity: int = 1


@dataclass(frozen=True)
class CandidateResult:
    """One candidate (system x units x quant) evaluated against a workload and an API offer.

    Money in USD. cumulative_* are per month 0..horizon_months inclusive (month 0 = capex paid).
    break_even_month is interpolated (fractional months) or None when buying never pays off within the
    horizon; break_even_band carries the throughput p10-p90 band into months.
    """

    system_id: str
    name: str
    units: int
    quant: str
    setup: Setup  # what each unit runs (backend, parallelism, quant, count, host, per-unit batch)
    estimate: Estimate  # estimate(setup)
    fits: bool
    meets_sla: bool
    capex_usd: float
    monthly_opex_usd: float  # energy + maintenance + hosting, month-0 demand
    monthly_energy_usd: float
    monthly_api_usd: float  # API spend this candidate still needs (hybrid overflow), month 0
    break_even_month: float | None
    break_even_band: tuple[float | None, float | None]
    horizon_cost_local_usd: float  # capex + opex + overflow API - residual, over the horizon
    horizon_cost_api_usd: float  # all on the API over the horizon
    cost_per_mtok_local_usd: float
    npv_saving_usd: float  # NPV of (API cost - local cost) at the discount rate
    cumulative_local_usd: tuple[float, ...]
    cumulative_local_low_usd: tuple[float, ...]  # band: optimistic throughput
    cumulative_local_high_usd: tuple[float, ...]  # band: pessimistic throughput
    busy_hours_per_month: float
    reasons: tuple[str, ...]  # plain words: why it fits/fails, why rejected
    prices: tuple[PriceUsed, ...] = ()
    horizon: HorizonView | None = None  # the whole-horizon reading of the curves (None: not costed)
    skipped: str = ""  # why the backend cannot run this quant on this hardware (advisor.engine.support); "" runs


@dataclass(frozen=True)
class Purchase:
    """Units bought in one month of the horizon (month 0: the first purchase)."""

    month: int
    units: int
    capex_usd: float  # units x unit price x (1 + tax) [USD]


@dataclass(frozen=True)
class HorizonView:
    """A candidate judged over the whole horizon, not at its first crossing.

    months_ahead counts months 1..horizon whose cumulative local cost is at or below the API's; worst_gap is
    the largest amount [USD] by which buying is behind the API (at worst_gap_month); break_even_from_resale is
    True when the rig only gets ahead in a month where a resale credit is booked (end of life or horizon).
    monthly_overflow_api_usd is the hybrid API bill per month 1..horizon [USD/month]; purchases the schedule
    of units bought (month 0 and every later month demand growth needs more).
    """

    months_ahead: int
    worst_gap_usd: float
    worst_gap_month: int
    break_even_from_resale: bool
    monthly_overflow_api_usd: tuple[float, ...]
    purchases: tuple[Purchase, ...]
    cost_per_mtok_api_usd: float  # the compared offer, horizon average (like the rig's) [USD/Mtok]
    cost_per_mtok_local_month1_usd: float  # month 1 alone, capex excluded (like the API's month-1 price)
    cost_per_mtok_api_month1_usd: float


@dataclass(frozen=True)
class OfferCost:
    """An API offer as the comparison used it: its prices, what all demand would cost on it, and whether it
    may be chosen (an expired or not-yet-valid offer is listed and flagged, never chosen over a valid one)."""

    id: str
    name: str
    provider: str
    model_ref: str | None
    tier: str
    usd_per_mtok_input_miss: float
    usd_per_mtok_input_hit: float
    usd_per_mtok_output: float
    monthly_usd: float  # all demand in month 1 [USD/month]
    horizon_cost_usd: float  # all demand over the horizon, with growth and the yearly price change [USD]
    cost_per_mtok_usd: float  # horizon average [USD per 10^6 tokens]
    from_scenario: bool  # listed in the scenario (else added from the catalog: same model)
    same_model: bool  # serves the model the rigs run
    acceptable: bool
    flags: tuple[str, ...]  # "expired on 2026-08-16", "off-peak price only", ... in words
    source: str = ""
    as_of: str = ""
    effective_to: str | None = None


@dataclass(frozen=True)
class RentOption:
    """A viable candidate rented by the GPU-hour instead of bought (advisor.engine.renting)."""

    system_id: str
    name: str
    quant: str
    tier: str  # "on-demand" | "spot"
    usd_per_gpu_hour: float
    gpus: int  # GPUs rented in month 1
    hours_per_month: float  # rented hours per GPU [h/month]
    monthly_usd: float  # month 1 [USD/month]
    horizon_cost_usd: float
    cumulative_usd: tuple[float, ...]  # months 0..horizon
    gpus_final: int
    vendor: str
    source: str
    observed_at: str
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class SwitchingValue:
    """How far one input must move, alone, for the verdict to flip (factor x the scenario's value)."""

    assumption: str  # "API price" | "Tokens per day" | "Hardware price"
    factor: float | None  # None: no move within 1/16x..16x flips it
    value_text: str  # the moved value in words, e.g. "$0.09 per Mtok input"
    flips_to: str  # the verdict after the move


@dataclass(frozen=True)
class SensitivityBar:
    """Break-even month when one assumption moves to its low / high value (None = never)."""

    assumption: str  # e.g. "Electricity tariff"
    low_label: str  # e.g. "$0.09/kWh"
    high_label: str
    break_even_low: float | None
    break_even_high: float | None


@dataclass(frozen=True)
class Recommendation:
    """The advisor's answer for a scenario: verdict, ranked candidates, the API line, sensitivity."""

    scenario: str
    verdict: str  # "buy" | "api" | "hybrid" | "rent"
    sentence: str  # the verdict in one plain sentence with the decisive numbers
    recommended: CandidateResult | None
    candidates: tuple[CandidateResult, ...]  # ranked: viable first by horizon cost, then rejected
    api_offer: str
    monthly_api_usd: float  # all demand on the API, month 0
    cumulative_api_usd: tuple[float, ...]  # months 0..horizon
    horizon_months: int
    sensitivity: tuple[SensitivityBar, ...]
    flip_notes: tuple[str, ...]  # assumptions that would flip the verdict, in words
    notes: tuple[str, ...] = ()
    offers: tuple[OfferCost, ...] = ()  # every API offer compared, cheapest acceptable first
    api_offer_id: str = ""  # the chosen (cheapest acceptable) offer's id
    switching_values: tuple[SwitchingValue, ...] = ()
    warnings: tuple[str, ...] = ()  # inconsistent inputs, in words
    rent_options: tuple[RentOption, ...] = ()  # cheapest on-demand first; the verdict may be "rent"
    # the candidate the sensitivity and switching values are about ("name (quant)") and its own break-even
    # month (None: never within the horizon); with an API verdict it is the best rig that was not bought
    sensitivity_of: str = ""
    sensitivity_base_month: float | None = None
