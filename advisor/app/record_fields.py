"""How catalog record fields are shown and edited: column headers with units, text <-> value. No Qt.

The pydantic schema stays the judge of what is valid: edited text goes to `validate_record` as is (pydantic
coerces "12.5" to a float, "2026-01-01" to a date) and the first bad field comes back as an InputError.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from advisor.app.store import RECORD_TYPES

# name suffix -> unit shown in headers and editors (GB = 10^9 bytes)
UNIT_SUFFIXES = (
    ("_usd_per_kwh", "USD/kWh"),
    ("_gbs", "GB/s"),
    ("_gb", "GB"),
    ("_tflops", "TFLOPS"),
    ("_w", "W"),
    ("_usd", "USD"),
    ("_params_b", "B params"),
    ("_b", "B params"),
    ("_share", "0-1"),
    ("_ratio", "tokens/entry"),
)
HIDDEN_COLUMNS = {
    "aliases",
    "prices",
    "notes",
    "workload",
    "finance",
    "candidates",
    "api_offers",
    "description",
    "extras_note",
}
# source and as_of right after the name: where a figure comes from is never scrolled out of view
FIRST, LAST = ("id", "name", "source", "as_of"), ("confidence",)
# Per kind, the figures a reader compares, placed between the name and source/as_of: the model table's long
# family / license / source texts otherwise pushed the parameter counts off-screen at 1400 px.
KEY_FIGURES = {
    "models": ("total_params_b", "active_params_b", "attention_kind", "num_layers"),
}


def unit_of(name: str) -> str:
    if name.startswith("usd_per_mtok"):
        return "USD/Mtok"
    for suffix, unit in UNIT_SUFFIXES:
        if name.endswith(suffix):
            return unit
    return ""


# Capacities the catalog stores as marketed: "24 GB" on a spec sheet is 24 GiB (25.8 GB, as the estimates
# count). The field names are the catalog's and the case files' contract (DESIGN §4); the headers say the unit.
MARKETED_BINARY = {"memory_gb": "memory [GiB, as marketed]", "ram_gb": "RAM [GiB, as marketed]"}


def header_of(name: str) -> str:
    """`bandwidth_gbs` -> "bandwidth [GB/s]"; `usd_per_mtok_output` -> "output [USD/Mtok]"; `memory_gb` ->
    "memory [GiB, as marketed]"."""
    if name in MARKETED_BINARY:
        return MARKETED_BINARY[name]
    unit = unit_of(name)
    label = name
    if name.startswith("usd_per_mtok_"):
        label = name[len("usd_per_mtok_") :]
    else:
        for suffix, _u in UNIT_SUFFIXES:
            if name.endswith(suffix) and unit and suffix not in ("_share", "_ratio"):
                label = name[: -len(suffix)]
                break
    label = label.replace("_", " ")
    return f"{label} [{unit}]" if unit else label


def choices_of(annotation: Any) -> tuple[str, ...] | None:
    """The allowed values of a Literal field, else None."""
    if typing.get_origin(annotation) is typing.Literal:
        return tuple(str(a) for a in typing.get_args(annotation))
    return None


def is_optional(annotation: Any) -> bool:
    origin = typing.get_origin(annotation)
    return origin in (typing.Union, types.UnionType) and type(None) in typing.get_args(annotation)


@dataclass(frozen=True)
class FieldInfo:
    name: str
    header: str
    annotation: Any
    required: bool
    choices: tuple[str, ...] | None
    optional: bool
    description: str
    default: Any = None  # the schema default (None when required or a factory)


def fields_of(kind: str) -> list[FieldInfo]:
    """Every editable field of a record kind: id, name, the kind's KEY_FIGURES, source, as_of, the rest."""
    model: type[BaseModel] = RECORD_TYPES[kind]
    names = [n for n in model.model_fields if n != "prices"]
    key = tuple(n for n in KEY_FIGURES.get(kind, ()) if n in names)
    ordered = (
        [n for n in FIRST[:2] if n in names]
        + list(key)
        + [n for n in FIRST[2:] if n in names]
        + [n for n in names if n not in FIRST + LAST + key]
        + [n for n in LAST if n in names]
    )
    out = []
    for n in ordered:
        f = model.model_fields[n]
        unit = unit_of(n)
        default = None if f.is_required() or f.default_factory is not None else f.default
        out.append(
            FieldInfo(
                n,
                header_of(n),
                f.annotation,
                f.is_required(),
                choices_of(f.annotation),
                is_optional(f.annotation),
                f"{n}" + (f" [{unit}]" if unit else ""),
                default,
            )
        )
    return out


def columns_of(kind: str) -> list[FieldInfo]:
    return [f for f in fields_of(kind) if f.name not in HIDDEN_COLUMNS]


def to_text(value: Any) -> str:
    """A record value as editable text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}" if abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def from_text(info: FieldInfo, text: str) -> Any:
    """Edited text -> a value for validation: '' is None for optional fields, aliases split on commas."""
    text = text.strip()
    if info.name == "aliases":
        return [a.strip() for a in text.split(",") if a.strip()]
    if info.optional and text == "":
        return None
    return text


def edited_data(kind: str, base: BaseModel | None, texts: dict[str, str]) -> dict[str, Any]:
    """The dict to validate: the base record's values (prices included) overlaid with edited texts."""
    data: dict[str, Any] = base.model_dump() if base is not None else {}
    by_name = {f.name: f for f in fields_of(kind)}
    for name, text in texts.items():
        info = by_name[name]
        if text.strip() == "" and not info.required and name not in data:
            continue  # a new record: the schema's default applies
        data[name] = from_text(info, text)
    return data
