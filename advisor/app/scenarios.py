"""Use cases on a scenario: recommend, the Scenarios page's recompute, the PDF report, save and load.

`recommend` runs the engine once; everything shown about a candidate afterwards (the throughput curve, the
PDF, the sweep, the tornado) reuses the setup the engine chose for it (`CandidateResult.setup`) instead of
rebuilding one, so every front end shows the same numbers.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from advisor.app.estimates import CONTEXT_POINTS, context_curve
from advisor.engine.recommend import recommend as engine_recommend
from advisor.engine.scenario import Scenario, load_scenario, scenario_from_json, scenario_to_json
from advisor.engine.types import CandidateResult, Estimate, Recommendation
from advisor.errors import InputError
from advisor.progress import ProgressCallback, scaled


def recommend(catalog: Any, scenario: Scenario, progress_callback: ProgressCallback | None = None
              ) -> Recommendation:
    """The recommendation for ``scenario`` against ``catalog`` (advisor.catalog.Catalog).

    Empty candidate or offer lists (possible while editing in the app) are bad input naming the field.
    """
    if not scenario.workload.model:
        raise InputError("choose a model", "workload.model")
    if not scenario.candidates:
        raise InputError("tick at least one candidate system", "candidates")
    if not scenario.api_offers:
        raise InputError("tick at least one API offer", "api_offers")
    return engine_recommend(scenario, catalog, progress_callback)


def candidate_key(cand: CandidateResult) -> str:
    """A candidate's identity in the results: system id and quant (one system appears once per quant)."""
    return f"{cand.system_id}|{cand.quant}"


def find_candidate(rec: Recommendation, key: str | None) -> CandidateResult | None:
    return next((c for c in rec.candidates if candidate_key(c) == key), None)


def throughput_curve(cand: CandidateResult, contexts: tuple[int, ...] = CONTEXT_POINTS) -> list[Estimate]:
    """Decode/prefill of the candidate's own setup (backend, parallelism, per-unit batch) at each context
    length [tokens]: the curve's value at the workload's context is the candidates table's figure."""
    return context_curve(cand.setup, contexts)


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


def compute_scenario(catalog: Any, scenario: Scenario, revision: int = 0, focus_id: str | None = None,
                     progress_callback: ProgressCallback | None = None) -> ScenarioResult:
    """Recommendation + the throughput curve of the focused (default: recommended) candidate."""
    rec = recommend(catalog, scenario, scaled(progress_callback, 0.0, 0.95))
    fitting = [candidate_key(c) for c in rec.candidates if c.fits]
    if focus_id not in fitting:
        focus_id = candidate_key(rec.recommended) if rec.recommended is not None else (
            fitting[0] if fitting else None)
    cand = find_candidate(rec, focus_id)
    curve: list[Estimate] = []
    name, batch = "", 1
    if cand is not None:
        name, batch = f"{cand.name} ({cand.quant})", cand.setup.batch
        curve = throughput_curve(cand)
    if progress_callback is not None:
        progress_callback(1.0, "done")
    return ScenarioResult(revision, rec, focus_id, name, CONTEXT_POINTS, tuple(curve), batch)


def users_per_unit(scenario: Scenario, cand: CandidateResult) -> int:
    """Concurrent users each unit serves at peak [users] (the recommender spreads the peak evenly)."""
    return math.ceil(max(1, scenario.workload.peak_concurrency) / max(1, cand.units))


# -- the PDF ---------------------------------------------------------------------------------------------------


def report_inputs(catalog: Any, scenario: Scenario, progress_callback: ProgressCallback | None = None,
                  recommendation: Recommendation | None = None) -> tuple[Recommendation, list[Any]]:
    """The recommendation and the source rows (every spec and price it used, with source and date) the PDF
    is built from."""
    from advisor.report.sources import catalog_sources

    rec = recommendation or recommend(catalog, scenario, progress_callback)
    return rec, list(catalog_sources(scenario, rec, catalog))


