"""Case files (DESIGN §4 ``--cases`` columns): rows -> Setups through a catalog, and results -> rows.

Pure: the catalog is any object with ``device(name)``, ``model(name)``, ``quant(name)`` returning engine
dataclasses (the CLI passes the user's database catalog). Spec columns override the catalog; a row naming an
unknown model or device is still estimated from its spec columns with a generic architecture (and a note).
Bad rows become `CaseError` (row number as in a spreadsheet: header = row 1) and never stop the good rows.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from advisor.atomic import atomic_write
from advisor.csv_safe import neutralise_row
from advisor.engine.build import ERA_BACKENDS, era_of
from advisor.engine.constants import SERVING_BACKENDS, Calibration, gemm_class
from advisor.engine.fit import EXPERTS_SUFFIX, validate_parts
from advisor.engine.serving import paged_context_tokens
from advisor.engine.sweep import Results, evaluate, max_useful_batches
from advisor.engine.types import BACKENDS, HARNESSES, Device, Host, ModelArch, Quant, Setup, native_quant
from advisor.errors import InputError
from advisor.files import check_regular_file

CASE_COLUMNS = ("case_id", "hardware", "hw_count", "memory_gb", "bandwidth_gbs", "fp16_tflops", "unified_memory",
                "host_bandwidth_gbs", "host_memory_gb", "model", "params_b", "active_params_b", "quant", "backend",
                "parallel", "batch", "prompt_tokens", "gen_tokens", "context_depth", "offload", "tg_is_aggregate")
OUTPUT_COLUMNS: tuple[str, ...] = ("case_id", "fits", "weights_gb", "kv_gb", "total_gb", "pp_tok_s", "tg_tok_s", "usable_gb",
                  "max_context_tokens", "batch_used", "tg_low", "tg_high", "limiting_factor", "notes")
# Optional setup columns beyond DESIGN §4: llama.cpp's prompt micro-batch (-ub, default 512) [tokens].
# length_spread (serving benchmarks): "fixed", "ragged" (a burst of ShareGPT / random-length requests) or empty.
# num_prompts (serving benchmarks): requests submitted in the run; more than run at once queue up.
# harness (serving engines): "online" (through the API server, the default) or "offline" (an engine-throughput
# run without a server); empty = read from the notes (`harness_of`).
# pp_is_ttft: 1 when pp_tok_s is prompt / time to first token (a TTFT at concurrency 1), which includes the
# first decode step; 0 = a prompt-processing rate; empty = read from the notes (`pp_is_ttft_of`).
OPTIONAL_COLUMNS = ("ubatch", "length_spread", "num_prompts", "harness", "pp_is_ttft")
LENGTH_SPREADS = ("", "fixed", "ragged")
# Optional columns that say which build era a row stands for (advisor.engine.build.era_of).
ERA_COLUMNS = ("build", "date", "notes")
# Benchmark tools that run an engine without its API server (no per-token streaming to clients).
_OFFLINE_TOOLS = re.compile(r"trtllm-bench|gptSessionBenchmark|gptManagerBenchmark|bench_offline_throughput|"
                            r"benchmark_throughput|vllm bench throughput|bench_one_batch", re.IGNORECASE)


def harness_of(column: str, notes: str) -> str:
    """A serving row's harness: the ``harness`` column, else "offline" when the notes name an offline tool."""
    value = (column or "").strip().lower()
    if value:
        return value
    return "offline" if _OFFLINE_TOOLS.search(notes or "") else "online"


_TTFT = re.compile(r"\bTTFT\b|time[- ]to[- ]first[- ]token|(?:first|1st)[- ]token latency", re.IGNORECASE)


def pp_is_ttft_of(column: str, notes: str) -> bool | None:
    """Whether a row's prefill figure is prompt / time to first token: the ``pp_is_ttft`` column (1 / 0), else
    whether the notes name a TTFT; None for a column value other than 0, 1 or empty.

    >>> pp_is_ttft_of("", "'TTFT mean/median/p99: 248.66 / 256.05 / 261.84 ms' -> 2048/0.25605 s"), pp_is_ttft_of("0", "TTFT")
    (True, False)
    """
    value = (column or "").strip()
    if value in ("0", "1"):
        return value == "1"
    return None if value else bool(_TTFT.search(notes or ""))


BACKEND_ALIASES = {"llamacpp": "llama.cpp", "llama-cpp": "llama.cpp", "ollama": "llama.cpp", "trtllm": "tensorrt-llm",
                   "tensorrt_llm": "tensorrt-llm", "trt-llm": "tensorrt-llm", "exllama": "exllamav2",
                   "exllamav3": "exllamav2", "mlx-lm": "mlx", "mlx_lm": "mlx", "k-transformers": "ktransformers"}
