"""Tools > Sweep, the core part (no Qt): run the workload against every system in the catalog, in chunks
so progress is reported and cancel is honoured, then find the Pareto front of horizon cost vs speed.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from advisor.app.scenarios import recommend
from advisor.engine.scenario import Scenario
from advisor.engine.types import CandidateResult
from advisor.progress import ProgressCallback, scaled

CHUNK_SYSTEMS = 4  # systems per recommend call: small enough for a responsive Cancel


@dataclass(frozen=True)
class SweepPoint:
    name: str  # e.g. "2x RTX 5090 desktop (Q4_K_M)"
    system_id: str
    quant: str
    units: int
    horizon_cost_usd: float
    tok_s_per_user: float
    meets_sla: bool
    break_even_month: float | None


@dataclass(frozen=True)
class SweepResult:
    points: tuple[SweepPoint, ...]  # every candidate that fits
    front: tuple[int, ...]  # indices into points on the Pareto front, cheapest first
    evaluated: int  # candidates evaluated (fitting or not)
    api_horizon_cost_usd: float


def pareto_front(costs: list[float], speeds: list[float]) -> list[int]:
    """Indices not dominated (no other point is both cheaper-or-equal and faster-or-equal, one strictly).

    >>> pareto_front([1.0, 2.0, 3.0, 2.5], [10.0, 20.0, 15.0, 30.0])
    [0, 1, 3]
    """
    order = sorted(range(len(costs)), key=lambda i: (costs[i], -speeds[i]))
    front: list[int] = []
    best_speed = float("-inf")
    for i in order:
        if speeds[i] > best_speed:
            front.append(i)
            best_speed = speeds[i]
    return front


def run_sweep(
    catalog: Any,
    snap: Scenario,
    progress_callback: ProgressCallback | None = None,
    system_ids: list[str] | None = None,
) -> SweepResult:
    """Every catalog system (or `system_ids`) x allowed quant for the scenario's workload and finance.

    Each point is a candidate exactly as `recommend` evaluates it (same setup, same costs)."""
    ids = system_ids if system_ids is not None else [str(r.id) for r in catalog.systems]
    results: list[CandidateResult] = []
    api_cost = 0.0
    chunks = [ids[i : i + CHUNK_SYSTEMS] for i in range(0, len(ids), CHUNK_SYSTEMS)] or [[]]
    for n, chunk in enumerate(chunks):
        if not chunk:
            break
        part = dataclasses.replace(snap, candidates=tuple(chunk))

        rec = recommend(catalog, part, scaled(progress_callback, n / len(chunks), (n + 1) / len(chunks)))
        results.extend(rec.candidates)
        api_cost = rec.cumulative_api_usd[-1] if rec.cumulative_api_usd else 0.0
    fitting = [c for c in results if c.fits and c.cumulative_local_usd]
    points = tuple(
        SweepPoint(
            f"{c.name} ({c.quant})",
            c.system_id,
            c.quant,
            c.units,
            c.horizon_cost_local_usd,
            c.estimate.tg_tok_s_per_user,
            c.meets_sla,
            c.break_even_month,
        )
        for c in fitting
    )
    viable = [i for i, p in enumerate(points) if p.meets_sla] or list(range(len(points)))
    sub = pareto_front(
        [points[i].horizon_cost_usd for i in viable], [points[i].tok_s_per_user for i in viable]
    )
    front = tuple(viable[i] for i in sub)
    return SweepResult(points, front, len(results), api_cost)
