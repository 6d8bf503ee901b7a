"""Fidelity of the performance engine on the calibration data: leave-one-SOURCE-out (LOSO) as the headline.

LOSO: for each benchmark source (publisher, thread or file: `calibration.source_of`), refit the constants on
every OTHER source's rows and predict this source's rows. It is the hardest honest test we have: a source
brings its own build, harness and habits, and the model must carry over to setups it has never seen. Also
printed: in-sample, leave-one-device-out (LODO) and leave-one-device-FAMILY-out, per category (serving at
load, MoE, multi-GPU, AMD, Apple, long depth, offload ...) for decode and prefill.

Usage: python benchmarks/fidelity.py [CASES.csv ...] [--write-readme]
Default data: the shared calibration.csv plus resources/calibration/extra_measurements.csv.
--write-readme replaces the block between the fidelity markers of README.md with the tables of this run.

Also scored: resources/calibration/heldout_measurements.csv, public rows gathered after the fit and never used in
it, predicted with the shipped constants (a fresh-data check of the calibration as shipped), and how firm each
LOSO median is when the sources themselves are resampled (`calibration.resampled_mdape`).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from advisor.app.store import open_catalog  # noqa: E402
from advisor.engine.calibration import (  # noqa: E402
    CATEGORIES,
    Problem,
    Score,
    device_family,
    fit_constants,
    format_scores,
    leave_group_out,
    resampled_mdape,
    scores,
    source_of,
)
from advisor.engine.cases import read_cases  # noqa: E402
from advisor.engine.constants import load_calibration  # noqa: E402

DEFAULT = ("/work/shared/calibration/calibration.csv", str(ROOT / "resources/calibration/extra_measurements.csv"))
HELDOUT = ROOT / "resources/calibration/heldout_measurements.csv"
MARK_START, MARK_END = "<!-- fidelity:start -->", "<!-- fidelity:end -->"
TARGETS = "LOSO decode MdAPE <= 10 %, prefill <= 20 %, every category <= 20 %"


def main(argv: list[str]) -> int:
    write = "--write-readme" in argv
    paths = [a for a in argv if not a.startswith("--")] or list(DEFAULT)
    catalog = open_catalog()
    rows = []
    for path in paths:
        got, errors = read_cases(path, catalog)
        rows += [r for r in got if r.measured_tg_tok_s or r.measured_pp_tok_s]
        print(f"{path}: {len(got)} rows, {len(errors)} bad rows")
    prob = Problem(rows)
    print(f"{len(rows)} measured rows, {len({r.setup.device.name for r in rows})} devices, "
          f"{len({source_of(r) for r in rows})} sources")
    shipped = load_calibration().constants
    tg, pp = prob.ratios(shipped)
    inside = scores(prob, tg, pp)
    print(format_scores(inside, "\nShipped constants (resources/calibration.json), in-sample:"))
    t0 = time.perf_counter()
    full = fit_constants(rows, start=shipped, problem=prob)
    print(f"\nrefit on all rows: {time.perf_counter() - t0:.1f} s")
    holdouts: dict[str, dict[str, dict[str, Score]]] = {}
    ratios = {}
    for title, key in (("leave-one-source-out", source_of),
                       ("leave-one-device-out", lambda r: r.setup.device.name),
                       ("leave-one-device-family-out", lambda r: device_family(r.setup.device.name))):
        groups = len({key(r) for r in rows})
        t0 = time.perf_counter()
        tg_g, pp_g = leave_group_out(rows, full, key)
        holdouts[f"{title} ({groups} groups)"] = scores(prob, tg_g, pp_g)
        ratios[title] = (tg_g, pp_g)
        print(format_scores(holdouts[f"{title} ({groups} groups)"],
                            f"\n{title} ({groups} groups, {time.perf_counter() - t0:.0f} s):"))
    _per_group(rows, source_of, *ratios["leave-one-source-out"], "held-out source")
    print(f"\nevery row answered: {int(np.isfinite(tg).sum() + np.isfinite(pp).sum())} predictions for "
          f"{int(prob.tg_mask.sum() + prob.pp_mask.sum())} measurements")
    loso = next(v for k, v in holdouts.items() if k.startswith("leave-one-source-out"))
    table = readme_tables(len(rows), paths, inside, loso, holdouts)
    table += "\n\n" + firmness_table(prob, *ratios["leave-one-source-out"], [source_of(r) for r in rows])
    if HELDOUT.is_file():
        table += "\n\n" + fresh_table(catalog, shipped)
    print("\n" + table)
    if write:
        readme = ROOT / "README.md"
        text = readme.read_text(encoding="utf-8")
        start, end = text.index(MARK_START) + len(MARK_START), text.index(MARK_END)
        readme.write_text(text[:start] + "\n" + table + "\n" + text[end:], encoding="utf-8")
        print(f"wrote the tables into {readme}")
    return 0


def fresh_table(catalog: object, shipped: dict[str, float]) -> str:
    """Markdown table: the shipped constants on rows they were never fitted on, per source and in all."""
    got, errors = read_cases(str(HELDOUT), catalog)  # type: ignore[arg-type]
    rows = [r for r in got if r.measured_tg_tok_s or r.measured_pp_tok_s]
    prob = Problem(rows)
    tg, pp = prob.ratios(shipped)
    labels = np.array([source_of(r) for r in rows])
    lines = [f"Fresh rows never used in the fit ({HELDOUT.name}, {len(rows)} rows, {len(errors)} unreadable), "
             "predicted with the shipped constants:", "",
             "| source | decode n | MdAPE | median pred/meas | prefill n | MdAPE | median pred/meas |",
             "|---|---|---|---|---|---|---|"]
    for g in [*sorted(set(labels.tolist())), "all"]:
        sel = np.ones(len(rows), bool) if g == "all" else labels == g
        t, p = tg[sel & prob.tg_mask], pp[sel & prob.pp_mask]

        def cells(x: np.ndarray) -> str:
            return f"{x.size} | {_pct(float(np.median(np.abs(x - 1))))} | {np.median(x):.2f}" if x.size else "0 | - | -"

        lines.append(f"| {'**all**' if g == 'all' else g} | {cells(t)} | {cells(p)} |")
    return "\n".join(lines)


def firmness_table(prob: Problem, tg: np.ndarray, pp: np.ndarray, sources: list[str],
                   draws: int = 2000) -> str:
    """Markdown table: how firm each LOSO median is when the sources themselves are resampled (another sample
    of public sources could have been gathered): the 10th-90th percentile of the category's MdAPE over
    ``draws`` draws and the share of draws over its target (decode 10 % and prefill 20 % for all rows, 20 % per
    category)."""
    lines = [f"How firm the LOSO figures are: the sources resampled with replacement ({draws:,} draws; a source "
             "drawn twice counts twice). Range = 10th-90th percentile of the category's MdAPE; over = share of "
             "draws above the target.", "",
             "| category | decode LOSO | range | over | prefill LOSO | range | over |", "|---|---|---|---|---|---|---|"]
    groups = np.array(sources, dtype=object)
    for cat in ("all", *CATEGORIES):
        sel = np.array([cat == "all" or cat in c for c in prob.cats], dtype=bool)
        cells = []
        for ratio, mask, target in ((tg, prob.tg_mask, 0.10 if cat == "all" else 0.20), (pp, prob.pp_mask, 0.20)):
            m = sel & mask & np.isfinite(ratio)
            if not m.any():
                cells.append("- | - | -")
                continue
            med = resampled_mdape(ratio[m], groups[m].tolist(), draws=draws)
            lo, hi = np.percentile(med, [10, 90])
            cells.append(f"{_pct(float(np.median(np.abs(ratio[m] - 1))))} | {100 * lo:.1f}-{100 * hi:.1f} % | "
                         f"{100 * float(np.mean(med > target)):.0f} %")
        lines.append(f"| {cat} | {cells[0]} | {cells[1]} |")
    return "\n".join(lines)


def _pct(x: float) -> str:
    return "-" if not np.isfinite(x) else f"{100 * x:.1f} %"


def readme_tables(n_rows: int, paths: list[str], inside: dict, loso: dict, holdouts: dict) -> str:
    """The two Markdown tables of README "How good are the numbers?" (LOSO headline per category)."""
    names = " + ".join(Path(p).name for p in paths)
    lines = [f"Leave-one-source-out (each source predicted by constants fitted without it), {n_rows} rows of "
             f"{names}; targets: {TARGETS}. In-sample figures for comparison.", "",
             "| category | decode n | LOSO MdAPE | LOSO p90 | in-sample MdAPE | prefill n | LOSO MdAPE | LOSO p90 "
             "| in-sample MdAPE |", "|---|---|---|---|---|---|---|---|---|"]
    for cat in ("all", *CATEGORIES):
        t, p, ti, pi = loso[cat]["tg"], loso[cat]["pp"], inside[cat]["tg"], inside[cat]["pp"]
        bold = (lambda s: f"**{s}**") if cat == "all" else (lambda s: s)
        lines.append(f"| {cat} | {t.n} | {bold(_pct(t.mdape))} | {_pct(t.p90)} | {_pct(ti.mdape)} | {p.n} | "
                     f"{bold(_pct(p.mdape))} | {_pct(p.p90)} | {_pct(pi.mdape)} |")
    lines += ["", "| hold-out | decode MdAPE | decode p90 | prefill MdAPE | prefill p90 |", "|---|---|---|---|---|",
              f"| in-sample | {_pct(inside['all']['tg'].mdape)} | {_pct(inside['all']['tg'].p90)} | "
              f"{_pct(inside['all']['pp'].mdape)} | {_pct(inside['all']['pp'].p90)} |"]
    for title, sc in holdouts.items():
        lines.append(f"| {title} | {_pct(sc['all']['tg'].mdape)} | {_pct(sc['all']['tg'].p90)} | "
                     f"{_pct(sc['all']['pp'].mdape)} | {_pct(sc['all']['pp'].p90)} |")
    return "\n".join(lines)


def _per_group(rows: list, key: object, tg: np.ndarray, pp: np.ndarray, label: str) -> None:
    """MdAPE and median predicted/measured of each held-out group (decode / prefill)."""
    labels = np.array([key(r) for r in rows])  # type: ignore[operator]
    print(f"\n{label:<64}{'decode n':>9}{'MdAPE':>8}{'ratio':>7}{'prefill n':>11}{'MdAPE':>8}{'ratio':>7}")
    for g in sorted(set(labels)):
        t, p = tg[labels == g], pp[labels == g]
        t, p = t[np.isfinite(t)], p[np.isfinite(p)]

        def fmt(x: np.ndarray) -> tuple[str, str]:
            return (f"{100 * np.median(np.abs(x - 1)):.1f}%", f"{np.median(x):.2f}") if x.size else ("-", "-")

        (tm, tr), (pm, pr) = fmt(t), fmt(p)
        print(f"{g[:63]:<64}{t.size:>9}{tm:>8}{tr:>7}{p.size:>11}{pm:>8}{pr:>7}")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
