"""Renting as a third path: cloud GPU-hours priced from dated catalog points, hours driven by demand and the
service day; the verdict is RENT when that is cheaper over the horizon than the API and than buying."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from advisor.catalog.snapshot import Catalog
from advisor.cli.recommend_cmd import format_recommendation, recommendation_to_json
from advisor.engine.recommend import recommend
from tests.unit.engine.test_recommend_verdicts import TODAY, scenario, verdict_catalog

HOURS = 8 * 730 / 24  # 8 service hours a day, 30.4 days: 243.3 h a month
RTX_5090_ON_DEMAND = 1.22  # RunPod on-demand, USD per GPU-hour (catalog point of 2026-03-10)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return verdict_catalog()


def test_rental_prices_are_dated_catalog_points(catalog: Catalog) -> None:
    point = catalog.latest_price("rtx-5090", "rent-on-demand")
    assert point is not None and point.price_usd == RTX_5090_ON_DEMAND
    assert point.observed_at == dt.date(2026, 3, 10) and "RunPod" in point.source
    # a rental price is never taken for a purchase price
    assert catalog.latest_price("rtx-5090", "new").price_usd > 1000  # type: ignore[union-attr]


def test_a_rig_that_cannot_be_bought_but_can_be_rented_gives_rent(catalog: Catalog) -> None:
    """The RTX 5090 on an unpriced host cannot be costed as a purchase; rented, one GPU for 243.3 h a month
    at $1.22 is $296.87 a month, $10,687 over 36 months, against GPT-5 at $975 a month."""
    rec = recommend(scenario(("bare-5090",)), catalog, today=TODAY)
    assert rec.verdict == "rent", rec.sentence
    rent = next(o for o in rec.rent_options if o.tier == "on-demand")
    assert rent.gpus == 1 and rent.hours_per_month == pytest.approx(HOURS)
    assert rent.monthly_usd == pytest.approx(RTX_5090_ON_DEMAND * HOURS)
    assert rent.horizon_cost_usd == pytest.approx(36 * RTX_5090_ON_DEMAND * HOURS)
    assert rec.sentence.startswith("Rent RTX 5090 on an unpriced host (")
    assert "1 GPU at $1.22 per GPU-hour for 243 h a month is $297/month, $10,687 over 36 months" in rec.sentence
    assert rec.recommended is not None and rec.recommended.system_id == "bare-5090"
    spot = next(o for o in rec.rent_options if o.tier == "spot")
    assert spot.monthly_usd == pytest.approx(0.69 * HOURS) and "interrupted" in spot.flags[0]


def test_buying_stays_the_answer_when_it_is_cheaper_than_renting(catalog: Catalog) -> None:
    rec = recommend(scenario(), catalog, today=TODAY)  # the $4,600 RTX 5090 box against GPT-5
    rent = next(o for o in rec.rent_options if o.tier == "on-demand")
    assert rec.verdict == "buy" and rec.recommended is not None
    assert rec.recommended.horizon_cost_local_usd < rent.horizon_cost_usd


def test_rent_options_are_in_the_json_and_the_text(catalog: Catalog) -> None:
    rec = recommend(scenario(("bare-5090",)), catalog, today=TODAY)
    data = json.loads(json.dumps(recommendation_to_json(rec)))
    assert data["verdict"] == "rent"
    assert data["rent"]["tier"] == "on-demand" and data["rent"]["usd_per_gpu_hour"] == RTX_5090_ON_DEMAND
    assert len(data["rent"]["cumulative_usd"]) == 37
    assert {o["tier"] for o in data["rent_options"]} == {"on-demand", "spot"}
    assert "Renting the GPUs instead" in format_recommendation(rec)
