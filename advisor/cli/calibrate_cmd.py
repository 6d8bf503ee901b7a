"""`calibrate CASES.csv [MORE.csv ...]`: fit the engine's efficiency constants on measured benchmarks.

The file has the `estimate --cases` columns plus measured `pp_tok_s` and/or `tg_tok_s`. Writes
resources/calibration.json (constants, the data set's sha256, per-category MdAPE/p90, residual bands) unless
--out names another file, and prints n / MdAPE / p90 for decode and prefill per category. Bad rows are
reported on stderr with their row number and skipped. Several files are fitted together (the shipped
calibration uses the shared calibration.csv plus resources/calibration/extra_measurements.csv).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

from advisor.errors import InputError


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("calibrate", help="fit the efficiency constants on measured benchmarks",
                              description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("cases", metavar="CASES.csv", nargs="+")
    p.add_argument("--out", metavar="FILE.json", help="where to write (default: resources/calibration.json)")
    p.add_argument("--quick", action="store_true",
                   help="skip the leave-one-device-out pass (bands then come from in-sample residuals)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    # scipy is imported here, not at start-up: every CLI call would pay ~0.25 s for it otherwise.
    from advisor.app.store import open_catalog
    from advisor.engine.calibration import (
        Problem,
        Score,
        calibrate,
        format_scores,
        scores,
        sha256_file,
        write_calibration,
    )
    from advisor.engine.cases import read_cases
    from advisor.engine.constants import calibration_from_dict, calibration_path

    catalog = open_catalog()
    rows = []
    for path in args.cases:
        got, errors = read_cases(path, catalog)
        rows += got
        for err in errors:
            print(f"error: {path}: {err}", file=sys.stderr)
    measured = [r for r in rows if r.measured_tg_tok_s or r.measured_pp_tok_s]
    if len(measured) < 5:
        raise InputError(f"needs at least 5 rows with measured pp_tok_s or tg_tok_s, found {len(measured)}",
                         "cases")
    sha = sha256_file(args.cases[0]) if len(args.cases) == 1 else \
        hashlib.sha256(b"".join(Path(p).read_bytes() for p in args.cases)).hexdigest()
    doc = calibrate(measured, dataset_sha256=sha, dataset_name=" + ".join(Path(p).name for p in args.cases),
                    lodo=not args.quick)
    out = Path(args.out) if args.out else calibration_path()
    write_calibration(doc, out)
    prob = Problem(measured)
    tg_r, pp_r = prob.ratios(calibration_from_dict(doc).constants)
    print(format_scores(scores(prob, tg_r, pp_r), f"Fit on {len(measured)} rows of {' + '.join(args.cases)} (in-sample):"))
    if "fidelity_lodo" in doc:
        lodo = {cat: {k: Score(**v) for k, v in d.items()} for cat, d in doc["fidelity_lodo"].items()}
        print(format_scores(lodo, "Leave-one-device-out (each device predicted by constants fitted without it):"))
    print("constants:")
    for name in doc["free_constants"]:
        print(f"  {name:<32}{doc['constants'][name]:.6g}")
    print(f"wrote {out}")
    return 0