# A server CPU's usable matmul rate scales with its memory channels/cores: ~1 TFLOPS per 100 GB/s of RAM
# bandwidth (dual Xeon 8480+ AMX ~6 TFLOPS at 614 GB/s; a desktop ~0.8 TFLOPS at 80 GB/s).
CPU_TFLOPS_PER_GBS = 0.01
# Dense FP16 rate per GB/s of memory bandwidth for a device known only by its bandwidth [TFLOPS per GB/s],
# the typical balance of each kind: Apple GPUs ~0.035 (M1 2.6/68, M2 Ultra 27/800, M4 Max 18/546), GPUs ~0.1
# (GeForce 3090 0.08 .. 4090 0.16, FP32-accumulate), APUs ~0.25 (Strix Halo 59/256), CPUs ~0.01.
TFLOPS_PER_GBS = {"apple": 0.035, "gpu": 0.1, "apu": 0.25, "cpu": CPU_TFLOPS_PER_GBS}
CPU_NAME = re.compile(r"epyc|xeon|threadripper|core i\d|ryzen \d|ampereone|altra|graviton|grace(?!.*hopper)|"
                      r"\bcpu\b|\d+c\b|\d+-core cpu")
VENDOR_PREFIX = re.compile(r"^(nvidia|amd|apple|intel)\s+", re.IGNORECASE)


class CatalogLike(Protocol):
    def device(self, name: str) -> Device: ...
    def model(self, name: str) -> ModelArch: ...
    def quant(self, name: str) -> Quant: ...


@dataclass(slots=True)
class CaseRow:
    """One good row: its setup and how to read the measurement (decode depth, aggregate or per stream)."""

    row: int
    case_id: str
    setup: Setup
    decode_depth: float
    aggregate: bool
    batch_was_empty: bool
    notes: tuple[str, ...] = ()
    measured_pp_tok_s: float | None = None
    measured_tg_tok_s: float | None = None
    source: str = ""  # where the measurement came from (calibration files only)
    pp_is_ttft: bool = False  # the measured prefill is prompt / time to first token (first decode step included)


@dataclass(frozen=True)
class CaseError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.message}"


class Resolver:
    """Name -> dataclass lookups through the catalog, cached per distinct name."""

    def __init__(self, catalog: CatalogLike | None) -> None:
        self.catalog = catalog
        self._cache: dict[tuple[str, str], Any] = {}

    def lookup(self, kind: str, name: str) -> Any:
        key = (kind, name.strip().lower())
        if key not in self._cache:
            value = None
            # Try the name as written, then without a vendor prefix ("NVIDIA H200 SXM" -> "H200 SXM"), then
            # spec-sheet spellings of a chip family ("Apple M3 Max (30/40-core GPU)": the larger variant first,
            # as spec sheets quote its bandwidth/TFLOPS).
            for candidate in dict.fromkeys(_name_variants(name.strip())):
                if self.catalog is None or not candidate:
                    break
                try:
                    value = getattr(self.catalog, kind)(candidate)
                    break
                except (KeyError, LookupError, ValueError):  # NotFoundError is a ValueError
                    value = None
            if value is None and kind == "quant":
                n = name.strip()
                core = self.lookup("quant", n[: -len(EXPERTS_SUFFIX)]) \
                    if n.upper().endswith(EXPERTS_SUFFIX) and len(n) > len(EXPERTS_SUFFIX) else None
                value = replace(core, name=n) if core is not None else parse_quant(name)
            self._cache[key] = value
        return self._cache[key]


SLASH_VARIANTS = re.compile(r"\((\d+)/(\d+)(-core[^)]*)\)")


def _name_variants(name: str) -> tuple[str, ...]:
    """Catalog spellings to try for a hardware/model name, most literal first."""
    out = [name, VENDOR_PREFIX.sub("", name)]
    if m := SLASH_VARIANTS.search(name):
        for cores in (m.group(2), m.group(1)):
            variant = name[:m.start()] + f"({cores}{m.group(3)})" + name[m.end():]
            out += [variant, VENDOR_PREFIX.sub("", variant)]
    return tuple(out)


# Effective bits per weight of llama.cpp types not in the catalog (block scales included; the output/embedding
# tensors that presets keep at higher precision add ~0.1-0.3 bit on 7-70B models).
GGUF_BPW = {"Q2_K_S": 2.97, "Q3_K_S": 3.64, "Q3_K_L": 4.27, "Q3_K_XL": 4.4, "Q4_1": 5.1, "Q4_K_L": 5.1,
            "Q4_K_XL": 5.0, "Q5_0": 5.6, "Q5_1": 6.1, "Q5_K_L": 6.0, "Q5_K_XL": 6.0, "Q6_K_L": 6.7, "Q6_K_XL": 6.9,
            "Q8_K_XL": 9.0, "IQ1_S": 1.66, "IQ1_M": 1.86, "IQ2_XS": 2.42, "IQ2_S": 2.6, "IQ2_M": 2.8,
            "IQ3_XS": 3.4, "IQ3_S": 3.55, "IQ3_M": 3.7, "IQ4_NL": 4.6, "TQ1_0": 1.8, "TQ2_0": 2.2,
            "Q2_K_L": 3.3, "Q2_K_XL": 3.3, "Q3_K": 4.0, "Q4_K": 4.89, "Q5_K": 5.7, "Q4_0_4_4": 4.64,
            "Q4_0_4_8": 4.64, "Q4_0_8_8": 4.64, "MXFP4_MOE": 4.4}


