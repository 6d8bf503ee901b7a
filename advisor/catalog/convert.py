"""Catalog records -> engine dataclasses: the one place rows become engine inputs.

Field names in advisor.catalog.schema mirror advisor.engine.types, so each conversion copies fields by name;
the display name becomes the engine object's ``name``.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

from advisor.catalog.schema import HardwareRecord, HostRecord, ModelRecord, QuantRecord
from advisor.engine.types import Device, Host, ModelArch, Quant

T = TypeVar("T")

# Bits per weight of a checkpoint's native format when its published size is unknown.
NATIVE_BPW: dict[str, float] = {"F32": 32.0, "FP32": 32.0, "BF16": 16.0, "F16": 16.0, "FP16": 16.0, "FP8": 8.0,
                                "MXFP4": 4.25, "NVFP4": 4.5, "FP4+FP8": 4.6}


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
    """The checkpoint exactly as released ("native").

    bits_per_weight = published size [GB] x 8 / parameters [B] when the size is known, else the bits of the
    native format (FP8 -> 8, BF16 -> 16, ...). Compute follows the format: FP8 checkpoints prefill in fp8,
    FP4 ones in fp4 on hardware that has it.
    """
    fmt = record.native_quant.upper()
    if record.native_size_gb:
        bpw = record.native_size_gb * 8.0 / record.total_params_b
    else:
        bpw = NATIVE_BPW.get(fmt, 16.0)
    compute = "fp4" if "FP4" in fmt else "fp8" if "FP8" in fmt else "fp16"
    return Quant(name="native", bits_per_weight=bpw, family="native", compute=compute)
