"""`recommend --scenario NAME_OR_FILE [--json]`: buy hardware, stay on the API, or go hybrid.

NAME is a scenario in the database; FILE is a scenario file (what `scenario show NAME --json` prints).
Human output: the verdict sentence and the ranked candidates. --json prints the verdict, the recommended
candidate and every candidate with its figures (break_even_month null when buying never pays off).
"""

from __future__ import annotations

import argparse
import json
import math
from typing import Any

from advisor.engine.types import CandidateResult, OfferCost, Recommendation, RentOption


def register(subparsers: Any) -> None:
    from advisor.app.scenarios import assumptions_help

    parser = subparsers.add_parser("recommend", help="buy hardware or stay on the API, for a scenario",
                                   epilog="--set accepts:\n" + assumptions_help(),
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenario", required=True, metavar="NAME_OR_FILE",
                        help="a scenario name from the database, or a scenario JSON file")
    parser.add_argument("--set", action="append", default=[], metavar="SECTION.FIELD=VALUE",
                        help="change one workload or finance assumption for this run (repeatable; listed below)")
    parser.add_argument("--json", action="store_true", help="print the recommendation as JSON")
    parser.set_defaults(func=run)


def _finite(value: float | None) -> float | None:
    """JSON has no NaN/inf: an impossible figure is null."""
    if value is None or not math.isfinite(value):
        return None
    return round(float(value), 6)


def candidate_to_json(c: CandidateResult) -> dict[str, Any]:
    """One candidate as JSON (money in USD, months fractional, null = never)."""
    est = c.estimate
    return {
        "system_id": c.system_id, "name": c.name, "units": c.units, "quant": c.quant,
        "fits": c.fits, "meets_sla": c.meets_sla,
        "capex_usd": _finite(c.capex_usd), "monthly_opex_usd": _finite(c.monthly_opex_usd),
        "monthly_energy_usd": _finite(c.monthly_energy_usd), "monthly_api_usd": _finite(c.monthly_api_usd),
        "break_even_month": _finite(c.break_even_month),
        "break_even_band": [_finite(c.break_even_band[0]), _finite(c.break_even_band[1])],
        "horizon_cost_local_usd": _finite(c.horizon_cost_local_usd),
        "horizon_cost_api_usd": _finite(c.horizon_cost_api_usd),
        "cost_per_mtok_local_usd": _finite(c.cost_per_mtok_local_usd),
        "npv_saving_usd": _finite(c.npv_saving_usd),
        "busy_hours_per_month": _finite(c.busy_hours_per_month),
        "total_gb": _finite(est.total_gb), "usable_gb": _finite(est.usable_gb),
        # a setup that does not fit has no speed: null, not a figure for a rig that cannot load the model
        "tg_tok_s": _finite(est.tg_tok_s) if c.fits else None,
        "tg_tok_s_per_user": _finite(est.tg_tok_s_per_user) if c.fits else None,
        "ttft_s": _finite(est.ttft_s) if c.fits else None,
        "reasons": list(c.reasons),
        "skipped": c.skipped,  # why the backend cannot run this quant on this hardware ("" when it can)
        "cumulative_local_usd": [_finite(x) for x in c.cumulative_local_usd],
        **_horizon_json(c),
        "prices": [{"item": p.item, "price_usd": p.price_usd, "condition": p.condition, "vendor": p.vendor,
                    "source": p.source, "observed_at": p.observed_at, "quantity": p.quantity}
                   for p in c.prices],
    }


def _horizon_json(c: CandidateResult) -> dict[str, Any]:
    """The whole-horizon reading of a costed candidate (all null / empty when it was not costed)."""
    h = c.horizon
    if h is None:
        return {"months_ahead": None, "worst_gap_usd": None, "worst_gap_month": None,
                "break_even_from_resale": None, "monthly_overflow_api_usd": [], "purchases": [],
                "cost_per_mtok_api_usd": None, "cost_per_mtok_local_month1_usd": None,
                "cost_per_mtok_api_month1_usd": None}
    return {"months_ahead": h.months_ahead, "worst_gap_usd": _finite(h.worst_gap_usd),
            "worst_gap_month": h.worst_gap_month, "break_even_from_resale": h.break_even_from_resale,
            "monthly_overflow_api_usd": [_finite(x) for x in h.monthly_overflow_api_usd],
            "purchases": [{"month": p.month, "units": p.units, "capex_usd": _finite(p.capex_usd)}
                          for p in h.purchases],
            "cost_per_mtok_api_usd": _finite(h.cost_per_mtok_api_usd),
            "cost_per_mtok_local_month1_usd": _finite(h.cost_per_mtok_local_month1_usd),
            "cost_per_mtok_api_month1_usd": _finite(h.cost_per_mtok_api_month1_usd)}


