"""Fidelity of the performance engine on the calibration file: in-sample and leave-one-device-out (LODO).

LODO: for each hardware name, refit the constants on every OTHER device's rows and predict this device's rows;
the scores over all rows then say how the model does on hardware it has never seen. Prints per category
n, MdAPE and p90 for decode and prefill. Usage: python benchmarks/fidelity.py [CASES.csv]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from advisor.cli.estimate_cmd import open_catalog  # noqa: E402
from advisor.engine.calibration import (  # noqa: E402
    Problem,
    fit_constants,
    format_scores,
    leave_one_device_out,
    scores,
)
from advisor.engine.cases import read_cases  # noqa: E402
from advisor.engine.constants import load_calibration  # noqa: E402

DEFAULT = "/work/shared/calibration/calibration.csv"


def main(path: str = DEFAULT) -> int:
    rows, errors = read_cases(path, open_catalog())
    rows = [r for r in rows if r.measured_tg_tok_s or r.measured_pp_tok_s]
    print(f"{len(rows)} measured rows, {len(errors)} bad rows, "
          f"{len({r.setup.device.name for r in rows})} devices")
    prob = Problem(rows)
    shipped = load_calibration().constants
    tg, pp = prob.ratios(shipped)
    print(format_scores(scores(prob, tg, pp), "\nShipped constants (resources/calibration.json), in-sample:"))
    t0 = time.perf_counter()
    full = fit_constants(rows, start=shipped, problem=prob)
    print(f"\nrefit on all rows: {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    tg_l, pp_l = leave_one_device_out(rows, full)
    print(format_scores(scores(prob, tg_l, pp_l), f"\nLeave-one-device-out ({time.perf_counter() - t0:.0f} s):"))
    answered = sum(1 for r in rows)
    print(f"\nevery row answered: {answered} of {len(rows)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:]))
