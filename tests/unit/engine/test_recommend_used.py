"""A system named "(used)" costs what its parts cost used; other systems follow finance.price_condition.

Hand-worked from the seed catalog's latest used price points: RTX 3090 $750 (2026-05-15), the used 4-GPU
open frame host $1,800 (2026-06-01), $200 of risers and frame: 4 x 750 + 1,800 + 200 = $5,000 (it was
$9,696 at the 2020 launch price new, plus the frame new).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from advisor.catalog.snapshot import Catalog
from advisor.engine.recommend import recommend
from advisor.engine.scenario import Scenario, scenario_from_json

TODAY = dt.date(2026, 12, 5)


@pytest.fixture(scope="module")
def seed() -> Catalog:
    return Catalog.load()


def team(seed: Catalog, condition: str = "new") -> Scenario:
    data = seed.scenario("8-seat team assistant").model_dump(mode="json")
    data["finance"]["price_condition"] = condition
    data["candidates"] = ["4x-rtx3090-used", "2x-rtx5090"]
    return scenario_from_json(data)


def test_four_used_3090s_cost_a_used_price_whatever_the_scenario_prefers(seed: Catalog) -> None:
    for condition in ("new", "used"):
        rec = recommend(team(seed, condition), seed, today=TODAY)
        quad = [c for c in rec.candidates if c.system_id == "4x-rtx3090-used"]
        assert quad and all(c.capex_usd / c.units == pytest.approx(4 * 750 + 1800 + 200) for c in quad)
        assert {(p.item, p.price_usd, p.condition) for p in quad[0].prices} == {
            ("NVIDIA GeForce RTX 3090", 750.0, "used"),
            ("4-GPU open frame (used EPYC 7532, 256 GB DDR4-3200)", 1800.0, "used")}
        assert seed.latest_price("rtx-3090", "used").price_usd == 750.0  # type: ignore[union-attr]


def test_a_new_system_follows_the_scenario_and_says_when_it_has_no_used_price(seed: Catalog) -> None:
    new = recommend(team(seed, "new"), seed, today=TODAY)
    used = recommend(team(seed, "used"), seed, today=TODAY)
    five = lambda rec: next(c for c in rec.candidates if c.system_id == "2x-rtx5090")  # noqa: E731
    assert five(new).capex_usd == pytest.approx(five(used).capex_usd)  # no used RTX 5090 price: new is used
    assert any("has no used price" in n for n in used.notes)


def test_a_desktop_named_used_takes_used_cards_and_a_new_host_when_no_used_host_is_priced(seed: Catalog) -> None:
    """1x RTX 3090 (used) desktop: $750 card used + $1,900 desktop (only a new price) = $2,650."""
    scenario = dataclasses.replace(team(seed), candidates=("1x-rtx3090-used",))
    rec = recommend(scenario, seed, today=TODAY)
    assert rec.candidates[0].capex_usd / rec.candidates[0].units == pytest.approx(750 + 1900)
    assert any("has no used price: priced at its latest new price of $1,900" in n for n in rec.notes)
