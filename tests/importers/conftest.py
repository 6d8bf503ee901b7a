"""Fixtures for importer tests: the real config.json files and small GGUF files written with gguf.GGUFWriter."""

from __future__ import annotations

from pathlib import Path

import gguf
import numpy as np
import pytest
from gguf import GGMLQuantizationType

CONFIGS = Path(__file__).resolve().parent.parent / "fixtures" / "configs"


def write_tiny_gguf(path: Path, *, vocab: int = 256, experts: int = 0) -> dict[str, int]:
    """A 2-layer llama-style GGUF with F16 and Q8_0 tensors; returns the expected bytes per ggml type."""
    w = gguf.GGUFWriter(str(path), "llama")
    w.add_name("Tiny-Llama-Test")
    w.add_block_count(2)
    w.add_context_length(2048)
    w.add_embedding_length(64)
    w.add_feed_forward_length(128)
    w.add_head_count(4)
    w.add_head_count_kv(2)
    if experts:
        w.add_expert_count(experts)
        w.add_expert_used_count(2)
    w.add_token_list([f"tok{i}".encode() for i in range(vocab)])
    rng = np.random.default_rng(0)
    w.add_tensor("token_embd.weight", rng.standard_normal((vocab, 64)).astype(np.float16))
    w.add_tensor("output_norm.weight", np.ones(64, dtype=np.float32))
    for i in range(2):
        q = gguf.quants.quantize(rng.standard_normal((128, 64)).astype(np.float32), GGMLQuantizationType.Q8_0)
        w.add_tensor(f"blk.{i}.ffn_up.weight", q, raw_dtype=GGMLQuantizationType.Q8_0)
        if experts:
            e = gguf.quants.quantize(
                rng.standard_normal((experts, 128, 64)).astype(np.float32), GGMLQuantizationType.Q8_0
            )
            w.add_tensor(f"blk.{i}.ffn_up_exps.weight", e, raw_dtype=GGMLQuantizationType.Q8_0)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    # F16: 2 B/element; F32: 4 B; Q8_0: 34 B per 32-element block
    q8 = 2 * (128 * 64 // 32 * 34) + (2 * experts * 128 * 64 // 32 * 34)
    return {"F16": vocab * 64 * 2, "F32": 64 * 4, "Q8_0": q8}


@pytest.fixture
def tiny_gguf(tmp_path: Path) -> tuple[Path, dict[str, int]]:
    path = tmp_path / "tiny.gguf"
    return path, write_tiny_gguf(path)
