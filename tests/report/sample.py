"""Hand-built, realistic engine results for report tests (real dataclasses, consistent numbers).

The cumulative curves are computed here from capex, opex and API cost with the same conventions the engine uses
(month 0 = capex, resale credited at the end), so break-even months in the PDF can be checked against them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from advisor.engine.types import (
    CandidateResult,
    Device,
    Estimate,
    Finance,
    ModelArch,
    PriceUsed,
    Quant,
    Recommendation,
    SensitivityBar,
    Setup,
    Workload,
)

HORIZON = 36
API_MONTHLY_USD = 1450.0
UNICODE_NAME = 'R&D <GPU> "test" — Ünïcode 日本'


@dataclass(frozen=True)
class SampleScenario:
    """Shaped like advisor.engine.scenario.Scenario (name, description, workload, finance)."""

    name: str
    description: str = ""
    workload: Workload = field(
        default_factory=lambda: Workload(
            model="Qwen3-32B",
            quant="Q4_K_M",
            tokens_in_per_month=900e6,
            tokens_out_per_month=150e6,
            cache_hit_share=0.3,
            peak_concurrency=8,
            sla_tok_s_per_user=15.0,
        )
    )
    finance: Finance = field(default_factory=Finance)


def _api_curve(monthly: float = API_MONTHLY_USD, change_per_year: float = -0.3) -> tuple[float, ...]:
    total, out = 0.0, [0.0]
    for month in range(1, HORIZON + 1):
        total += monthly * (1 + change_per_year) ** ((month - 1) / 12)
        out.append(round(total, 2))
    return tuple(out)


def _local_curve(capex: float, opex: float, residual: float) -> tuple[float, ...]:
    out = [capex]
    for month in range(1, HORIZON + 1):
        out.append(round(out[-1] + opex - (residual if month == HORIZON else 0.0), 2))
    return tuple(out)


def break_even(local: tuple[float, ...], api: tuple[float, ...]) -> float | None:
    for month in range(1, len(api)):
        before, after = local[month - 1] - api[month - 1], local[month] - api[month]
        if before > 0 >= after:
            return month - 1 + before / (before - after)
    return None


def _estimate(
    fits: bool,
    weights: float,
    kv: float,
    usable: float,
    per_user: float,
    users: int,
    load_w: float,
    idle_w: float,
    reason: str = "",
) -> Estimate:
    aggregate = per_user * users
    return Estimate(
        fits=fits,
        weights_gb=weights,
        kv_bytes_per_token=262144.0,
        kv_gb=kv,
        overhead_gb=1.6,
        total_gb=weights + kv + 1.6,
        usable_gb=usable,
        host_gb=0.0,
        max_context_tokens=40960 if fits else 0,
        pp_tok_s=2400.0,
        tg_tok_s=aggregate,
        tg_tok_s_per_user=per_user,
        ttft_s=0.83,
        tg_band=(aggregate * 0.82, aggregate * 1.12),
        pp_band=(1900.0, 2700.0),
        limiting_factor="memory bandwidth",
        load_power_w=load_w,
        idle_power_w=idle_w,
        reason=reason,
        notes=("Q4_K_M is 4.89 bits/weight on this model (file size 19.8 GB).",),
    )


def _candidate(
    system_id: str,
    name: str,
    units: int,
    capex: float,
    opex: float,
    energy: float,
    est: Estimate,
    meets_sla: bool,
    prices: tuple[PriceUsed, ...],
    reasons: tuple[str, ...],
    api: tuple[float, ...],
) -> CandidateResult:
    local = _local_curve(capex, opex, 0.2 * capex)
    low = _local_curve(capex, opex * 0.92, 0.2 * capex)
    high = _local_curve(capex, opex * 1.15, 0.2 * capex)
    viable = est.fits and meets_sla
    if not est.fits:  # like the engine: a candidate that cannot run has no cost curves
        local = low = high = ()
    return CandidateResult(
        system_id=system_id,
        name=name,
        units=units,
        quant="Q4_K_M",
        setup=Setup(Device(name), ModelArch("sample model", 32.0, 32.0, 64), Quant("Q4_K_M", 4.85)),
        estimate=est,
        fits=est.fits,
        meets_sla=meets_sla,
        capex_usd=capex,
        monthly_opex_usd=opex,
        monthly_energy_usd=energy,
        monthly_api_usd=0.0,
        break_even_month=break_even(local, api) if viable else None,
        break_even_band=(break_even(low, api), break_even(high, api)) if viable else (None, None),
        horizon_cost_local_usd=local[-1] if local else 0.0,
        horizon_cost_api_usd=api[-1],
        cost_per_mtok_local_usd=local[-1] / (1050 * HORIZON) if local else 0.0,
        npv_saving_usd=api[-1] - local[-1] if local else 0.0,
        cumulative_local_usd=local,
        cumulative_local_low_usd=low,
        cumulative_local_high_usd=high,
        busy_hours_per_month=182.0,
        reasons=reasons,
        prices=prices,
    )


def sample_recommendation(
    scenario_name: str = "Team coding assistant", vendor: str = "eBay (used)"
) -> Recommendation:
    api = _api_curve()
    dual_3090 = _candidate(
        "dual-3090-workstation",
        "2x RTX 3090 workstation",
        1,
        3400.0,
        95.0,
        71.0,
        _estimate(True, 19.8, 10.7, 46.0, 24.5, 8, 820.0, 95.0),
        True,
        (
            PriceUsed(
                "GeForce RTX 3090",
                800.0,
                "used",
                vendor,
                "ebay.com sold listings, median of 40",
                "2026-10-02",
                2,
            ),
            PriceUsed(
                "Workstation host (Ryzen 9, 128 GB)",
                1800.0,
                "new",
                "Micro Center",
                "microcenter.com",
                "2026-10-05",
            ),
        ),
        (
            "fits with 14.0 GB to spare at 8 x 5,000 tokens of context",
            "24.5 tok/s per user meets the 15 tok/s SLA",
        ),
        api,
    )
    rtx5090 = _candidate(
        "rtx-5090-desktop",
        "RTX 5090 desktop",
        1,
        4300.0,
        88.0,
        64.0,
        _estimate(True, 19.8, 10.7, 31.0, 38.0, 8, 700.0, 80.0),
        True,
        (PriceUsed("GeForce RTX 5090", 2500.0, "new", "Newegg", "newegg.com listing", "2026-10-20"),),
        ("fits with 0.3 GB to spare",),
        api,
    )
    mac = _candidate(
        "mac-studio-m3-ultra-256",
        "Mac Studio M3 Ultra 256 GB",
        1,
        7499.0,
        22.0,
        9.0,
        _estimate(True, 19.8, 10.7, 192.0, 16.2, 8, 270.0, 12.0),
        True,
        (PriceUsed("Mac Studio M3 Ultra 256 GB", 7499.0, "new", "Apple", "apple.com/shop", "2026-09-30"),),
        ("meets the SLA with 8 % headroom",),
        api,
    )
    rtx4090 = _candidate(
        "rtx-4090-desktop",
        "RTX 4090 desktop",
        1,
        3100.0,
        80.0,
        60.0,
        _estimate(False, 19.8, 10.7, 23.0, 0.0, 8, 600.0, 75.0, reason="needs 32.1 GB, 23.0 GB usable"),
        False,
        (PriceUsed("GeForce RTX 4090", 1900.0, "used", vendor, "ebay.com sold listings", "2026-10-02"),),
        ("does not fit: needs 32.1 GB, 23.0 GB usable (weights 19.8 + KV 10.7 + overhead 1.6)",),
        api,
    )
    strix = _candidate(
        "strix-halo-128",
        "Ryzen AI Max+ 395 128 GB",
        1,
        2100.0,
        12.0,
        6.0,
        _estimate(True, 19.8, 10.7, 96.0, 6.1, 8, 140.0, 10.0),
        False,
        (PriceUsed("Framework Desktop 128 GB", 2100.0, "new", "Framework", "frame.work", "2026-10-11"),),
        ("6.1 tok/s per user misses the 15 tok/s SLA (memory bandwidth 256 GB/s)",),
        api,
    )
    be = dual_3090.break_even_month
    assert be is not None
    sentence = (
        f"Buy the 2x RTX 3090 workstation: $3,400 up front pays for itself in month {be:.1f} against "
        f"DeepSeek V3.2 API spending of $1,450 a month, saving ${dual_3090.npv_saving_usd:,.0f} over 36 months."
    )
    return Recommendation(
        scenario=scenario_name,
        verdict="buy",
        sentence=sentence,
        recommended=dual_3090,
        candidates=(dual_3090, rtx5090, mac, rtx4090, strix),
        api_offer="DeepSeek V3.2 (list)",
        monthly_api_usd=API_MONTHLY_USD,
        cumulative_api_usd=api,
        horizon_months=HORIZON,
        sensitivity=(
            SensitivityBar("Electricity tariff", "$0.09/kWh", "$0.40/kWh", be - 0.2, be + 0.6),
            SensitivityBar("API price change", "-60 %/yr", "0 %/yr", None, be - 0.4),
            SensitivityBar("Demand", "-50 %", "+50 %", be + 2.9, be - 0.8),
            SensitivityBar("Hardware price", "-20 %", "+20 %", be - 0.5, be + 0.5),
            SensitivityBar("Useful life", "24 months", "48 months", be, be),
            SensitivityBar("Residual value", "0 %", "40 %", be, be),
        ),
        flip_notes=(
            "If API prices fall 60 % a year, buying never pays off within 36 months.",
            "If demand falls below 160M tokens a month, stay on the API.",
        ),
        notes=("Prices as of October 2026; used GPU prices vary +-15 % by region.",),
    )
