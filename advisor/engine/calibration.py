"""Fit the few efficiency constants on measured benchmarks and score the fit (per category, leave-one-out).

The fit minimises a robust (soft-L1) loss of log(predicted / measured) for decode and prefill with
scipy.optimize.least_squares inside physically meaningful bounds (`constants.CONSTANT_BOUNDS`). Only
constants that the data can inform are freed; the rest keep their defaults. Scores are MdAPE (median absolute
percentage error) and p90 of the absolute percentage error, per category.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.optimize import least_squares

from advisor.atomic import atomic_write
from advisor.engine.build import ERA_CONSTANTS, era_class
from advisor.engine.cases import CaseRow, prefill_as_measured, prefill_figure
from advisor.engine.constants import (
    CONSTANT_BOUNDS,
    DEFAULT_CONSTANTS,
    FIXED_CONSTANTS,
    SERVING_BACKENDS,
    Calibration,
    device_class,
    gemm_class,
    kernel_class,
)
from advisor.engine.sweep import Prepared, compute, prepare
from advisor.progress import ProgressCallback

CATEGORIES = ("single GPU", "Apple", "multi-GPU layer", "tensor parallel", "batched", "serving at load", "MoE",
              "offload", "AMD", "long depth")
FORMAT = "rig-advisor-calibration/1"
DEVICE_WEIGHTING = True


@dataclass(frozen=True)
class Score:
    n: int
    mdape: float  # median |pred/meas - 1| [fraction]
    p90: float  # 90th percentile of |pred/meas - 1| [fraction]


def _score(ratios: np.ndarray) -> Score:
    if ratios.size == 0:
        return Score(0, float("nan"), float("nan"))
    ape = np.abs(ratios - 1.0)
    return Score(int(ratios.size), float(np.median(ape)), float(np.quantile(ape, 0.9)))


class Problem:
    """The rows prepared once; `predict(constants)` gives (tg, pp) predictions for the measured rows."""

    def __init__(self, rows: Sequence[CaseRow]) -> None:
        self.rows = list(rows)
        self.prep: Prepared = prepare([r.setup for r in rows], decode_depth=[r.decode_depth for r in rows],
                                      validate_inputs=False)
        n = len(rows)
        self.tg_meas = np.array([r.measured_tg_tok_s or np.nan for r in rows], dtype=float)
        self.pp_meas = np.array([r.measured_pp_tok_s or np.nan for r in rows], dtype=float)
        self.tg_mask = np.isfinite(self.tg_meas)
        self.pp_mask = np.isfinite(self.pp_meas)
        self.agg = np.fromiter((r.aggregate for r in rows), bool, n)
        self.pp_ttft, self.pp_batch, self.prompt = prefill_as_measured(self.rows)
        self.serving = self.prep.a["serving"]
        self.cats = [set(self.prep.categories[i]) for i in range(n)]
        # Each device counts about equally in the fit, whatever its row count (one publisher's sweep of 75 rows
        # on one card must not set the constants for every other card): residual weight 1/sqrt(rows of device).
        names = [r.setup.device.name for r in rows]
        per_dev = {d: names.count(d) for d in set(names)}
        w = np.array([1.0 / np.sqrt(per_dev[d]) for d in names]) if DEVICE_WEIGHTING else np.ones(n)
        self.weight = np.sqrt(w / w.mean()) if n else w

    def predict(self, constants: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
        res = compute(self.prep, Calibration(constants=constants))
        tg = np.where(self.agg, np.where(self.serving, res.serving_tok_s, res.tg_tok_s), res.tg_tok_s_per_user)
        return tg, prefill_figure(res, self.pp_ttft, self.pp_batch, self.prompt)

    def ratios(self, constants: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
        """pred / measured for every row (nan where not measured)."""
        tg, pp = self.predict(constants)
        return tg / self.tg_meas, pp / self.pp_meas


def free_constants(rows: Sequence[CaseRow]) -> list[str]:
    """The constants this data can inform: per device class and per backend present in the rows."""
    classes = {device_class(r.setup.device) for r in rows if r.setup.offload != "cpu_only"}
    backends = {r.setup.backend for r in rows}
    names = [f"bw_eff.{c}" for c in sorted(classes) if c != "cpu"]
    # per-layer latency relative to discrete NVIDIA cards (the reference, fixed at 1)
    names += [f"layer_latency.{c}" for c in sorted(classes) if c in ("amd", "apple", "apu")]
    # llama.cpp (no/old flash attention in most published runs) reads KV and does attention less efficiently
    # than the serving engines' paged flash-attention kernels: separate factors when both are present.
    for what in ("kv_read_factor", "attn_flop_factor"):
        names += [f"{what}.llama.cpp"] if "llama.cpp" in backends else []
        names += [f"{what}.default"] if backends - {"llama.cpp"} else []
    # Sustained GEMMs are board-power bound (a harmonic rate ceiling k x TDP in FP16-equivalent operations):
    # the weight-only engines' MMQ kernels and each serving kernel class's float GEMMs have their k.
    names += ["prefill_tflops_per_w.default"]
    names += list(dict.fromkeys(f"prefill_tflops_per_w.{kernel_class(b)}" for b in sorted(backends & set(SERVING_BACKENDS))))
    # Apple GPUs and the AMD APUs (Strix Halo: a power and thermal budget shared with the CPU cores) reach their
    # own share of the listed peak in prefill GEMMs
    names += [f"prefill_dev.{c}" for c in ("apple", "apu")
              if any(device_class(r.setup.device) == c and r.measured_pp_tok_s for r in rows)]
    names += ["quant_penalty.default", "layer_hop_s.default",
              "gemm_half_rows.default", "prefill_quant_penalty.default"]
    # Host-side cost of a decode step grows with the kernels launched, i.e. with the layers; it differs by
    # engine (CUDA graphs or not, Python in the loop, CPU-GPU sync for offload). One fixed part for all.
    names.append("step_overhead_s.default")
    names += ["step_overhead_s.llama.cpp"] if "llama.cpp" in backends else []
    # Dequantisation arithmetic hides behind weight reads only partly (slow-compute devices show it).
    names.append("overlap_loss.default")
    names.append("dequant_ops.default")
    for b in sorted(backends):
        names.append(f"layer_overhead_s.{b if b in ('llama.cpp', 'mlx', 'exllamav2', 'ktransformers') else 'default'}")
        names.append(f"prefill_eff.{b if b in ('llama.cpp', 'mlx') else kernel_class(b) if b in SERVING_BACKENDS else 'default'}")
    # Older builds of a backend get their own values of the constants that changed between eras (build.py).
    for cls in sorted({era_class(r.setup.backend, r.setup.build) for r in rows} - backends):
        names += [f"{what}.{cls}" for what in ERA_CONSTANTS]
    if any(r.setup.model.n_routed_experts > 0 and (r.measured_pp_tok_s or r.setup.batch > 1) for r in rows):
        names.append("moe_gemm_eff.default")
        # ROCm/Vulkan grouped GEMMs (Strix Halo, Radeon) run well below CUDA's: their own value where rows show it
        if any(gemm_class(r.setup.device) == "amd" and r.setup.model.n_routed_experts > 0 for r in rows):
            names.append("moe_gemm_eff.amd")
    if any(r.setup.model.n_routed_experts > 0 and r.setup.parallel == "tensor" and r.setup.count > 1 for r in rows):
        names.append("moe_half_width.default")
    if any(r.setup.model.n_routed_experts > 0 and r.measured_tg_tok_s and r.setup.backend not in SERVING_BACKENDS
           for r in rows):
        names.append("moe_layer_ops.default")
    if any(r.setup.model.attention_kind == "dsv4" for r in rows):
        names.append("layer_ops.dsv4")
    if any(r.setup.batch > 1 and r.setup.backend not in SERVING_BACKENDS for r in rows):
        names.append("decode_compute_eff.default")
    # batched decode GEMMs per kernel class: weight-only engines, vLLM/SGLang, TensorRT-LLM
    names += list(dict.fromkeys(f"decode_compute_eff.{kernel_class(r.setup.backend)}" for r in rows
                                if r.setup.batch > 1 and r.setup.backend in SERVING_BACKENDS))
    # Per-sequence host cost of a step (scheduler, sampling): the Python schedulers (vLLM, SGLang) share one;
    # llama.cpp has its own; TensorRT-LLM's C++ executor keeps its fixed 0.
    if any(r.setup.batch > 1 and r.setup.backend in ("vllm", "sglang") for r in rows):
        names.append("seq_overhead_s.default")
    if any(r.setup.batch > 1 and r.setup.backend == "llama.cpp" for r in rows):
        names.append("seq_overhead_s.llama.cpp")
    if any(r.setup.offload != "none" for r in rows):
        names += ["host_bw_eff.default", "host_compute_eff.default"]
    if any(r.setup.parallel in ("tensor", "expert") and r.setup.count > 1 for r in rows):
        names.append("allreduce_latency_s.default")
    return list(dict.fromkeys(n for n in names if n and n not in FIXED_CONSTANTS))


def fit_constants(rows: Sequence[CaseRow], start: dict[str, float] | None = None,
                  names: Sequence[str] | None = None, problem: Problem | None = None,
                  fallback: dict[str, float] | None = None) -> dict[str, float]:
    """Constants minimising the robust log error on ``rows``. The free ones start at ``start`` (or the defaults);
    the others, and free ones the rows cannot inform, stay at ``start`` or, when given, at ``fallback``."""
    prob = problem or Problem(rows)
    base = dict(DEFAULT_CONSTANTS if start is None else start)
    kept = dict(base if fallback is None else {**base, **fallback})
    free = list(names or free_constants(rows))
    lo = np.array([CONSTANT_BOUNDS[n.split(".")[0]][0] for n in free])
    hi = np.array([CONSTANT_BOUNDS[n.split(".")[0]][1] for n in free])
    # Fit in scaled units so seconds-sized constants move as readily as fractions.
    scale = np.maximum(hi, 1e-9)
    x0 = np.clip(np.array([base.get(n, DEFAULT_CONSTANTS.get(n, 0.5 * (lo[i] + hi[i]))) for i, n in enumerate(free)]),
                 lo, hi) / scale
    x_kept = np.clip(np.array([kept.get(n, DEFAULT_CONSTANTS.get(n, 0.5 * (lo[i] + hi[i])))
                               for i, n in enumerate(free)]), lo, hi) / scale

    def residuals(x: np.ndarray) -> np.ndarray:
        c = dict(kept)
        c.update(zip(free, x * scale, strict=True))
        tg_r, pp_r = prob.ratios(c)
        r = np.concatenate([np.log(tg_r[prob.tg_mask]) * prob.weight[prob.tg_mask],
                            np.log(pp_r[prob.pp_mask]) * prob.weight[prob.pp_mask]])
        return np.nan_to_num(r, nan=5.0, posinf=5.0, neginf=-5.0)

    # The robust loss has several local minima (constants trade against each other): start from the given values
    # and from the built-in defaults and keep the better fit, so a refit does not just stay where the last one was.
    x_def = np.clip(np.array([DEFAULT_CONSTANTS.get(n, 0.5 * (lo[i] + hi[i])) for i, n in enumerate(free)]),
                    lo, hi) / scale
    sols = [least_squares(residuals, x, bounds=(lo / scale, hi / scale), loss="soft_l1", f_scale=0.1,
                          x_scale="jac", max_nfev=400) for x in ([x0, x_def] if not np.allclose(x0, x_def) else [x0])]
    sol = min(sols, key=lambda s: s.cost)
    # A constant the rows cannot inform (zero Jacobian column: e.g. the CPU prefill share when the training
    # rows have offload decode but no offload prefill) keeps its start value instead of wandering to a bound.
    x = np.where(np.linalg.norm(np.asarray(sol.jac), axis=0) > 1e-12, sol.x, x_kept)
    out = dict(kept)
    out.update({n: float(v) for n, v in zip(free, x * scale, strict=True)})
    return out


def scores(prob: Problem, tg_ratio: np.ndarray, pp_ratio: np.ndarray) -> dict[str, dict[str, Score]]:
    """Per category (and 'all'): decode and prefill scores."""
    out: dict[str, dict[str, Score]] = {}
    for cat in ("all", *CATEGORIES):
        sel = np.array([cat == "all" or cat in c for c in prob.cats], dtype=bool)
        out[cat] = {"tg": _score(tg_ratio[sel & prob.tg_mask]), "pp": _score(pp_ratio[sel & prob.pp_mask])}
    return out


def resampled_mdape(ratios: np.ndarray, groups: Sequence[str], draws: int = 2000,
                    seed: int = 0) -> np.ndarray:
    """MdAPE of ``ratios`` under resampling of whole groups (sources) with replacement: ``draws`` values.

    How firm a held-out median is: another sample of public sources could have been gathered. Each draw picks as
    many groups as there are, with replacement; a group drawn twice counts its rows twice. The median of a draw
    is its weighted median (NaN ratios are ignored)."""
    ratios = np.asarray(ratios, dtype=float)
    keep = np.isfinite(ratios)
    names, codes = np.unique(np.asarray(groups, dtype=object)[keep].astype(str), return_inverse=True)
    if names.size == 0:
        return np.full(draws, np.nan)
    ape = np.abs(ratios[keep] - 1.0)
    order = np.argsort(ape, kind="stable")
    ape, codes = ape[order], codes[order]
    rng = np.random.default_rng(seed)
    out = np.empty(draws)
    for start in range(0, draws, 256):  # bounded memory: 256 draws x rows at a time
        n = min(256, draws - start)
        # times each group is drawn when as many groups as there are are drawn with replacement
        counts = rng.multinomial(names.size, np.full(names.size, 1.0 / names.size), size=n)
        cum = np.cumsum(counts[:, codes], axis=1)
        half = cum[:, -1:] / 2.0
        # the mean of the lower and upper weighted medians: np.median's value when no group is drawn twice
        out[start:start + n] = 0.5 * (ape[np.argmax(cum >= half, axis=1)] + ape[np.argmax(cum > half, axis=1)])
    return out


def bands(prob: Problem, tg_ratio: np.ndarray, pp_ratio: np.ndarray) -> dict[str, dict[str, list[float]]]:
    """p10/p90 of measured/predicted per primary category (>= 5 rows) and 'all', for the estimate bands."""
    out: dict[str, dict[str, list[float]]] = {"tg": {}, "pp": {}}
    primary = np.array([r[0] for r in prob.prep.categories], dtype=object)
    for kind, ratio, mask in (("tg", tg_ratio, prob.tg_mask), ("pp", pp_ratio, prob.pp_mask)):
        inv = 1.0 / ratio
        mask = mask & np.isfinite(inv)
        if not mask.any():
            continue
        # the band always brackets the estimate itself (p10 <= 1 <= p90), even where a category leans one way
        out[kind]["all"] = [min(float(np.quantile(inv[mask], 0.1)), 1.0), max(float(np.quantile(inv[mask], 0.9)), 1.0)]
        for cat in CATEGORIES:
            sel = mask & (primary == cat)
            if sel.sum() >= 5:
                out[kind][cat] = [min(float(np.quantile(inv[sel], 0.1)), 1.0),
                                  max(float(np.quantile(inv[sel], 0.9)), 1.0)]
    return out


def leave_one_device_out(rows: Sequence[CaseRow], constants: dict[str, float],
                         progress_callback: ProgressCallback | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Predict every row with constants fitted WITHOUT any row of its device (hardware name); ratios."""
    return leave_group_out(rows, constants, lambda r: r.setup.device.name, progress_callback)


