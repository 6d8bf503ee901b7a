"""Fidelity of the performance engine on the calibration file: in-sample and leave-one-device-out (LODO).

LODO: for each hardware name, refit the constants on every OTHER device's rows and predict this device's rows;
the scores over all rows then say how the model does on hardware it has never seen. Prints per category
n, MdAPE and p90 for decode and prefill; then leave-one-device-FAMILY-out (all Apple M3, all Ampere
datacenter, all AMD ...) and leave-one-SOURCE-out (each benchmark publisher in turn). Usage: python benchmarks/fidelity.py [CASES.csv]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from advisor.app.store import open_catalog  # noqa: E402
from advisor.engine.calibration import (  # noqa: E402
    Problem,
    device_family,
    fit_constants,
    format_scores,
    leave_group_out,
    leave_one_device_out,
    scores,
    source_of,
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
    for title, key in (("Leave-one-device-FAMILY-out", lambda r: device_family(r.setup.device.name)),
                       ("Leave-one-SOURCE-out", source_of)):
        groups = sorted({key(r) for r in rows})
        t0 = time.perf_counter()
        tg_g, pp_g = leave_group_out(rows, full, key)
        print(format_scores(scores(prob, tg_g, pp_g), f"\n{title} ({len(groups)} groups, "
                                                       f"{time.perf_counter() - t0:.0f} s):"))
        if "FAMILY" in title:
            _per_group(rows, key, tg_g, pp_g)
    answered = sum(1 for r in rows)
    print(f"\nevery row answered: {answered} of {len(rows)}")
    return 0


def _per_group(rows: list, key: object, tg: object, pp: object) -> None:
    """MdAPE of each held-out family (decode / prefill)."""
    import numpy as np

    labels = np.array([key(r) for r in rows])  # type: ignore[operator]
    print(f"{'family':<38}{'decode n':>9}{'MdAPE':>8}{'median ratio':>14}{'prefill n':>11}{'MdAPE':>8}")
    for g in sorted(set(labels)):
        sel = labels == g
        t, p = tg[sel], pp[sel]  # type: ignore[index]
        t, p = t[np.isfinite(t)], p[np.isfinite(p)]

        def fmt(x: np.ndarray) -> str:
            return f"{100 * np.median(np.abs(x - 1)):.1f}%" if x.size else "-"

        print(f"{g:<38}{t.size:>9}{fmt(t):>8}{(np.median(t) if t.size else float('nan')):>14.2f}"
              f"{p.size:>11}{fmt(p):>8}")


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:]))
