"""Backend x hardware x weight-format support matrix (advisor.engine.support): the engine rules, the CLI's exit 2
with a one-line error naming the fields (database untouched), and skipped candidates in a recommendation."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from advisor.catalog.snapshot import Catalog
from advisor.engine.recommend import recommend
from advisor.engine.scenario import scenario_from_json
from advisor.engine.support import BACKEND_SUPPORT, default_backend, support_problem

ROOT = Path(__file__).resolve().parents[3]
TODAY = dt.date(2026, 12, 5)


@pytest.fixture(scope="module")
def seed() -> Catalog:
    return Catalog.load()


def problem(seed: Catalog, backend: str, hardware: str, quant: str, model: str = "llama-3.1-8b",
            parallel: str = "none") -> tuple[str, ...] | None:
    found = support_problem(backend, seed.device(hardware), seed.quant(quant, model=model), seed.model(model),
                            parallel)
    return found.fields if found else None


@pytest.mark.parametrize(("backend", "hardware", "quant", "model", "parallel", "fields"), [
    # serving engines are not on Apple; TensorRT-LLM is NVIDIA only
    ("vllm", "apple-m3-ultra-80c", "FP8", "llama-3.1-8b", "none", ("backend", "hardware")),
    ("sglang", "apple-m4-max-40c", "BF16", "llama-3.1-8b", "none", ("backend", "hardware")),
    ("tensorrt-llm", "apple-m2-ultra-76c", "FP8", "llama-3.1-8b", "none", ("backend", "hardware")),
    ("tensorrt-llm", "mi300x", "FP8", "llama-3.1-8b", "none", ("backend", "hardware")),
    ("tensorrt-llm", "h100-sxm", "FP8", "llama-3.1-8b", "none", None),
    # ExLlamaV2 loads EXL2 only; only ExLlamaV2 loads EXL2
    ("exllamav2", "rtx-4090", "Q4_K_M", "llama-3.1-8b", "none", ("backend", "quant")),
    ("exllamav2", "rtx-4090", "EXL2-4.5", "llama-3.1-8b", "none", None),
    ("llama.cpp", "rtx-4090", "EXL2-4.5", "llama-3.1-8b", "none", ("backend", "quant")),
    ("exllamav2", "rtx-4090", "GPTQ-INT4", "llama-3.1-8b", "none", None),  # measured in the calibration data
    ("exllamav2", "rtx-4090", "AWQ-INT4", "llama-3.1-8b", "none", ("backend", "quant")),
    ("tensorrt-llm", "h100-sxm", "MXFP4", "gpt-oss-120b", "none", None),  # measured in the calibration data
    # MLX is Apple only, and only MLX loads MLX weights
    ("mlx", "rtx-4090", "MLX-4bit", "llama-3.1-8b", "none", ("backend", "hardware")),
    ("mlx", "apple-m3-ultra-80c", "MLX-4bit", "llama-3.1-8b", "none", None),
    ("llama.cpp", "apple-m3-ultra-80c", "MLX-4bit", "llama-3.1-8b", "none", ("backend", "quant")),
    # llama.cpp: GGUF quants and MXFP4 on every vendor, no FP8 or AWQ weights
    ("llama.cpp", "apple-m3-ultra-80c", "IQ2_XS", "llama-3.1-8b", "none", None),
    ("llama.cpp", "rx-7900-xtx", "Q4_K_M", "llama-3.1-8b", "none", None),
    ("llama.cpp", "epyc-9355", "Q8_0", "llama-3.1-8b", "none", None),
    ("llama.cpp", "rtx-4090", "MXFP4", "gpt-oss-20b", "none", None),
    ("llama.cpp", "rtx-4090", "FP8", "llama-3.1-8b", "none", ("backend", "quant")),
    ("llama.cpp", "rtx-4090", "AWQ-INT4", "llama-3.1-8b", "none", ("backend", "quant")),
    ("llama.cpp", "h100-sxm", "native", "deepseek-v3", "none", ("backend", "quant")),  # an FP8 release
    ("llama.cpp", "h100-sxm", "native", "llama-3.1-8b", "none", None),  # a BF16 release
    ("vllm", "h100-sxm", "native", "deepseek-v3", "none", None),
    # FP8 / NVFP4 need the hardware where the engine needs it
    ("vllm", "a100-80gb-sxm", "FP8", "llama-3.1-8b", "none", None),  # Marlin weight-only FP8 on Ampere
    ("tensorrt-llm", "a100-80gb-sxm", "FP8", "llama-3.1-8b", "none", ("quant", "hardware")),
    ("vllm", "rx-7900-xtx", "FP8", "llama-3.1-8b", "none", ("quant", "hardware")),
    ("vllm", "mi300x", "FP8", "llama-3.1-8b", "none", None),
    ("vllm", "mi300x", "NVFP4", "llama-3.1-8b", "none", ("quant", "hardware")),
    ("tensorrt-llm", "h100-sxm", "NVFP4", "llama-3.1-8b", "none", ("quant", "hardware")),
    ("tensorrt-llm", "b200", "NVFP4", "llama-3.1-8b", "none", None),
    # expert parallel only for MoE
    ("vllm", "h100-sxm", "FP8", "llama-3.1-8b", "expert", ("parallel", "model")),
    ("vllm", "h100-sxm", "FP8", "qwen3-30b-a3b", "expert", None),
])
def test_support_matrix(seed: Catalog, backend: str, hardware: str, quant: str, model: str, parallel: str,
                        fields: tuple[str, ...] | None) -> None:
    assert problem(seed, backend, hardware, quant, model, parallel) == fields


def test_every_backend_has_one_row() -> None:
    from advisor.engine.types import BACKENDS

    assert set(BACKEND_SUPPORT) == set(BACKENDS)


def test_default_backend_picks_an_engine_that_runs_the_format(seed: Catalog) -> None:
    h100, mac = seed.device("H100 SXM"), seed.device("M3 Ultra")
    v3, llama = seed.model("deepseek-v3"), seed.model("llama-3.1-8b")
    assert default_backend(h100, seed.quant("native", model="deepseek-v3"), v3) == "vllm"
    assert default_backend(h100, seed.quant("Q4_K_M"), llama) == "llama.cpp"
    assert default_backend(mac, seed.quant("MLX-4bit"), llama) == "mlx"
    assert default_backend(seed.device("RTX 4090"), seed.quant("EXL2-4.5"), llama) == "exllamav2"


def _cli(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True, cwd=ROOT,
                          env=dict(os.environ, RIG_ADVISOR_DB_URL=url), timeout=300)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(("args", "start"), [
    (("--hardware", "M3 Ultra", "--model", "Llama-3.1-8B", "--quant", "FP8", "--backend", "vllm"),
     "error: --backend/--hardware: vLLM does not run on Apple M3 Ultra"),
    (("--hardware", "RTX 4090", "--model", "Llama-3.1-8B", "--quant", "Q4_K_M", "--backend", "exllamav2"),
     "error: --backend/--quant: ExLlamaV2 cannot load Q4_K_M (GGUF) weights"),
    (("--hardware", "H100 SXM", "--model", "DeepSeek-V3", "--quant", "native", "--backend", "llama.cpp"),
     "error: --backend/--quant: llama.cpp cannot load native (FP8) weights"),
    (("--hardware", "A100 SXM", "--model", "Llama-3.1-8B", "--quant", "FP8", "--backend", "tensorrt-llm"),
     "error: --quant/--hardware: FP8 weights on TensorRT-LLM need FP8 tensor units"),
    (("--hardware", "RTX 4090", "--count", "2", "--parallel", "expert", "--model", "Llama-3.1-8B", "--quant",
      "Q4_K_M"), "error: --parallel/--model: expert parallel needs a mixture-of-experts model"),
    (("--system", "mac-studio-m3-ultra-512gb", "--model", "Llama-3.1-8B", "--quant", "BF16", "--backend",
      "tensorrt-llm"), "error: --backend/--system: TensorRT-LLM does not run on"),
])
def test_cli_unsupported_combination_exits_2_with_one_line(sqlite_url: str, tmp_path: Path,
                                                          args: tuple[str, ...], start: str) -> None:
    assert _cli(sqlite_url, "catalog", "list", "quants").returncode == 0  # the database exists
    db = tmp_path / "advisor.db"
    before = _digest(db)
    p = _cli(sqlite_url, "estimate", *args)
    assert p.returncode == 2, p.stdout + p.stderr
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(start), p.stderr
    assert p.stdout == ""
    assert _digest(db) == before


def test_cli_default_backend_runs_an_fp8_release_on_vllm(sqlite_url: str) -> None:
    p = _cli(sqlite_url, "estimate", "--hardware", "H100 SXM", "--count", "8", "--model", "DeepSeek-V3", "--quant",
             "native")
    assert p.returncode == 0, p.stderr
    assert "(vllm, batch 1)" in p.stdout.splitlines()[0]


def test_recommend_keeps_unsupported_candidates_as_skipped_with_the_reason(seed: Catalog) -> None:
    """MLX weights asked for by name: the Mac runs them on MLX, the RTX 4090 box is skipped (not 'does not fit')."""
    base = scenario_from_json(seed.scenario("24/7 batch summarisation").model_dump(mode="json"))
    work = dataclasses.replace(base.workload, quant="MLX-4bit")
    scenario = dataclasses.replace(base, workload=work, candidates=("1x-rtx4090", "mac-studio-m4-max-128gb"))
    rec = recommend(scenario, seed, today=TODAY)
    by_system = {c.system_id: c for c in rec.candidates}
    skipped, mac = by_system["1x-rtx4090"], by_system["mac-studio-m4-max-128gb"]
    assert skipped.skipped.startswith("MLX does not run on NVIDIA GeForce RTX 4090")
    assert not skipped.fits and skipped.reasons[0].startswith("skipped: ")
    assert skipped.estimate.reason.startswith("not supported: ")
    assert mac.skipped == "" and mac.setup.backend == "mlx" and mac.fits
    assert rec.recommended is None or rec.recommended.system_id != "1x-rtx4090"


def test_skipped_candidates_read_as_skipped_in_the_table_and_the_pdf(seed: Catalog) -> None:
    from advisor.report.details import REASONS, _reason

    base = scenario_from_json(seed.scenario("24/7 batch summarisation").model_dump(mode="json"))
    scenario = dataclasses.replace(base, workload=dataclasses.replace(base.workload, quant="EXL2-4.0"),
                                   candidates=("1x-rtx4090", "mac-studio-m4-max-128gb"))
    rec = recommend(scenario, seed, today=TODAY)
    by_system = {c.system_id: c for c in rec.candidates}
    mac = by_system["mac-studio-m4-max-128gb"]  # EXL2 runs only on ExLlamaV2, which is not on Apple
    assert mac.skipped.startswith("ExLlamaV2 does not run on Apple M4 Max")
    group, figure = _reason(mac, scenario)
    assert group == REASONS[5] and figure.startswith("exllamav2: ExLlamaV2 does not run on")
    assert by_system["1x-rtx4090"].skipped == ""
    pytest.importorskip("PySide6")
    from ui.models.candidates_model import status

    assert status(mac) == f"skipped: {mac.skipped}"


def test_recommend_json_says_which_candidates_were_skipped(sqlite_url: str, tmp_path: Path) -> None:
    shown = _cli(sqlite_url, "scenario", "show", "24/7 batch summarisation", "--json")
    assert shown.returncode == 0, shown.stderr
    data = json.loads(shown.stdout)
    data["name"] = "MLX by name"
    data["workload"]["quant"] = "MLX-4bit"
    data["candidates"] = ["1x-rtx4090", "mac-studio-m4-max-128gb"]
    path = tmp_path / "mlx.json"
    path.write_text(json.dumps(data))
    p = _cli(sqlite_url, "recommend", "--scenario", str(path), "--json")
    assert p.returncode == 0, p.stderr
    by_system = {c["system_id"]: c for c in json.loads(p.stdout)["candidates"]}
    assert by_system["1x-rtx4090"]["skipped"].startswith("MLX does not run on NVIDIA GeForce RTX 4090")
    assert by_system["1x-rtx4090"]["fits"] is False and by_system["1x-rtx4090"]["tg_tok_s"] is None
    assert by_system["mac-studio-m4-max-128gb"]["skipped"] == ""


def test_every_measured_combination_is_supported(seed: Catalog) -> None:
    """The matrix must not refuse what someone measured: every row of the calibration files passes."""
    from advisor.engine.cases import read_cases

    paths = [Path("/work/shared/calibration/calibration.csv"), ROOT / "resources/calibration/extra_measurements.csv"]
    rows = [r for p in paths if p.exists() for r in read_cases(str(p), seed)[0]]
    if not rows:
        pytest.skip("no calibration files here")
    refused = [(r.setup.backend, r.setup.device.name, r.setup.quant.name) for r in rows
               if support_problem(r.setup.backend, r.setup.device, r.setup.quant, r.setup.model, r.setup.parallel)]
    assert refused == []
