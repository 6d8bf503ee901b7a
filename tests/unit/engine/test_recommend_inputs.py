"""Inputs that do not fit together are refused or said plainly; numbers compared unrounded are printed so
that they never read alike ("20.0 tok/s is below the SLA of 20" must not appear)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import re
from pathlib import Path

import pytest

from advisor.catalog.snapshot import Catalog
from advisor.cli.recommend_cmd import candidate_to_json
from advisor.engine.recommend import recommend
from advisor.engine.scenario import Scenario, scenario_from_json
from advisor.errors import InputError
from tests.unit.engine.test_recommend_cli import run_cli

TODAY = dt.date(2026, 12, 5)
BATCH = "24/7 batch summarisation"  # 3,000 M in / 150 M out a month, 8,000-token prompts, 400-token outputs


@pytest.fixture(scope="module")
def seed() -> Catalog:
    return Catalog.load()


def batch(seed: Catalog, **workload: object) -> Scenario:
    data = seed.scenario(BATCH).model_dump(mode="json")
    data["workload"].update(workload)
    return scenario_from_json(data)


def test_a_context_smaller_than_prompt_plus_output_is_refused(seed: Catalog) -> None:
    with pytest.raises(InputError, match=r"^workload.context_tokens: 100 tokens cannot hold an average request "
                                         r"of 8400 tokens \(prompt 8000 \+ output 400\)$"):
        batch(seed, context_tokens=100)
    assert batch(seed, context_tokens=8400).workload.context_tokens == 8400  # exactly enough is fine
    # a scenario built in code (the app's form) is checked when it is evaluated
    edited = dataclasses.replace(batch(seed), workload=dataclasses.replace(batch(seed).workload, context_tokens=100))
    with pytest.raises(InputError, match=r"^workload.context_tokens"):
        recommend(edited, seed, today=TODAY)


def test_the_cli_refuses_it_with_exit_2_naming_the_field(tmp_path: Path, seed: Catalog) -> None:
    data = seed.scenario(BATCH).model_dump(mode="json")
    data["workload"]["context_tokens"] = 100
    path = tmp_path / "short-context.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = run_cli("recommend", "--scenario", str(path), "--json")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        "error: workload.context_tokens: 100 tokens cannot hold an average request of 8400 tokens "
        "(prompt 8000 + output 400)"]
    assert not list(Path(os.environ["RIG_ADVISOR_DATA_DIR"]).iterdir())  # nothing opened or written
    by_set = run_cli("recommend", "--scenario", BATCH, "--set", "workload.context_tokens=100")
    assert by_set.returncode == 2 and by_set.stderr.startswith("error: workload.context_tokens: ")


def test_token_volume_that_needs_more_streams_than_the_peak_is_flagged(seed: Catalog) -> None:
    """1,500 M output tokens in 24 h x 30.4 days (2,628,000 s) is 570.8 tok/s: more than one stream can decode."""
    rec = recommend(batch(seed, peak_concurrency=1, tokens_out_per_month=1.5e9), seed, today=TODAY)
    fastest = max((c for c in rec.candidates if c.fits), key=lambda c: c.estimate.tg_tok_s_per_user)
    streams = 1.5e9 / 2_628_000 / fastest.estimate.tg_tok_s_per_user
    warning = next(w for w in rec.warnings if w.startswith("The token volume needs more concurrency"))
    assert "is 571 tok/s" in warning and f"about {-(-streams // 1):.0f} streams at once" in warning
    assert "more than the peak concurrency of 1" in warning
    calm = recommend(batch(seed), seed, today=TODAY)  # 16 streams at peak serve 57 tok/s easily
    assert not any("concurrency" in w for w in calm.warnings)


def test_an_sla_no_candidate_can_meet_is_said_plainly(seed: Catalog) -> None:
    rec = recommend(batch(seed, sla_tok_s_per_user=500.0), seed, today=TODAY)
    assert rec.verdict == "api" and rec.recommended is None
    assert "cannot be met on any of them; the fastest that holds the model" in rec.sentence
    assert any(w.startswith("No candidate meets the SLA (500 tok/s per user") for w in rec.warnings)


def test_below_the_sla_never_prints_two_equal_numbers(seed: Catalog) -> None:
    """An SLA a hair above a candidate's unrounded speed: both are printed with the decimals that tell them
    apart."""
    speeds = sorted(c.estimate.tg_tok_s_per_user for c in recommend(batch(seed), seed, today=TODAY).candidates
                    if c.fits)
    sla = speeds[-1] + 0.004  # one-decimal rounding would print both alike
    rec = recommend(batch(seed, sla_tok_s_per_user=sla), seed, today=TODAY)
    lines = [r for c in rec.candidates for r in c.reasons if "below the SLA" in r]
    assert lines
    for line in lines:
        value, bound = re.match(r"^([\d.]+) tok/s per user .* below the SLA of ([\d.]+) tok/s$", line).groups()  # type: ignore[union-attr]
        assert value != bound and len(value.split(".")[1]) == len(bound.split(".")[1])  # same decimals
        assert float(value) < float(bound)


def test_a_setup_that_does_not_fit_has_no_speeds_in_the_json(seed: Catalog) -> None:
    solo = scenario_from_json(seed.scenario("Solo developer coding agent (DeepSeek-V4-Flash class)")
                              .model_dump(mode="json"))
    rec = recommend(solo, seed, today=TODAY)
    misfit = next(c for c in rec.candidates if not c.fits)
    data = candidate_to_json(misfit)
    assert data["tg_tok_s"] is None and data["tg_tok_s_per_user"] is None and data["ttft_s"] is None
    assert not any("tok/s" in r for r in misfit.reasons)


def test_repeated_candidates_are_compared_once_and_zero_demand_is_refused_on_every_path() -> None:
    import dataclasses

    from advisor.catalog.snapshot import Catalog
    from advisor.engine.recommend import recommend
    from advisor.engine.scenario import scenario_from_json
    from advisor.errors import InputError

    catalog = Catalog.load()
    body = {"name": "dup", "workload": {"model": "Qwen3-30B-A3B"}, "finance": {},
            "candidates": ["1x-rtx4090", "1x-rtx4090", "1x RTX 4090 desktop"], "api_offers": ["deepseek-v4-flash"]}
    scenario = scenario_from_json(body)
    assert scenario.candidates == ("1x-rtx4090", "1x RTX 4090 desktop")  # exact repeats dropped in the file
    rec = recommend(scenario, catalog)
    keys = [(c.system_id, c.quant) for c in rec.candidates]
    assert len(keys) == len(set(keys))  # the alias names the same system: no row twice
    # zero demand: the file is refused, and so is a scenario edited in the app (no file involved)
    with pytest.raises(InputError, match="workload.tokens_in_per_month: input and output tokens are both 0"):
        scenario_from_json(body | {"workload": {"model": "m", "tokens_in_per_month": 0, "tokens_out_per_month": 0}})
    from advisor.engine.assumptions import what_if

    edited = dataclasses.replace(scenario, workload=what_if(scenario.workload, tokens_in_per_month=0.0,
                                                             tokens_out_per_month=0.0))
    with pytest.raises(InputError, match="nothing to serve"):
        recommend(edited, catalog)
