"""The throughput model's calibration error, as printed in the Sources section.

resources/calibration.json is written by the calibration step (`python main.py calibrate`). The report does not
depend on its exact layout: it lists every numeric figure whose key names an error measure (MdAPE, MAPE, median
error), by its path, plus the data set hash when present. A missing or unreadable file gives an empty result and
the report says so instead of failing.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from advisor.paths import resources_dir

_ERROR_KEYS = ("mdape", "mape", "median_ape", "median_abs_pct", "error_pct")
_HASH_KEYS = ("sha256", "hash", "dataset_sha")


MEASURES = {"tg": "decode", "pp": "prefill"}


@dataclass(frozen=True)
class FidelityRow:
    """One category of the calibration file's fidelity table: median and p90 absolute % error over n cases."""

    category: str
    measure: str  # decode | prefill
    cases: int
    mdape_pct: float
    p90_pct: float | None


@dataclass(frozen=True)
class CalibrationSummary:
    """Error figures [%] by label (e.g. 'tg / llama.cpp'), the data set hash, and the file it came from.

    fidelity holds the structured table of a 'rig-advisor-calibration/1' file; errors_pct the generic scan
    of any other layout.
    """

    errors_pct: tuple[tuple[str, float], ...]
    dataset_hash: str = ""
    origin: str = ""
    fidelity: tuple[FidelityRow, ...] = ()
    fitted_at: str = ""
    cases: int = 0


def _finite(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value)


def _fidelity(calibration: Mapping[str, Any]) -> tuple[FidelityRow, ...]:
    """Rows of `fidelity: {category: {tg|pp: {n, mdape, p90}}}` (fractions); empty or NaN cells are left out."""
    table = calibration.get("fidelity")
    rows: list[FidelityRow] = []
    if not isinstance(table, Mapping):
        return ()
    for category, by_measure in table.items():
        if not isinstance(by_measure, Mapping):
            continue
        for key, figures in by_measure.items():
            if not isinstance(figures, Mapping):
                continue
            mdape, p90, cases = _finite(figures.get("mdape")), _finite(figures.get("p90")), figures.get("n")
            if mdape is None or not isinstance(cases, int) or cases <= 0:
                continue
            rows.append(
                FidelityRow(
                    str(category),
                    MEASURES.get(str(key), str(key)),
                    cases,
                    mdape * 100.0,
                    None if p90 is None else p90 * 100.0,
                )
            )
    return tuple(rows)


def load_calibration(path: Path | None = None) -> Mapping[str, Any] | None:
    """Read resources/calibration.json (or `path`); None when absent or not valid JSON."""
    path = path or resources_dir() / "calibration.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, Mapping) else None


def summarize(calibration: Mapping[str, Any] | None, origin: str = "") -> CalibrationSummary:
    """Collect the error figures from a calibration mapping of any nesting.

    Values at or below 1.5 under a key without 'pct'/'percent' are read as fractions (0.18 -> 18 %).

    >>> summarize({"tg": {"mdape": 0.18}, "pp": {"mdape_pct": 24.0}, "data_sha256": "ab12"}).errors_pct
    (('tg', 18.0), ('pp', 24.0))
    """
    if not calibration:
        return CalibrationSummary(errors_pct=(), origin=origin)
    errors: list[tuple[str, float]] = []
    digest = ""

    def walk(node: Any, path: tuple[str, ...]) -> None:
        nonlocal digest
        if isinstance(node, Mapping):
            for key, value in node.items():
                walk(value, (*path, str(key)))
            return
        if not path:
            return
        key = path[-1].lower()
        if isinstance(node, str) and not digest and any(h in key for h in _HASH_KEYS):
            digest = node
            return
        if isinstance(node, bool) or not isinstance(node, int | float):
            return
        error_in_key = any(e in key for e in _ERROR_KEYS)
        error_in_parent = any(any(e in p.lower() for e in _ERROR_KEYS) for p in path[:-1])
        if not (error_in_key or error_in_parent):
            return
        in_percent = any(("pct" in p.lower() or "percent" in p.lower()) for p in path)
        value = float(node) if in_percent or node > 1.5 else float(node) * 100.0
        label_parts = [p for p in path if not any(e in p.lower() for e in _ERROR_KEYS)]
        errors.append((" / ".join(label_parts) or path[-1], value))

    fidelity = _fidelity(calibration)
    if not fidelity:
        walk(calibration, ())
    else:
        digest = str(calibration.get("dataset_sha256", ""))
    rows = calibration.get("n_rows")
    return CalibrationSummary(
        errors_pct=tuple(e for e in errors if math.isfinite(e[1])),
        dataset_hash=digest,
        origin=origin,
        fidelity=fidelity,
        fitted_at=str(calibration.get("fitted_at", "")),
        cases=rows if isinstance(rows, int) else 0,
    )
