"""Quant search: MXFP4 MoE GGUFs are tried on llama.cpp, GGUF quants of gpt-oss keep the MXFP4 experts (real file
sizes, not params x 4.89 bit), and `recommend` and `estimate` give one setup the same figures."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from advisor.catalog.snapshot import Catalog
from advisor.engine import estimate
from advisor.engine.fit import weights_split_bytes
from advisor.engine.recommend import recommend
from advisor.engine.scenario import Scenario, scenario_from_json
from tests.unit.engine.test_recommend_cli import run_cli

TODAY = dt.date(2026, 12, 5)


@pytest.fixture(scope="module")
def seed() -> Catalog:
    return Catalog.load()


def team(seed: Catalog, *candidates: str) -> Scenario:
    """gpt-oss-120b for 4 concurrent users at >= 20 tok/s each, first token within 5 s."""
    scenario = scenario_from_json(seed.scenario("8-seat team assistant").model_dump(mode="json"))
    return dataclasses.replace(scenario, candidates=candidates) if candidates else scenario


def test_gpt_oss_120b_q4_k_m_is_sized_like_the_real_files(seed: Catalog) -> None:
    """Experts 114.66 B x 4.25 bit (kept MXFP4) / 8 = 60.913 GB; the other 2.17 B x 4.89 bit / 8 = 1.326 GB:
    62.24 GB, inside the 58.5-62.8 GB the published GGUF files measure (it was 116.83 B x 4.89 / 8 = 71.4 GB)."""
    dense, experts = weights_split_bytes(seed.model("gpt-oss-120b"), seed.quant("Q4_K_M"))
    assert experts / 1e9 == pytest.approx(114.66 * 4.25 / 8)
    assert dense / 1e9 == pytest.approx((116.83 - 114.66) * 4.89 / 8)
    assert 58.5 <= (dense + experts) / 1e9 <= 63.0
    # a dense model's Q4_K_M is untouched: params x 4.89 bit
    d, e = weights_split_bytes(seed.model("Llama-3.1-8B"), seed.quant("Q4_K_M"))
    assert (d + e) / 1e9 == pytest.approx(seed.model("Llama-3.1-8B").total_params_b * 4.89 / 8)


def test_gpt_oss_120b_on_two_rtx_5090_fits_in_recommend(seed: Catalog) -> None:
    rec = recommend(team(seed, "2x-rtx5090"), seed, today=TODAY)
    by_quant = {c.quant: c for c in rec.candidates}
    q4 = by_quant["Q4_K_M"]
    assert q4.fits and q4.meets_sla and q4.setup.offload == "none"
    assert q4.estimate.total_gb <= q4.estimate.usable_gb
    mxfp4 = by_quant["MXFP4"]
    assert mxfp4.setup.backend == "llama.cpp" and mxfp4.fits and mxfp4.meets_sla


def test_mxfp4_is_tried_on_llama_cpp_on_every_kind_of_device(seed: Catalog) -> None:
    rec = recommend(team(seed), seed, today=TODAY)
    tried = {c.system_id: c.setup.backend for c in rec.candidates if c.quant == "MXFP4"}
    assert set(tried) == set(team(seed).candidates)
    assert tried["mac-studio-m4-max-128gb"] == "llama.cpp" and tried["dgx-spark"] == "llama.cpp"
    # a dense model has no MXFP4 MoE GGUF: not tried
    dense = dataclasses.replace(team(seed), workload=dataclasses.replace(team(seed).workload, model="Llama-3.1-8B"))
    assert not any(c.quant == "MXFP4" for c in recommend(dense, seed, today=TODAY).candidates)


def test_recommend_and_the_engine_estimate_agree_on_every_candidate(seed: Catalog) -> None:
    rec = recommend(team(seed), seed, today=TODAY)
    for c in rec.candidates:
        assert estimate(c.setup) == c.estimate, c.name


@pytest.mark.parametrize("system_id, quant", [("2x-rtx5090", "Q4_K_M"), ("2x-rtx5090", "MXFP4"),
                                              ("1x-rtx-pro-6000", "MXFP4"), ("mac-studio-m4-max-128gb", "MXFP4")])
def test_recommend_and_the_estimate_command_agree(seed: Catalog, system_id: str, quant: str) -> None:
    rec = recommend(team(seed, system_id), seed, today=TODAY)
    c = next(c for c in rec.candidates if c.quant == quant)
    s = c.setup
    result = run_cli("estimate", "--hardware", s.device.name, "--count", str(s.count), "--model", s.model.name,
                     "--quant", quant, "--backend", s.backend, "--parallel", s.parallel, "--batch", str(s.batch),
                     "--prompt", str(s.prompt_tokens), "--gen", str(s.gen_tokens), "--offload", s.offload, "--json")
    assert result.returncode == 0, result.stderr
    cli = json.loads(result.stdout)
    assert cli["fits"] == c.fits
    assert cli["weights_gb"] == pytest.approx(c.estimate.weights_gb, rel=1e-9)
    assert cli["total_gb"] == pytest.approx(c.estimate.total_gb, rel=1e-3)
    assert cli["tg_tok_s_per_user"] == pytest.approx(c.estimate.tg_tok_s_per_user, rel=1e-3)
