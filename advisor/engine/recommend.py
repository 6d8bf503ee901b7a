"""The advisor's answer: evaluate every candidate system x allowed quant x units, rank, give a verdict.

For each candidate system and quant the advisor estimates fit and speed at the scenario's peak concurrency,
chooses how many units (enough for the demand and the SLA with overflow "more_units"; the cheapest count,
the API taking the rest, with "hybrid"), keeps those that fit and meet the SLA, ranks them by cost over the
horizon and compares the best one with paying the API for everything (the rule and its wording are in
advisor.engine.verdict; which price each part is costed at, in advisor.engine.pricing). Estimates are
cached (they do not depend on money), so editing finance assumptions recomputes in milliseconds.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from advisor.engine.economics import (
    ApiPrices,
    CostCurves,
    UnitSpec,
    api_curve,
    cost_curves_many,
    cost_per_mtok_usd,
    horizon_months,
    month_text,
    prefilled_input_share,
)
from advisor.engine.renting import best_on_demand, rent_is_cheaper, rent_options, rent_sentence
from advisor.engine.resale import CLASSES, curve_for, device_class, resale_curves
from advisor.engine.scenario import ResolvedScenario, Scenario, SystemView, resolve_scenario
from advisor.engine.sensitivity import Case, tornado
from advisor.engine.support import default_backend, support_problem
from advisor.engine.switching import switching_values
from advisor.engine.types import (
    CandidateResult,
    Estimate,
    Finance,
    HorizonView,
    ModelArch,
    Purchase,
    Quant,
    Recommendation,
    SensitivityBar,
    Setup,
    SwitchingValue,
    Workload,
    native_quant,
)
from advisor.engine.verdict import (
    compared_pair,
    money_text,
    percent_text,
    resolved_monthly_api,
    unit_label,
    verdict,
)

MAX_UNITS = 16  # beyond this a "candidate" is a data-centre project, not a purchase to model here
ProgressCallback = Callable[[float, str], None]
_ESTIMATES: dict[Setup, Estimate] = {}
_CACHE_LIMIT = 20_000


def cached_estimate(setup: Setup) -> Estimate:
    """`advisor.engine.estimate`, memoised: estimates depend on hardware and load, not on money, so live
    edits of finance assumptions reuse them."""
    found = _ESTIMATES.get(setup)
    if found is None:
        from advisor.engine import estimate  # late: advisor.engine's __init__ may import this module

        if len(_ESTIMATES) >= _CACHE_LIMIT:
            _ESTIMATES.clear()
        found = _ESTIMATES[setup] = estimate(setup)
    return found


def prefetch_estimates(setups: list[Setup]) -> None:
    """Fill the estimate cache for many setups in one vectorised call (the first evaluation of a scenario
    then costs one numpy pass instead of one per candidate)."""
    missing = list(dict.fromkeys(s for s in setups if s not in _ESTIMATES))
    if not missing:
        return
    from advisor.engine import estimate_many

    if len(_ESTIMATES) + len(missing) >= _CACHE_LIMIT:
        _ESTIMATES.clear()
    _ESTIMATES.update(zip(missing, estimate_many(missing), strict=True))


def candidate_quants(system: SystemView, resolved: ResolvedScenario) -> list[tuple[Quant, str]]:
    """(quant, backend) pairs worth trying on a system: GGUF on llama.cpp everywhere, MXFP4 MoE GGUFs on
    llama.cpp everywhere, MLX on Apple, AWQ / FP8 / FP4 on vLLM where the GPU supports them, and the native
    checkpoint."""
    device, model = system.device, resolved.model
    quants = resolved.quants
    kind, vendor = device.kind, device.vendor.lower()
    serving = "mlx" if kind == "apple" else "vllm" if kind == "gpu" else "llama.cpp"
    pairs: list[tuple[Quant, str]] = []
    for name, quant in quants.items():
        if name == "native":
            continue
        if quant.family == "gguf":
            pairs.append((quant, "llama.cpp"))
        elif quant.family == "mlx":
            # asked for by name on other hardware: kept, and marked skipped (only MLX loads MLX weights)
            if kind == "apple" or resolved.scenario.workload.quant != "auto":
                pairs.append((quant, "mlx"))
        elif quant.family == "exl2":
            pairs.append((quant, "exllamav2"))
        elif resolved.scenario.workload.quant != "auto":
            pairs.append((quant, serving))
        elif name.upper() == "MXFP4" and model.is_moe:
            # llama.cpp runs MXFP4 MoE GGUFs (gpt-oss as released) on every backend: CUDA, Metal, Vulkan, CPU;
            # a non-NVIDIA GPU with FP4 units serves it with vLLM instead (one backend per system x quant)
            fp4_vllm = kind == "gpu" and bool(device.fp4_tflops) and vendor != "nvidia"
            pairs.append((quant, "vllm" if fp4_vllm else "llama.cpp"))
        elif kind != "gpu":
            continue
        elif name.upper().endswith("FP4"):
            # The catalog files FP4 formats under the "native" family, which the fit reads as the released
            # checkpoint: then they would only repeat the "native" row, so they are tried only otherwise.
            fp4_ok = bool(device.fp4_tflops) and (vendor == "nvidia") == (name.upper() == "NVFP4")
            if fp4_ok and quant.family != "native":
                pairs.append((quant, "vllm"))
        elif quant.compute == "fp8":
            if device.fp8_tflops:
                pairs.append((quant, "vllm"))
        elif vendor == "nvidia":
            pairs.append((quant, "vllm"))
    wanted = resolved.scenario.workload.quant
    if wanted in ("auto", "native") or wanted.lower() == "native":
        native = quants.get("native") or native_quant(model)
        # the checkpoint as released on the system's serving engine when that engine loads its format (an FP8
        # release is not for llama.cpp or MLX), else the first engine that does (advisor.engine.support)
        runs = support_problem(serving, device, native, model) is None
        pairs.append((native, serving if runs else default_backend(device, native, model)))
    return pairs


def setup_for(system: SystemView, model: ModelArch, quant: Quant, backend: str, workload: Workload,
              batch: int, offload: str = "none") -> Setup:
    """The estimate input for one unit of a system serving ``batch`` concurrent users."""
    parallel = "none" if system.count == 1 else "tensor" if backend in ("vllm", "sglang") else "layer"
    return Setup(device=system.device, model=model, quant=quant, count=system.count, host=system.host,
                 backend=backend, parallel=parallel, offload=offload, batch=batch,
                 prompt_tokens=workload.prompt_tokens, gen_tokens=workload.output_tokens,
                 context_tokens=workload.context_tokens, build=workload.build)


@dataclass(frozen=True)
class _Plan:
    """One way to run a candidate: units, the estimate at its per-unit batch, and the unit as economics
    sees it at the central and band throughputs (fast/slow None when it cannot run at all)."""

    units: int
    setup: Setup  # what one unit runs: backend, parallelism, quant, offload, per-unit batch
    estimate: Estimate
    meets_sla: bool
    unit: UnitSpec
    fast: UnitSpec | None
    slow: UnitSpec | None


@dataclass(frozen=True)
class _Option:
    """A plan with its cost curves (None when it cannot be costed)."""

    plan: _Plan
    curves: CostCurves | None
    low: CostCurves | None
    high: CostCurves | None

    @property
    def units(self) -> int:
        return self.plan.units

    @property
    def estimate(self) -> Estimate:
        return self.plan.estimate

    @property
    def meets_sla(self) -> bool:
        return self.plan.meets_sla


def _meets_sla(est: Estimate, workload: Workload) -> bool:
    return est.fits and est.tg_tok_s_per_user >= workload.sla_tok_s_per_user and est.ttft_s <= workload.sla_ttft_s


def _plan(setup: Setup, est: Estimate, system: SystemView, units: int, meets: bool) -> _Plan:
    idle_w = system.idle_w if system.idle_w > 0 else est.idle_power_w
    device = system.device
    resale = curve_for(device.kind, device.name, device.link).rate_per_year
    unit = UnitSpec(system.price_usd, est.pp_tok_s, est.tg_tok_s, max(est.load_power_w, idle_w), idle_w, resale)
    if not (est.fits and est.pp_tok_s > 0 and est.tg_tok_s > 0):
        return _Plan(units, setup, est, False, unit, None, None)
    if system.unpriced:  # a part without any price would count as $0: such a rig is not costed at all
        return _Plan(units, setup, est, meets, unit, None, None)
    pp_low, pp_high = est.pp_band if est.pp_band[0] > 0 else (est.pp_tok_s, est.pp_tok_s)
    tg_low, tg_high = est.tg_band if est.tg_band[0] > 0 else (est.tg_tok_s, est.tg_tok_s)
    fast = dataclasses.replace(unit, pp_tok_s=max(pp_high, est.pp_tok_s), tg_tok_s=max(tg_high, est.tg_tok_s))
    slow = dataclasses.replace(unit, pp_tok_s=min(pp_low, est.pp_tok_s), tg_tok_s=min(tg_low, est.tg_tok_s))
    return _Plan(units, setup, est, meets, unit, fast, slow)


def _units_needed(est: Estimate, workload: Workload) -> int:
    """Units so month-1 demand fits in the daily service hours [count]."""
    if est.pp_tok_s <= 0 or est.tg_tok_s <= 0:
        return 1
    prefilled = workload.tokens_in_per_month * prefilled_input_share(workload)
    hours = (prefilled / est.pp_tok_s + workload.tokens_out_per_month / est.tg_tok_s) / 3600
    available = workload.hours_per_day * 730.0 / 24.0
    return max(1, math.ceil(hours / available - 1e-9))


def _plans(system: SystemView, quant: Quant, backend: str, resolved: ResolvedScenario) -> list[_Plan]:
    """Unit counts worth costing for one system x quant. Each count serves its share of the peak concurrency.

    "more_units": the fewest units that meet the SLA and serve month-1 demand in the daily hours (growth
    later buys more inside the cost curves). "hybrid": every count from 1 up to that, the API taking what
    the units cannot serve; the caller keeps the cheapest.
    """
    work = resolved.scenario.workload
    hybrid = resolved.scenario.finance.overflow == "hybrid"
    plans: list[_Plan] = []
    offload = "none"
    # A MoE model too big for the GPUs may still run with its routed experts in host RAM (llama.cpp -ot,
    # ktransformers) when the host has the RAM for them.
    first_setup = setup_for(system, resolved.model, quant, backend, work, work.peak_concurrency)
    first = cached_estimate(first_setup)
    problem = support_problem(backend, system.device, quant, resolved.model, first_setup.parallel)
    if problem is not None:  # kept in the table, marked skipped: the engine cannot run it at all
        return [_plan(first_setup, replace(first, fits=False, reason=f"not supported: {problem.reason}"), system, 1,
                      False)]
    if not first.fits and resolved.model.is_moe and system.host is not None and system.device.kind == "gpu":
        offloaded = cached_estimate(setup_for(system, resolved.model, quant, backend, work,
                                              work.peak_concurrency, "experts_cpu"))
        if offloaded.fits:
            offload = "experts_cpu"
    for units in range(1, MAX_UNITS + 1):
        batch = math.ceil(work.peak_concurrency / units)
        setup = setup_for(system, resolved.model, quant, backend, work, batch, offload)
        est = cached_estimate(setup)
        if not est.fits:  # more units do not help one unit hold the model
            return [_plan(setup, est, system, units, False)]
        meets = _meets_sla(est, work)
        if not meets and batch == 1 and not plans:  # one user per unit is as fast as it gets
            return [_plan(setup, est, system, 1, False)]
        enough = meets and units >= _units_needed(est, work)
        if (hybrid and meets) or enough or units == MAX_UNITS:
            plans.append(_plan(setup, est, system, units, meets))
        if enough or units == MAX_UNITS:
            break
    return plans


def _cost_all(plans: list[_Plan], scenario: Scenario, api: ApiPrices) -> list[_Option]:
    """Cost every plan at its central, fast and slow throughput in one vectorised pass."""
    costable = [p for p in plans if p.fast is not None and p.slow is not None]
    rows = [(p.unit, p.units) for p in costable]
    rows += [(p.fast, p.units) for p in costable if p.fast is not None]
    rows += [(p.slow, p.units) for p in costable if p.slow is not None]
    curves = cost_curves_many(rows, scenario.workload, scenario.finance, api, detail_rows=len(costable))
    n = len(costable)
    by_plan = {id(p): _Option(p, curves[i], curves[n + i], curves[2 * n + i]) for i, p in enumerate(costable)}
    return [by_plan.get(id(p)) or _Option(p, None, None, None) for p in plans]


def _best(options: list[_Option]) -> _Option:
    viable = [o for o in options if o.meets_sla and o.curves is not None]
    pool = viable or options
    return min(pool, key=lambda o: o.curves.horizon_cost_local_usd if o.curves else math.inf)


def _skipped(option: _Option) -> str:
    """The support matrix's reason when the option's backend cannot run its quant on its hardware, else ""."""
    setup = option.plan.setup
    problem = support_problem(setup.backend, setup.device, setup.quant, setup.model, setup.parallel)
    return problem.reason if problem else ""


def _reasons(system: SystemView, quant: str, option: _Option, scenario: Scenario, api_usd: float) -> list[str]:
    est, work = option.estimate, scenario.workload
    label = unit_label(system.name, option.units)
    model = work.model
    skipped = _skipped(option)
    if skipped:
        return [f"skipped: {system.name} cannot run {model} at {quant} with {option.plan.setup.backend}: {skipped}"]
    if not est.fits:
        reasons = [f"{system.name} cannot hold {model} at {quant} (needs ~{est.total_gb:.0f} GB, "
                   f"{est.usable_gb:.0f} GB usable)"]
        return reasons + ([est.reason] if est.reason else [])
    reasons = [f"{label} holds {model} at {quant} ({est.total_gb:.0f} of {est.usable_gb:.0f} GB per unit)"]
    if est.host_gb > 0:
        reasons[0] += f", with {est.host_gb:.0f} GB of routed experts in host RAM"
    if est.tg_tok_s_per_user < work.sla_tok_s_per_user:
        speed, sla = compared_pair(est.tg_tok_s_per_user, work.sla_tok_s_per_user)
        reasons.append(f"{speed} tok/s per user at {work.peak_concurrency} concurrent users "
                       f"is below the SLA of {sla} tok/s")
    if est.ttft_s > work.sla_ttft_s:
        ttft, sla = compared_pair(est.ttft_s, work.sla_ttft_s)
        reasons.append(f"time to first token {ttft} s exceeds the SLA of {sla} s")
    if system.unpriced:
        reasons.append(f"cannot be costed: the catalog has no price for {', '.join(system.unpriced)} "
                       f"(add one with `prices import`)")
    reasons += [f"price: {caveat}" for caveat in system.price_caveats]
    curves = option.curves
    if curves is not None:
        if curves.served_share < 0.9999:
            reasons.append(f"serves {curves.served_share:.0%} of the tokens locally; the API takes the rest "
                           f"(${curves.monthly_overflow_api_usd:,.0f}/month)" + _overflow_growth(curves))
        horizon = len(curves.cumulative_local_usd) - 1
        if curves.units_final > option.units:
            # the capex column shows month 0 only; the later purchases are in the horizon cost: say so
            more = curves.units_final - option.units
            reasons.append(f"demand growth of {percent_text(work.growth_per_month)} a month needs {curves.units_final} units "
                           f"by month {horizon}: {more} more bought as demand grows (in the {horizon}-month "
                           f"cost, not in the capex)")
        saving = curves.horizon_cost_api_usd - curves.horizon_cost_local_usd
        npv = f"NPV of the saving {money_text(curves.npv_saving_usd)} at {percent_text(scenario.finance.discount_rate_per_year)} a year"
        value = f"saves {money_text(saving)} over {horizon} months ({npv})" if saving >= 0 else \
            f"costs {money_text(-saving)} more than the API over {horizon} months ({npv})"
        if curves.break_even_month is not None:
            reasons.append(f"buying {label} pays off in {month_text(curves.break_even_month)}; {value}")
            resale = (f"; it gets ahead only through the resale credit in month {math.ceil(curves.break_even_month)}"
                      if curves.break_even_from_resale else "")
            falls_back = curves.months_ahead < horizon - math.ceil(curves.break_even_month) + 1
            if resale or falls_back:  # said only when the first crossing is not the whole story
                reasons.append(f"over the whole horizon it is ahead of the API in {curves.months_ahead} of "
                               f"{horizon} months{resale}; at worst {money_text(curves.worst_gap_usd)} behind "
                               f"(month {curves.worst_gap_month})")
        else:
            reasons.append(f"buying {label} does not pay off within {horizon} months "
                           f"(${curves.monthly_opex_usd + curves.monthly_overflow_api_usd:,.0f}/month to run vs "
                           f"${api_usd:,.0f}/month on the API); {value}")
    return reasons


def _overflow_growth(curves: CostCurves) -> str:
    """", rising to $1,226/month by month 35" when the hybrid API bill grows over the horizon."""
    bills = curves.monthly_overflow_curve_usd
    if not bills or max(bills) <= bills[0] * 1.05 + 0.5:
        return ""
    peak = max(range(len(bills)), key=lambda m: bills[m])
    return (f", rising to {money_text(bills[peak])}/month by month {peak + 1} "
            f"({money_text(sum(bills))} over {len(bills)} months)")


def _result(system: SystemView, quant: str, option: _Option, scenario: Scenario, api_usd: float
            ) -> CandidateResult:
    curves, est = option.curves, option.estimate
    capex = system.price_usd * option.units * (1.0 + scenario.finance.tax_rate)
    name = unit_label(system.name, option.units)
    return CandidateResult(
        system_id=system.id, name=name, units=option.units, quant=quant, setup=option.plan.setup, estimate=est,
        fits=est.fits,
        meets_sla=option.meets_sla, capex_usd=capex,
        monthly_opex_usd=curves.monthly_opex_usd if curves else 0.0,
        monthly_energy_usd=curves.monthly_energy_usd if curves else 0.0,
        monthly_api_usd=curves.monthly_overflow_api_usd if curves else 0.0,
        break_even_month=curves.break_even_month if curves else None,
        break_even_band=(option.low.break_even_month if option.low else None,
                         option.high.break_even_month if option.high else None),
        horizon_cost_local_usd=curves.horizon_cost_local_usd if curves else 0.0,
        horizon_cost_api_usd=curves.horizon_cost_api_usd if curves else 0.0,
        cost_per_mtok_local_usd=curves.cost_per_mtok_local_usd if curves else 0.0,
        npv_saving_usd=curves.npv_saving_usd if curves else 0.0,
        cumulative_local_usd=curves.cumulative_local_usd if curves else (),
        cumulative_local_low_usd=option.low.cumulative_local_usd if option.low else (),
        cumulative_local_high_usd=option.high.cumulative_local_usd if option.high else (),
        busy_hours_per_month=curves.busy_hours_per_month if curves else 0.0,
        reasons=tuple(_reasons(system, quant, option, scenario, api_usd)),
        prices=tuple(p if p.quantity == 1 else p for p in system.prices),
        horizon=_horizon_view(curves, scenario.workload) if curves else None,
        skipped=_skipped(option),
    )


def _horizon_view(curves: CostCurves, work: Workload) -> HorizonView:
    tokens_month1 = work.tokens_in_per_month + work.tokens_out_per_month
    return HorizonView(
        months_ahead=curves.months_ahead, worst_gap_usd=curves.worst_gap_usd, worst_gap_month=curves.worst_gap_month,
        break_even_from_resale=curves.break_even_from_resale,
        monthly_overflow_api_usd=curves.monthly_overflow_curve_usd,
        purchases=tuple(Purchase(m, n, usd) for m, n, usd in curves.purchases),
        cost_per_mtok_api_usd=cost_per_mtok_usd(curves.horizon_cost_api_usd, curves.tokens_total),
        cost_per_mtok_local_month1_usd=cost_per_mtok_usd(curves.monthly_opex_usd + curves.monthly_overflow_api_usd,
                                                         tokens_month1),
        cost_per_mtok_api_month1_usd=cost_per_mtok_usd(curves.monthly_api_usd, tokens_month1))


def _rank_key(result: CandidateResult) -> tuple[int, float]:
    tier = 0 if (result.fits and result.meets_sla) else 1 if result.fits else 2
    cost = result.horizon_cost_local_usd if result.cumulative_local_usd else math.inf
    return tier, cost


def recommend(scenario: Scenario, catalog: Any, progress_callback: ProgressCallback | None = None,
              today: dt.date | None = None) -> Recommendation:
    """Evaluate every candidate of ``scenario`` against its cheapest acceptable API offer; give a verdict.

    ``catalog`` is an advisor.catalog.Catalog (or anything with the same lookups). ``progress_callback``
    gets (fraction done 0..1, what is being evaluated). ``today`` (default: the system date) is the day
    prices are aged against. Raises InputError naming a bad scenario field.
    """
    resolved = resolve_scenario(scenario, catalog, today)
    horizon = horizon_months(scenario.finance)
    api_cumulative = api_curve(scenario.workload, scenario.finance, resolved.api)
    monthly_api = resolved_monthly_api(resolved)
    pairs = [(system, quant, backend) for system in resolved.systems
             for quant, backend in candidate_quants(system, resolved)]
    work = scenario.workload
    prefetch_estimates([setup_for(system, resolved.model, quant, backend, work, work.peak_concurrency)
                        for system, quant, backend in pairs])
    groups: list[tuple[SystemView, str, list[_Plan]]] = []
    for index, (system, quant, backend) in enumerate(pairs):
        if progress_callback:
            progress_callback(index / max(len(pairs), 1), f"{system.name} at {quant.name}")
        groups.append((system, quant.name, _plans(system, quant, backend, resolved)))
    costed = iter(_cost_all([p for _, _, plans in groups for p in plans], scenario, resolved.api))
    results: list[CandidateResult] = []
    best_options: dict[int, _Option] = {}
    for system, quant_name, plans in groups:
        option = _best([next(costed) for _ in plans])
        result = _result(system, quant_name, option, scenario, monthly_api)
        results.append(result)
        best_options[id(result)] = option
    ranked = sorted(results, key=_rank_key)
    kind, sentence, recommended = verdict(resolved, ranked, api_cumulative[-1], horizon)
    warnings = input_warnings(work, ranked)
    buys_now = recommended is not None
    rents = () if scenario.finance.renting == "ignore" else rent_options(ranked, {s.id: s.accelerator_id for s in resolved.systems}, catalog, work,
                         scenario.finance, today or dt.date.today())
    rent = best_on_demand(rents)
    if rent_is_cheaper(rent, api_cumulative[-1], recommended.horizon_cost_local_usd if recommended else None):
        assert rent is not None
        rented = next(c for c in ranked if c.system_id == rent.system_id and c.quant == rent.quant)
        kind, sentence = "rent", rent_sentence(rent, resolved.api_offer, api_cumulative[-1], recommended, horizon)
        recommended = rented
    bars: tuple[SensitivityBar, ...] = ()
    flips: tuple[str, ...] = ()
    switches: tuple[SwitchingValue, ...] = ()
    top = (recommended if buys_now else None) or next(
        (r for r in ranked if r.fits and r.meets_sla and r.cumulative_local_usd), None)
    if top is not None:
        option = best_options[id(top)]
        bars, flips = tornado(Case(option.plan.unit, option.units, scenario.workload, scenario.finance, resolved.api))
        switches = switching_values(option.plan.unit, option.units, scenario.workload, scenario.finance,
                                    resolved.api, buys_now, "api" if buys_now else f"buy {top.name}")
    if progress_callback:
        progress_callback(1.0, "done")
    return Recommendation(
        scenario=scenario.name, verdict=kind, sentence=sentence, recommended=recommended,
        candidates=tuple(ranked), api_offer=resolved.api_offer, monthly_api_usd=monthly_api,
        cumulative_api_usd=api_cumulative, horizon_months=horizon, sensitivity=bars, flip_notes=flips,
        notes=resolved.notes + _resale_notes(resolved, scenario.finance), offers=resolved.offers, api_offer_id=resolved.api_offer_id, warnings=warnings,
        switching_values=switches, rent_options=rents,
        sensitivity_of=f"{top.name} ({top.quant})" if top is not None else "",
        sensitivity_base_month=top.break_even_month if top is not None else None,
    )


def _resale_notes(resolved: ResolvedScenario, finance: Finance) -> tuple[str, ...]:
    """How resale is valued, with the curve of every device class among the candidates."""
    if finance.resale_model != "device_class":
        return (f"Resale: flat, {finance.residual_share:.0%} of the purchase price at the end of the useful "
                "life (straight line before).",)
    classes = {device_class(s.device.kind, s.device.name, s.device.link) for s in resolved.systems}
    curves = "; ".join(resale_curves()[c].describe() for c in CLASSES if c in classes)
    return (f"Resale: used-market depreciation per device class, share = exp(-rate x age) fitted to dated used "
            f"prices against launch prices (resources/resale/observations.csv; 2025-2026 prices carry the "
            f"local-LLM demand for GPUs): {curves}.",)


def input_warnings(work: Workload, ranked: list[CandidateResult]) -> tuple[str, ...]:
    """Inputs that are each within bounds but do not fit together, in words.

    Token volume vs concurrency: the output tokens of a month, spread over the service hours, are a decode
    rate [tok/s]; at the fastest per-user speed any candidate reaches, that rate needs at least
    rate / speed streams at once. More than the stated peak concurrency means the volumes or the peak are off
    (and the advisor would buy extra units for the volume, each sized for the stated peak).
    """
    out: list[str] = []
    fitting = [c for c in ranked if c.fits and c.estimate.tg_tok_s_per_user > 0]
    seconds = work.hours_per_day * 730.0 / 24.0 * 3600.0
    if fitting and seconds > 0:
        rate = work.tokens_out_per_month / seconds
        fastest = max(fitting, key=lambda c: c.estimate.tg_tok_s_per_user)
        streams = rate / fastest.estimate.tg_tok_s_per_user
        if streams > work.peak_concurrency * 1.05:
            out.append(
                f"The token volume needs more concurrency than stated: {work.tokens_out_per_month / 1e6:,.0f} M "
                f"output tokens a month in {work.hours_per_day:g} h a day is {rate:,.0f} tok/s; at "
                f"{fastest.estimate.tg_tok_s_per_user:.1f} tok/s per user (the fastest candidate, {fastest.name}) "
                f"that is about {math.ceil(streams)} streams at once, more than the peak concurrency of "
                f"{work.peak_concurrency}. Check workload.peak_concurrency and the token volumes.")
    if fitting and not any(c.meets_sla for c in fitting):
        out.append(f"No candidate meets the SLA ({work.sla_tok_s_per_user:g} tok/s per user, "
                   f"{work.sla_ttft_s:g} s to the first token) at {work.peak_concurrency} concurrent users.")
    elif not fitting and ranked:
        out.append(f"No candidate can hold {work.model} at all.")
    return tuple(out)
