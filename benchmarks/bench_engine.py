"""Engine speed: one estimate [ms], a 10^6-configuration sweep [s], `estimate --cases` on 100,000 rows [s].

Targets (issue 3): one estimate <= 10 ms, 10^6 sweep <= 1.5 s, 100,000 case rows <= 5 s end to end (the
last one runs the real CLI in a subprocess, database catalog included). Usage: python benchmarks/bench_engine.py
"""

from __future__ import annotations

import csv
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from advisor.app.store import open_catalog  # noqa: E402
from advisor.engine import estimate, sweep  # noqa: E402
from advisor.engine.types import Setup  # noqa: E402

HARDWARE = ["RTX 4090", "RTX 3090", "RTX 5090", "H100 SXM", "H200", "DGX Spark", "M2 Ultra (76-core GPU)",
            "M3 Ultra (80-core GPU)", "MI300X", "RTX PRO 6000", "A100 PCIe", "Ryzen AI Max+ 395"]
MODELS = ["Llama-3-8B", "Llama-3-70B", "Qwen3-30B-A3B", "gpt-oss-120b", "DeepSeek-V3", "DeepSeek-V4-Flash",
          "Qwen3-235B-A22B", "Gemma-3-27B", "Llama-3.1-405B", "DeepSeek-V4-Pro"]
QUANTS = ["Q4_K_M", "Q8_0", "F16", "FP8", "Q2_K", "IQ4_XS", "Q6_K", "MXFP4", "NVFP4", "AWQ-INT4"]


def best_of(fn, repeat: int = 3) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> int:
    cat = open_catalog()
    setup = Setup(cat.device("RTX 4090"), cat.model("Llama-3-70B"), cat.quant("Q4_K_M"), count=2, parallel="layer")
    estimate(setup)
    t = best_of(lambda: [estimate(setup) for _ in range(100)]) / 100
    print(f"one estimate: {t * 1e3:.2f} ms (target <= 10 ms)")

    devices = [cat.device(n) for n in HARDWARE]
    mq = [(cat.model(m), cat.quant(q)) for m in MODELS for q in QUANTS]
    counts = [1, 2, 3, 4, 6, 8]
    contexts = [1024, 2048, 4096, 8192, 16384, 32768, 65536, 131072, 262144, 1048576]
    batches = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128]
    n = len(devices) * len(counts) * len(mq) * len(contexts) * len(batches)
    t = best_of(lambda: sweep(devices, counts, mq, contexts, batches), repeat=5)
    print(f"sweep of {n:,} configurations: {t:.2f} s (target <= 1.5 s for 10^6; {n / t / 1e6:.2f} M/s)")

    rng = random.Random(42)
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "cases.csv", Path(tmp) / "out.csv"
        with src.open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["case_id", "hardware", "hw_count", "model", "quant", "backend", "parallel", "batch",
                        "prompt_tokens", "gen_tokens", "context_depth", "offload", "tg_is_aggregate"])
            for i in range(100_000):
                b = rng.choice([1, 1, 1, 4, 16, ""])
                w.writerow([f"c{i}", rng.choice(HARDWARE), rng.choice([1, 2, 4, 8]), rng.choice(MODELS),
                            rng.choice(QUANTS[:4]), rng.choice(["llama.cpp", "vllm"]), "layer", b,
                            rng.choice([128, 512, 2048]), rng.choice([128, 512]), rng.choice([0, 4096]), "none",
                            0 if b == 1 else 1])
        keep = os.environ.get("BENCH_KEEP_CASES")
        if keep:
            Path(keep).write_bytes(src.read_bytes())
        t0 = time.perf_counter()
        p = subprocess.run([sys.executable, str(ROOT / "main.py"), "estimate", "--cases", str(src), "--out",
                            str(out)], capture_output=True, text=True, env=os.environ.copy())
        t = time.perf_counter() - t0
        lines = sum(1 for _ in out.open(encoding="utf-8")) - 1 if out.exists() else 0
        print(f"estimate --cases, 100,000 rows end to end: {t:.2f} s (target <= 5 s); exit {p.returncode},"
              f" {lines:,} rows written")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