def parse_quant(name: str) -> Quant | None:
    """Quants that spell their size in the name: EXL2-4.65, MLX-4bit, AWQ/GPTQ INT4, FP8, F16/BF16; any of them
    with "-experts" (only the routed experts in that format, the rest ~8.5 bit: `fit.weights_split_bytes`)."""
    n = name.strip().upper()
    if n.endswith(EXPERTS_SUFFIX) and len(n) > len(EXPERTS_SUFFIX):
        core = parse_quant(name.strip()[: -len(EXPERTS_SUFFIX)])
        return replace(core, name=name.strip()) if core else None
    if m := re.fullmatch(r"EXL[23][-_ ]?(\d+(?:\.\d+)?)(?:BPW)?", n):
        return Quant(name.strip(), float(m.group(1)), family="exl2")
    if m := re.fullmatch(r"MLX[-_ ]?(\d)[-_ ]?BIT", n):
        return Quant(name.strip(), int(m.group(1)) + 0.5, family="mlx")  # group-64 scale + bias per group
    if re.fullmatch(r"(AWQ|GPTQ|W4A16)([-_ ]?INT4)?", n):
        return Quant(name.strip(), 4.25, family="int4")
    if n in ("FP8", "W8A8-FP8"):
        return Quant(name.strip(), 8.0, family="float", compute="fp8")
    if n in ("F16", "FP16", "BF16"):
        return Quant(name.strip(), 16.0, family="float")
    return _parse_quant_loose(name.strip(), n)


def _parse_quant_loose(name: str, n: str) -> Quant | None:
    """Spellings seen in the wild: GGUF types not in the catalog (incl. unsloth "UD-" dynamic presets), INT8 /
    W8A8, NF4/bnb, FP4 variants, "4bit"/"8-bit", EXL3 and "<bits>bpw"."""
    core = re.sub(r"^(UD|I?MAT|IMATRIX)[-_ ]", "", n)
    if core in GGUF_BPW:
        return Quant(name, GGUF_BPW[core], family="gguf")
    if m := re.fullmatch(r"I?Q(\d)_(?:K|0|1)(?:_[A-Z0-9]+)?", core):  # any other Qn_K_* / IQn_* preset
        return Quant(name, int(m.group(1)) + 0.9, family="gguf")
    if m := re.fullmatch(r"IQ(\d)_[A-Z]+", core):
        return Quant(name, int(m.group(1)) + 0.5, family="gguf")
    if re.fullmatch(r"(W8A8|W8A16)?[-_ ]?(INT8|I8)|W8A8|SMOOTHQUANT|GPTQ[-_ ]?INT8|AWQ[-_ ]?INT8", n):
        return Quant(name, 8.25, family="int4" if "GPTQ" in n or "A16" in n else "float", compute="fp8")
    if re.fullmatch(r"(NF4|BNB[-_ ]?4BIT|BITSANDBYTES[-_ ]?4BIT|FP4|MXFP4|NVFP4|W4A4)", n):
        fp4 = n in ("FP4", "MXFP4", "NVFP4", "W4A4")
        return Quant(name, 4.5, family="float" if fp4 else "int4", compute="fp4" if fp4 else "fp16")
    if m := re.fullmatch(r"(?:EXL3|EXL2)?[-_ ]?(\d+(?:\.\d+)?)[-_ ]?BPW", n):
        return Quant(name, float(m.group(1)), family="exl2")
    if m := re.search(r"(?<![\d.])(\d)[-_ ]?BIT", n):
        bits = int(m.group(1))
        return Quant(name, bits + 0.5, family="mlx" if "MLX" in n else "int4" if bits < 8 else "float",
                     compute="fp8" if bits == 8 and "MLX" not in n else "fp16")
    if re.fullmatch(r"FP8[-_ ]?(E4M3|E5M2|DYNAMIC|BLOCK)?|F8|W8A8[-_ ]?FP8", n):
        return Quant(name, 8.0, family="float", compute="fp8")
    if n in ("F32", "FP32"):
        return Quant(name, 32.0, family="float")
    return None


