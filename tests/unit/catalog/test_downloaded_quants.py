"""The GGUF quants people download (IQ*, Q3_K_*, Q2_K, unsloth UD-*, MXFP4): in the catalog with bits per weight
from real files, sized like the real files, runnable on llama.cpp; an unknown quant name is an error (exit 2)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from advisor.catalog.snapshot import Catalog
from advisor.engine.fit import weights_split_bytes
from advisor.engine.support import support_problem
from advisor.errors import NotFoundError

ROOT = Path(__file__).resolve().parents[3]

# llama.cpp tools/quantize/README.md: whole-file bits per weight of each preset on Llama-3.1-8B (real files).
README_BPW = {"IQ1_S": 2.0042, "IQ1_M": 2.146, "IQ2_XXS": 2.3824, "IQ2_XS": 2.5882, "IQ2_S": 2.7403,
              "IQ2_M": 2.9294, "IQ3_XXS": 3.2548, "IQ3_XS": 3.4977, "IQ3_S": 3.6606, "IQ3_M": 3.7628,
              "IQ4_XS": 4.4597, "IQ4_NL": 4.6818, "Q2_K": 3.1593, "Q2_K_S": 2.9697, "Q3_K_S": 3.6429,
              "Q3_K_L": 4.2979, "Q4_K_M": 4.8944}
WANTED = ("UD-Q2_K_XL", "UD-IQ1_S", "IQ1_S", "IQ1_M", "IQ2_XXS", "IQ2_XS", "IQ2_S", "IQ2_M", "IQ3_XXS", "IQ3_S",
          "IQ3_M", "IQ4_XS", "IQ4_NL", "Q3_K_S", "Q3_K_M", "Q3_K_L", "Q2_K", "MXFP4")


@pytest.fixture(scope="module")
def seed() -> Catalog:
    return Catalog.load()


def size_gb(seed: Catalog, model: str, quant: str) -> float:
    dense, experts = weights_split_bytes(seed.model(model), seed.quant(quant))
    return (dense + experts) / 1e9


@pytest.mark.parametrize("name", WANTED)
def test_every_downloaded_quant_is_in_the_catalog_and_runs_on_llama_cpp(seed: Catalog, name: str) -> None:
    quant = seed.quant(name)
    assert quant.name == name
    assert quant.family == ("float" if name == "MXFP4" else "gguf")
    for hardware in ("RTX 4090", "M3 Ultra", "RX 7900 XTX", "EPYC 9355"):
        assert support_problem("llama.cpp", seed.device(hardware), quant, seed.model("gpt-oss-120b")) is None
    assert support_problem("exllamav2", seed.device("RTX 4090"), quant, seed.model("llama-3.1-8b")) is not None


@pytest.mark.parametrize(("name", "bpw"), sorted(README_BPW.items()))
def test_preset_bits_per_weight_are_the_real_files(seed: Catalog, name: str, bpw: float) -> None:
    assert seed.quant(name).bits_per_weight == pytest.approx(bpw, abs=0.011)


def test_llama_3_8b_files_are_sized_like_llama_quantize_says(seed: Catalog) -> None:
    """quantize.cpp QUANT_OPTIONS sizes for Llama-3-8B [GiB]: Q2_K 2.96, Q3_K_S 3.41, Q3_K_L 4.03, Q4_K_M 4.58."""
    for name, gib in (("Q2_K", 2.96), ("Q3_K_S", 3.41), ("Q3_K_M", 3.74), ("Q3_K_L", 4.03), ("Q4_K_M", 4.58)):
        assert size_gb(seed, "llama-3-8b", name) == pytest.approx(gib * 2**30 / 1e9, rel=0.015), name


@pytest.mark.parametrize(("name", "gb"), [("UD-IQ1_S", 131), ("UD-IQ1_M", 158), ("UD-IQ2_XXS", 183),
                                          ("UD-Q2_K_XL", 212)])
def test_deepseek_r1_dynamic_ggufs_match_the_published_files(seed: Catalog, name: str, gb: float) -> None:
    """unsloth's DeepSeek-R1 dynamic GGUFs (671B): 131 / 158 / 183 / 212 GB on disk; params x the dense-model
    preset bits would give 168-277 GB."""
    assert size_gb(seed, "deepseek-r1", name) == pytest.approx(gb, rel=0.01)
    dense, experts = weights_split_bytes(seed.model("deepseek-r1"), seed.quant(name))
    assert experts > 20 * dense  # the routed experts carry the squeeze, attention stays at the preset's bits


def test_dense_models_keep_the_dense_figure_for_ud_quants(seed: Catalog) -> None:
    llama = seed.model("llama-3.1-8b")
    assert size_gb(seed, "llama-3.1-8b", "UD-Q2_K_XL") == pytest.approx(llama.total_params_b * 3.3 / 8)


@pytest.mark.parametrize("name", ["Q2_K", "Q3_K_S", "Q3_K_M", "Q3_K_L", "IQ2_XS", "IQ4_NL", "Q4_K_M", "UD-Q2_K_XL",
                                  "Q8_0", "MXFP4"])
def test_gpt_oss_120b_ggufs_keep_mxfp4_experts(seed: Catalog, name: str) -> None:
    """unsloth/bartowski gpt-oss-120b GGUFs are 58.5-63.4 GB whatever the preset (experts stay MXFP4), not
    116.8B x 4.89 / 8 = 71.4 GB for Q4_K_M."""
    assert 58.5 <= size_gb(seed, "gpt-oss-120b", name) <= 64.0


def test_unknown_quant_names_are_errors_not_near_misses(seed: Catalog) -> None:
    for name in ("UD-Q3_K_XL", "Q3_K_XXL", "IQ5_XS", "Q4_K_Z", "IQ2"):
        with pytest.raises(NotFoundError, match="unknown quant"):
            seed.quant(name)


def test_cli_unknown_quant_exits_2_names_the_flag_and_leaves_the_database(sqlite_url: str, tmp_path: Path) -> None:
    env = dict(os.environ, RIG_ADVISOR_DB_URL=sqlite_url)

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                              cwd=ROOT, env=env, timeout=300)

    ok = cli("estimate", "--hardware", "RTX 4090", "--model", "Qwen3-30B-A3B", "--quant", "IQ2_XS")
    assert ok.returncode == 0, ok.stderr
    before = hashlib.sha256((tmp_path / "advisor.db").read_bytes()).hexdigest()
    bad = cli("estimate", "--hardware", "RTX 4090", "--model", "Qwen3-30B-A3B", "--quant", "UD-Q3_K_XL")
    assert bad.returncode == 2 and bad.stdout == ""
    lines = bad.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: --quant: unknown quant 'UD-Q3_K_XL'; closest: ")
    assert hashlib.sha256((tmp_path / "advisor.db").read_bytes()).hexdigest() == before
