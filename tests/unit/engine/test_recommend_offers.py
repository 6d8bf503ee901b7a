"""Every API offer is compared; the verdict uses the cheapest acceptable one, whatever order they are listed in.

Hand-worked figures (the shipped "24/7 batch summarisation" scenario: 3,000 M input + 150 M output tokens a
month, no cache hits, 36 months, API prices falling 30 % a year):
- Gemini 2.5 Flash-Lite ($0.10 / $0.40): 3000 x 0.10 + 150 x 0.40 = $360 a month; over 36 months
  360 x (1 - r^36) / (1 - r) with r = 0.7^(1/12): $8,076.34.
- Fireworks Qwen3 VL 30B A3B and DeepSeek V4.1-Flash off-peak ($0.15 / $0.60): 450 + 90 = $540; $12,114.52.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import json

import pytest

from advisor.catalog.schema import ApiOfferRecord
from advisor.catalog.snapshot import Catalog
from advisor.cli.recommend_cmd import format_recommendation, recommendation_to_json
from advisor.engine.recommend import recommend
from advisor.engine.scenario import Scenario, scenario_from_json

TODAY = dt.date(2026, 12, 5)
BATCH = "24/7 batch summarisation"


@pytest.fixture(scope="module")
def seed() -> Catalog:
    return Catalog.load()


def batch(catalog: Catalog) -> Scenario:
    return scenario_from_json(catalog.scenario(BATCH).model_dump(mode="json"))


def test_the_batch_scenario_gives_the_same_verdict_with_its_offers_in_any_order(seed: Catalog) -> None:
    scenario = batch(seed)
    answers = set()
    for order in itertools.permutations(scenario.api_offers):
        rec = recommend(dataclasses.replace(scenario, api_offers=order), seed, today=TODAY)
        answers.add((rec.verdict, rec.api_offer_id, rec.sentence, tuple(o.id for o in rec.offers)))
    assert len(answers) == 1
    verdict, offer_id, sentence, ids = answers.pop()
    assert offer_id == "google-gemini-2.5-flash-lite" and ids[0] == offer_id
    assert set(ids) == set(scenario.api_offers)  # no catalog offer serves Qwen3-30B-A3B
    assert "cheapest acceptable of the 3 offers compared" in sentence
    assert "it serves a different model than Qwen3-30B-A3B" in sentence


def test_each_offer_is_costed_by_hand(seed: Catalog) -> None:
    rec = recommend(batch(seed), seed, today=TODAY)
    by_id = {o.id: o for o in rec.offers}
    gemini, fireworks = by_id["google-gemini-2.5-flash-lite"], by_id["fireworks-qwen3-vl-30b-a3b"]
    assert gemini.monthly_usd == pytest.approx(360.0)
    assert gemini.horizon_cost_usd == pytest.approx(8076.3434, abs=0.01)
    assert fireworks.monthly_usd == pytest.approx(540.0)
    assert fireworks.horizon_cost_usd == pytest.approx(12114.5151, abs=0.01)
    assert by_id["deepseek-v4.1-flash-offpeak"].monthly_usd == pytest.approx(540.0)
    # like for like with the rigs: a horizon average over 36 x 3,150 M tokens
    assert gemini.cost_per_mtok_usd == pytest.approx(8076.3434 / (36 * 3150), rel=1e-6)
    # the verdict's API line is the chosen offer's
    assert rec.monthly_api_usd == pytest.approx(360.0)
    assert rec.cumulative_api_usd[-1] == pytest.approx(gemini.horizon_cost_usd)
    # a 24-hour service cannot run on an off-peak price alone: said, not hidden
    assert any("off-peak price" in f for f in by_id["deepseek-v4.1-flash-offpeak"].flags)


def test_json_and_text_list_every_offer_with_its_monthly_cost(seed: Catalog) -> None:
    rec = recommend(batch(seed), seed, today=TODAY)
    data = json.loads(json.dumps(recommendation_to_json(rec)))
    assert [o["id"] for o in data["offers"]][0] == data["api_offer_id"] == "google-gemini-2.5-flash-lite"
    assert {o["id"]: o["monthly_usd"] for o in data["offers"]} == {
        "google-gemini-2.5-flash-lite": 360.0, "fireworks-qwen3-vl-30b-a3b": 540.0,
        "deepseek-v4.1-flash-offpeak": 540.0}
    text = format_recommendation(rec)
    assert "API offers compared" in text
    for offer in rec.offers:
        assert offer.name in text


def _offer(offer_id: str, usd_in: float, usd_out: float, *, end: dt.date | None = None,
           model_ref: str | None = None) -> ApiOfferRecord:
    return ApiOfferRecord(id=offer_id, name=offer_id.upper(), provider="Test", model_ref=model_ref,
                          usd_per_mtok_input_miss=usd_in, usd_per_mtok_input_hit=usd_in / 10,
                          usd_per_mtok_output=usd_out, effective_to=end, source="test record",
                          as_of=dt.date(2026, 11, 1))


def _catalog(seed: Catalog, offers: list[ApiOfferRecord]) -> Catalog:
    return Catalog(hardware=seed.hardware, hosts=seed.hosts, systems=seed.systems, models=seed.models,
                   quants=seed.quants, api_offers=offers)


def _scenario(offers: list[str], **finance: object) -> Scenario:
    return scenario_from_json({"name": "offers", "workload": {"model": "Llama-3.1-8B", "tokens_in_per_month": 1e8,
                                                              "tokens_out_per_month": 2e7},
                               "finance": finance, "candidates": ["1x-rtx5090"], "api_offers": offers})


def test_an_expired_offer_is_flagged_and_not_chosen_over_a_valid_one(seed: Catalog) -> None:
    """The expired offer is cheaper ($0.05 / $0.10: $7/month) than the valid one ($0.20 / $0.80: $36/month)."""
    catalog = _catalog(seed, [_offer("old-cheap", 0.05, 0.10, end=dt.date(2026, 8, 16)),
                              _offer("current", 0.20, 0.80)])
    rec = recommend(_scenario(["old-cheap", "current"]), catalog, today=TODAY)
    assert rec.api_offer_id == "current" and rec.monthly_api_usd == pytest.approx(100 * 0.2 + 20 * 0.8)
    old = next(o for o in rec.offers if o.id == "old-cheap")
    assert not old.acceptable and old.flags == ("expired on 2026-08-16",)
    assert old.monthly_usd == pytest.approx(100 * 0.05 + 20 * 0.10)
    # the day before it expired it was valid, and cheapest
    assert recommend(_scenario(["current", "old-cheap"]), catalog, today=dt.date(2026, 8, 15)).api_offer_id \
        == "old-cheap"


def test_when_every_offer_has_expired_the_cheapest_is_used_and_that_is_said(seed: Catalog) -> None:
    catalog = _catalog(seed, [_offer("gone", 0.2, 0.8, end=dt.date(2026, 1, 1))])
    rec = recommend(_scenario(["gone"]), catalog, today=TODAY)
    assert rec.api_offer_id == "gone"
    assert "no API offer in the comparison is valid today" in rec.sentence
    assert any("expired on 2026-01-01" in n for n in rec.notes)


def test_catalog_offers_for_the_same_model_join_unless_the_scenario_says_only_its_own(seed: Catalog) -> None:
    catalog = _catalog(seed, [_offer("listed", 0.20, 0.80),
                              _offer("same-model", 0.02, 0.05, model_ref="llama-3.1-8b"),
                              _offer("other-model", 0.01, 0.01, model_ref="qwen3-8b")])
    rec = recommend(_scenario(["listed"]), catalog, today=TODAY)
    assert [o.id for o in rec.offers] == ["same-model", "listed"]
    assert rec.api_offer_id == "same-model" and rec.offers[0].same_model and not rec.offers[0].from_scenario
    only = recommend(_scenario(["listed"], api_offers_compared="scenario_only"), catalog, today=TODAY)
    assert [o.id for o in only.offers] == ["listed"]


def test_an_unknown_offer_anywhere_in_the_list_is_named(seed: Catalog) -> None:
    from advisor.errors import InputError

    with pytest.raises(InputError, match=r"^api_offers\[1\]"):
        recommend(_scenario(["google-gemini-2.5-flash-lite", "no-such-offer"]), seed, today=TODAY)
