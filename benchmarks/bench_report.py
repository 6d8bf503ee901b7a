"""Time a full PDF report, body + appendix (target <= 0.3 s median on the 2-core reference machine, issue 15).
Prints figures; asserts nothing.

Usage: python benchmarks/bench_report.py [--scenario NAME] [--repeat N]
Without --scenario it uses the hand-built sample recommendation from tests/report/sample.py (no engine, no
database): that times the report alone. With --scenario it also times loading the scenario and `recommend`.
The first run also loads the fallback fonts the text needs (a CJK font file is several MB); later runs reuse them.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", help="an example scenario name or scenario file (runs the engine too)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    started = time.perf_counter()
    from pypdf import PdfReader

    from advisor.report import build_report
    from advisor.report.fonts import register_fonts

    register_fonts()
    print(f"import + font registration: {time.perf_counter() - started:.3f} s")

    if args.scenario:
        from advisor.cli.report_cmd import load_inputs

        t0 = time.perf_counter()
        scenario, recommendation, sources = load_inputs(args.scenario)
        print(
            f"scenario + recommend + sources: {time.perf_counter() - t0:.3f} s "
            f"({len(recommendation.candidates)} candidates)"
        )
    else:
        from tests.report.sample import UNICODE_NAME, SampleScenario, sample_recommendation

        scenario = SampleScenario(UNICODE_NAME, "benchmark")
        recommendation = sample_recommendation(UNICODE_NAME)
        sources = []

    times = []
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "bench.pdf"
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            build_report(recommendation, scenario, out, sources=sources)
            times.append(time.perf_counter() - t0)
        pages = len(PdfReader(str(out)).pages)
        size_kb = out.stat().st_size / 1e3
    print(
        f"full report: first {times[0]:.3f} s, median {statistics.median(times):.3f} s, "
        f"max {max(times):.3f} s over {args.repeat} runs; {pages} pages, {size_kb:.0f} kB (target: median <= 0.3 s)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
