"""Regressions found by the fresh-eyes QA pass: each runs the real CLI (subprocess, private data dir)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from advisor.atomic import atomic_write
from advisor.errors import InputError

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          cwd=ROOT, env=os.environ.copy(), timeout=120)


def _one_line_exit_2(p: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert p.returncode == 2, (p.returncode, p.stderr)
    last = p.stderr.strip().splitlines()[-1]
    assert "Traceback" not in p.stderr and "internal error" not in p.stderr
    for needle in needles:
        assert needle in last, last


def test_atomic_write_into_a_missing_folder_or_onto_a_folder_is_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot write here"):
        with atomic_write(tmp_path / "nope" / "out.csv") as fh:
            fh.write("x")
    with pytest.raises(InputError, match="is a directory"):
        with atomic_write(tmp_path) as fh:
            fh.write("x")
    assert list(tmp_path.iterdir()) == []  # no temp file left behind


def test_estimate_cases_out_to_missing_folder_exits_2(tmp_path: Path) -> None:
    cases = tmp_path / "in.csv"
    cases.write_text("hardware,model,quant\nRTX 4090,Llama-3-8B,Q4_K_M\n", encoding="utf-8")
    p = run("estimate", "--cases", str(cases), "--out", str(tmp_path / "missing" / "out.csv"))
    _one_line_exit_2(p, "missing/out.csv", "cannot write")
    p = run("estimate", "--cases", str(cases), "--out", str(tmp_path))
    _one_line_exit_2(p, "is a directory")


def test_estimate_past_the_model_window_says_so() -> None:
    """Llama-3-70B has an 8,192-token window: 100,000 tokens of depth fit an H200's memory but not the model."""
    p = run("estimate", "--hardware", "H200", "--model", "Llama-3-70B", "--quant", "Q4_K_M",
            "--context-depth", "100000")
    assert p.returncode == 0, p.stderr
    assert "context 100,640 tokens is past the model's 8,192-token window" in p.stdout
    p = run("estimate", "--hardware", "H200", "--model", "Llama-3-70B", "--quant", "Q4_K_M")
    assert "window" not in p.stdout


def test_too_large_count_names_the_upper_bound() -> None:
    p = run("estimate", "--hardware", "RTX 4090", "--model", "Llama-3-8B", "--quant", "Q4_K_M",
            "--prompt", "10000000000")
    # the flag as typed, with its bound (the app layer checks lengths before the engine does)
    _one_line_exit_2(p, "--prompt: at most 100,000,000 tokens (got 10,000,000,000)")


def test_unknown_later_api_offer_in_a_scenario_file_exits_2(tmp_path: Path) -> None:
    shown = run("scenario", "show", "24/7 batch summarisation", "--json")
    assert shown.returncode == 0, shown.stderr
    data = json.loads(shown.stdout)
    data["api_offers"].append("fireworks-qwen3-vl-30b-a3")  # a typo of the first offer's id
    path = tmp_path / "s.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    p = run("recommend", "--scenario", str(path))
    _one_line_exit_2(p, "api_offers[3]: unknown API offer 'fireworks-qwen3-vl-30b-a3'")


def test_mlx_format_on_an_nvidia_card_is_flagged() -> None:
    """QA: MLX-4bit on an RTX 4090 was estimated without a word; MLX exists only on Apple silicon. Since the
    support matrix (issue 12) it is an input error naming the fields, not an estimate with a note."""
    p = run("estimate", "--hardware", "RTX 4090", "--model", "Llama-3-8B", "--quant", "MLX-4bit")
    assert p.returncode == 2 and p.stdout == ""
    assert p.stderr.strip() == ("error: --backend/--hardware: MLX does not run on NVIDIA GeForce RTX 4090 (NVIDIA GPU);"
                                " it runs on Apple silicon")
    p = run("estimate", "--hardware", "Apple M3 Ultra (80-core GPU)", "--model", "Llama-3-8B", "--quant",
            "MLX-4bit", "--backend", "mlx")
    assert p.returncode == 0, p.stderr
    assert "MLX runs only" not in p.stdout


@pytest.mark.parametrize("text, needle", [
    ("hardware,model,quant,quant\nRTX 4090,Llama-3-8B,Q4_K_M,Q8_0\n", "names the column(s) quant more than once"),
    ("hardware;model;quant\nRTX 4090;Llama-3-8B;Q4_K_M\n", "semicolon-separated; use commas"),
    ("", "has no header row"),
])
def test_unusable_case_files_are_named_and_nothing_is_written(tmp_path: Path, text: str, needle: str) -> None:
    """QA: a duplicated column was silently resolved to one of them; file-level errors said "cases:" rather
    than the file's name."""
    cases = tmp_path / "in.csv"
    cases.write_text(text, encoding="utf-8")
    out = tmp_path / "out.csv"
    p = run("estimate", "--cases", str(cases), "--out", str(out))
    _one_line_exit_2(p, f"{cases}: ", needle)
    assert not out.exists()


def test_data_dir_that_is_a_file_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """QA: RIG_ADVISOR_DATA_DIR naming a file crashed with FileExistsError (exit 1)."""
    a_file = tmp_path / "not-a-dir"
    a_file.write_text("x", encoding="utf-8")
    monkeypatch.setenv("RIG_ADVISOR_DATA_DIR", str(a_file))
    p = run("catalog", "list", "quants")
    _one_line_exit_2(p, "RIG_ADVISOR_DATA_DIR: ", "is a file, not a directory")
    assert a_file.read_text(encoding="utf-8") == "x"


def test_scenario_given_as_a_folder_says_so(tmp_path: Path) -> None:
    """QA: `recommend --scenario DIR` said "unknown scenario 'DIR'"."""
    p = run("recommend", "--scenario", str(tmp_path))
    _one_line_exit_2(p, f"{tmp_path}: is a directory, not a scenario file")