def write_report(catalog: Any, scenario: Scenario, path: str | Path,
                 progress_callback: ProgressCallback | None = None,
                 recommendation: Recommendation | None = None) -> tuple[Path, int, Recommendation]:
    """Write the PDF buying recommendation (atomically) and return (path, pages, recommendation).

    The same inputs from every front end: the recommendation (computed here unless the caller already has
    the one for this very scenario) and the sources of every spec and price it used, from ``catalog``.
    """
    from advisor.report import build_report
    from advisor.report.builder import check_target

    check_target(str(path))  # a bad target fails before the (slower) work
    rec, sources = report_inputs(catalog, scenario, scaled(progress_callback, 0.0, 0.3), recommendation)
    pages = [0]

    def progress(fraction: float, stage: str) -> None:
        if stage.startswith("page "):
            pages[0] = int(stage.split()[1])
        if progress_callback is not None:
            progress_callback(0.3 + 0.7 * fraction, stage)

    written = build_report(rec, scenario, str(path), progress_callback=progress, sources=sources)
    return Path(written), pages[0], rec


# -- files and the database -------------------------------------------------------------------------------------


def scenario_from_name_or_file(name_or_file: str, lookup: Callable[[str], Any]) -> Scenario:
    """A scenario from a JSON file, else by name through ``lookup(name) -> scenario JSON``."""
    if not name_or_file.strip():  # "" would be read as the current folder
        from advisor.errors import InputError

        raise InputError("must name a scenario (`scenario list`) or a scenario JSON file", "--scenario")
    return load_scenario(name_or_file, lookup=lookup)


def scenario_json(scenario: Scenario) -> dict[str, Any]:
    """The scenario file format (`scenario show NAME --json`)."""
    return scenario_to_json(scenario)


def scenario_record(scenario: Scenario) -> Any:
    """The catalog record a scenario is saved as (validated: InputError names the field)."""
    import datetime as dt

    from advisor.app.store import validate_record

    scenario_from_json(scenario_to_json(scenario))  # the engine's own checks, with its field names
    data = scenario_to_json(scenario)
    data.update(source="user", as_of=dt.date.today().isoformat())
    return validate_record("scenarios", data)


def with_overrides(scenario: Scenario, assignments: list[str]) -> Scenario:
    """The scenario with ``section.field=value`` assignments applied (the CLI's ``--set``), validated by the
    fields' declaration: InputError names the assignment or the field.

    >>> from advisor.engine.types import Finance, Workload
    >>> s = Scenario("demo", Workload(model="m"), Finance(), ("a",), ("b",))
    >>> with_overrides(s, ["workload.peak_concurrency=8", "finance.overflow=hybrid"]).workload.peak_concurrency
    8
    """
    import json

    data = scenario_to_json(scenario)
    for text in assignments:
        key, sep, raw = text.partition("=")
        section, dot, name = key.strip().partition(".")
        if not sep or not dot or section not in ("workload", "finance"):
            raise InputError(f"expected workload.FIELD=VALUE or finance.FIELD=VALUE (got {text!r})", "--set")
        try:
            value = json.loads(raw)
        except ValueError:
            value = raw.strip()  # a bare word: a name or a choice
        data[section][name] = value
    return scenario_from_json(data)


def assumptions_help() -> str:
    """Every field ``--set`` accepts, with its unit and bounds (from advisor.engine.assumptions)."""
    from advisor.engine.assumptions import assumption_fields
    from advisor.engine.types import Finance, Workload

    lines = []
    for section, cls in (("workload", Workload), ("finance", Finance)):
        for f in assumption_fields(cls):
            bounds = f" {f.low:g}..{f.high:g}" if f.low is not None and f.high is not None else ""
            choices = f" {'|'.join(f.choices)}" if f.choices else ""
            unit = "fraction" if f.scale == 0.01 else ("tokens/month" if f.scale == 1e6 else f.unit)
            lines.append(f"  {section}.{f.name}: {f.label} [{unit or '-'}]{bounds}{choices}")
    return "\n".join(lines)
