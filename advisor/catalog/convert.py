"""Catalog records -> engine dataclasses: the one place rows become engine inputs.

Field names in advisor.catalog.schema mirror advisor.engine.types, so each conversion copies fields by name;
the display name becomes the engine object's ``name``.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

from advisor.catalog.schema import HardwareRecord, HostRecord, ModelRecord, QuantRecord
from advisor.engine.types import Device, Host, ModelArch, Quant
from advisor.engine.types import native_quant as engine_native_quant

T = TypeVar("T")

def _copy(cls: type[T], record: Any) -> T:
    names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    data = {name: getattr(record, name) for name in names if hasattr(record, name)}
    data["name"] = record.name
    return cls(**data)


def to_device(record: HardwareRecord) -> Device:
    """A hardware record as an engine Device (memory [GB], bandwidth [GB/s], TFLOPS, watts)."""
    return _copy(Device, record)


def to_host(record: HostRecord) -> Host:
    """A host record as an engine Host (RAM [GB], RAM bandwidth [GB/s], CPU TFLOPS, watts)."""
    return _copy(Host, record)


def to_model(record: ModelRecord) -> ModelArch:
    """A model record as an engine ModelArch (parameters in billions)."""
    return _copy(ModelArch, record)


def to_quant(record: QuantRecord) -> Quant:
    """A quant record as an engine Quant (effective whole-file bits per weight)."""
    return _copy(Quant, record)


def native_quant(record: ModelRecord) -> Quant:
    """The checkpoint exactly as released ("native"): `advisor.engine.types.native_quant` of the model."""
    return engine_native_quant(to_model(record))
