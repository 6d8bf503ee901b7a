"""`estimate` and `calibrate` through the real CLI (subprocess, real database in the private data dir)."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
CALIBRATION_CSV = Path("/work/shared/calibration/calibration.csv")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          cwd=ROOT, env=os.environ.copy(), timeout=120)


def test_single_estimate_json_has_the_contract_fields() -> None:
    p = run("estimate", "--hardware", "RTX 4090", "--model", "Llama-3-8B", "--quant", "Q4_K_M", "--json")
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    for key in ("fits", "weights_gb", "kv_bytes_per_token", "kv_gb", "overhead_gb", "total_gb", "usable_gb",
                "max_context_tokens", "pp_tok_s", "tg_tok_s", "tg_tok_s_per_user", "ttft_s", "tg_band",
                "limiting_factor", "notes"):
        assert key in out
    assert out["fits"] is True
    assert out["kv_bytes_per_token"] == 131072
    assert abs(out["weights_gb"] - 4.9) < 0.15
    assert out["tg_band"][0] < out["tg_tok_s"] < out["tg_band"][1]
    assert out["limiting_factor"] == "memory bandwidth"


def test_v4_pro_does_not_fit_a_27_gb_class_card_and_says_why() -> None:
    p = run("estimate", "--hardware", "RTX 5090", "--model", "DeepSeek-V4-Pro", "--quant", "Q4_K_M", "--json")
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert out["fits"] is False and out["max_context_tokens"] == 0
    assert "GB of weights" in out["reason"]


def test_unknown_quant_exits_2_naming_the_flag() -> None:
    p = run("estimate", "--hardware", "RTX 4090", "--model", "Llama-3-8B", "--quant", "Q9_Z")
    assert p.returncode == 2
    assert "--quant" in p.stderr and len(p.stderr.strip().splitlines()) == 1


def test_cases_answers_good_rows_and_reports_bad_ones(tmp_path: Path) -> None:
    cases = tmp_path / "in.csv"
    cases.write_text(
        "case_id,hardware,hw_count,memory_gb,bandwidth_gbs,fp16_tflops,model,params_b,active_params_b,quant,backend,"
        "parallel,batch,prompt_tokens,gen_tokens,context_depth,offload,tg_is_aggregate,extra\n"
        "a,NVIDIA GeForce RTX 4090,1,,,,Llama-3-8B,,,Q4_K_M,llama.cpp,none,1,512,128,0,none,0,x\n"
        "b,NVIDIA GeForce RTX 4090,1,,fast,,Llama-3-8B,,,Q4_K_M,llama.cpp,none,1,512,128,0,none,0,x\n"
        "c,Mystery Accelerator 9000,2,64,2000,400,Mystery-LM-30B,30,30,Q8_0,vllm,tensor,,1000,1000,0,none,1,x\n"
        "d,NVIDIA GeForce RTX 4090,1,,,,Llama-3-8B,,,Q4_K_M,llama.cpp,sideways,1,512,128,0,none,0,x\n",
        encoding="utf-8")
    out = tmp_path / "out.csv"
    p = run("estimate", "--cases", str(cases), "--out", str(out))
    assert p.returncode == 0, p.stderr
    assert "row 3, column bandwidth_gbs" in p.stderr
    assert "row 5, column parallel" in p.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["case_id"] for r in rows] == ["a", "c"]
    assert list(rows[0])[:7] == ["case_id", "fits", "weights_gb", "kv_gb", "total_gb", "pp_tok_s", "tg_tok_s"]
    assert rows[0]["fits"] == "1" and 60 < float(rows[0]["tg_tok_s"]) < 250
    c = rows[1]
    assert "generic" in c["notes"] and "not in the catalog" in c["notes"]
    assert int(c["batch_used"]) > 1  # empty batch = max useful concurrency
    assert float(c["tg_tok_s"]) > 10 * float(rows[0]["tg_tok_s"]) / 2  # aggregate over the batch


def test_cases_file_without_required_columns_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("case_id,model\nx,Llama-3-8B\n", encoding="utf-8")
    p = run("estimate", "--cases", str(bad), "--out", str(tmp_path / "o.csv"))
    assert p.returncode == 2
    assert "hardware" in p.stderr


def test_calibrate_writes_constants_hash_and_scores(tmp_path: Path) -> None:
    out = tmp_path / "cal.json"
    p = run("calibrate", str(CALIBRATION_CSV), "--out", str(out), "--quick")
    assert p.returncode == 0, p.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    import hashlib

    assert doc["dataset_sha256"] == hashlib.sha256(CALIBRATION_CSV.read_bytes()).hexdigest()
    assert 0.5 < doc["constants"]["bw_eff.nvidia"] <= 1.0
    assert doc["fidelity"]["all"]["tg"]["mdape"] < 0.12
    assert doc["fidelity"]["all"]["pp"]["mdape"] < 0.25
    for category in ("single GPU", "Apple", "multi-GPU layer", "tensor parallel", "batched", "MoE", "offload", "AMD"):
        assert category in p.stdout


def test_absurd_lengths_are_refused_naming_the_flag() -> None:
    for flag in ("--context", "--prompt", "--gen", "--context-depth"):
        res = run("estimate", "--hardware", "RTX 4090", "--model", "llama-3.1-8b", "--quant", "Q4_K_M", flag,
                  "999999999999")
        assert res.returncode == 2, (flag, res.stderr)
        assert res.stderr.strip() == f"error: {flag}: at most 100,000,000 tokens (got 999,999,999,999)"


def test_a_huge_batch_is_a_kv_and_overhead_problem_not_a_weights_one() -> None:
    res = run("estimate", "--hardware", "RTX 4090", "--model", "llama-3.1-8b", "--quant", "Q4_K_M", "--batch",
              "100000", "--json")
    out = json.loads(res.stdout)
    assert not out["fits"] and out["weights_gb"] < out["usable_gb"]
    assert out["reason"].startswith("weights fit, but the KV cache for 100,000 x 640 tokens (")
    assert "runtime overhead" in out["reason"] and "of weights" not in out["reason"]


def test_usage_errors_are_one_line_naming_the_argument() -> None:
    for args, start in ((("estimate", "--count", "nan"), "error: --count: invalid int value: 'nan'"),
                        (("report",), "error: the following arguments are required: --scenario"),
                        (("bogus",), "error: SUBCOMMAND: invalid choice: 'bogus'")):
        res = run(*args)
        assert res.returncode == 2 and res.stdout == ""
        assert len(res.stderr.strip().splitlines()) == 1 and res.stderr.startswith(start), res.stderr


def test_cli_harness_flag_and_json_field() -> None:
    trt = ("estimate", "--hardware", "H100", "--model", "Llama-3-8B", "--quant", "FP8", "--backend", "tensorrt-llm",
           "--batch", "256")
    online, offline = (json.loads(run(*trt, "--json", "--harness", h).stdout) for h in ("online", "offline"))
    assert online["harness"] == "online" and offline["harness"] == "offline"
    assert online["tg_tok_s"] < offline["tg_tok_s"]
    assert any("through its API server" in n for n in online["notes"])
    bad = run(*trt, "--harness", "batch")
    assert bad.returncode == 2 and "--harness" in bad.stderr
