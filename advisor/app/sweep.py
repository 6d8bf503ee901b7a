"""Tools > Sweep, the core part (no Qt): run the workload against every system in the catalog and every
rig that can be built from it (each discrete GPU x 1, 2 or 4 in a catalog host; 8 data-centre modules in
their chassis), x every quant and the backend that runs it (`recommend`'s rule), in chunks so progress is
reported and cancel is honoured, then find the Pareto front of horizon cost vs speed.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from advisor.app.scenarios import recommend
from advisor.catalog.schema import HardwareRecord, HostRecord, SystemRecord
from advisor.catalog.snapshot import Catalog
from advisor.engine.resale import device_class
from advisor.engine.scenario import Scenario
from advisor.engine.types import CandidateResult
from advisor.progress import ProgressCallback, scaled

CHUNK_SYSTEMS = 4  # systems per recommend call: small enough for a responsive Cancel
# Which catalog host a built rig of N PCIe cards goes in: a desktop holds 1-2 cards, the 4-GPU server 4.
# Passively cooled data-centre cards need server airflow at any count. Module GPUs (SXM, OAM) come as 8 in
# their vendor's chassis. A rig whose host is missing from the catalog is not built.
PCIE_HOSTS = {1: "desktop-7950x-64gb", 2: "desktop-9950x-128gb-2gpu", 4: "server-4gpu-epyc-512gb"}
SERVER_HOST = "server-4gpu-epyc-512gb"
MODULE_CHASSIS = {"nvlink": "hgx-8gpu-hopper", "infinity_fabric": "oam-8gpu-mi300x"}
MODULE_CHASSIS_BY_ID = {"b200": "hgx-8gpu-b200"}
BUILT_PREFIX = "built-"


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


def _hosts_for(record: HardwareRecord) -> list[tuple[int, str]]:
    """(count, host id) of the rigs one accelerator can be built into."""
    if record.kind != "gpu":
        return []  # Apple, APUs and CPUs are whole machines: only their catalog systems
    if record.link.startswith("pcie"):
        if device_class(record.kind, record.name, record.link) == "data-centre GPU":  # needs server airflow
            return [(n, SERVER_HOST) for n in PCIE_HOSTS]
        return list(PCIE_HOSTS.items())
    chassis = MODULE_CHASSIS_BY_ID.get(record.id) or MODULE_CHASSIS.get(record.link)
    return [(8, chassis)] if chassis else []


def _short(name: str) -> str:
    """"NVIDIA GeForce RTX 5090" -> "RTX 5090": the vendor and brand words a rig's name does not need."""
    for prefix in ("NVIDIA GeForce ", "NVIDIA ", "AMD Radeon ", "AMD Instinct ", "AMD ", "Intel "):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def built_systems(catalog: Any) -> list[SystemRecord]:
    """The rigs the sweep builds from catalog parts, skipping any accelerator x count a catalog system
    already is. Their price is the catalog's price rule (accelerators x count + host), their idle draw the
    host's plus each card's."""
    hosts: dict[str, HostRecord] = {str(h.id): h for h in catalog.hosts}
    existing = {(str(s.accelerator), int(s.count)) for s in catalog.systems}
    built: list[SystemRecord] = []
    for record in catalog.hardware:
        for count, host_id in _hosts_for(record):
            host = hosts.get(host_id)
            if host is None or (str(record.id), count) in existing:
                continue
            built.append(SystemRecord(
                id=f"{BUILT_PREFIX}{count}x-{record.id}"[:80],
                name=f"{count}x {_short(record.name)} ({host.name.split(' (')[0]}, built)",
                source=f"built by the sweep from catalog parts: {record.id} ({record.source}); {host.id}",
                as_of=min(record.as_of, host.as_of), confidence="low", accelerator=str(record.id),
                count=count, host=host_id, idle_w=float(host.idle_w) + count * float(record.idle_w),
                notes="A rig the catalog does not list: price = accelerators x count + host."))
    return built


def sweep_catalog(catalog: Any) -> tuple[Catalog, list[str]]:
    """(the catalog plus the built rigs, every system id to sweep: the catalog's first)."""
    built = built_systems(catalog)
    systems = tuple(catalog.systems) + tuple(built)
    whole = Catalog(hardware=catalog.hardware, hosts=catalog.hosts, systems=systems, models=catalog.models,
                    quants=catalog.quants, api_offers=catalog.api_offers, tariffs=catalog.tariffs,
                    pue=catalog.pue_levels, scenarios=catalog.scenarios,
                    prices=_price_points(catalog))
    return whole, [str(s.id) for s in systems]


def _price_points(catalog: Any) -> dict[str, list[Any]]:
    """Every price point the catalog holds beyond those its records carry (the database's price rows)."""
    points: dict[str, list[Any]] = {}
    for kind in (catalog.hardware, catalog.hosts, catalog.systems):
        for record in kind:
            carried = {id(p) for p in record.prices}
            extra = [p for p in catalog.prices(str(record.id)) if id(p) not in carried and p not in record.prices]
            if extra:
                points[str(record.id)] = extra
    return points


def run_sweep(
    catalog: Any,
    snap: Scenario,
    progress_callback: ProgressCallback | None = None,
    system_ids: list[str] | None = None,
) -> SweepResult:
    """Every catalog system and every rig built from catalog parts (or only `system_ids`) x allowed quant
    for the scenario's workload and finance.

    Each point is a candidate exactly as `recommend` evaluates it (same setup, same costs)."""
    if system_ids is None:
        catalog, ids = sweep_catalog(catalog)
    else:
        ids = system_ids
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
