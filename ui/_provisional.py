"""A stand-in for advisor.engine while that package is being written (same signatures, rough formulas).

ui.backend uses the real engine as soon as `advisor.engine.estimate` / `advisor.engine.recommend.recommend`
import; this module only keeps the desktop app usable (and testable) in a checkout without them. The formulas
follow DESIGN §3 in their simplest form: memory-bound decode, compute-bound prefill, straight-line economics.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from advisor.engine.types import (
    KV_DTYPE_BYTES,
    CandidateResult,
    Estimate,
    Finance,
    Recommendation,
    SensitivityBar,
    Setup,
    Workload,
)

EFF_BW = 0.7  # share of peak memory bandwidth decode achieves
EFF_PREFILL = 0.45  # share of peak FP16 TFLOPS prefill achieves
OVERHEAD_GB_PER_DEVICE = 1.0


def estimate(setup: Setup) -> Estimate:
    """Fit and speed of one setup [GB, tok/s, s]; see DESIGN §3.1-3.2."""
    m, d, q = setup.model, setup.device, setup.quant
    if q.name.lower() == "native" and m.native_size_gb:
        weights_gb = m.native_size_gb
    else:
        weights_gb = m.total_params_b * q.bits_per_weight / 8
    kv_bytes = KV_DTYPE_BYTES.get(setup.kv_dtype, 2.0)
    if m.kv_bytes_per_token_f16:
        kv_per_tok = m.kv_bytes_per_token_f16 * kv_bytes / 2
    elif m.attention_kind == "mla":
        kv_per_tok = m.num_layers * (m.kv_lora_rank + m.qk_rope_head_dim) * kv_bytes
    else:
        kv_per_tok = 2 * m.num_layers * m.num_kv_heads * m.head_dim * kv_bytes
    context = setup.context_tokens or (setup.prompt_tokens + setup.gen_tokens + setup.context_depth)
    kv_gb = kv_per_tok * context * setup.batch / 1e9
    overhead_gb = OVERHEAD_GB_PER_DEVICE * setup.count
    share = d.gpu_memory_share if d.unified_memory else 1.0
    usable_gb = d.memory_gb * share * setup.count - 0.5 * setup.count
    total_gb = weights_gb + kv_gb + overhead_gb
    fits = total_gb <= usable_gb
    free_gb = usable_gb - weights_gb - overhead_gb
    max_ctx = int(max(0.0, free_gb) * 1e9 / kv_per_tok / max(1, setup.batch)) if kv_per_tok else 0
    active_gb = m.active_params_b * q.bits_per_weight / 8
    bw_count = setup.count if setup.parallel == "tensor" else 1
    step_s = (active_gb + kv_per_tok * context / 2e9 * setup.batch) / (d.bandwidth_gbs * EFF_BW * bw_count)
    tg_user = 1.0 / (step_s + 0.002)
    tg = tg_user * setup.batch * (1.0 if setup.batch == 1 else 0.8)
    pp = d.fp16_tflops * 1e12 * EFF_PREFILL * setup.count / (2 * m.active_params_b * 1e9)
    ttft = setup.prompt_tokens / pp
    reason = (
        f"needs {total_gb:.1f} GB, {usable_gb:.1f} GB usable"
        if not fits
        else f"fits: {total_gb:.1f} of {usable_gb:.1f} GB usable"
    )
    return Estimate(
        fits=fits, weights_gb=weights_gb, kv_bytes_per_token=kv_per_tok, kv_gb=kv_gb, overhead_gb=overhead_gb,
        total_gb=total_gb, usable_gb=usable_gb, host_gb=0.0, max_context_tokens=max_ctx, pp_tok_s=pp,
        tg_tok_s=tg, tg_tok_s_per_user=tg / setup.batch, ttft_s=ttft, tg_band=(tg * 0.8, tg * 1.15),
        pp_band=(pp * 0.75, pp * 1.2), limiting_factor="memory bandwidth", load_power_w=d.tdp_w * setup.count + 150,
        idle_power_w=d.idle_w * setup.count + 60, reason=reason,
    )


def _break_even(local: Sequence[float], api: Sequence[float]) -> float | None:
    """First month where cumulative local cost drops to the API's, linearly interpolated [months]."""
    for i in range(1, len(local)):
        d0, d1 = local[i - 1] - api[i - 1], local[i] - api[i]
        if d0 > 0 >= d1:
            return i - 1 + d0 / (d0 - d1)
    return None