def recommendation_to_json(rec: Recommendation) -> dict[str, Any]:
    """The whole recommendation as JSON (what `recommend --json` prints)."""
    return {
        "scenario": rec.scenario, "verdict": rec.verdict, "sentence": rec.sentence,
        "api_offer": rec.api_offer, "monthly_api_usd": _finite(rec.monthly_api_usd),
        "horizon_months": rec.horizon_months,
        "horizon_cost_api_usd": _finite(rec.cumulative_api_usd[-1]) if rec.cumulative_api_usd else None,
        "cumulative_api_usd": [_finite(x) for x in rec.cumulative_api_usd],
        "recommended": candidate_to_json(rec.recommended) if rec.recommended else None,
        "candidates": [candidate_to_json(c) for c in rec.candidates],
        "sensitivity": [{"assumption": b.assumption, "low_label": b.low_label, "high_label": b.high_label,
                         "break_even_low": _finite(b.break_even_low),
                         "break_even_high": _finite(b.break_even_high)} for b in rec.sensitivity],
        "sensitivity_of": rec.sensitivity_of, "sensitivity_base_month": _finite(rec.sensitivity_base_month),
        "flip_notes": list(rec.flip_notes), "notes": list(rec.notes),
        "api_offer_id": rec.api_offer_id,
        "offers": [offer_to_json(o) for o in rec.offers],
        "switching_values": [{"assumption": v.assumption, "factor": _finite(v.factor), "value": v.value_text,
                              "flips_to": v.flips_to} for v in rec.switching_values],
        "warnings": list(rec.warnings),
        "rent": rent_to_json(next((o for o in rec.rent_options if o.tier == "on-demand"), None)),
        "rent_options": [rent_to_json(o) for o in rec.rent_options],
    }


def rent_to_json(o: RentOption | None) -> dict[str, Any] | None:
    """One rental option: GPUs x USD per GPU-hour x hours; month 1 and the horizon [USD]."""
    if o is None:
        return None
    return {"system_id": o.system_id, "name": o.name, "quant": o.quant, "tier": o.tier,
            "usd_per_gpu_hour": o.usd_per_gpu_hour, "gpus": o.gpus, "gpus_final": o.gpus_final,
            "hours_per_month": _finite(o.hours_per_month), "monthly_usd": _finite(o.monthly_usd),
            "horizon_cost_usd": _finite(o.horizon_cost_usd), "cumulative_usd": [_finite(x) for x in o.cumulative_usd],
            "vendor": o.vendor, "source": o.source, "observed_at": o.observed_at, "flags": list(o.flags)}


def offer_to_json(o: OfferCost) -> dict[str, Any]:
    """One API offer compared: prices [USD/Mtok], all demand on it per month and over the horizon [USD]."""
    return {"id": o.id, "name": o.name, "provider": o.provider, "model_ref": o.model_ref, "tier": o.tier,
            "usd_per_mtok_input_miss": o.usd_per_mtok_input_miss, "usd_per_mtok_input_hit": o.usd_per_mtok_input_hit,
            "usd_per_mtok_output": o.usd_per_mtok_output, "monthly_usd": _finite(o.monthly_usd),
            "horizon_cost_usd": _finite(o.horizon_cost_usd), "cost_per_mtok_usd": _finite(o.cost_per_mtok_usd),
            "from_scenario": o.from_scenario, "same_model": o.same_model, "acceptable": o.acceptable,
            "flags": list(o.flags), "source": o.source, "as_of": o.as_of, "effective_to": o.effective_to}


def _month(value: float | None) -> str:
    return "never" if value is None else f"{value:.1f}"


def _table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    return "\n".join(lines)