def generic_arch(name: str, total_b: float, active_b: float) -> ModelArch:
    """A Llama-like architecture for a model known only by its parameter counts [1e9].

    Layers ~ 32 x (P/8)^0.4, hidden from P ~ 12 x layers x hidden^2, GQA with 8 KV heads of 128; if
    active < total, an MoE with 128 experts, 8 per token, whose experts hold (total - active) x 16/15.
    """
    dense_b = active_b if active_b < total_b else total_b
    layers = max(4, round(32 * (max(dense_b, 0.1) / 8.0) ** 0.4))
    hidden = max(512, int(round(math.sqrt(max(dense_b, 0.1) * 1e9 / (12 * layers)) / 128) * 128))
    moe = active_b < total_b * 0.95
    return ModelArch(
        name=name, total_params_b=total_b, active_params_b=active_b, num_layers=layers, hidden_size=hidden,
        num_heads=max(hidden // 128, 1), num_kv_heads=8, head_dim=128, vocab_size=128000, max_context=131072,
        n_routed_experts=128 if moe else 0, experts_per_token=8 if moe else 0,
        expert_params_b=min(total_b, (total_b - active_b) * 16 / 15) if moe else 0.0)


class _RowReader:
    """Typed access to one CSV row; parsed values are memoised per (column, text) across rows, because a big
    case file repeats the same few values."""

    def __init__(self, raw: Mapping[str, str | None], row: int, parsed: dict[tuple, Any]) -> None:
        self.raw, self.row, self.parsed = raw, row, parsed

    def text(self, col: str) -> str:
        v = self.raw.get(col)
        return v.strip() if v else ""

    def number(self, col: str, *, integer: bool = False, low: float = 0.0, positive: bool = False) -> float | None:
        raw = self.raw.get(col) or ""
        key = (col, raw, integer, low, positive)
        hit = self.parsed.get(key, _MISSING)
        if hit is _MISSING:
            try:
                hit = self.parsed[key] = self._parse(raw.strip(), col, integer, low, positive)
            except CaseErrorSignal as sig:
                hit = self.parsed[key] = sig
        if isinstance(hit, CaseErrorSignal):
            raise hit
        return hit  # type: ignore[no-any-return]

    @staticmethod
    def _parse(s: str, col: str, integer: bool, low: float, positive: bool) -> float | None:
        if not s:
            return None
        try:
            v = float(s)
        except ValueError:
            raise CaseErrorSignal(col, f"not a number: {s!r}") from None
        if not math.isfinite(v) or v < low or (positive and v <= 0) or (integer and v != int(v)):
            kind = "a whole number" if integer else "a number"
            raise CaseErrorSignal(col, f"must be {kind} {'> 0' if positive else f'>= {low:g}'}, got {s!r}")
        return v


_MISSING = object()


class CaseErrorSignal(Exception):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column, self.message = column, message


def read_cases(source: str | Path | Iterable[str], catalog: CatalogLike | None) -> tuple[list[CaseRow], list[CaseError]]:
    """Parse a case CSV (path, text lines) into good rows and errors. Raises InputError if the file itself is
    unusable (unreadable, no header, missing the hardware/model/quant columns)."""
    if isinstance(source, str | Path):
        check_regular_file(source, "case file (CSV)")  # a FIFO would block the read forever
        try:
            text = Path(source).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read the case file: {exc}", str(source)) from None
        lines: Iterable[str] = io.StringIO(text)
    else:
        lines = source
    where = str(source) if isinstance(source, str | Path) else "cases"  # name the file the user gave
    reader = csv.reader(lines)
    header = [h.strip() for h in next(reader, [])]
    if not any(header):
        raise InputError("the case file has no header row", where)
    missing = [c for c in ("hardware", "model", "quant") if c not in header]
    if missing:
        hint = " (the file looks semicolon-separated; use commas)" if len(header) == 1 and ";" in header[0] else ""
        raise InputError(f"the case file lacks the column(s) {', '.join(missing)}{hint}", where)
    # two columns of one name: which one counts would be a silent guess
    twice = sorted({c for c in header if c and header.count(c) > 1})
    if twice:
        raise InputError(f"the header names the column(s) {', '.join(twice)} more than once", where)
    wanted = [c for c in (*CASE_COLUMNS, *OPTIONAL_COLUMNS, "pp_tok_s", "tg_tok_s", "source", *ERA_COLUMNS)
              if c in header]
    index = [(c, header.index(c)) for c in wanted]
    res = Resolver(catalog)
    memo: dict[tuple, Any] = {}
    parsed: dict[tuple, Any] = {}
    good: list[CaseRow] = []
    errors: list[CaseError] = []
    # Rows that differ only in case_id / measured figures share one converted template.
    config_idx = [j for c, j in index if c not in ("case_id", "pp_tok_s", "tg_tok_s", "source", *ERA_COLUMNS)]
    # The build era comes from the optional build / date / notes columns (or a known undated source).
    harness_idx = header.index("harness") if "harness" in header else None
    ttft_idx = header.index("pp_is_ttft") if "pp_is_ttft" in header else None
    notes_idx = header.index("notes") if "notes" in header else None
    era_idx = [header.index(c) for c in ERA_COLUMNS if c in header]
    era_idx += [header.index("source")] if era_idx and "source" in header else []
    with_era: dict[tuple[int, str], Setup] = {}  # template with its row's era (llama.cpp) or harness (serving)
    id_idx = header.index("case_id") if "case_id" in header else None
    templates: dict[tuple, CaseRow | CaseErrorSignal] = {}
    for i, values in enumerate(reader, start=2):
        if not values:
            continue  # blank line
        width = len(values)
        raw = {c: values[j] for c, j in index if j < width}
        reader_row = _RowReader(raw, i, parsed)
        key = tuple(values[j] if j < width else "" for j in config_idx)
        template = templates.get(key)
        if template is None:
            try:
                template = _convert(reader_row, res, memo)
            except CaseErrorSignal as sig:
                template = sig
            except InputError as exc:
                template = CaseErrorSignal(exc.field or "?", str(exc))
            templates[key] = template
        if isinstance(template, CaseErrorSignal):
            errors.append(CaseError(i, template.column, template.message))
            continue
        try:
            pp, tg = reader_row.number("pp_tok_s", positive=True), reader_row.number("tg_tok_s", positive=True)
        except CaseErrorSignal as sig:
            errors.append(CaseError(i, sig.column, sig.message))
            continue
        case_id = values[id_idx].strip() if id_idx is not None and id_idx < width else ""
        setup = template.setup
        if setup.backend in SERVING_BACKENDS and (harness_idx is not None or notes_idx is not None):
            harness = harness_of(values[harness_idx] if harness_idx is not None and harness_idx < width else "",
                                 values[notes_idx] if notes_idx is not None and notes_idx < width else "")
            if harness not in HARNESSES:
                errors.append(CaseError(i, "harness", f"must be online, offline or empty, got {harness!r}"))
                continue
            if harness != setup.harness:
                setup = with_era.setdefault((id(template), harness), replace(setup, harness=harness))
        if era_idx and setup.backend in ERA_BACKENDS:
            get = dict(zip((header[j] for j in era_idx), (values[j] if j < width else "" for j in era_idx),
                           strict=True)).get
            era = era_of(get("build", ""), get("date", ""), get("notes", ""), get("source", ""),
                         vendor=gemm_class(setup.device))
            if era != setup.build:
                setup = with_era.setdefault((id(template), era), replace(setup, build=era))
        ttft_text = values[ttft_idx] if ttft_idx is not None and ttft_idx < width else ""
        ttft = pp_is_ttft_of(ttft_text, values[notes_idx] if notes_idx is not None and notes_idx < width else "")
        if ttft is None:
            errors.append(CaseError(i, "pp_is_ttft", f"must be 0, 1 or empty, got {ttft_text!r}"))
            continue
        good.append(CaseRow(i, case_id or f"row{i}", setup, template.decode_depth, template.aggregate,
                            template.batch_was_empty, template.notes, pp, tg, reader_row.text("source"), ttft))
    return _fill_empty_batches(good), errors


def _device(r: _RowReader, res: Resolver, memo: dict[tuple, Any], notes: list[str]) -> Device:
    name = r.text("hardware")
    mem, bw = r.number("memory_gb", positive=True), r.number("bandwidth_gbs", positive=True)
    tfl, uni = r.number("fp16_tflops", positive=True), r.text("unified_memory").lower()
    key = ("dev", name.lower(), mem, bw, tfl, uni)
    if key in memo:
        dev, note = memo[key]
    else:
        base: Device | None = res.lookup("device", name)
        note = ""
        if base is None:
            if mem is None or bw is None:
                raise CaseErrorSignal("hardware", f"unknown hardware {name!r} and no memory_gb/bandwidth_gbs given")
            low = name.lower()
            vendor = "apple" if re.search(r"apple|\bm[1-9]\b", low) else (
                "amd" if re.search(r"amd|radeon|instinct|ryzen|epyc|threadripper", low) else
                "intel" if re.search(r"intel|xeon|core i\d|arc\b", low) else
                "ampere" if "ampere" in low and "rtx" not in low else "nvidia")
            unified = uni in ("1", "true", "yes")
            kind = "apple" if vendor == "apple" else "cpu" if CPU_NAME.search(low) and not unified else (
                "apu" if unified else "gpu")
            # Datacenter parts (HBM-class bandwidth, not PCIe cards) sit on NVLink / Infinity Fabric.
            datacenter = bw >= 1500 and not unified and "pcie" not in low
            link, link_gbs = ("pcie4", 25.0)
            if datacenter:
                link, link_gbs = ("infinity_fabric", 64.0) if vendor == "amd" else ("nvlink", 300.0)
            base = Device(name=name or "unnamed device", kind=kind, vendor=vendor, memory_gb=mem, bandwidth_gbs=bw,
                          fp16_tflops=tfl or bw * TFLOPS_PER_GBS[kind],
                          fp8_tflops=2 * tfl if (tfl and datacenter) else None,
                          unified_memory=unified, gpu_memory_share=0.75 if unified else 1.0, link=link,
                          link_bandwidth_gbs=link_gbs)
            note = "hardware not in the catalog: estimated from the spec columns"
            if tfl is None:
                note += f"; fp16_tflops assumed {TFLOPS_PER_GBS[kind]:g} x bandwidth"
        changes: dict[str, Any] = {}
        if mem is not None:
            changes["memory_gb"] = mem
        if bw is not None:
            changes["bandwidth_gbs"] = bw
        if tfl is not None and tfl != base.fp16_tflops:
            scale = tfl / base.fp16_tflops
            changes["fp16_tflops"] = tfl
            changes["fp8_tflops"] = base.fp8_tflops * scale if base.fp8_tflops else None
            changes["fp4_tflops"] = base.fp4_tflops * scale if base.fp4_tflops else None
        if uni in ("0", "1"):
            changes["unified_memory"] = uni == "1"
        dev = replace(base, **changes) if changes else base
        memo[key] = (dev, note)
    if note:
        notes.append(note)
    return dev


def _model(r: _RowReader, res: Resolver, memo: dict[tuple, Any], notes: list[str]) -> ModelArch:
    name = r.text("model")
    total, active = r.number("params_b", positive=True), r.number("active_params_b", positive=True)
    key = ("model", name.lower(), total, active)
    if key in memo:
        model, note = memo[key]
    else:
        base: ModelArch | None = res.lookup("model", name)
        note = ""
        if base is None:
            if total is None:
                raise CaseErrorSignal("model", f"unknown model {name!r} and no params_b given")
            model = generic_arch(name or "unnamed model", total, min(active or total, total))
            note = "model not in the catalog: generic Llama-like architecture from params_b/active_params_b"
        else:
            model = base
            t = total if total is not None else base.total_params_b
            a = active if active is not None else base.active_params_b * (t / base.total_params_b)
            if a > t:
                raise CaseErrorSignal("active_params_b", f"{a:g} exceeds params_b {t:g}")
            if abs(t - base.total_params_b) > 1e-9 or abs(a - base.active_params_b) > 1e-9:
                model = replace(base, total_params_b=t, active_params_b=a,
                                expert_params_b=base.expert_params_b * t / base.total_params_b)
        memo[key] = (model, note)
    if note:
        notes.append(note)
    return model


def _choice(r: _RowReader, col: str, allowed: tuple[str, ...], default: str, aliases: dict[str, str]) -> str:
    v = r.text(col).lower() or default
    v = aliases.get(v, v)
    if v not in allowed:
        raise CaseErrorSignal(col, f"{r.text(col)!r} is not one of {', '.join(allowed)}")
    return v


_SCALAR_COLS = ("hw_count", "backend", "parallel", "offload", "batch", "prompt_tokens", "gen_tokens", "context_depth",
                "tg_is_aggregate", "host_bandwidth_gbs", "host_memory_gb", "ubatch", "length_spread", "num_prompts")
MAX_TOKENS = 100_000_000
MAX_UBATCH = 65536


def _cached(memo: dict[tuple, Any], key: tuple, make: Any) -> Any:
    """memo[key], computing it with make() once; a CaseErrorSignal is cached too and re-raised on every hit."""
    hit = memo.get(key, _MISSING)
    if hit is _MISSING:
        try:
            hit = make()
        except CaseErrorSignal as sig:
            hit = sig
        memo[key] = hit
    if isinstance(hit, CaseErrorSignal):
        raise hit
    return hit


def _scalars(r: _RowReader, memo: dict[tuple, Any]) -> tuple:
    count = int(r.number("hw_count", integer=True, low=1) or 1)
    backend = _choice(r, "backend", BACKENDS, "llama.cpp", BACKEND_ALIASES)
    parallel = _choice(r, "parallel", ("none", "layer", "tensor", "expert"), "none" if count == 1 else "layer",
                       {"pipeline": "layer", "tensor+pipeline": "tensor", "tp": "tensor", "pp": "layer",
                        "ep": "expert", "row": "tensor", "split": "layer"})
    offload = _choice(r, "offload", ("none", "experts_cpu", "cpu_only"), "none", {"experts": "experts_cpu",
                                                                                  "cpu": "cpu_only"})
    batch = r.number("batch", integer=True, low=1)
    prompt = int(r.number("prompt_tokens", integer=True) or 0) if r.text("prompt_tokens") else 512
    gen = int(r.number("gen_tokens", integer=True) or 0) if r.text("gen_tokens") else 128
    depth = int(r.number("context_depth", integer=True) or 0)
    ubatch = int(r.number("ubatch", integer=True, low=1) or 512)
    prompts = int(r.number("num_prompts", integer=True, low=1) or 0)
    for col, v in (("hw_count", count), ("batch", batch or 1), ("prompt_tokens", prompt), ("gen_tokens", gen),
                   ("context_depth", depth), ("ubatch", ubatch), ("num_prompts", prompts)):
        if v > (MAX_UBATCH if col == "ubatch" else MAX_TOKENS):
            raise CaseErrorSignal(col, f"too large: {v}")
    spread = r.text("length_spread").lower()
    if spread not in LENGTH_SPREADS:
        raise CaseErrorSignal("length_spread", f"must be fixed, ragged or empty, got {r.text('length_spread')!r}")
    agg_text = r.text("tg_is_aggregate")
    if agg_text not in ("", "0", "1"):
        raise CaseErrorSignal("tg_is_aggregate", f"must be 0 or 1, got {agg_text!r}")
    host_bw = r.number("host_bandwidth_gbs", positive=True)
    host_mem = r.number("host_memory_gb", positive=True)
    hkey = ("host", host_bw, host_mem, offload != "none")
    if hkey not in memo:
        h = Host()
        memo[hkey] = replace(h, ram_bandwidth_gbs=host_bw or h.ram_bandwidth_gbs,
                             ram_gb=host_mem or (1024.0 if offload != "none" else h.ram_gb),
                             cpu_tflops=(host_bw or h.ram_bandwidth_gbs) * CPU_TFLOPS_PER_GBS)
    return count, backend, parallel, offload, batch, prompt, gen, depth, agg_text, memo[hkey], ubatch, spread, prompts


def _convert(r: _RowReader, res: Resolver, memo: dict[tuple, Any]) -> CaseRow:
    get = r.raw.get
    dev_notes: list[str] = []
    device, dev_note = _cached(memo, ("D", get("hardware"), get("memory_gb"), get("bandwidth_gbs"),
                                      get("fp16_tflops"), get("unified_memory")),
                               lambda: (_device(r, res, memo, dev_notes), tuple(dev_notes)))
    model_notes: list[str] = []
    model, model_note = _cached(memo, ("M", get("model"), get("params_b"), get("active_params_b")),
                                lambda: (_model(r, res, memo, model_notes), tuple(model_notes)))
    qname = (get("quant") or "").strip()
    if qname.lower() == "native":  # the checkpoint as released: depends on the model
        quant = _cached(memo, ("Qn", id(model)), lambda: native_quant(model))
    else:
        quant = _cached(memo, ("Q", qname), lambda: _quant(r, res))
    count, backend, parallel, offload, batch, prompt, gen, depth, agg_text, host, ubatch, spread, prompts = _cached(
        memo, ("S", *(get(c) for c in _SCALAR_COLS)), lambda: _scalars(r, memo))
    parts = ("valid", id(device), id(model), id(quant), id(host))
    if parts not in memo:
        try:
            validate_parts(device, model, quant, host)
            memo[parts] = None
        except InputError as exc:
            memo[parts] = CaseErrorSignal(exc.field or "?", str(exc))
    if memo[parts] is not None:
        raise memo[parts]
    # TensorRT-LLM's FP8/FP4 recipes quantise the KV cache to FP8 as well; the other engines keep 16 bit.
    kv_dtype = "fp8" if backend == "tensorrt-llm" and quant.compute in ("fp8", "fp4") else "f16"
    setup = Setup(device=device, model=model, quant=quant, count=count, host=host, backend=backend,
                  parallel=parallel, offload=offload, kv_dtype=kv_dtype, batch=int(batch or 1), prompt_tokens=prompt,
                  gen_tokens=gen, context_depth=depth, ubatch=ubatch,
                  # the ragged tail is modelled for a burst at max load (empty batch); a capped concurrency
                  # refills its slots from the queue, so it runs at steady state until the very end
                  length_spread="" if spread == "ragged" and batch is not None else spread,
                  num_prompts=prompts if batch is None else 0)
    aggregate = agg_text == "1" or (agg_text == "" and (batch is None or setup.batch > 1))
    # llama-bench (tgN) decodes from an empty context (+ -d depth); servers decode after the prompt.
    decode_depth = depth + gen / 2 + (0 if backend == "llama.cpp" else prompt)
    return CaseRow(r.row, "", setup, float(decode_depth), aggregate, batch is None, dev_note + model_note)


def _quant(r: _RowReader, res: Resolver) -> Quant:
    qname = r.text("quant")
    quant = res.lookup("quant", qname) if qname else None
    if quant is None:
        raise CaseErrorSignal("quant", f"unknown quant {qname!r}" if qname else "empty")
    return quant  # type: ignore[no-any-return]


def _fill_empty_batches(rows: list[CaseRow]) -> list[CaseRow]:
    """Rows whose batch was empty get the maximum useful concurrency within memory (vectorised)."""
    idx = [i for i, c in enumerate(rows) if c.batch_was_empty]
    if not idx:
        return rows
    batches = max_useful_batches([rows[i].setup for i in idx])
    # a run of fewer requests than fit never has more running at once
    batches = np.minimum(batches, [rows[i].setup.num_prompts or batches.max() for i in idx])
    made: dict[tuple[int, int], Setup] = {}
    for i, b in zip(idx, batches.tolist(), strict=True):
        key = (id(rows[i].setup), b)
        if key not in made:
            s = rows[i].setup
            # the batch was sized at the paged KV a serving sequence holds on average (prompt + gen / 2): the fit
            # check must use the same context, or the batch it chose reads as not fitting
            paged = s.backend in SERVING_BACKENDS and s.context_tokens is None
            made[key] = replace(s, batch=int(b), context_tokens=paged_context_tokens(
                s.prompt_tokens, s.gen_tokens, s.context_depth) if paged else s.context_tokens)
        rows[i].setup = made[key]
    return rows


def evaluate_cases(rows: list[CaseRow], calibration: Calibration | None = None) -> tuple[Results, np.ndarray]:
    """Results for the rows and the tg figure each row asks for (aggregate or per stream) [tok/s]."""
    res = evaluate([c.setup for c in rows], calibration, decode_depth=[c.decode_depth for c in rows],
                   validate_inputs=False)
    agg = np.fromiter((c.aggregate for c in rows), bool, len(rows))
    serving = np.fromiter((c.setup.backend in SERVING_BACKENDS for c in rows), bool, len(rows))
    tg = np.where(agg, np.where(serving, res.serving_tok_s, res.tg_tok_s), res.tg_tok_s_per_user)
    return res, tg


def prefill_as_measured(rows: Sequence[CaseRow]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """How each row measured its prefill figure, and its prompt:

    - TTFT rows measured prompt / time to first token (it also holds the first decode step): compared with
      prompt / ``ttft_s``;
    - batch rows measured the prompt tokens of a whole batch over the time a serving engine took to prefill them
      together (aggregate rows of vLLM, SGLang or TensorRT-LLM at batch > 1: ``bench_one_batch``, prefill nodes
      of a disaggregated deployment): compared with ``batch_pp_tok_s``;
    - all others measured one prompt's rate: compared with ``pp_tok_s``.
    """
    ttft = np.fromiter((c.pp_is_ttft for c in rows), bool, len(rows))
    batch = np.fromiter((c.aggregate and c.setup.batch > 1 and c.setup.backend in SERVING_BACKENDS and not c.pp_is_ttft
                         for c in rows), bool, len(rows))
    prompt = np.fromiter((max(c.setup.prompt_tokens, 1) for c in rows), float, len(rows))
    return ttft, batch, prompt


def prefill_figure(res: Results, ttft: np.ndarray, batch: np.ndarray, prompt: np.ndarray) -> np.ndarray:
    """The estimated prefill figure in the rows' own terms (`prefill_as_measured`) [tok/s]."""
    out = np.where(batch, res.batch_pp_tok_s, res.pp_tok_s) if batch.any() else res.pp_tok_s
    return np.where(ttft, prompt / np.maximum(res.ttft_s, 1e-12), out) if ttft.any() else out


def result_rows(rows: list[CaseRow], calibration: Calibration | None = None) -> list[tuple]:
    """Output rows (values in OUTPUT_COLUMNS order) for good case rows; formatted column by column."""
    if not rows:
        return []
    res, tg = evaluate_cases(rows, calibration)
    scale = tg / np.maximum(res.tg_tok_s, 1e-12)

    def fmt(values: np.ndarray, spec: str) -> list[str]:
        return [format(v, spec) for v in values.tolist()]

    notes = []
    for i, c in enumerate(rows):
        parts = list(c.notes)
        if c.batch_was_empty:
            parts.append(f"batch empty: max useful concurrency {c.setup.batch}")
        if res.reasons[i]:
            parts.append(res.reasons[i])
        notes.append("; ".join(parts))
    return list(zip(
        [c.case_id for c in rows], res.fits.astype(int).tolist(), fmt(res.weights_gb, ".3f"), fmt(res.kv_gb, ".3f"),
        fmt(res.total_gb, ".3f"), fmt(prefill_figure(res, *prefill_as_measured(rows)), ".2f"), fmt(tg, ".3f"), fmt(res.usable_gb, ".2f"),
        res.max_context_tokens.tolist(), [c.setup.batch for c in rows], fmt(res.tg_band[:, 0] * scale, ".3f"),
        fmt(res.tg_band[:, 1] * scale, ".3f"), res.limiting.tolist(), notes, strict=True))


def write_rows(path: str | Path, rows: list[tuple]) -> None:
    """Write `result_rows` output as CSV with the OUTPUT_COLUMNS header."""
    with atomic_write(path, newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(OUTPUT_COLUMNS)
        w.writerows(neutralise_row(r) for r in rows)  # case ids and notes: no spreadsheet formulas
