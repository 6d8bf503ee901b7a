"""The vectorised sweep gives the same numbers as one-by-one estimates, and can be cancelled."""

from __future__ import annotations

import numpy as np
import pytest

from advisor.engine import estimate, sweep
from advisor.engine.types import Device, Quant, Setup
from advisor.progress import Cancelled
from tests.unit.engine.test_fit import DEEPSEEK_V3, GPT_OSS_120B, LLAMA3_8B, LLAMA3_70B, Q4_K_M, RTX4090

MAC = Device("Apple M2 Ultra (76-core GPU)", kind="apple", vendor="apple", memory_gb=192, bandwidth_gbs=800,
             fp16_tflops=27.2, unified_memory=True, gpu_memory_share=0.75)
DEVICES = [RTX4090, MAC]
MQ = [(LLAMA3_8B, Q4_K_M), (LLAMA3_70B, Quant("Q8_0", 8.5)), (GPT_OSS_120B, Quant("MXFP4", 4.25, family="native")),
      (DEEPSEEK_V3, Q4_K_M)]
COUNTS, CONTEXTS, BATCHES = [1, 2, 4], [2048, 32768], [1, 8]


def test_sweep_matches_single_estimates() -> None:
    r = sweep(DEVICES, COUNTS, MQ, CONTEXTS, BATCHES)
    assert r.completed and r.tg_tok_s.size == 2 * 3 * 4 * 2 * 2
    for i in range(0, r.tg_tok_s.size, 5):
        d, m = DEVICES[r.device_idx[i]], MQ[r.mq_idx[i]]
        e = estimate(Setup(d, m[0], m[1], count=int(r.count[i]), parallel="layer" if r.count[i] > 1 else "none",
                           batch=int(r.batch[i]), context_tokens=int(r.context_tokens[i])))
        assert bool(r.fits[i]) == e.fits
        assert r.total_gb[i] == pytest.approx(e.total_gb, rel=1e-9)
        assert r.max_context_tokens[i] == e.max_context_tokens
        assert r.tg_tok_s[i] == pytest.approx(e.tg_tok_s, rel=1e-9)
        assert r.pp_tok_s[i] == pytest.approx(e.pp_tok_s, rel=1e-9)
        assert r.ttft_s[i] == pytest.approx(e.ttft_s, rel=1e-9)


def test_sweep_reports_progress_and_can_be_cancelled() -> None:
    seen: list[float] = []
    full = sweep(DEVICES, COUNTS, MQ, CONTEXTS, BATCHES, chunk=10, progress_callback=lambda f, _s: seen.append(f))
    assert seen[-1] == 1.0 and np.all(np.diff(seen) > 0)

    def cancel_past_30_percent(fraction: float, _stage: str) -> None:
        if fraction >= 0.3:
            raise Cancelled()

    cancelled = sweep(DEVICES, COUNTS, MQ, CONTEXTS, BATCHES, chunk=10, progress_callback=cancel_past_30_percent)
    assert not cancelled.completed
    assert 0 < cancelled.tg_tok_s.size < full.tg_tok_s.size
    assert np.array_equal(cancelled.tg_tok_s, full.tg_tok_s[: cancelled.tg_tok_s.size])


def test_v3_never_fits_a_single_4090_in_the_sweep() -> None:
    r = sweep([RTX4090], [1, 2, 4], [(DEEPSEEK_V3, Q4_K_M)], [4096], [1])
    assert not r.fits.any()
    assert (r.max_context_tokens == 0).all()
