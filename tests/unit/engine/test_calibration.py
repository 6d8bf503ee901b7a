"""Calibration: the fit recovers known constants, and case rows never crash whatever they hold."""

from __future__ import annotations

import csv
import io

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.engine.calibration import Problem, fit_constants, free_constants, scores
from advisor.engine.cases import CASE_COLUMNS, read_cases, result_rows
from advisor.engine.constants import DEFAULT_CONSTANTS
from advisor.engine.types import Device, ModelArch, Quant

HEADER = ",".join((*CASE_COLUMNS, "pp_tok_s", "tg_tok_s"))


class TinyCatalog:
    """A real object with the catalog interface (two devices, two models, two quants)."""

    devices = {"rtx 4090": Device("NVIDIA GeForce RTX 4090", memory_gb=24, bandwidth_gbs=1008, fp16_tflops=165.2),
               "m2 ultra": Device("Apple M2 Ultra", kind="apple", vendor="apple", memory_gb=192, bandwidth_gbs=800,
                                  fp16_tflops=27.2, unified_memory=True, gpu_memory_share=0.75)}
    models = {"llama-3-8b": ModelArch("Llama-3-8B", 8.03, 8.03, num_layers=32, vocab_size=128256),
              "qwen3-30b-a3b": ModelArch("Qwen3-30B-A3B", 30.5, 3.3, num_layers=48, hidden_size=2048,
                                         num_kv_heads=4, n_routed_experts=128, experts_per_token=8,
                                         expert_params_b=29.0, vocab_size=151936)}
    quants = {"q4_k_m": Quant("Q4_K_M", 4.89), "f16": Quant("F16", 16.0, family="float")}

    def device(self, name: str) -> Device:
        return self.devices[name.lower()]

    def model(self, name: str) -> ModelArch:
        return self.models[name.lower()]

    def quant(self, name: str) -> Quant:
        return self.quants[name.lower()]


def _synthetic_rows() -> list[str]:
    lines = []
    for hw in ("RTX 4090", "M2 Ultra"):
        for model in ("Llama-3-8B", "Qwen3-30B-A3B"):
            for quant in ("Q4_K_M", "F16"):
                for prompt, gen in ((512, 128), (4096, 512), (2048, 2048)):
                    lines.append(f"x,{hw},1,,,,,,,{model},,,{quant},llama.cpp,none,1,{prompt},{gen},0,none,0,1,1")
    return lines


def test_fit_recovers_the_constants_that_generated_the_data() -> None:
    rows, errors = read_cases([HEADER, *_synthetic_rows()], TinyCatalog())
    assert not errors and len(rows) == 24
    truth = dict(DEFAULT_CONSTANTS)
    truth.update({"bw_eff.nvidia": 0.7, "bw_eff.apple": 0.6, "prefill_eff.llama.cpp": 0.3,
                  "layer_overhead_s.llama.cpp": 0.00005})
    prob = Problem(rows)
    tg, pp = prob.predict(truth)
    for r, t, p in zip(rows, tg, pp, strict=True):  # the "measurements" are the model under the true constants
        r.measured_tg_tok_s, r.measured_pp_tok_s = float(t), float(p)
    names = ["bw_eff.nvidia", "bw_eff.apple", "prefill_eff.llama.cpp", "layer_overhead_s.llama.cpp"]
    fitted = fit_constants(rows, names=names, problem=Problem(rows))
    for name in names:
        assert abs(fitted[name] - truth[name]) < 0.02 * truth[name], name
    tg_r, pp_r = Problem(rows).ratios(fitted)
    sc = scores(Problem(rows), tg_r, pp_r)
    assert sc["all"]["tg"].mdape < 0.005 and sc["all"]["pp"].mdape < 0.005
    assert "bw_eff.apple" in free_constants(rows)


CELL = st.one_of(st.just(""), st.text(alphabet="0123456789.-eEnaif x,\"", max_size=8),
                 st.sampled_from(["1", "0", "8", "512", "-3", "1e9", "nan", "inf", "RTX 4090", "Llama-3-8B"]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(CELL, min_size=len(CASE_COLUMNS), max_size=len(CASE_COLUMNS)), min_size=1, max_size=6))
