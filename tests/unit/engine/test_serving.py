"""Serving under load (advisor.engine.serving + the batched decode/prefill of the sweep): known truths."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from advisor.engine.serving import max_num_seqs, paged_context_tokens, serving_output_rate
from advisor.engine.sweep import evaluate, max_useful_batch
from advisor.engine.types import ModelArch, Quant, Setup
from tests.unit.engine.one_catalog import OneOfEach
from tests.unit.engine.test_fit import GPT_OSS_120B, LLAMA3_8B, Q4_K_M, RTX4090
from tests.unit.engine.test_throughput import FP8, H100

# `read_cases` lookups answering H100 / Llama-3-8B / FP8 only
H100_CASES = OneOfEach("H100", H100, LLAMA3_8B, FP8)

BF16 = Quant("BF16", 16.0, family="float", compute="fp16")


def _serving(batches: list[int], model: ModelArch = LLAMA3_8B, quant: Quant = FP8, **kw: object) -> np.ndarray:
    base = Setup(H100, model, quant, backend="vllm", prompt_tokens=1000, gen_tokens=1000, **kw)  # type: ignore[arg-type]
    return evaluate([replace(base, batch=b) for b in batches]).serving_tok_s


def test_aggregate_throughput_rises_with_concurrency_then_saturates() -> None:
    rates = _serving([1, 2, 8, 32, 128, 256, 512])
    assert np.all(np.diff(rates) > 0)  # more streams never lower the aggregate in memory
    gains = rates[1:] / rates[:-1]
    assert gains[0] > 1.8  # 1 -> 2 streams: nearly double (weight reads shared)
    assert gains[-1] < 1.5  # 256 -> 512: far from double (KV reads and compute grow with the batch)


def test_per_user_speed_falls_as_the_batch_grows() -> None:
    res = evaluate([Setup(H100, LLAMA3_8B, FP8, backend="vllm", batch=b) for b in (1, 64, 512)])
    assert np.all(np.diff(res.tg_tok_s_per_user) < 0)


def test_output_rate_pays_for_the_prefill_of_each_request() -> None:
    # 1,000 tok/s decode, 10,000 tok/s prefill, 1,000 in / 1,000 out: 1 / (1/1000 + 1/10000)
    assert serving_output_rate(1000.0, 10000.0, 1000, 1000) == pytest.approx(1000 / 1.1)
    # a long prompt per output token costs more wall time than a short one
    assert serving_output_rate(1000.0, 10000.0, 8000, 100) < serving_output_rate(1000.0, 10000.0, 100, 100)
    long_prompt, short_prompt = _serving([64])[0], evaluate(
        [Setup(H100, LLAMA3_8B, FP8, backend="vllm", batch=64, prompt_tokens=100, gen_tokens=1000)]).serving_tok_s[0]
    assert long_prompt < short_prompt


def test_max_load_is_limited_by_kv_capacity_and_the_scheduler() -> None:
    # vLLM defaults: 1024 sequences on >= 70 GiB GPUs (not A100), 256 below
    assert max_num_seqs("vllm", 80.0, "NVIDIA H100 SXM") == 1024
    assert max_num_seqs("vllm", 80.0, "NVIDIA A100 80GB SXM4") == 256
    assert max_num_seqs("vllm", 24.0, "NVIDIA GeForce RTX 4090") == 256
    short = Setup(H100, LLAMA3_8B, FP8, backend="vllm", prompt_tokens=128, gen_tokens=128)
    long = replace(short, prompt_tokens=16000, gen_tokens=1000)
    assert max_useful_batch(short) == 1024  # the scheduler caps it: KV for 1024 x 192 tokens fits easily
    b_long = max_useful_batch(long)
    assert 8 < b_long < 1024  # KV-limited
    # paged KV: a sequence holds on average prompt + gen / 2 tokens, so more fit than at the full context
    full = max_useful_batch(replace(long, context_tokens=17000))
    assert b_long > full
    assert paged_context_tokens(16000, 1000) == 16500
    # and the batch that fits really fits; one more sequence per 1/b of memory does not
    res = evaluate([replace(long, batch=b_long, context_tokens=paged_context_tokens(16000, 1000))])
    assert res.fits[0]


def test_moe_prefill_is_slower_per_token_than_a_dense_model_of_equal_active_params() -> None:
    moe = GPT_OSS_120B
    dense = replace(moe, name="dense-5.1B", total_params_b=moe.active_params_b, n_routed_experts=0,
                    experts_per_token=0, expert_params_b=0.0)
    q = Quant("F16", 16.0, family="float")
    big = replace(H100, memory_gb=1000)  # both fit: only speed is compared
    pp_moe, pp_dense = evaluate([Setup(big, m, q, backend="vllm", prompt_tokens=4096) for m in (moe, dense)]).pp_tok_s
    assert pp_moe < 0.8 * pp_dense  # grouped expert GEMMs: each expert sees 4096 x 4 / 128 rows


def test_batched_moe_decode_touches_more_experts_and_saturates_at_all_of_them() -> None:
    res = evaluate([Setup(H100, GPT_OSS_120B, Quant("MXFP4", 4.25, family="mxfp4", compute="fp4"), backend="vllm",
                          batch=b) for b in (1, 4, 64, 1024)])
    per_user = res.tg_tok_s_per_user
    assert np.all(np.diff(per_user) < 0)  # more experts read per step as the batch grows
    assert res.tg_tok_s[-1] > 20 * res.tg_tok_s[0]


def test_llama_cpp_layer_split_prefill_pipelines_within_one_batch() -> None:
    from tests.unit.engine.test_fit import RTX4090
    one, four = evaluate([Setup(RTX4090, LLAMA3_8B, Q4_K_M, count=c, parallel="layer", prompt_tokens=4096)
                          for c in (1, 4)]).pp_tok_s
    # 4 micro-batches of 512 per 2048-token batch over 4 cards: at most 4 x 4 / 7 = 2.3 x (measured 12491 vs 5266)
    assert 1.6 < four / one < 2.4


def test_a_ragged_burst_at_max_load_is_slower_than_fixed_lengths_and_no_column_is_unchanged() -> None:
    from advisor.engine.cases import evaluate_cases, read_cases

    head = "case_id,hardware,model,quant,backend,batch,prompt_tokens,gen_tokens"
    row = "H100,Llama-3-8B,FP8,vllm,,200,200"
    with_col, errors = read_cases([f"{head},length_spread\n", f"f,{row},fixed\n", f"r,{row},ragged\n",
                                   f"u,{row},\n", "c,H100,Llama-3-8B,FP8,vllm,8,200,200,ragged\n"],
                                  H100_CASES)
    without, errors2 = read_cases([f"{head}\n", f"u,{row}\n", "c,H100,Llama-3-8B,FP8,vllm,8,200,200\n"],
                                  H100_CASES)
    assert not errors and not errors2
    _, tg = evaluate_cases(with_col)
    _, tg_old = evaluate_cases(without)
    fixed, ragged, unknown, capped = tg
    assert with_col[1].setup.batch > 64  # max load: the burst runs at a large batch
    # the tail at shrinking batch costs ~ln(B) mean lengths of small-batch steps: clearly slower, not absurdly
    assert 0.3 * fixed < ragged < 0.9 * fixed
    # fixed lengths and an empty / absent column are the steady-state estimate, exactly as before
    assert fixed == unknown == tg_old[0]
    # at a capped concurrency the slots refill from the queue: steady state, as without the column
    assert capped == tg_old[1]
    bad, errs = read_cases([f"{head},length_spread\n", f"x,{row},bursty\n"], H100_CASES)
    assert not bad and errs[0].column == "length_spread"


def test_a_run_of_more_prompts_than_run_at_once_keeps_the_batch_full_until_the_queue_drains() -> None:
    from advisor.engine.cases import evaluate_cases, read_cases

    head = "case_id,hardware,model,quant,backend,batch,prompt_tokens,gen_tokens,length_spread,num_prompts"
    rows = ["burst,H100,Llama-3-8B,FP8,vllm,,200,200,ragged,\n",  # as many prompts as run at once
            "queued,H100,Llama-3-8B,FP8,vllm,,200,200,ragged,10000\n",  # ten times more: mostly steady state
            "few,H100,Llama-3-8B,FP8,vllm,,200,200,ragged,100\n",  # fewer than fit: only 100 ever run
            "fixed,H100,Llama-3-8B,FP8,vllm,,200,200,fixed,\n"]
    got, errors = read_cases([f"{head}\n", *rows], H100_CASES)
    assert not errors
    _, (burst, queued, few, fixed) = evaluate_cases(got)
    assert got[2].setup.batch == 100 and got[0].setup.batch > 100
    # the queue keeps the batch full for 9,000 of the 10,000 requests: close to the steady rate, far above the burst
    assert burst < queued < fixed and queued > 0.8 * fixed
    assert few < burst  # a burst of 100 runs at a smaller batch than the full one
    bad, errs = read_cases([f"{head}\n", "x,H100,Llama-3-8B,FP8,vllm,,200,200,ragged,many\n"], H100_CASES)
    assert not bad and errs[0].column == "num_prompts"


def test_ragged_rate_with_a_queue_by_hand() -> None:
    from advisor.engine.serving import ragged_decode_rate, ragged_tail_batches

    b = np.array([100.0])
    grid = ragged_tail_batches(b)
    step = np.full_like(grid, 0.01)  # a flat 10 ms step at every batch
    # 1,000 requests of mean length g: 900 g tokens at the full rate (0.09 g s), then the tail of 100
    # (g x (ln 100 + 0.577) steps of 10 ms): 1000 / (0.09 + 0.01 x (4.605 + 0.577)) per g
    want = 1000.0 / (0.09 + 0.01 * (np.log(100.0) + 0.5772156649))
    assert ragged_decode_rate(b, grid, step, queued=900.0)[0] == pytest.approx(want, rel=2e-3)


def test_prefill_of_serving_engines_is_capped_by_board_power() -> None:
    from advisor.catalog.snapshot import Catalog
    from advisor.engine.constants import load_calibration

    cat = Catalog.load()
    h100, a100 = cat.device("NVIDIA H100 SXM5 80GB"), cat.device("NVIDIA A100 80GB SXM4")
    assert h100.fp16_tflops / a100.fp16_tflops > 3.1  # the listed peaks
    # ... but sustained GEMMs are power bound (700 W vs 400 W): gpustack's vLLM runs prefill only ~1.6-1.9x
    # faster on H100 (Qwen3-14B / 32B, gpt-oss-120b, 2-4k-token prompts)
    setups = [Setup(dev, LLAMA3_8B, BF16, backend="vllm", prompt_tokens=4000, gen_tokens=1) for dev in (h100, a100)]
    pp = evaluate(setups, load_calibration()).pp_tok_s
    assert 1.4 < pp[0] / pp[1] < 2.6


def test_dequantisation_makes_a_compute_poor_chip_compute_bound() -> None:
    from advisor.catalog.snapshot import Catalog
    from advisor.engine.cases import read_cases
    from advisor.engine.constants import load_calibration

    cat = Catalog.load()
    m60, m80 = cat.device("Apple M3 Ultra (60-core GPU)"), cat.device("Apple M3 Ultra (80-core GPU)")
    assert m60.bandwidth_gbs == m80.bandwidth_gbs  # same memory: only the GPU cores differ
    head = "case_id,hardware,model,quant,backend,batch,prompt_tokens,gen_tokens,context_depth\n"
    rows, errors = read_cases([head] + [f"{d.name},{d.name},DeepSeek-V4-Flash,IQ2_XXS-experts,llama.cpp,1,,128,2048\n"
                                        for d in (m60, m80)], cat)
    assert not errors
    res = evaluate([r.setup for r in rows], load_calibration())
    # antirez/ds4 measures 33.6 vs 44.3 tok/s (ratio 1.32, the core ratio 80 / 60 = 1.33): IQ2 unpacking, not
    # the weight reads, limits decode; a pure bandwidth roofline would call them equal
    # (the shipped fit gives ~1.13: the batched M2 Ultra rows pull the unpacking cost down, see docs/engine.md)
    ratio = res.tg_tok_s[1] / res.tg_tok_s[0]
    assert 1.1 < ratio < 1.4
    # a float checkpoint on the same two chips stays bandwidth bound: (nearly) the same speed
    res16 = evaluate([Setup(d, LLAMA3_8B, BF16, backend="llama.cpp") for d in (m60, m80)], load_calibration())
    assert res16.tg_tok_s[1] / res16.tg_tok_s[0] < 1.05


def test_vllm_and_sglang_claim_their_share_of_gpu_memory_not_all_of_it() -> None:
    # vLLM gpu_memory_utilization 0.9 (SGLang mem_fraction_static ~0.88): an 80 GB card offers ~77 GB to
    # weights + KV, where llama.cpp keeps everything but a small reserve
    from advisor.engine.fit import SERVING_MEMORY_SHARE, capacity_gb, usable_gb

    assert usable_gb(H100, "vllm") == pytest.approx(0.90 * capacity_gb(H100))
    assert usable_gb(H100, "sglang") == pytest.approx(SERVING_MEMORY_SHARE["sglang"] * capacity_gb(H100))
    assert usable_gb(H100, "llama.cpp") > usable_gb(H100, "vllm") + 6.0
    # a 32B BF16 model (65.5 GB of weights) leaves vLLM ~9 GB of KV pool on one H100: far fewer 4k-token
    # requests run at once than the whole card would hold (gpustack runs Qwen3-32B at ~0.6x of that)
    qwen32 = ModelArch("Qwen3-32B-like", 32.8, 32.8, num_layers=64, hidden_size=5120, num_heads=64,
                       num_kv_heads=8, head_dim=128, vocab_size=151936)
    bf16 = Quant("BF16", 16.0, family="float", compute="fp16")
    run = Setup(H100, qwen32, bf16, backend="vllm", prompt_tokens=3996, gen_tokens=200)
    vllm_b = max_useful_batch(run)
    whole_card = max_useful_batch(replace(run, backend="llama.cpp", context_tokens=paged_context_tokens(3996, 200)))
    assert 1 <= vllm_b < 0.7 * whole_card
    # the estimate's own fit check agrees with the batch it schedules
    assert evaluate([replace(run, batch=vllm_b)]).fits[0]
    assert not evaluate([replace(run, batch=3 * vllm_b + 3)]).fits[0]


def test_tensorrt_llm_through_its_api_server_pays_the_per_sequence_cost_its_offline_runs_do_not() -> None:
    """trtllm-bench runs TensorRT-LLM's C++ executor without a server; trtllm-serve / Triton stream every token to
    its client from the server process, as vLLM and SGLang do. The harness column or the notes say which."""
    from advisor.engine.cases import read_cases
    from advisor.engine.constants import DEFAULT_CONSTANTS, Calibration

    head = "case_id,hardware,model,quant,backend,batch,prompt_tokens,gen_tokens,harness,notes"
    rows = ["bench,H100,Llama-3-8B,FP8,tensorrt-llm,256,200,200,,trtllm-bench throughput (offline)\n",
            "serve,H100,Llama-3-8B,FP8,tensorrt-llm,256,200,200,,vllm bench serve against trtllm-serve\n",
            "said,H100,Llama-3-8B,FP8,tensorrt-llm,256,200,200,offline,\n",
            "vllm,H100,Llama-3-8B,FP8,vllm,256,200,200,,benchmark_throughput\n"]
    got, errors = read_cases([f"{head}\n", *rows], H100_CASES)
    assert not errors
    assert [r.setup.harness for r in got] == ["offline", "online", "offline", "offline"]
    cal = Calibration(constants={**DEFAULT_CONSTANTS, "seq_overhead_s.default": 50e-6})
    steps = [1.0 / r for r in evaluate([r.setup for r in got], cal).tg_tok_s_per_user]
    # online: 256 sequences x 50 us more host time a step; vLLM's per-sequence cost does not depend on the harness
    assert steps[1] - steps[0] == pytest.approx(256 * 50e-6, rel=1e-6)
    assert steps[2] == steps[0]
    online_vllm = evaluate([replace(got[3].setup, harness="online")], cal).tg_tok_s_per_user[0]
    assert 1.0 / online_vllm == pytest.approx(steps[3])
    bad, errs = read_cases([f"{head}\n", "x,H100,Llama-3-8B,FP8,tensorrt-llm,8,200,200,batch,\n"], H100_CASES)
    assert not bad and errs[0].column == "harness"



def test_the_batch_chosen_for_max_load_fits_at_the_context_it_was_sized_for() -> None:
    """An empty batch on a serving engine is sized at the paged KV of a sequence (prompt + gen / 2); the fit check
    of that row uses the same context, so the batch it chose does not read as "does not fit" (MLPerf-like 8K-in
    rows said it did: sized at 8,500 tokens, checked at 9,000)."""
    from advisor.engine.cases import evaluate_cases, read_cases

    got, errors = read_cases(["case_id,hardware,model,quant,backend,batch,prompt_tokens,gen_tokens\n",
                              "m,H100,Llama-3-8B,FP8,vllm,,8000,1000\n"], H100_CASES)
    assert not errors
    setup = got[0].setup
    assert setup.context_tokens == paged_context_tokens(8000, 1000) == 8500
    res, _ = evaluate_cases(got)
    assert 1 < setup.batch < max_num_seqs("vllm", H100.memory_gb, H100.name)  # KV-bound, not the scheduler cap
    assert bool(res.fits[0])
    # one more sequence than chosen would not fit at that context
    assert not bool(evaluate([replace(setup, batch=setup.batch + 1)]).fits[0])


def test_a_prefill_figure_from_a_ttft_is_compared_with_the_estimated_ttft_one_decode_step_more() -> None:
    """A row whose pp_tok_s is prompt / time to first token (the `pp_is_ttft` column, or a TTFT named in the notes)
    is estimated as prompt / (prefill time + one decode step), in the case output and in the calibration alike."""
    from advisor.engine.calibration import Problem
    from advisor.engine.cases import read_cases, result_rows
    from advisor.engine.constants import load_calibration

    head = "case_id,hardware,model,quant,backend,batch,prompt_tokens,gen_tokens,pp_tok_s,pp_is_ttft,notes"
    rows, errors = read_cases([f"{head}\n", "rate,H100,Llama-3-8B,FP8,vllm,1,2048,1,9000,0,TTFT not used\n",
                               "ttft,H100,Llama-3-8B,FP8,vllm,1,2048,1,9000,1,\n",
                               "notes,H100,Llama-3-8B,FP8,vllm,1,2048,1,9000,,median TTFT 0.21 s -> 2048 / 0.21\n"],
                              H100_CASES)
    assert not errors and [r.pp_is_ttft for r in rows] == [False, True, True]
    out = result_rows(rows)
    rate, ttft, from_notes = (float(r[5]) for r in out)
    res = evaluate([rows[0].setup])
    step = 1.0 / float(res.tg_tok_s_per_user[0])  # one decode step at batch 1 [s]
    assert rate == pytest.approx(float(res.pp_tok_s[0]), rel=1e-3)
    # hand-worked: TTFT = prompt / prefill rate + one decode step
    assert 2048 / ttft == pytest.approx(2048 / rate + step, rel=1e-3)
    assert from_notes == ttft < rate
    _, pp = Problem(rows).predict(dict(load_calibration().constants))
    np.testing.assert_allclose(pp, [rate, ttft, ttft], rtol=1e-3)
    bad, errs = read_cases([f"{head}\n", "x,H100,Llama-3-8B,FP8,vllm,1,2048,1,9000,yes,\n"], H100_CASES)
    assert not bad and errs[0].column == "pp_is_ttft" and "'yes'" in errs[0].message


def test_a_batch_prefill_figure_of_a_serving_engine_is_the_chunked_prefill_of_the_whole_batch() -> None:
    """An aggregate row of a serving engine at batch > 1 (`sglang.bench_one_batch`, the prefill nodes of a
    disaggregated deployment) measured the prompt tokens of the whole batch over the time to prefill them together:
    it is compared with ``batch_pp_tok_s``; a single-prompt row and a llama.cpp row with ``pp_tok_s``."""
    from advisor.engine.calibration import Problem
    from advisor.engine.cases import read_cases, result_rows
    from advisor.engine.constants import load_calibration

    head = "case_id,hardware,model,quant,backend,batch,prompt_tokens,gen_tokens,pp_tok_s,tg_is_aggregate"
    rows, errors = read_cases([f"{head}\n", "one,H100,Llama-3-8B,FP8,vllm,1,512,1,9000,0\n",
                               "batch,H100,Llama-3-8B,FP8,vllm,16,512,1,9000,1\n",
                               "llama,H100,Llama-3-8B,FP8,llama.cpp,16,512,1,9000,1\n"], H100_CASES)
    assert not errors
    res = evaluate([r.setup for r in rows])
    # 16 prompts of 512 tokens are one chunk of 8,192 rows: the weights are read and the step overhead paid once
    assert float(res.batch_pp_tok_s[1]) > 1.1 * float(res.pp_tok_s[1])
    assert float(res.batch_pp_tok_s[2]) == float(res.pp_tok_s[2])  # llama.cpp prefills one prompt at a time
    expected = [float(res.pp_tok_s[0]), float(res.batch_pp_tok_s[1]), float(res.pp_tok_s[2])]
    np.testing.assert_allclose([float(r[5]) for r in result_rows(rows)], expected, rtol=1e-3)
    _, pp = Problem(rows).predict(dict(load_calibration().constants))
    np.testing.assert_allclose(pp, expected, rtol=1e-6)


def test_expert_parallel_prefills_a_chunk_on_every_rank() -> None:
    """With expert parallel the attention is data-parallel: each rank schedules its own chunk of prompt tokens
    (SGLang/vLLM DP attention), so the batch prefill rate keeps rising past one chunk until every rank has one;
    tensor parallel prefills one chunk a step for all its devices."""
    def rates(parallel: str) -> np.ndarray:
        base = Setup(H100, GPT_OSS_120B, FP8, backend="sglang", count=8, parallel=parallel, prompt_tokens=4096,
                     gen_tokens=1)
        return evaluate([replace(base, batch=b) for b in (2, 16)]).batch_pp_tok_s

    ep, tp = rates("expert"), rates("tensor")
    assert ep[1] > 1.05 * ep[0]  # 8 ranks x 8,192 tokens vs one chunk of 8,192
    assert tp[1] == pytest.approx(tp[0], rel=1e-9)  # both one chunk of 8,192 tokens


def test_only_llama_cpp_pipelines_a_prompt_over_a_layer_split() -> None:
    """llama.cpp keeps several micro-batches of a prompt in flight over a layer split (a speed-up over one
    device); ExLlamaV2 runs the devices one after the other (no speed-up, a hop more)."""
    exl2 = Quant("EXL2-4.5", 4.5, family="exl2")

    def pp(backend: str, quant: Quant, count: int) -> float:
        setup = Setup(RTX4090, LLAMA3_8B, quant, backend=backend, count=count, parallel="layer", prompt_tokens=2048)
        return float(evaluate([setup]).pp_tok_s[0])

    assert pp("llama.cpp", Q4_K_M, 2) > 1.3 * pp("llama.cpp", Q4_K_M, 1)
    assert pp("exllamav2", exl2, 2) <= pp("exllamav2", exl2, 1)


def test_tensor_parallel_slices_routed_experts_into_narrower_slower_gemms() -> None:
    """Tensor parallel gives each device a 1/n-wide strip of every routed expert (gpt-oss-120b: 2,880 columns, 360
    at TP 8); a narrow GEMM runs further from peak (moe_half_width). Whole experts (one device, expert parallel)
    are untouched by the constant; the narrower the strip, the larger the loss."""
    from advisor.engine.constants import Calibration, load_calibration

    base = dict(load_calibration().constants)
    wide, narrow = Calibration(constants={**base, "moe_half_width.default": 1.0}), \
        Calibration(constants={**base, "moe_half_width.default": 336.0})

    def pp(count: int, parallel: str) -> tuple[float, float]:
        s = Setup(H100, GPT_OSS_120B, FP8, backend="vllm", count=count, parallel=parallel, prompt_tokens=8192,
                  gen_tokens=1)
        return float(evaluate([s], wide).pp_tok_s[0]), float(evaluate([s], narrow).pp_tok_s[0])

    for count, parallel in ((1, "none"), (8, "expert")):
        assert pp(count, parallel)[0] == pytest.approx(pp(count, parallel)[1], rel=1e-12)
    tp2, tp8 = pp(2, "tensor"), pp(8, "tensor")
    loss2, loss8 = tp2[0] / tp2[1], tp8[0] / tp8[1]
    assert 1.0 < loss2 < loss8 < 2.0  # 1,440-wide strips lose less than 360-wide ones


def test_a_prompt_in_small_micro_batches_streams_the_weights_once_per_micro_batch() -> None:
    """llama.cpp with -ub 1 prefills token by token: every micro-batch streams the weights again, so the prompt
    rate cannot beat the weight-read (decode) bound, bandwidth x bw_eff / weight bytes. A one-token MoE
    micro-batch reads only the k experts it routes to: far faster than streaming all of them."""
    from advisor.engine.constants import load_calibration

    eff = load_calibration().get("bw_eff", "nvidia")

    def run(device: object, model: ModelArch, ubatch: int) -> tuple[float, float]:
        res = evaluate([Setup(device, model, Q4_K_M, prompt_tokens=512, gen_tokens=1, ubatch=ubatch)])  # type: ignore[arg-type]
        return float(res.pp_tok_s[0]), float(res.weights_gb[0])

    pp1, weights_gb = run(RTX4090, LLAMA3_8B, 1)
    assert pp1 <= RTX4090.bandwidth_gbs * eff / weights_gb * 1.001
    assert run(RTX4090, LLAMA3_8B, 512)[0] > 5.0 * pp1  # one read of the weights per 512 tokens

    moe1, moe_gb = run(H100, GPT_OSS_120B, 1)
    touched_gb = moe_gb * (1.0 - GPT_OSS_120B.expert_params_b / GPT_OSS_120B.total_params_b
                           * (1.0 - GPT_OSS_120B.experts_per_token / GPT_OSS_120B.n_routed_experts))
    assert H100.bandwidth_gbs * eff / moe_gb < moe1 <= H100.bandwidth_gbs * eff / touched_gb * 1.001
