"""Source rows for the report: the catalog records a recommendation relied on, each with source and as_of.

Reads a catalog object (advisor.catalog.Catalog or anything with the same lookups: system, host,
model_record, hardware_record, quant_record, api_offer); a lookup that fails is skipped, because the Sources
section must never stop a report.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from advisor.engine.types import Recommendation
from advisor.report.inputs import ScenarioLike, SourceRow


def _lookup(catalog: Any, method: str, key: str) -> Any | None:
    """The catalog record (with source and as_of) for `key`: `<method>_record` when the catalog has it
    (advisor.catalog.Catalog's `model`/`device` return engine dataclasses without sources), else `<method>`."""
    if not key:
        return None
    for name in (f"{method}_record", method):
        finder: Callable[[str], Any] | None = getattr(catalog, name, None)
        if finder is None:
            continue
        try:
            found = finder(key)
        except Exception:  # unknown names are reported elsewhere (engine notes); here we list what resolves
            return None
        if hasattr(found, "source"):
            return found
    return None


def _figures(pairs: Iterable[tuple[str, Any, str]]) -> str:
    parts = []
    for label, value, unit in pairs:
        if value is None or value == "" or value == 0:
            continue
        number = f"{value:g}" if isinstance(value, float) else str(value)
        parts.append(f"{label} {number}{unit}".strip())
    return ", ".join(parts)


def _row(kind: str, record: Any, detail: str) -> SourceRow:
    return SourceRow(
        kind=kind,
        name=str(getattr(record, "name", "")),
        detail=detail,
        source=str(getattr(record, "source", "")),
        as_of=str(getattr(record, "as_of", "")),
    )


def catalog_sources(scenario: ScenarioLike, recommendation: Recommendation, catalog: Any) -> list[SourceRow]:
    """Rows for the model, the API offer, every candidate system with its accelerator and host, and the quants
    the candidates use. Each record appears once, in that order."""
    rows: list[SourceRow] = []
    seen: set[tuple[str, str]] = set()

    def add(kind: str, record: Any, detail: str) -> None:
        key = (kind, str(getattr(record, "id", getattr(record, "name", ""))))
        if record is not None and key not in seen:
            seen.add(key)
            rows.append(_row(kind, record, detail))

    model = _lookup(catalog, "model", scenario.workload.model)
    if model is not None:
        add(
            "model",
            model,
            _figures(
                [
                    ("total", getattr(model, "total_params_b", None), "B params"),
                    ("active", getattr(model, "active_params_b", None), "B"),
                    ("layers", getattr(model, "num_layers", None), ""),
                    ("native size", getattr(model, "native_size_gb", None), " GB"),
                ]
            ),
        )
    for offer_id in getattr(scenario, "api_offers", ())[:1]:
        offer = _lookup(catalog, "api_offer", offer_id)
        if offer is not None:
            add(
                "API offer",
                offer,
                _figures(
                    [
                        ("input miss $", getattr(offer, "usd_per_mtok_input_miss", None), "/Mtok"),
                        ("input hit $", getattr(offer, "usd_per_mtok_input_hit", None), "/Mtok"),
                        ("output $", getattr(offer, "usd_per_mtok_output", None), "/Mtok"),
                    ]
                ),
            )
    system_ids = list(getattr(scenario, "candidates", ())) or [c.system_id for c in recommendation.candidates]
    for system_id in dict.fromkeys(system_ids):
        system = _lookup(catalog, "system", system_id)
        if system is None:
            continue
        add(
            "system",
            system,
            _figures(
                [
                    ("", getattr(system, "count", None), " x accelerator"),
                    ("idle", getattr(system, "idle_w", None), " W"),
                    ("extras $", getattr(system, "extras_usd", None), ""),
                ]
            ),
        )
        device = _lookup(catalog, "hardware", str(getattr(system, "accelerator", "")))
        if device is not None:
            add(
                "hardware",
                device,
                _figures(
                    [
                        ("", getattr(device, "memory_gb", None), " GB"),
                        ("", getattr(device, "bandwidth_gbs", None), " GB/s"),
                        ("FP16", getattr(device, "fp16_tflops", None), " TFLOPS"),
                        ("TDP", getattr(device, "tdp_w", None), " W"),
                    ]
                ),
            )
        host = _lookup(catalog, "host", str(getattr(system, "host", "")))
        if host is not None:
            add(
                "host",
                host,
                _figures(
                    [
                        ("RAM", getattr(host, "ram_gb", None), " GB"),
                        ("", getattr(host, "ram_bandwidth_gbs", None), " GB/s"),
                        ("load", getattr(host, "load_w", None), " W"),
                    ]
                ),
            )
    for quant_name in dict.fromkeys(c.quant for c in recommendation.candidates):
        quant = _lookup(catalog, "quant", quant_name)
        if quant is not None:
            add("quant", quant, _figures([("", getattr(quant, "bits_per_weight", None), " bits/weight")]))
    return rows
