"""Serving engines under load: how many sequences run at once and what output rate a benchmark reports.

A serving benchmark (`vllm bench serve`, `sglang.bench_serving`, `trtllm-bench throughput`) submits requests at a
concurrency N, or all at once ("max load", request rate inf). The engine batches continuously: every step
decodes one token for each running sequence, and new requests' prompts are prefilled in chunks between (or
inside) those steps, so each request's prefill takes its share of the wall time (prefill interference). How many
sequences run at once is capped twice: by the scheduler (vLLM ``max_num_seqs``, SGLang ``max_running_requests``,
TensorRT-LLM ``max_batch_size``) and by the KV-cache pool (paged KV: a sequence holds its prompt plus the tokens
generated so far, on average prompt + gen / 2 over its life).

The decode step itself (weights, touched experts, KV reads, all-reduces, per-step and per-sequence scheduler
overhead) is `throughput.decode_step`; this module only holds the serving-specific parts.

>>> max_num_seqs("vllm", 80.0, "NVIDIA H100 SXM"), max_num_seqs("vllm", 24.0, "NVIDIA GeForce RTX 4090")
(1024, 256)
>>> round(float(serving_output_rate(1000.0, 10000.0, 1000.0, 1000.0)), 1)
909.1
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from advisor.engine.constants import MAX_LOAD_BATCH_CAP

# vLLM V1 (0.8+) defaults: on GPUs with >= 70 GiB (H100, H200, MI300X; not A100) max_num_seqs 1024 and
# max_num_batched_tokens 8192 for the API server; 256 and 2048 otherwise (vllm/engine/arg_utils.py).
VLLM_LARGE_GPU_GIB = 70.0
VLLM_SMALL_GPU_MAX_SEQS = 256
# Prompt tokens a serving engine prefills in one scheduler step (chunked-prefill budget, vLLM
# max_num_batched_tokens on large GPUs; SGLang chunked_prefill_size 8192 on H100-class GPUs) [tokens].
SERVING_PREFILL_CHUNK = 8192.0


def large_gpu(memory_gb: float, device_name: str) -> bool:
    """vLLM's "large GPU" test: >= 70 GiB of device memory and not an A100."""
    return memory_gb * 1e9 / 2**30 >= VLLM_LARGE_GPU_GIB and "a100" not in device_name.lower()


def max_num_seqs(backend: str, memory_gb: float, device_name: str = "") -> int:
    """Most sequences the backend's scheduler runs at once with its default settings [sequences].

    llama-server: its slots; vLLM: max_num_seqs (1024 on >= 70 GiB GPUs, 256 below); SGLang: bounded by its
    KV pool and CUDA-graph batch (the KV limit is applied separately); TensorRT-LLM: max_batch_size 2048.
    """
    if backend == "vllm" and not large_gpu(memory_gb, device_name):
        return VLLM_SMALL_GPU_MAX_SEQS
    return int(MAX_LOAD_BATCH_CAP.get(backend, MAX_LOAD_BATCH_CAP["default"]))


def paged_context_tokens(prompt_tokens: int, gen_tokens: int, context_depth: int = 0) -> int:
    """KV tokens one sequence holds on average over its life with paged KV (blocks allocated as it grows)."""
    return int(context_depth + prompt_tokens + (gen_tokens + 1) // 2)


def serving_output_rate(decode_tok_s: ArrayLike, prefill_tok_s: ArrayLike, prompt_tokens: ArrayLike,
                        gen_tokens: ArrayLike) -> np.ndarray:
    """Output tokens per second over wall time of a continuously batched benchmark [tokens/s].

    Each request's prompt is prefilled in the same stream of GPU steps as the others' decode, so per output
    token the wall time is 1 / decode rate plus (prompt / gen) / prefill rate: 1 / (1 / tg + (p / g) / pp).
    """
    tg = np.maximum(np.asarray(decode_tok_s, dtype=float), 1e-12)
    pp = np.maximum(np.asarray(prefill_tok_s, dtype=float), 1e-12)
    share = np.asarray(prompt_tokens, dtype=float) / np.maximum(np.asarray(gen_tokens, dtype=float), 1.0)
    return 1.0 / (1.0 / tg + share / pp)


# Points of the ragged tail's batch grid (geometric from the full batch down to 1).
RAGGED_TAIL_POINTS = 6
# Euler-Mascheroni constant: the longest of B exponential output lengths is ~ mean x (ln B + 0.577).
_EULER_GAMMA = 0.5772156649


def ragged_tail_batches(batch: ArrayLike, points: int = RAGGED_TAIL_POINTS) -> np.ndarray:
    """Running batches at which the ragged tail is sampled: geometric from ``batch`` down to 1, shape (points, n)."""
    b = np.maximum(np.asarray(batch, dtype=float), 1.0)
    return np.exp(np.linspace(0.0, 1.0, points)[:, None] * np.log(b)[None, :])[::-1]


def ragged_decode_rate(batch: ArrayLike, grid: np.ndarray, step_s: np.ndarray, queued: ArrayLike = 0.0) -> np.ndarray:
    """Aggregate decode rate of a burst of ``batch`` requests with exponential-like output lengths [tokens/s].

    All requests start together; with output lengths ~ exponential of mean g, n(k) = B exp(-k / g) are still
    running after k steps, so the run emits B x g tokens over a makespan g x (integral of step(n) d ln n from 1
    to B, plus ~0.577 steps at batch 1 for the longest request): the tail at low batch costs ~ ln B mean lengths
    of small-batch steps, where a fixed-length batch would take g steps at full batch. ``step_s`` holds the step
    time at each ``grid`` batch (shape (points, n), grid from `ragged_tail_batches`, largest first).

    ``queued`` requests beyond the batch (a run of num_prompts > batch) wait for a free slot: until the queue
    drains the batch stays full, emitting queued x g tokens at the full-batch rate, then the tail follows (lengths
    are memoryless, so the B still running have g to go on average): rate = (B + Q) / (Q step(B) / B + tail).

    >>> b = np.array([100.0]); grid = ragged_tail_batches(b)
    >>> round(float(ragged_decode_rate(b, grid, np.full_like(grid, 0.01))[0]), 1)  # flat step: 100 / (ln 100 + 0.577)
    1929.6
    """
    b = np.maximum(np.asarray(batch, dtype=float), 1.0)
    ln = np.log(grid)
    area = np.sum(0.5 * (step_s[1:] + step_s[:-1]) * np.abs(ln[:-1] - ln[1:]), axis=0)
    q = np.maximum(np.asarray(queued, dtype=float), 0.0)
    return (b + q) / np.maximum(q * step_s[0] / b + area + _EULER_GAMMA * step_s[-1], 1e-12)
