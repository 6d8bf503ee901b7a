"""How long one scenario evaluation takes (the app recomputes live on every edit; target <= 10 ms).

Prints, for each bundled example scenario: candidates evaluated, the first (cold) evaluation, which fills
the estimate cache, and the median of live re-evaluations after a finance edit (warm cache), in ms.
Run: python benchmarks/bench_recommend.py
"""

from __future__ import annotations

import dataclasses
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from advisor.catalog.snapshot import Catalog  # noqa: E402
from advisor.engine import recommend as recommend_module  # noqa: E402
from advisor.engine.recommend import recommend  # noqa: E402
from advisor.engine.scenario import scenario_from_json  # noqa: E402

REPEATS = 30


def main() -> None:
    catalog = Catalog.load()
    print(f"{'scenario':<58} {'cands':>5} {'cold ms':>8} {'warm ms':>8} {'p90 ms':>7}  verdict")
    for record in catalog.scenarios:
        scenario = scenario_from_json(record.model_dump(mode="json"))
        recommend_module._ESTIMATES.clear()
        start = time.perf_counter()
        rec = recommend(scenario, catalog)
        cold_ms = (time.perf_counter() - start) * 1000
        warm: list[float] = []
        for i in range(REPEATS):  # a slider drag: the tariff changes on every evaluation
            edited = dataclasses.replace(scenario, finance=dataclasses.replace(
                scenario.finance, tariff_usd_per_kwh=scenario.finance.tariff_usd_per_kwh * (1 + i / 100)))
            start = time.perf_counter()
            recommend(edited, catalog)
            warm.append((time.perf_counter() - start) * 1000)
        warm.sort()
        p90 = warm[int(0.9 * (len(warm) - 1))]
        print(f"{record.name[:58]:<58} {len(rec.candidates):>5} {cold_ms:>8.1f} {statistics.median(warm):>8.2f} "
              f"{p90:>7.2f}  {rec.verdict}")


if __name__ == "__main__":
    main()