def format_recommendation(rec: Recommendation) -> str:
    """The human text: verdict sentence, ranked table, what would flip the answer, notes."""
    headers = ["#", "Candidate", "Quant", "Fits", "SLA", "Capex [$]", "Opex [$/mo]", "API [$/mo]",
               "Break-even [mo]", f"{rec.horizon_months}-mo cost [$]", "[$/Mtok]"]
    rows = []
    for rank, c in enumerate(rec.candidates, 1):
        costed = bool(c.cumulative_local_usd)
        rows.append([str(rank), c.name, c.quant, "yes" if c.fits else "no", "yes" if c.meets_sla else "no",
                     f"{c.capex_usd:,.0f}", f"{c.monthly_opex_usd:,.0f}" if costed else "-",
                     f"{c.monthly_api_usd:,.0f}" if costed else "-",
                     _month(c.break_even_month) if costed else "-",
                     f"{c.horizon_cost_local_usd:,.0f}" if costed else "-",
                     f"{c.cost_per_mtok_local_usd:.3f}" if costed else "-"])
    api_total = rec.cumulative_api_usd[-1] if rec.cumulative_api_usd else 0.0
    parts = [f"Verdict: {rec.verdict.upper()}", rec.sentence, "",
             f"All on the API ({rec.api_offer}): ${rec.monthly_api_usd:,.0f}/month now, "
             f"${api_total:,.0f} over {rec.horizon_months} months{_api_unit_cost(rec)}.", "", _table(headers, rows)]
    for rank, c in enumerate(rec.candidates[:5], 1):
        if c.reasons:
            parts.append(f"  #{rank} {c.name} ({c.quant}): " + "; ".join(c.reasons))
    if rec.offers:
        parts += ["", f"API offers compared (the verdict uses the first; {rec.horizon_months}-month cost of all "
                      "demand):", _offers_table(rec)]
    if rec.rent_options:
        parts += ["", "Renting the GPUs instead (cloud GPU-hours for the service hours, cheapest first):",
                  _table(["Candidate", "Quant", "Tier", "[$/GPU-h]", "GPUs", "Month 1 [$]",
                          f"{rec.horizon_months}-mo [$]", "Price from"],
                         [[o.name, o.quant, o.tier, f"{o.usd_per_gpu_hour:.2f}", str(o.gpus), f"{o.monthly_usd:,.0f}",
                           f"{o.horizon_cost_usd:,.0f}", f"{o.vendor} {o.observed_at}"] for o in rec.rent_options[:6]])]
    if rec.switching_values:
        parts += ["", "Switching values (one input moved alone until the verdict flips):"]
        parts += [f"  - {v.assumption}: {v.value_text} -> {v.flips_to}" if v.factor is not None else
                  f"  - {v.assumption}: {v.value_text}" for v in rec.switching_values]
    if rec.warnings:
        parts += ["", "Check the inputs:"] + [f"  - {w}" for w in rec.warnings]
    if rec.flip_notes:
        parts += ["", "What would change the answer:"] + [f"  - {note}" for note in rec.flip_notes]
    if rec.notes:
        parts += ["", "Notes:"] + [f"  - {note}" for note in rec.notes]
    return "\n".join(parts)


def _api_unit_cost(rec: Recommendation) -> str:
    """" ($0.071/Mtok as a horizon average, like the [$/Mtok] column)" for the chosen offer."""
    chosen = next((o for o in rec.offers if o.id == rec.api_offer_id), None)
    if chosen is None:
        return ""
    return f" (${chosen.cost_per_mtok_usd:.3f}/Mtok as a {rec.horizon_months}-month average, like the [$/Mtok] column)"


def _offers_table(rec: Recommendation) -> str:
    rows = [[str(i), o.name, f"{o.monthly_usd:,.0f}", f"{o.horizon_cost_usd:,.0f}", f"{o.cost_per_mtok_usd:.3f}",
             ("scenario" if o.from_scenario else "catalog, same model"),
             "; ".join(o.flags) or ("-" if o.acceptable else "not valid today")]
            for i, o in enumerate(rec.offers, 1)]
    return _table(["#", "API offer", "Month 1 [$]", f"{rec.horizon_months}-mo [$]", "[$/Mtok]", "From", "Flags"],
                  rows)


def run(args: argparse.Namespace) -> int:
    import sqlalchemy as sa

    from advisor.app.scenarios import recommend, scenario_from_name_or_file, with_overrides
    from advisor.db import get_scenario, load_catalog, open_database

    engine: sa.Engine | None = None

    def from_database(name: str) -> dict[str, Any]:
        nonlocal engine
        engine = engine or open_database()
        return get_scenario(engine, name).model_dump(mode="json")

    try:
        # A scenario file is validated before the database is opened: bad input touches nothing.
        scenario = with_overrides(scenario_from_name_or_file(args.scenario, lookup=from_database), args.set)
        engine = engine or open_database()
        rec = recommend(load_catalog(engine), scenario)
    finally:
        if engine is not None:
            engine.dispose()
    if args.json:
        print(json.dumps(recommendation_to_json(rec), indent=2))
    else:
        print(format_recommendation(rec))
    return 0
