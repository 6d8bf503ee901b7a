"""The sweep covers hardware x count x quant x backend: every catalog system plus the rigs built from catalog
parts, each priced by the catalog's rule and evaluated exactly as `recommend` evaluates a catalog system."""

from __future__ import annotations

import dataclasses

import pytest

from advisor.app.scenarios import recommend
from advisor.app.state import snapshot_from_record
from advisor.app.sweep import BUILT_PREFIX, built_systems, run_sweep, sweep_catalog
from advisor.catalog.snapshot import Catalog
from advisor.progress import Cancelled


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.load()  # the shipped catalog (a new database is seeded from it)


def _scenario(catalog: Catalog, name: str):  # type: ignore[no-untyped-def]
    return snapshot_from_record(next(r for r in catalog.scenarios if r.name == name))


def test_built_rigs_cover_counts_hosts_and_skip_catalog_systems(catalog: Catalog) -> None:
    built = {s.id: s for s in built_systems(catalog)}
    existing = {(s.accelerator, s.count) for s in catalog.systems}
    assert not any((s.accelerator, s.count) in existing for s in built.values())
    # a desktop card comes as 1, 2 and 4 (desktop, 2-GPU desktop, 4-GPU server); 1x/2x 5090 are catalog systems
    assert built["built-4x-rtx-5090"].host == "server-4gpu-epyc-512gb"
    assert "built-1x-rtx-5090" not in built and "built-2x-rtx-5090" not in built
    assert built["built-2x-rtx-4080"].host == "desktop-9950x-128gb-2gpu"
    # a passively cooled data-centre card goes in the server even alone; SXM/OAM modules come as 8 in a chassis
    assert built["built-1x-h100-pcie"].host == "server-4gpu-epyc-512gb"
    assert built["built-8x-mi325x"].host == "oam-8gpu-mi300x"
    assert not any(s.accelerator == "h100-sxm" for s in built.values())  # its 8-GPU chassis is in the catalog
    # Apple, APUs and CPUs are whole machines: only as catalog systems
    kinds = {r.id: r.kind for r in catalog.hardware}
    assert {kinds[s.accelerator] for s in built.values()} == {"gpu"}
    # idle draw: the host's plus each card's
    host = next(h for h in catalog.hosts if h.id == "server-4gpu-epyc-512gb")
    card = next(r for r in catalog.hardware if r.id == "rtx-5090")
    assert built["built-4x-rtx-5090"].idle_w == pytest.approx(host.idle_w + 4 * card.idle_w)


def test_built_rig_is_priced_and_evaluated_as_recommend_does(catalog: Catalog) -> None:
    snap = _scenario(catalog, "24/7 batch summarisation")
    whole, ids = sweep_catalog(catalog)
    assert ids[: len(catalog.systems)] == [s.id for s in catalog.systems]
    assert len(ids) == len(catalog.systems) + len(built_systems(catalog))
    rec = recommend(whole, dataclasses.replace(snap, candidates=("built-4x-rtx-5090",)))
    row = rec.candidates[0]
    # price rule for a rig without its own price: accelerators x count + host, latest new price of each
    card, host = whole.latest_price("rtx-5090"), whole.latest_price("server-4gpu-epyc-512gb")
    assert card is not None and host is not None
    unit = 4 * card.price_usd + host.price_usd
    assert row.capex_usd == pytest.approx(row.units * unit * (1 + snap.finance.tax_rate), rel=1e-6)
    swept = run_sweep(catalog, snap)
    points = {p.name: p for p in swept.points}
    assert any(p.system_id.startswith(BUILT_PREFIX) for p in swept.points)
    assert swept.evaluated > 4 * len(catalog.systems)  # systems x quants, built rigs included
    mine = points[f"{row.name} ({row.quant})"]
    assert (mine.horizon_cost_usd, mine.tok_s_per_user) == (row.horizon_cost_local_usd, row.estimate.tg_tok_s_per_user)


def test_sweep_of_the_whole_catalog_reports_progress_and_cancels(catalog: Catalog) -> None:
    snap = _scenario(catalog, "8-seat team assistant")
    seen: list[float] = []

    def progress(fraction: float, stage: str) -> None:
        seen.append(fraction)
        if fraction > 0.3:
            raise Cancelled()

    with pytest.raises(Cancelled):
        run_sweep(catalog, snap, progress)
    assert seen and max(seen) < 0.5 and len(seen) >= 3  # stopped early, after reporting
