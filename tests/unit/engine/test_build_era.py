"""Build eras, depth-dependent attention, sparse V4 attention, expert-only quants and decode power (issue 12)."""

from __future__ import annotations

import json
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from advisor.engine import estimate
from advisor.engine.build import era_class, era_of
from advisor.engine.calibration import source_of
from advisor.engine.cases import read_cases
from advisor.engine.constants import DEFAULT_CONSTANTS, Calibration
from advisor.engine.fit import weights_split_bytes
from advisor.engine.throughput import attn_terms
from advisor.engine.types import Device, Host, ModelArch, Quant, Setup
from advisor.errors import InputError
from tests.unit.engine.one_catalog import OneOfEach
from tests.unit.engine.test_fit import LLAMA3_8B, Q4_K_M, RTX4090

ROOT = Path(__file__).resolve().parents[3]
# DeepSeek V4 Flash as in the catalog (models.json): 21 CSA + 20 HCA layers, 64 heads of 512, index head 128.
V4_FLASH = ModelArch("DeepSeek-V4-Flash", 284, 13, num_layers=43, hidden_size=4096, num_heads=64, num_kv_heads=1,
                     head_dim=512, attention_kind="dsv4", sliding_window=128, csa_layers=21, hca_layers=20,
                     csa_ratio=4, hca_ratio=128, index_head_dim=128, qk_rope_head_dim=64, n_routed_experts=256,
                     experts_per_token=6, n_shared_experts=1, expert_params_b=277.03, vocab_size=129280,
                     max_context=1048576)
M3_ULTRA = Device("Apple M3 Ultra (80-core GPU)", kind="apple", vendor="apple", memory_gb=512, bandwidth_gbs=819,
                  fp16_tflops=28.4, unified_memory=True, gpu_memory_share=0.75)


def test_era_read_from_build_number_date_and_notes() -> None:
    assert era_of(build="2f68ce7cf (6918)") == "current"  # llama.cpp b6918, Nov 2025
    assert era_of(build="32d9f7d9 (1786)") == "2024"  # b1786, Jan 2024
    assert era_of(build="b4399") == "2024" and era_of(build="b4400") == "current"
    assert era_of(date="2024-08-26") == "2024" and era_of(date="2026-05") == "current"
    assert era_of(notes="llama-bench (~May 2024 build, all layers on GPU)") == "2024"
    assert era_of(source="github.com/ggml-org/llama.cpp/discussions/4167 (summary table)") == "2024"
    assert era_of() == "current" and era_of(build="2024") == "2024"
    # only llama.cpp has era-specific constants; other backends keep theirs
    assert era_class("llama.cpp", "2024") == "llama.cpp@2024" and era_class("vllm", "2024") == "vllm"


def test_amd_parts_keep_the_older_era_until_november_2025() -> None:
    """llama.cpp's matrix-core prompt kernels reached AMD GPUs in Nov-Dec 2025 (~b7000): a mid-2025 Strix Halo
    run is an older-era row, an NVIDIA run of the same build a current one; a bare year 2025 says nothing."""
    assert era_of(build="7de5c7ca (5882)", vendor="amd") == "2024"
    assert era_of(build="7de5c7ca (5882)", vendor="nvidia") == "current"
    assert era_of(build="b6999", vendor="amd") == "2024" and era_of(build="fa0465954 (7205)", vendor="amd") == "current"
    assert era_of(date="2025-10-27", vendor="amd") == "2024" and era_of(date="2025-11", vendor="amd") == "current"
    assert era_of(build="PR #13324 branch (May 2025)", date="2025-05-08", vendor="amd") == "2024"
    assert era_of(build="PR #13324 branch (May 2025)", date="2025-05-08") == "current"
    assert era_of(date="2025", vendor="amd") == "current"  # no month: the default era
    assert era_of(date="2025-08/2026-04", vendor="amd") == "current"  # a range: no single month
    assert era_of(date="2024-06", vendor="amd") == "2024"


def test_old_era_constant_falls_back_to_the_backend_value() -> None:
    cal = Calibration(constants={**DEFAULT_CONSTANTS, "layer_overhead_s.llama.cpp": 3e-5})
    assert cal.get("layer_overhead_s", "llama.cpp@2024") == DEFAULT_CONSTANTS["layer_overhead_s.llama.cpp@2024"]
    del cal.constants["layer_overhead_s.llama.cpp@2024"]
    assert cal.get("layer_overhead_s", "llama.cpp@2024") == 3e-5


