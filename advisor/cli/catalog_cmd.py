"""`catalog list {hardware|systems|models|quants|api} [--json]`: what the local database holds.

The table is for people (units in the headers); --json prints a list of records exactly in the seed
catalog's format (advisor.catalog.schema), including source, as_of and the price history.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Sequence
from typing import Any

from advisor.catalog.schema import Record

LIST_KINDS = ("hardware", "systems", "models", "quants", "api")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "catalog", help="list what the catalog holds (hardware, systems, models, ...)"
    )
    actions = parser.add_subparsers(dest="catalog_action", metavar="ACTION", required=True)
    list_parser = actions.add_parser("list", help="list one kind of record")
    # Checked by us, not argparse, so an unknown kind is one line + exit 2 like every other bad input.
    list_parser.add_argument("kind", metavar="{" + "|".join(LIST_KINDS) + "}", help="what to list")
    list_parser.add_argument("--json", action="store_true", help="print a JSON list of records")
    list_parser.set_defaults(func=run_list)


def run_list(args: argparse.Namespace) -> int:
    from advisor.db import list_records, open_database
    from advisor.errors import NotFoundError

    kind = str(args.kind).strip().lower()
    if kind not in LIST_KINDS:
        raise NotFoundError(f"unknown kind {args.kind!r} (one of: {', '.join(LIST_KINDS)})", field="kind")
    engine = open_database()
    try:
        records = list_records(engine, kind)
    finally:
        engine.dispose()
    if args.json:
        print(json.dumps([r.model_dump(mode="json") for r in records], indent=2))
        return 0
    headers, row_of = TABLES[kind]
    print(format_table(headers, [row_of(r) for r in records]))
    return 0


def latest_price_usd(record: Record, condition: str = "new") -> str:
    """The newest price of the given condition as text ('' when the catalog has none)."""
    prices = [p for p in getattr(record, "prices", []) if p.condition == condition]
    if not prices:
        return ""
    newest = max(prices, key=lambda p: p.observed_at)
    return f"{newest.price_usd:,.0f}"


def _num(value: float | None, digits: int = 1) -> str:
    if value is None:
        return ""
    return f"{value:,.{digits}f}"


def _hardware_row(r: Any) -> list[str]:
    return [
        r.id,
        r.name,
        r.kind,
        _num(r.memory_gb),
        _num(r.bandwidth_gbs, 0),
        _num(r.fp16_tflops),
        _num(r.tdp_w, 0),
        latest_price_usd(r),
        latest_price_usd(r, "used"),
        str(r.as_of),
    ]


def _system_row(r: Any) -> list[str]:
    return [
        r.id,
        r.name,
        f"{r.count} x {r.accelerator}",
        r.host,
        _num(r.extras_usd, 0),
        _num(r.idle_w, 0),
        latest_price_usd(r),
        str(r.as_of),
    ]


def _model_row(r: Any) -> list[str]:
    return [
        r.id,
        r.name,
        f"{r.total_params_b:g}",
        f"{r.active_params_b:g}",
        str(r.num_layers),
        r.attention_kind,
        f"{r.max_context:,}",
        r.native_quant,
        _num(r.native_size_gb),
        str(r.as_of),
    ]


def _quant_row(r: Any) -> list[str]:
    return [r.id, r.name, r.family, f"{r.bits_per_weight:.3g}", r.compute, r.quality_note[:50]]


def _api_row(r: Any) -> list[str]:
    return [
        r.id,
        r.name,
        r.provider,
        _num(r.usd_per_mtok_input_miss, 3),
        _num(r.usd_per_mtok_input_hit, 3),
        _num(r.usd_per_mtok_output, 3),
        r.tier,
        str(r.as_of),
    ]


TABLES: dict[str, tuple[Sequence[str], Callable[[Any], list[str]]]] = {
    "hardware": (
        (
            "ID",
            "Name",
            "Kind",
            "Memory [GB]",
            "Bandwidth [GB/s]",
            "FP16 [TFLOPS]",
            "TDP [W]",
            "New [USD]",
            "Used [USD]",
            "As of",
        ),
        _hardware_row,
    ),
    "systems": (
        ("ID", "Name", "Accelerators", "Host", "Extras [USD]", "Idle [W]", "Price [USD]", "As of"),
        _system_row,
    ),
    "models": (
        (
            "ID",
            "Name",
            "Total [B params]",
            "Active [B params]",
            "Layers",
            "Attention",
            "Max context [tokens]",
            "Native",
            "Native size [GB]",
            "As of",
        ),
        _model_row,
    ),
    "quants": (("ID", "Name", "Family", "Bits/weight", "Compute", "Quality"), _quant_row),
    "api": (
        (
            "ID",
            "Name",
            "Provider",
            "Input miss [USD/Mtok]",
            "Input hit [USD/Mtok]",
            "Output [USD/Mtok]",
            "Tier",
            "As of",
        ),
        _api_row,
    ),
}


def format_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A plain-text table: columns padded to their widest cell, numbers right-aligned."""
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]

    def numeric(cell: str) -> bool:
        return bool(cell) and cell.replace(",", "").replace(".", "", 1).lstrip("-").isdigit()

    lines = [
        "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    for row in rows:
        cells = [c.rjust(w) if numeric(c) else c.ljust(w) for c, w in zip(row, widths, strict=True)]
        lines.append("  ".join(cells).rstrip())
    lines.append(f"({len(rows)} records)")
    return "\n".join(lines)