def leave_group_out(rows: Sequence[CaseRow], constants: dict[str, float], group_of: Callable[[CaseRow], str],
                    progress_callback: ProgressCallback | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Predict every row with constants fitted WITHOUT any row of its group (device, device family, source);
    pred/measured ratios per row (nan where not measured)."""
    prob = Problem(rows)
    tg_ratio = np.full(len(rows), np.nan)
    pp_ratio = np.full(len(rows), np.nan)
    labels = [group_of(r) for r in rows]
    groups = sorted(set(labels))
    for i, g in enumerate(groups):
        train = [r for r, lab in zip(rows, labels, strict=True) if lab != g]
        test_idx = np.array([j for j, lab in enumerate(labels) if lab == g])
        # Every constant starts from, and any the training rows cannot inform stays at, its built-in default: a
        # value fitted WITH the held-out group must not reach its prediction, not even as the start of the search
        # (the loss has several local minima; a start at the full fit would pick the one that suits the held-out
        # rows). A source alone in its backend or device class is predicted from defaults.
        c = fit_constants(train, start=DEFAULT_CONSTANTS, names=free_constants(train), fallback=DEFAULT_CONSTANTS) \
            if train else dict(constants)
        t, p = prob.ratios(c)
        tg_ratio[test_idx], pp_ratio[test_idx] = t[test_idx], p[test_idx]
        if progress_callback is not None:  # advisor.progress: raising Cancelled stops the whole calibration
            progress_callback((i + 1) / len(groups), f"left out {g}")
    return tg_ratio, pp_ratio


_FAMILIES = (  # (pattern on the lower-case hardware name, family): first match wins
    (r"apple m(\d)", "Apple M{0}"), (r"rtx 20\d\d|titan rtx|quadro rtx", "NVIDIA Turing"),
    (r"rtx 30\d\d|rtx a\d000|a40\b|a10\b", "NVIDIA Ampere workstation/consumer"),
    (r"a100|a800|a30\b", "NVIDIA Ampere datacenter"), (r"rtx 40\d\d|ada|l40|l4\b", "NVIDIA Ada"),
    (r"h100|h200|h800|h20\b|gh200", "NVIDIA Hopper"), (r"rtx 50\d\d|b200|b100|gb200|blackwell|spark|gb10",
                                                         "NVIDIA Blackwell"),
    (r"amd|radeon|instinct|ryzen|epyc", "AMD"), (r"xeon|intel|arc", "Intel"))


def device_family(name: str) -> str:
    """Architecture family of a hardware name, for leave-one-family-out checks ("Apple M3", "NVIDIA Ada")."""
    low = name.lower()
    for pattern, family in _FAMILIES:
        if m := re.search(pattern, low):
            return family.format(*m.groups())
    return "other"


def source_of(row: CaseRow) -> str:
    """The benchmark source of a calibration row: the publisher's repository, plus the thread (pull/N,
    issues/N, discussions/N) or the file when a repository hosts several independent ones (the llama.cpp
    repository holds many contributors' tables), e.g. "github.com/ggml-org/llama.cpp/pull/4766".

    >>> from types import SimpleNamespace as S
    >>> source_of(S(source="github.com/ggml-org/llama.cpp benches/dgx-spark.md (file version ...)"))
    'github.com/ggml-org/llama.cpp benches/dgx-spark.md'
    >>> source_of(S(source="github.com/antirez/ds4 speed-bench/m3_ultra.csv (commit 3f90ee16)"))
    'github.com/antirez/ds4'
    """
    words = (row.source or "").split()
    src = words[0] if words else ""
    parts = src.split("/")
    if not (parts and parts[0].startswith("github.com")):
        return parts[0] if parts else ""
    if len(parts) >= 5 and parts[3] in ("pull", "issues", "discussions"):
        return "/".join(parts[:5])
    repo = "/".join(parts[:3])
    if repo in MULTI_SOURCE_REPOS and len(words) > 1:
        return f"{repo} {words[1]}"
    return repo


# Repositories whose files/threads are independent publishers' measurements (counted as separate sources).
MULTI_SOURCE_REPOS = ("github.com/ggml-org/llama.cpp",)


def sha256_file(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def calibrate(rows: Sequence[CaseRow], dataset_sha256: str = "", dataset_name: str = "", lodo: bool = True,
              progress_callback: ProgressCallback | None = None) -> dict:
    """Fit, score and build the calibration.json document.

    With ``lodo`` the p10-p90 bands come from leave-one-device-out residuals (what a device the data has never
    seen should expect) and the LODO scores are stored too; otherwise from the in-sample residuals.
    """
    prob = Problem(rows)
    constants = fit_constants(rows, problem=prob)
    tg_r, pp_r = prob.ratios(constants)
    sc = scores(prob, tg_r, pp_r)
    doc = {
        "format": FORMAT,
        "dataset": dataset_name,
        "dataset_sha256": dataset_sha256,
        "fitted_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "n_rows": len(rows),
        "constants": {k: round(v, 7) for k, v in sorted(constants.items())},
        "free_constants": free_constants(rows),
        "bands_from": "in-sample residuals",
        "bands": bands(prob, tg_r, pp_r),
        "fidelity": {cat: {k: s.__dict__ for k, s in d.items()} for cat, d in sc.items()},
    }
    if lodo:
        tg_l, pp_l = leave_one_device_out(rows, constants, progress_callback)
        doc["bands_from"] = "leave-one-device-out residuals"
        doc["bands"] = bands(prob, tg_l, pp_l)
        doc["fidelity_lodo"] = {cat: {k: s.__dict__ for k, s in d.items()}
                                for cat, d in scores(prob, tg_l, pp_l).items()}
    return doc


def write_calibration(doc: dict, path: str | Path) -> None:
    with atomic_write(path, encoding="utf-8") as fh:
        fh.write(json.dumps(doc, indent=2) + "\n")


def format_scores(sc: dict[str, dict[str, Score]], title: str = "") -> str:
    lines = [title] if title else []
    lines.append(f"{'category':<18}{'decode n':>9}{'MdAPE':>8}{'p90':>8}{'prefill n':>11}{'MdAPE':>8}{'p90':>8}")
    for cat, d in sc.items():
        t, p = d["tg"], d["pp"]
        lines.append(f"{cat:<18}{t.n:>9}{_pct(t.mdape):>8}{_pct(t.p90):>8}{p.n:>11}{_pct(p.mdape):>8}{_pct(p.p90):>8}")
    return "\n".join(lines)


def _pct(x: float) -> str:
    return "-" if not np.isfinite(x) else f"{100 * x:.1f}%"