def test_any_case_row_is_answered_or_reported_never_a_crash(cells: list[list[str]]) -> None:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(CASE_COLUMNS)
    for row in cells:
        row = list(row)
        row[1], row[9], row[12] = row[1] or "RTX 4090", row[9] or "Llama-3-8B", row[12] or "Q4_K_M"
        w.writerow(row)
    rows, errors = read_cases(io.StringIO(buf.getvalue()), TinyCatalog())
    assert len(rows) + len(errors) == len(cells)
    assert all(e.row >= 2 and e.column for e in errors)
    out = result_rows(rows)
    assert len(out) == len(rows)
    for line in out:
        assert np.isfinite(float(line[6])) and float(line[6]) > 0  # tg_tok_s
        assert np.isfinite(float(line[5])) and float(line[5]) > 0  # pp_tok_s


def test_a_held_out_group_never_sees_constants_fitted_on_it() -> None:
    from advisor.engine.calibration import leave_group_out

    rows, errors = read_cases([HEADER, *_synthetic_rows()], TinyCatalog())
    assert not errors
    truth = dict(DEFAULT_CONSTANTS)
    truth.update({"bw_eff.nvidia": 0.7, "bw_eff.apple": 0.5, "layer_latency.apple": 2.0})
    tg, pp = Problem(rows).predict(truth)
    for r, t, p in zip(rows, tg, pp, strict=True):
        r.measured_tg_tok_s, r.measured_pp_tok_s = float(t), float(p)
    full = fit_constants(rows, problem=Problem(rows))
    assert abs(full["bw_eff.apple"] - 0.5) < 0.02  # fitted with the Apple rows
    # Holding out the Apple rows: their class constants are not informed by the others, so the prediction
    # comes from the DEFAULTS (0.80 bandwidth share), never from the value the full fit learned on them.
    tg_r, _ = leave_group_out(rows, full, lambda r: r.setup.device.kind)
    apple = np.array([r.setup.device.kind == "apple" for r in rows])
    fitted_apple = fit_constants([r for r in rows if r.setup.device.kind != "apple"], start=full,
                                 names=free_constants([r for r in rows if r.setup.device.kind != "apple"]),
                                 fallback=DEFAULT_CONSTANTS)
    assert fitted_apple["bw_eff.apple"] == DEFAULT_CONSTANTS["bw_eff.apple"]
    assert np.nanmedian(tg_r[apple]) > 1.2  # the defaults overestimate the slow synthetic Apple chip
    # nor does the full fit reach a fold as the START of its search (the loss has several local minima): the
    # held-out predictions are the same whatever constants are passed in
    other = dict(full)
    other.update({"bw_eff.nvidia": 0.4, "bw_eff.apple": 0.9, "layer_latency.apple": 5.0})
    tg_o, _ = leave_group_out(rows, other, lambda r: r.setup.device.kind)
    assert np.allclose(tg_o, tg_r, equal_nan=True)


def test_dgx_spark_uses_the_cuda_constants_and_strix_halo_the_apu_ones() -> None:
    from advisor.catalog.snapshot import Catalog
    from advisor.engine.constants import device_class

    cat = Catalog.load()
    assert device_class(cat.device("NVIDIA DGX Spark (GB10)")) == "nvidia"
    assert device_class(cat.device("AMD Ryzen AI Max+ 395 (Radeon 8060S, 128GB)")) == "apu"


def test_moe_layer_cost_is_free_for_weight_only_moe_decode_and_charged_only_there() -> None:
    """moe_layer_ops: an MoE layer's routing/expert kernels cost host time in llama.cpp (kernels launched one by one);
    serving engines replay graphs, so the same constant leaves their step untouched."""
    cat = TinyCatalog()
    lines = [HEADER, "a,RTX 4090,1,,,,,,,Qwen3-30B-A3B,,,Q4_K_M,llama.cpp,none,1,512,128,0,none,0,1,1",
             "b,RTX 4090,1,,,,,,,Qwen3-30B-A3B,,,F16,vllm,none,1,512,128,0,none,0,1,1",
             "c,RTX 4090,1,,,,,,,Llama-3-8B,,,Q4_K_M,llama.cpp,none,1,512,128,0,none,0,1,1"]
    rows, errors = read_cases(lines, cat)
    assert not errors and len(rows) == 3
    assert "moe_layer_ops.default" in free_constants(rows)
    assert "moe_layer_ops.default" not in free_constants([rows[1], rows[2]])  # serving MoE and dense only
    base = dict(DEFAULT_CONSTANTS)
    tg0, _ = Problem(rows).predict({**base, "moe_layer_ops.default": 0.0})
    tg2, _ = Problem(rows).predict({**base, "moe_layer_ops.default": 2.0})
    # 48 MoE layers x 2 extra dense-layer units x the llama.cpp per-layer cost more per token: slower, by exactly that
    per_layer = base["layer_overhead_s.llama.cpp"]
    assert 1 / tg2[0] - 1 / tg0[0] == pytest.approx(48 * 2.0 * per_layer, rel=1e-6)
    assert tg2[1] == tg0[1] and tg2[2] == tg0[2]  # the serving engine and the dense model are untouched