def test_build_era_changes_only_the_per_token_host_time() -> None:
    """Same setup, two eras that differ only in per-layer host time: 1/tg differs by layers x the difference."""
    consts = {**DEFAULT_CONSTANTS, "layer_overhead_s.llama.cpp": 30e-6, "layer_overhead_s.llama.cpp@2024": 100e-6,
              "step_overhead_s.llama.cpp": 0.0, "step_overhead_s.llama.cpp@2024": 0.0}
    cal = Calibration(constants=consts)
    now, old = (estimate(Setup(RTX4090, LLAMA3_8B, Q4_K_M, host=Host(), build=b), cal) for b in ("current", "2024"))
    assert old.tg_tok_s < now.tg_tok_s
    assert 1 / old.tg_tok_s - 1 / now.tg_tok_s == pytest.approx(32 * 70e-6, rel=1e-6)
    assert any("current (2025-2026) build of llama.cpp" in n for n in now.notes)
    assert any("2023-2024 build" in n for n in old.notes)
    vllm = [estimate(Setup(RTX4090, LLAMA3_8B, Q4_K_M, host=Host(), backend="vllm", build=b), cal).tg_tok_s
            for b in ("current", "2024")]
    assert vllm[0] == vllm[1]


def test_unknown_build_is_an_input_error() -> None:
    with pytest.raises(InputError) as exc:
        estimate(Setup(RTX4090, LLAMA3_8B, Q4_K_M, build="2019"))
    assert exc.value.field == "build"


def test_case_file_rows_take_their_era_from_build_and_date(tmp_path: Path) -> None:
    f = tmp_path / "c.csv"
    f.write_text("case_id,hardware,model,quant,build,date,tg_tok_s\n"
                 "a,RTX 4090,Llama-3-8B,Q4_K_M,32d9f7d9 (1786),,100\n"
                 "b,RTX 4090,Llama-3-8B,Q4_K_M,,2025-11-02,100\n"
                 "c,RTX 4090,Llama-3-8B,Q4_K_M,,,100\n", encoding="utf-8")
    catalog = OneOfEach("4090", RTX4090, LLAMA3_8B, Q4_K_M)
    rows, errors = read_cases(f, catalog)
    assert not errors
    assert [r.setup.build for r in rows] == ["2024", "current", "current"]


def test_case_file_reads_the_amd_era_line_and_the_estimate_names_it(tmp_path: Path) -> None:
    strix = Device("Strix", kind="apu", vendor="AMD", memory_gb=128, bandwidth_gbs=256, fp16_tflops=59.4,
                   unified_memory=True, gpu_memory_share=0.75)
    f = tmp_path / "c.csv"
    f.write_text("case_id,hardware,model,quant,build,date,tg_tok_s\n"
                 "a,Strix,Llama-3-8B,Q4_K_M,7de5c7ca (5882),2025-07-13,40\n"
                 "b,Strix,Llama-3-8B,Q4_K_M,,2026-02-13,40\n"
                 "c,RTX 4090,Llama-3-8B,Q4_K_M,7de5c7ca (5882),2025-07-13,100\n", encoding="utf-8")

    class WithStrix(OneOfEach):
        def device(self, name: str) -> Device:
            return strix if name == "Strix" else super().device(name)

    rows, errors = read_cases(f, WithStrix("4090", RTX4090, LLAMA3_8B, Q4_K_M))
    assert not errors
    assert [r.setup.build for r in rows] == ["2024", "current", "current"]
    old, now = (estimate(replace(rows[1].setup, build=b)) for b in ("2024", "current"))
    assert any("a build from before November 2025 of llama.cpp" in n for n in old.notes)
    assert any("a current (November 2025 or later) build of llama.cpp" in n for n in now.notes)
    assert old.pp_tok_s < now.pp_tok_s  # the older era's prefill efficiency (fitted: ~0.6 of the current one)


def test_prefill_slows_with_cached_depth_and_sliding_layers_stop_growing() -> None:
    shallow, deep = (estimate(Setup(RTX4090, LLAMA3_8B, Q4_K_M, host=Host(), prompt_tokens=512, context_depth=d))
                     for d in (0, 32768))
    assert deep.pp_tok_s < 0.9 * shallow.pp_tok_s
    gemma = ModelArch("g", 27, 27, num_layers=62, num_heads=32, head_dim=128, sliding_window=1024,
                      sliding_layers=52)
    lin, capped, cap = attn_terms(gemma)
    assert lin == 4 * 10 * 32 * 128 and capped == 4 * 52 * 32 * 128 and cap == 1024


def test_v4_sparse_attention_is_not_dense_at_a_million_tokens() -> None:
    """CSA layers attend the top-512 selected entries; only the cheap indexer and HCA grow with the context."""
    lin, capped, cap = attn_terms(V4_FLASH)
    assert cap == 512 * 4
    dense_csa = 21 * 4 * 64 * 512 / 4  # what attending every compressed entry would cost per token of context
    assert lin < 0.2 * dense_csa
    q = Quant("IQ2_XXS-experts", 2.38)
    short, long = (estimate(Setup(M3_ULTRA, V4_FLASH, q, host=Host(), prompt_tokens=1, gen_tokens=128,
                                  context_depth=d)) for d in (2048, 1_000_000))
    assert long.tg_tok_s > 0.3 * short.tg_tok_s  # was 1.9 tok/s at 1M context with dense attention


