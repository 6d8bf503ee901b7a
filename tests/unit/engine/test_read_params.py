"""Active parameters are what one token reads: the input-embedding table is a one-row lookup, the output head is
read whole (tied tables count once, as the head). Known truths from the publishers' own counts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from advisor.catalog.snapshot import Catalog
from advisor.engine import estimate
from advisor.engine.fit import input_embedding_params, read_params_b
from advisor.engine.sweep import _MQ_COLS, mq_terms
from advisor.engine.types import ModelArch, Setup

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def seed() -> Catalog:
    return Catalog.load()


@pytest.mark.parametrize(("model", "expected_b", "tol"), [
    ("minimax-m2", 10.42, 0.05),  # "10B active"; 11.03B if the 0.61B input table were counted
    ("deepseek-v3", 36.6, 0.5),  # DeepSeek "37B activated" excludes the embedding
    ("gpt-oss-120b", 5.13, 0.06),  # OpenAI model card: 5.13B active incl. the unembedding
    ("gpt-oss-20b", 3.61, 0.06),
    ("qwen3-30b-a3b", 3.3 - 0.311, 0.05),  # Qwen's 3.3B counts the 151936 x 2048 input table
    ("llama-3.1-8b", 8.03 - 0.525, 0.01),  # 7.50B non-embedding parameters
    ("gemma-3-27b", 27.4, 0.01),  # tied: the one table is the output head, read whole
    ("llama-3.2-3b", 3.21, 0.01),  # tied
])
def test_read_params_match_known_counts(seed: Catalog, model: str, expected_b: float, tol: float) -> None:
    assert read_params_b(seed.model(model)) == pytest.approx(expected_b, abs=tol)


def test_minimax_m2_from_its_config_reads_10_4b_not_11_0b(tmp_path: Path) -> None:
    """The config.json import counts 11.03B 'active' with the input table; the engine reads 10.42B per token."""
    config = {"architectures": ["MiniMaxM2ForCausalLM"], "model_type": "minimax_m2", "hidden_size": 3072,
              "intermediate_size": 1536, "num_hidden_layers": 62, "num_attention_heads": 48,
              "num_key_value_heads": 8, "head_dim": 128, "num_local_experts": 256, "num_experts_per_tok": 8,
              "vocab_size": 200064, "max_position_embeddings": 196608, "tie_word_embeddings": False,
              "torch_dtype": "bfloat16"}
    path = tmp_path / "config.json"
    path.write_text(json.dumps(config))
    p = subprocess.run([sys.executable, str(ROOT / "main.py"), "models", "import", str(path), "--json", "--dry-run"],
                       capture_output=True, text=True, cwd=ROOT, timeout=300,
                       env=dict(os.environ, RIG_ADVISOR_DB_URL=f"sqlite:///{tmp_path / 'a.db'}"))
    assert p.returncode == 0, p.stderr
    record = json.loads(p.stdout)["record"]
    assert record["tied_embeddings"] is False
    fields = {k: v for k, v in record.items() if k in ModelArch.__dataclass_fields__}
    model = ModelArch(**fields)
    assert record["active_params_b"] == pytest.approx(11.03, abs=0.01)
    assert read_params_b(model) == pytest.approx(10.42, abs=0.01)


def test_tied_flag_decides_what_decode_skips(seed: Catalog) -> None:
    """Gemma 3 27B ties its 1.41B table (the guess from the table's share would call it untied)."""
    gemma = seed.model("gemma-3-27b")
    assert input_embedding_params(gemma) == 0.0
    assert input_embedding_params(replace(gemma, tied_embeddings=False)) == pytest.approx(262208 * 5376)
    assert input_embedding_params(replace(gemma, tied_embeddings=None)) == pytest.approx(262208 * 5376)
    small = replace(seed.model("phi-4-mini"), tied_embeddings=None)  # 0.61B table of 3.84B: guessed tied
    assert input_embedding_params(small) == 0.0


def test_decode_bytes_and_flops_use_read_params(seed: Catalog) -> None:
    """The sweep's per-row inputs: active FLOP params = read params; dense bytes exclude only the input table."""
    model, quant = seed.model("minimax-m2"), seed.quant("Q8_0")
    terms = mq_terms(model, quant, "f16")
    col = {name: i for i, name in enumerate(_MQ_COLS)}
    assert terms[col["active"]] == pytest.approx(read_params_b(model) * 1e9)
    emb_bytes = terms[col["emb"]]
    assert emb_bytes == pytest.approx(200064 * 3072 * 8.5 / 8, rel=1e-3)
    tied = replace(model, tied_embeddings=True)
    assert mq_terms(tied, quant, "f16")[col["emb"]] == 0.0
    # reading the head whole but not the input table: a tied copy of the model decodes slower
    dev = seed.device("H100 SXM")
    fast = estimate(Setup(device=dev, model=model, quant=quant, count=4, parallel="layer"))
    slow = estimate(Setup(device=dev, model=tied, quant=quant, count=4, parallel="layer"))
    assert slow.tg_tok_s < fast.tg_tok_s


def test_the_estimate_says_how_many_parameters_a_token_reads(seed: Catalog) -> None:
    est = estimate(Setup(device=seed.device("H100 SXM"), model=seed.model("minimax-m2"), quant=seed.quant("Q4_K_M"),
                         count=4, parallel="layer"))
    note = next(n for n in est.notes if n.startswith("MoE:"))
    assert "10.4B are read per token" in note