def economics(
    name: str, est: Estimate, price_usd: float, workload: Workload, finance: Finance, offer: dict[str, float],
    *, system_id: str = "", units: int = 1, quant: str = "",
) -> tuple[CandidateResult, list[float]]:
    """Cumulative local vs API costs for one candidate [USD]; returns the result and the API curve."""
    horizon = finance.horizon_months or finance.useful_life_months
    api_month = (
        workload.tokens_in_per_month / 1e6 * (workload.cache_hit_share * offer["hit"]
                                              + (1 - workload.cache_hit_share) * offer["miss"])
        + workload.tokens_out_per_month / 1e6 * offer["out"]
    )
    capex = price_usd * (1 + finance.tax_rate)

    def curves(tg: float) -> tuple[list[float], list[float], float, float]:
        local, api, loc_acc, api_acc = [capex], [0.0], capex, 0.0
        busy0 = 0.0
        energy0 = 0.0
        for month in range(1, horizon + 1):
            demand = (1 + workload.growth_per_month) ** (month - 1)
            busy_h = min(730.0, workload.tokens_out_per_month * demand / max(tg, 1e-9) / 3600)
            up_h = workload.hours_per_day * 30.4
            idle_h = max(0.0, 730.0 - busy_h)
            kwh = (busy_h * est.load_power_w + idle_h * est.idle_power_w) / 1000 * finance.pue
            energy = kwh * finance.tariff_usd_per_kwh
            if month == 1:
                busy0, energy0 = busy_h, energy
            del up_h
            loc_acc += energy + finance.maintenance_usd_per_month + finance.hosting_usd_per_month
            price_factor = (1 + finance.api_price_change_per_year) ** ((month - 1) / 12)
            api_acc += api_month * demand * price_factor
            local.append(loc_acc)
            api.append(api_acc)
        local[-1] -= capex * finance.residual_share
        return local, api, busy0, energy0

    local, api, busy, energy = curves(est.tg_tok_s)
    low, _, _, _ = curves(est.tg_band[1])
    high, _, _, _ = curves(est.tg_band[0])
    be = _break_even(local, api)
    monthly_opex = energy + finance.maintenance_usd_per_month + finance.hosting_usd_per_month
    total_tok = (workload.tokens_in_per_month + workload.tokens_out_per_month) * horizon
    result = CandidateResult(
        system_id=system_id, name=name, units=units, quant=quant, estimate=est, fits=est.fits,
        meets_sla=est.fits and est.tg_tok_s_per_user >= workload.sla_tok_s_per_user
        and est.ttft_s <= workload.sla_ttft_s,
        capex_usd=capex, monthly_opex_usd=monthly_opex, monthly_energy_usd=energy, monthly_api_usd=0.0,
        break_even_month=be, break_even_band=(_break_even(low, api), _break_even(high, api)),
        horizon_cost_local_usd=local[-1], horizon_cost_api_usd=api[-1],
        cost_per_mtok_local_usd=local[-1] / max(total_tok / 1e6, 1e-9),
        npv_saving_usd=(api[-1] - local[-1]) / (1 + finance.discount_rate_per_year) ** (horizon / 24),
        cumulative_local_usd=tuple(local), cumulative_local_low_usd=tuple(low), cumulative_local_high_usd=tuple(high),
        busy_hours_per_month=busy, reasons=(est.reason,),
    )
    return result, api


def recommend_from_parts(
    scenario_name: str,
    candidates: Sequence[tuple[str, str, Setup, float]],
    workload: Workload,
    finance: Finance,
    offer_name: str,
    offer: dict[str, float],
    progress_callback: Callable[[float], bool] | None = None,
) -> Recommendation:
    """Rank candidates (system id, name, setup, price USD) against one API offer; see DESIGN §3.4."""
    results: list[CandidateResult] = []
    api_curve: list[float] = [0.0]
    for i, (sid, name, setup, price) in enumerate(candidates):
        est = estimate(setup)
        res, api_curve = economics(name, est, price, workload, finance, offer, system_id=sid, units=setup.count,
                                   quant=setup.quant.name)
        results.append(res)
        if progress_callback is not None and progress_callback((i + 1) / max(1, len(candidates))):
            break
    viable = sorted((r for r in results if r.meets_sla), key=lambda r: r.horizon_cost_local_usd)
    rejected = [r for r in results if not r.meets_sla]
    best = viable[0] if viable else None
    horizon = finance.horizon_months or finance.useful_life_months
    if best is not None and best.break_even_month is not None:
        verdict = "buy"
        sentence = (f"Buy {best.name}: it pays for itself after {best.break_even_month:.1f} months and saves "
                    f"${best.horizon_cost_api_usd - best.horizon_cost_local_usd:,.0f} over {horizon} months.")
    else:
        verdict = "api"
        sentence = f"Stay on {offer_name}: no candidate breaks even within {horizon} months."
    sens: list[SensitivityBar] = []
    if best is not None:
        for label, lo, hi, kw in (
            ("Electricity tariff", 0.5, 2.0, "tariff_usd_per_kwh"),
            ("Useful life", 0.67, 1.33, "useful_life_months"),
            ("Residual value", 0.0, 2.0, "residual_share"),
        ):
            bes: list[float | None] = []
            for factor in (lo, hi):
                value = getattr(finance, kw) * factor
                if kw == "useful_life_months":
                    value = max(1, int(value))
                fin = Finance(**{**finance.__dict__, kw: value})
                r, _ = economics(best.name, best.estimate, best.capex_usd, workload, fin, offer)
                bes.append(r.break_even_month)
            sens.append(SensitivityBar(label, f"x{lo:g}", f"x{hi:g}", bes[0], bes[1]))
        for label, lo, hi in (("API price", 0.5, 2.0), ("Demand", 0.5, 2.0)):
            bes = []
            for factor in (lo, hi):
                if label == "API price":
                    off = {k: v * factor for k, v in offer.items()}
                    r, _ = economics(best.name, best.estimate, best.capex_usd, workload, finance, off)
                else:
                    wl = Workload(**{**workload.__dict__, "tokens_in_per_month": workload.tokens_in_per_month * factor,
                                     "tokens_out_per_month": workload.tokens_out_per_month * factor})
                    r, _ = economics(best.name, best.estimate, best.capex_usd, wl, finance, offer)
                bes.append(r.break_even_month)
            sens.append(SensitivityBar(label, f"x{lo:g}", f"x{hi:g}", bes[0], bes[1]))
    return Recommendation(
        scenario=scenario_name, verdict=verdict, sentence=sentence, recommended=best,
        candidates=tuple(viable + rejected), api_offer=offer_name, monthly_api_usd=api_curve[1] if len(api_curve) > 1
        else 0.0, cumulative_api_usd=tuple(api_curve), horizon_months=horizon, sensitivity=tuple(sens),
        flip_notes=(),
    )