def test_expert_only_quant_keeps_the_rest_at_8_5_bit() -> None:
    dense, experts = weights_split_bytes(V4_FLASH, Quant("IQ2_XXS-experts", 2.38))
    assert dense == pytest.approx((284 - 277.03) * 1e9 * 8.5 / 8)
    assert experts == pytest.approx(277.03e9 * 2.38 / 8)
    plain_dense, _ = weights_split_bytes(V4_FLASH, Quant("IQ2_XXS", 2.38))
    assert plain_dense == pytest.approx((284 - 277.03) * 1e9 * 2.38 / 8)


def test_batch_one_decode_draws_well_below_tdp() -> None:
    # issue 12: an RTX 4090 (450 W board) decoding an 8B model at batch 1 draws ~250 W, not its TDP
    card = replace(RTX4090, tdp_w=450.0, idle_w=20.0)
    e = estimate(Setup(card, LLAMA3_8B, Q4_K_M, host=Host()))
    device_w = e.load_power_w - Host().idle_w  # the host only feeds the card: near its idle draw
    assert 200.0 < device_w < 300.0
    busy = estimate(Setup(card, LLAMA3_8B, Q4_K_M, host=Host(), batch=256, prompt_tokens=64, gen_tokens=64))
    assert busy.load_power_w > e.load_power_w


def test_the_host_draws_its_load_power_only_while_its_cpu_works() -> None:
    """A GPU box decoding an 8B model at batch 1 reads 279 W at the wall (geerlingguy/ai-benchmarks#43): the
    host is near idle. Offloaded experts keep the CPU busy for their share of each step; a cpu_only run on a GPU
    box keeps the CPU busy and leaves the card idle."""
    from advisor.engine.types import ModelArch

    card = replace(RTX4090, tdp_w=450.0, idle_w=20.0)
    host = Host(idle_w=60.0, load_w=200.0)
    box = estimate(Setup(card, LLAMA3_8B, Q4_K_M, host=host))
    assert 0.75 * 279 < box.load_power_w < 1.25 * 279
    moe = ModelArch("MoE-30B", 30.5, 3.3, num_layers=48, hidden_size=2048, num_kv_heads=4, n_routed_experts=128,
                    experts_per_token=8, expert_params_b=29.0)
    gpu, offload, cpu = (estimate(Setup(card, moe, Q4_K_M, host=host, offload=o))
                         for o in ("none", "experts_cpu", "cpu_only"))
    assert gpu.load_power_w < card.tdp_w + host.idle_w  # all on the card: the host near idle
    # the CPU reads the experts for most of each step (the card waits): the host near its load, the card near idle
    cpu_share = 1.0 - offload.tg_tok_s / gpu.tg_tok_s
    assert offload.load_power_w > card.idle_w + host.idle_w + 0.8 * cpu_share * (host.load_w - host.idle_w)
    assert offload.load_power_w < gpu.load_power_w
    assert cpu.load_power_w == pytest.approx(card.idle_w + host.load_w)


def test_sources_are_publisher_threads_or_files() -> None:
    class Row:
        def __init__(self, source: str) -> None:
            self.source = source

    assert source_of(Row("github.com/ggml-org/llama.cpp/pull/4766 (comment)")) == "github.com/ggml-org/llama.cpp/pull/4766"
    assert source_of(Row("github.com/ggml-org/llama.cpp benches/dgx-spark.md (file)")) == \
        "github.com/ggml-org/llama.cpp benches/dgx-spark.md"
    assert source_of(Row("github.com/XiongjieDai/GPU-Benchmarks-on-LLM-Inference README.md (commit)")) == \
        "github.com/XiongjieDai/GPU-Benchmarks-on-LLM-Inference"
    assert source_of(Row("amd.com/en/developer/x.html (table)")) == "amd.com"


def test_cli_build_flag_and_json_field() -> None:
    from tests.unit.engine.test_estimate_cli import run as run_cli

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return run_cli("estimate", "--hardware", "RTX 5090", "--model", "Llama-2-7B", "--quant", "Q4_0", *args)

    now, old = (json.loads(run("--json", "--build", b).stdout) for b in ("current", "2024"))
    assert now["build"] == "current" and old["build"] == "2024"
    assert old["tg_tok_s"] < now["tg_tok_s"]
    assert any("2023-2024 build of llama.cpp" in n for n in old["notes"])
    bad = run("--build", "1999")
    assert bad.returncode == 2 and "--build" in bad.stderr
