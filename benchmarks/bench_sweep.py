"""How long Tools > Sweep takes over the whole shipped catalog: every catalog system and every rig built from
its parts (advisor.app.sweep), x every quant, for each bundled scenario.

Prints systems swept, configurations evaluated, the first run (cold estimate cache) and the median of 3 warm
runs, in seconds. Run: python benchmarks/bench_sweep.py
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from advisor.app.state import snapshot_from_record  # noqa: E402
from advisor.app.sweep import run_sweep, sweep_catalog  # noqa: E402
from advisor.catalog.snapshot import Catalog  # noqa: E402

REPEATS = 3


def main() -> None:
    catalog = Catalog.load()
    systems = len(sweep_catalog(catalog)[1])
    print(f"{'scenario':<58} {'systems':>7} {'configs':>7} {'cold s':>7} {'warm s':>7} {'front':>5}")
    for record in catalog.scenarios:
        snap = snapshot_from_record(record)
        start = time.perf_counter()
        result = run_sweep(catalog, snap)
        cold = time.perf_counter() - start
        warm = []
        for _ in range(REPEATS):
            start = time.perf_counter()
            run_sweep(catalog, snap)
            warm.append(time.perf_counter() - start)
        print(f"{record.name[:58]:<58} {systems:>7} {result.evaluated:>7} {cold:>7.2f} "
              f"{statistics.median(warm):>7.2f} {len(result.front):>5}")


if __name__ == "__main__":
    main()
