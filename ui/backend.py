"""The app's one door to the engine: catalog records -> engine inputs -> estimate / recommend / sweep.

No Qt. Each function here is what a background job runs (Orange3 style: `run(..., progress_callback)` testable
without a GUI). Catalog records become engine inputs here and in advisor.engine.scenario (recommend).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from advisor.engine import estimate, estimate_many
from advisor.engine.recommend import recommend
from advisor.engine.scenario import scenario_from_json
from advisor.engine.types import Device, Estimate, Host, ModelArch, Quant, Recommendation, Setup
from advisor.errors import InputError, NotFoundError
from ui.state import ScenarioSnapshot
from ui.store import MemoryStore

log = logging.getLogger(__name__)
Progress = Callable[[float], bool]  # fraction done [0..1] -> True to cancel


class Cancelled(Exception):
    """The user cancelled a background job."""


def _need(store: MemoryStore, kind: str, key: str) -> Any:
    rec = store.get(kind, key)
    if rec is None:
        names = ", ".join(sorted(getattr(r, "id", "") for r in store.records(kind))[:8])
        raise NotFoundError(f"{key!r} is not in the catalog (known: {names})", field=kind)
    return rec


def to_device(rec: Any) -> Device:
    return Device(
        name=rec.name,
        kind=rec.kind,
        vendor=rec.vendor,
        memory_gb=rec.memory_gb,
        bandwidth_gbs=rec.bandwidth_gbs,
        fp16_tflops=rec.fp16_tflops,
        fp8_tflops=rec.fp8_tflops,
        fp4_tflops=rec.fp4_tflops,
        unified_memory=rec.unified_memory,
        gpu_memory_share=rec.gpu_memory_share,
        tdp_w=rec.tdp_w,
        idle_w=rec.idle_w,
        link=rec.link,
        link_bandwidth_gbs=rec.link_bandwidth_gbs,
    )


def to_host(rec: Any) -> Host:
    return Host(
        name=rec.name,
        ram_gb=rec.ram_gb,
        ram_bandwidth_gbs=rec.ram_bandwidth_gbs,
        cpu_tflops=rec.cpu_tflops,
        idle_w=rec.idle_w,
        load_w=rec.load_w,
    )


def to_model(rec: Any) -> ModelArch:
    fields = set(ModelArch.__dataclass_fields__)
    data = {k: v for k, v in rec.model_dump().items() if k in fields}
    data["name"] = rec.name
    return ModelArch(**data)


def native_quant(model: Any) -> Quant:
    """The checkpoint as released: its published size when known, else 16 bits per weight."""
    bpw = (model.native_size_gb * 8 / model.total_params_b) if model.native_size_gb else 16.0
    return Quant(name="native", bits_per_weight=bpw, family="native")


def _find_quant(store: MemoryStore, name: str) -> Any:
    for q in store.records("quants"):
        if name.lower() in (str(getattr(q, "id", "")).lower(), str(getattr(q, "name", "")).lower()):
            return q
    return None


def quant_for(store: MemoryStore, name: str, model: Any) -> Quant:
    """A Quant by catalog name or id, or `native`."""
    if name.lower() == "native":
        return native_quant(model)
    rec = _find_quant(store, name)
    if rec is None:
        raise NotFoundError(f"{name!r} is not a known quant", field="quant")
    return Quant(name=rec.name, bits_per_weight=rec.bits_per_weight, family=rec.family, compute=rec.compute)


@dataclass(frozen=True)
class QuickQuery:
    """What the Quick check page asks: hardware x count, model x quant, context and load."""

    hardware: str
    count: int
    model: str
    quant: str
    context_tokens: int
    batch: int = 1
    backend: str = "llama.cpp"
    prompt_tokens: int = 2000
    kv_dtype: str = "f16"
    parallel: str = "layer"


def quick_estimate(store: MemoryStore, q: QuickQuery) -> Estimate:
    """Fit + speed of one setup [GB, tok/s, s]; raises InputError for unknown names or bad numbers."""
    if q.count < 1:
        raise InputError("must be at least 1", field="count")
    if q.context_tokens < 1:
        raise InputError("must be at least 1 token", field="context")
    hw = _need(store, "hardware", q.hardware)
    model = _need(store, "models", q.model)
    setup = Setup(
        device=to_device(hw),
        model=to_model(model),
        quant=quant_for(store, q.quant, model),
        count=q.count,
        backend=q.backend,
        parallel=q.parallel if q.count > 1 else "none",
        batch=q.batch,
        prompt_tokens=min(q.prompt_tokens, q.context_tokens),
        gen_tokens=0,
        kv_dtype=q.kv_dtype,
        context_tokens=q.context_tokens,
    )
    return estimate(setup)


def setup_for_system(
    store: MemoryStore,
    system_id: str,
    model_id: str,
    quant: str,
    batch: int = 1,
    prompt_tokens: int = 2000,
    gen_tokens: int = 500,
) -> tuple[Setup, float, str]:
    """Engine Setup for a catalog system, its price [USD] (system price, else parts) and display name."""
    sysrec = _need(store, "systems", system_id)
    hw = _need(store, "hardware", sysrec.accelerator)
    host = store.get("hosts", sysrec.host)
    model = _need(store, "models", model_id)
    setup = Setup(
        device=to_device(hw),
        model=to_model(model),
        quant=quant_for(store, quant, model),
        count=sysrec.count,
        host=to_host(host) if host is not None else None,
        parallel="layer" if sysrec.count > 1 else "none",
        batch=batch,
        prompt_tokens=prompt_tokens,
        gen_tokens=gen_tokens,
    )
    return setup, _system_price(sysrec, hw, host), sysrec.name


def _system_price(sysrec: Any, hw: Any, host: Any, condition: str = "new") -> float:
    def pick(prices: list[Any]) -> float:
        same = [p for p in prices if p.condition == condition] or list(prices)
        return min(p.price_usd for p in same) if same else 0.0

    if sysrec.prices:
        return pick(sysrec.prices)
    return (
        pick(hw.prices) * sysrec.count + (pick(host.prices) if host is not None else 0.0) + sysrec.extras_usd
    )


def run_recommend(
    store: MemoryStore, snap: ScenarioSnapshot, progress_callback: Progress | None = None
) -> Recommendation:
    """The recommendation for a scenario snapshot (what the Scenarios page shows).

    progress_callback(fraction) returning True cancels: the job stops with Cancelled.
    """
    wl = snap.workload
    if not wl.model:
        raise InputError("choose a model", field="workload.model")
    if not snap.candidates:
        raise InputError("tick at least one candidate system", field="candidates")
    if not snap.api_offers:
        raise InputError("tick at least one API offer", field="api_offers")
    scenario = scenario_from_json(snap.to_json_dict())

    def progress(fraction: float, _what: str = "") -> None:
        if progress_callback is not None and progress_callback(fraction):
            raise Cancelled()

    return recommend(scenario, store.catalog(), progress)


CONTEXT_POINTS = (512, 1024, 2048, 4096, 8192, 16384, 32768, 65536, 131072)


def throughput_curve(
    store: MemoryStore,
    system_id: str,
    model_id: str,
    quant: str,
    contexts: tuple[int, ...] = CONTEXT_POINTS,
    batch: int = 1,
) -> list[Estimate]:
    """One estimate per context length [tokens] for a catalog system (decode at that depth, prefill of it),
    with `batch` sequences decoding at once on one unit (the per-user rate then matches the candidates table)."""
    setup, _, _ = setup_for_system(store, system_id, model_id, quant, batch=max(1, batch))
    from dataclasses import replace

    setups = [replace(setup, prompt_tokens=c, gen_tokens=1, context_tokens=c) for c in contexts]
    return list(estimate_many(setups))  # one vectorised call for the whole curve


@dataclass(frozen=True)
class ScenarioResult:
    """What one recompute of the Scenarios page produces."""

    revision: int
    recommendation: Recommendation
    focus_id: str | None  # candidate_key of the focused candidate
    focus_name: str
    contexts: tuple[int, ...]
    curve: tuple[Estimate, ...]
    curve_batch: int = 1  # concurrent sequences per unit the curve was computed at


def candidate_key(cand: Any) -> str:
    """A candidate's identity in the results: system id and quant (one system appears once per quant)."""
    return f"{cand.system_id}|{cand.quant}"


def compute_scenario(
    store: MemoryStore,
    snap: ScenarioSnapshot,
    focus_id: str | None = None,
    progress_callback: Progress | None = None,
) -> ScenarioResult:
    """Recommendation + the throughput curve of the focused (default: recommended) candidate."""
    rec = run_recommend(store, snap, progress_callback)
    keys = [candidate_key(c) for c in rec.candidates if c.fits]
    if focus_id not in keys:
        focus_id = (
            candidate_key(rec.recommended) if rec.recommended is not None else (keys[0] if keys else None)
        )
    curve: list[Estimate] = []
    name = ""
    batch = 1
    if focus_id is not None:
        cand = next(c for c in rec.candidates if candidate_key(c) == focus_id)
        name = f"{cand.name} ({cand.quant})"
        # the recommender loads each unit with ceil(peak / units) users: plot the same load
        batch = math.ceil(max(1, snap.workload.peak_concurrency) / max(1, cand.units))
        curve = throughput_curve(store, cand.system_id, snap.workload.model, cand.quant, batch=batch)
    return ScenarioResult(snap.revision, rec, focus_id, name, CONTEXT_POINTS, tuple(curve), batch)
