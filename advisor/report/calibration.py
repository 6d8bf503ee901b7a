"""The throughput model's calibration error, as printed in the Sources section.

resources/calibration.json is written by the calibration step (`python main.py calibrate`). The report does not
depend on its exact layout: it lists every numeric figure whose key names an error measure (MdAPE, MAPE, median
error), by its path, plus the data set hash when present. A missing or unreadable file gives an empty result and
the report says so instead of failing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from advisor.paths import resources_dir

_ERROR_KEYS = ("mdape", "mape", "median_ape", "median_abs_pct", "error_pct")
_HASH_KEYS = ("sha256", "hash", "dataset_sha")


@dataclass(frozen=True)
class CalibrationSummary:
    """Error figures [%] by label (e.g. 'tg / llama.cpp'), the data set hash, and the file it came from."""

    errors_pct: tuple[tuple[str, float], ...]
    dataset_hash: str = ""
    origin: str = ""


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

    walk(calibration, ())
    return CalibrationSummary(errors_pct=tuple(errors), dataset_hash=digest, origin=origin)