def test_apu_prefill_share_is_free_only_with_apu_prefill_rows() -> None:
    strix = Device("AMD Ryzen AI Max+ 395", kind="apu", vendor="AMD", memory_gb=128, bandwidth_gbs=256,
                   fp16_tflops=59.4, unified_memory=True, gpu_memory_share=0.9)

    class WithApu(TinyCatalog):
        devices = {**TinyCatalog.devices, "strix": strix}

    rows, errors = read_cases([HEADER, "a,strix,1,,,,,,,Llama-3-8B,,,Q4_K_M,llama.cpp,none,1,512,,0,none,0,1,",
                               "b,RTX 4090,1,,,,,,,Llama-3-8B,,,Q4_K_M,llama.cpp,none,1,512,128,0,none,0,1,1"],
                              WithApu())
    assert not errors
    assert "prefill_dev.apu" in free_constants(rows)
    assert "prefill_dev.apu" not in free_constants(rows[1:])
    # the share scales the APU's prefill and nothing else
    _, pp1 = Problem(rows).predict({**DEFAULT_CONSTANTS, "prefill_dev.apu": 1.0})
    _, pp05 = Problem(rows).predict({**DEFAULT_CONSTANTS, "prefill_dev.apu": 0.5})
    assert pp05[0] < 0.8 * pp1[0] and pp05[1] == pp1[1]


def test_tensorrt_llm_has_its_own_gemm_efficiencies_and_the_python_engines_share_theirs() -> None:
    """TensorRT-LLM's compiled kernels get their own decode and prefill GEMM constants (constants.kernel_class); vLLM and
    SGLang share the serving class's. Changing TensorRT-LLM's constants moves its row only."""
    cat = TinyCatalog()
    rows, errors = read_cases([HEADER] + [f"{b},RTX 4090,1,,,,,,,Llama-3-8B,,,F16,{b},none,64,256,64,0,none,0,1,1"
                                          for b in ("tensorrt-llm", "vllm", "sglang")], cat)
    assert not errors and len(rows) == 3
    free = free_constants(rows)
    for what in ("decode_compute_eff", "prefill_eff", "prefill_tflops_per_w"):
        assert f"{what}.tensorrt-llm" in free and f"{what}.serving" in free
    assert "decode_compute_eff.tensorrt-llm" not in free_constants(rows[1:])
    base = dict(DEFAULT_CONSTANTS)
    slow = {**base, "decode_compute_eff.tensorrt-llm": 0.1, "prefill_eff.tensorrt-llm": 0.1}
    tg0, pp0 = Problem(rows).predict(base)
    tg1, pp1 = Problem(rows).predict(slow)
    assert tg1[0] < 0.9 * tg0[0] and pp1[0] < 0.5 * pp0[0]  # batch 64 of an 8B model in F16: compute-bound at 0.1
    np.testing.assert_array_equal(tg1[1:], tg0[1:])
    np.testing.assert_array_equal(pp1[1:], pp0[1:])


def test_resampled_mdape_draws_whole_sources() -> None:
    """Two sources of ten rows, one 10 % off and one 30 % off: a draw of source b twice (1 in 4) has a median of
    30 %, of a twice 10 %, of each once 20 % (np.median of the twenty rows); one source alone gives its median in
    every draw; NaN ratios are ignored."""
    from advisor.engine.calibration import resampled_mdape

    ratios = np.array([1.1] * 10 + [0.7] * 10 + [np.nan])
    groups = ["a"] * 10 + ["b"] * 10 + ["b"]
    meds = resampled_mdape(ratios, groups, draws=4000, seed=1)
    assert set(np.round(meds, 6)) == {0.1, 0.2, 0.3}
    assert np.mean(meds < 0.15) == pytest.approx(0.25, abs=0.03)
    assert np.mean(meds > 0.25) == pytest.approx(0.25, abs=0.03)
    one = resampled_mdape(np.array([1.05, 1.2, 0.9]), ["a", "a", "a"], draws=50)
    assert np.allclose(one, 0.1)
