"""Load and validate the seed catalog (resources/catalog/*.json) as a whole.

Every file is a JSON list of records of the type advisor.catalog.schema.CATALOG_FILES gives it. Loading is
all-or-nothing: the first problem raises advisor.errors.InputError with one line naming the file, the record
(index and id) and the field, e.g. ``hardware.json[12] (rtx-4090): memory_gb: Input should be greater than 0``.
After each file validates on its own, cross-references are checked (a system's accelerator and host, an API
offer's model, a scenario's candidates, offers and model) and ids / aliases must be unique per kind.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from advisor.catalog.resolve import Resolver
from advisor.catalog.schema import (
    CATALOG_FILES,
    ApiOfferRecord,
    HardwareRecord,
    HostRecord,
    ModelRecord,
    PueRecord,
    QuantRecord,
    ScenarioRecord,
    SystemRecord,
    TariffRecord,
)
from advisor.errors import InputError, NotFoundError
from advisor.paths import catalog_dir


@dataclass(frozen=True)
class SeedCatalog:
    """All seed records, validated, by kind (attribute names are the file stems)."""

    hardware: tuple[HardwareRecord, ...] = ()
    hosts: tuple[HostRecord, ...] = ()
    systems: tuple[SystemRecord, ...] = ()
    models: tuple[ModelRecord, ...] = ()
    quants: tuple[QuantRecord, ...] = ()
    api_offers: tuple[ApiOfferRecord, ...] = ()
    tariffs: tuple[TariffRecord, ...] = ()
    pue: tuple[PueRecord, ...] = ()
    scenarios: tuple[ScenarioRecord, ...] = ()


def _label(raw: Any) -> str:
    if isinstance(raw, dict):
        for key in ("id", "name"):
            value = raw.get(key)
            if isinstance(value, str) and value:
                return f" ({value})"
    return ""


def _validation_message(exc: ValidationError) -> tuple[str, str]:
    """(field path, message) of the first error; the path is dotted, list items as [i]."""
    err = exc.errors()[0]
    parts: list[str] = []
    for item in err["loc"]:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        else:
            parts.append(("." if parts else "") + str(item))
    return "".join(parts) or "record", str(err["msg"])


def parse_records(file_name: str, data: Any, record_type: type[BaseModel]) -> list[BaseModel]:
    """Validate a JSON value (a list of objects) as records of ``record_type``; InputError on the first bad one."""
    if not isinstance(data, list):
        raise InputError(f"expected a JSON list of records, got {type(data).__name__}", field=file_name)
    records: list[BaseModel] = []
    for index, raw in enumerate(data):
        where = f"{file_name}[{index}]{_label(raw)}"
        if not isinstance(raw, dict):
            raise InputError(f"expected an object, got {type(raw).__name__}", field=where)
        try:
            records.append(record_type.model_validate(raw))
        except ValidationError as exc:
            path, message = _validation_message(exc)
            raise InputError(message, field=f"{where}: {path}") from None
    return records


def read_file(path: Path, record_type: type[BaseModel]) -> list[BaseModel]:
    """Read and validate one catalog file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", field=path.name) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}", field=path.name) from None
    return parse_records(path.name, data, record_type)


def _check_unique(file_name: str, records: Sequence[Any], key: str = "id") -> None:
    seen: dict[str, int] = {}
    for index, record in enumerate(records):
        value = getattr(record, key)
        if value in seen:
            raise InputError(f"duplicate {key} {value!r} (also record {seen[value]})",
                             field=f"{file_name}[{index}] ({value}): {key}")
        seen[value] = index


def _check_aliases(file_name: str, records: Sequence[Any], kind: str) -> None:
    """Two records must not claim the same name or alias (after normalisation)."""
    try:
        Resolver.from_records(records, kind=kind, strict=True)
    except InputError as exc:
        raise InputError(str(exc), field=file_name) from None


def check_references(seed: SeedCatalog) -> None:
    """Cross-file checks; InputError names the file, record and field of the dangling reference."""
    from advisor.engine.types import Finance, Workload

    hardware_ids = {r.id for r in seed.hardware}
    host_ids = {r.id for r in seed.hosts}
    system_ids = {r.id for r in seed.systems}
    model_ids = {r.id for r in seed.models}
    offer_ids = {r.id for r in seed.api_offers}
    for index, system in enumerate(seed.systems):
        where = f"systems.json[{index}] ({system.id})"
        if system.accelerator not in hardware_ids:
            raise InputError(f"unknown hardware id {system.accelerator!r}", field=f"{where}: accelerator")
        if system.host not in host_ids:
            raise InputError(f"unknown host id {system.host!r}", field=f"{where}: host")
    for index, offer in enumerate(seed.api_offers):
        if offer.model_ref is not None and offer.model_ref not in model_ids:
            raise InputError(f"unknown model id {offer.model_ref!r}",
                             field=f"api_offers.json[{index}] ({offer.id}): model_ref")
    models = Resolver.from_records(seed.models, kind="model")
    for index, scenario in enumerate(seed.scenarios):
        where = f"scenarios.json[{index}] ({scenario.name})"
        for field_name, cls, values in (("workload", Workload, scenario.workload),
                                        ("finance", Finance, scenario.finance)):
            known = {f.name for f in dataclasses.fields(cls)}
            extra = sorted(set(values) - known)
            if extra:
                raise InputError("unknown field", field=f"{where}: {field_name}.{extra[0]}")
            try:
                cls(**values)
            except TypeError as exc:
                raise InputError(str(exc), field=f"{where}: {field_name}") from None
        try:
            models.resolve(str(scenario.workload.get("model", "")))
        except NotFoundError as exc:
            raise InputError(str(exc), field=f"{where}: workload.model") from None
        for i, system_id in enumerate(scenario.candidates):
            if system_id not in system_ids:
                raise InputError(f"unknown system id {system_id!r}", field=f"{where}: candidates[{i}]")
        for i, offer_id in enumerate(scenario.api_offers):
            if offer_id not in offer_ids:
                raise InputError(f"unknown API offer id {offer_id!r}", field=f"{where}: api_offers[{i}]")


_RESOLVER_KINDS = {"hardware": "hardware", "hosts": "host", "systems": "system", "models": "model",
                   "quants": "quant", "api_offers": "api offer", "tariffs": "tariff", "pue": "pue"}


def load_seed(directory: Path | None = None) -> SeedCatalog:
    """Read, validate and cross-check every catalog file in ``directory`` (default: the bundled catalog).

    A missing file counts as an empty list (a partial catalog is allowed); anything malformed raises
    InputError with one line naming file, record and field. Nothing is cached: call once and keep the result.
    """
    base = Path(directory) if directory is not None else catalog_dir()
    if not base.is_dir():
        raise InputError("catalog directory does not exist", field=str(base))
    loaded: dict[str, tuple[Any, ...]] = {}
    for file_name, record_type in CATALOG_FILES.items():
        path = base / file_name
        records = read_file(path, record_type) if path.exists() else []
        stem = file_name.removesuffix(".json")
        if stem == "scenarios":
            _check_unique(file_name, records, key="name")
        else:
            _check_unique(file_name, records)
            _check_aliases(file_name, records, _RESOLVER_KINDS[stem])
        loaded[stem] = tuple(records)
    seed = SeedCatalog(**loaded)
    check_references(seed)
    return seed
