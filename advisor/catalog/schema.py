"""Schema of the seed catalog files in resources/catalog/ (and of user-edited records).

Every record carries ``source`` and ``as_of``. Files are validated whole with pydantic before anything is
written; the error names the file, the record and the field. Field names mirror advisor.engine.types so the
conversion to engine inputs (advisor.catalog.convert) is one line per field.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._+-]*$", max_length=80)
    name: str = Field(min_length=1, max_length=200)
    aliases: list[str] = Field(default_factory=list)
    source: str = Field(min_length=3)
    as_of: dt.date
    notes: str = ""
    confidence: Literal["high", "medium", "low"] = "medium"

    @field_validator("as_of")
    @classmethod
    def _not_in_future(cls, v: dt.date) -> dt.date:
        if v > dt.date.today():
            raise ValueError("date is in the future")
        return v


class PricePoint(BaseModel):
    """A dated price. Purchase conditions (new / used / refurb): USD per item. Rental conditions
    (rent-on-demand / rent-spot): USD per device-hour in a cloud (the item's GPU type)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    price_usd: float = Field(gt=0, allow_inf_nan=False)
    condition: Literal["new", "used", "refurb", "rent-on-demand", "rent-spot"] = "new"
    vendor: str = ""
    url: str = ""
    observed_at: dt.date
    source: str = Field(min_length=3)


class HardwareRecord(Record):
    kind: Literal["gpu", "apple", "apu", "cpu"]
    vendor: str
    memory_gb: float = Field(gt=0, allow_inf_nan=False)
    bandwidth_gbs: float = Field(gt=0, allow_inf_nan=False)
    fp16_tflops: float = Field(gt=0, allow_inf_nan=False)
    fp8_tflops: float | None = Field(default=None, gt=0)
    fp4_tflops: float | None = Field(default=None, gt=0)
    # shader (non-tensor) FP32 peak: dequantisation and matrix-vector decode kernels run on these ALUs
    fp32_tflops: float | None = Field(default=None, gt=0, allow_inf_nan=False)
    unified_memory: bool = False
    gpu_memory_share: float = Field(default=1.0, gt=0, le=1)
    tdp_w: float = Field(gt=0)
    idle_w: float = Field(ge=0)
    interconnect: str = ""  # human text, e.g. "PCIe 4.0 x16; NVLink bridge 112.5 GB/s"
    link: Literal["none", "pcie3", "pcie4", "pcie5", "nvlink", "infinity_fabric", "ethernet", "thunderbolt"]
    link_bandwidth_gbs: float = Field(gt=0)
    prices: list[PricePoint] = Field(default_factory=list)


class HostRecord(Record):
    cpu: str
    ram_gb: float = Field(ge=0)  # 0 for "built-in" hosts (Apple, DGX Spark, Strix Halo: the SoC is the host)
    ram_bandwidth_gbs: float = Field(ge=0)
    cpu_tflops: float = Field(ge=0)
    idle_w: float = Field(ge=0)
    load_w: float = Field(gt=0)
    prices: list[PricePoint] = Field(default_factory=list)


class SystemRecord(Record):
    """A buildable rig. If ``prices`` is empty the price is accelerator x count + host + extras_usd."""

    accelerator: str  # HardwareRecord.id
    count: int = Field(ge=1, le=1024)
    host: str  # HostRecord.id
    extras_usd: float = Field(default=0.0, ge=0)
    extras_note: str = ""
    idle_w: float = Field(ge=0)  # the whole system at idle
    prices: list[PricePoint] = Field(default_factory=list)
    description: str = ""


class ModelRecord(Record):
    family: str = ""
    license: str = ""
    release_date: str = ""
    total_params_b: float = Field(gt=0)
    active_params_b: float = Field(gt=0)
    num_layers: int = Field(ge=1, le=1000)
    hidden_size: int = Field(ge=1)
    num_heads: int = Field(ge=1, le=10000)
    num_kv_heads: int = Field(ge=1, le=10000)
    head_dim: int = Field(ge=1)
    attention_kind: Literal["gqa", "mla", "dsv4", "opaque"]
    sliding_window: int = Field(default=0, ge=0)
    sliding_layers: int = Field(default=0, ge=0)
    kv_lora_rank: int = Field(default=0, ge=0)
    qk_rope_head_dim: int = Field(default=0, ge=0)
    csa_layers: int = Field(default=0, ge=0)
    hca_layers: int = Field(default=0, ge=0)
    csa_ratio: int = Field(default=4, ge=1)
    hca_ratio: int = Field(default=128, ge=1)
    index_head_dim: int = Field(default=0, ge=0)
    n_routed_experts: int = Field(default=0, ge=0)
    experts_per_token: int = Field(default=0, ge=0)
    n_shared_experts: int = Field(default=0, ge=0)
    expert_params_b: float = Field(default=0.0, ge=0)
    vocab_size: int = Field(ge=1)
    max_context: int = Field(ge=1)
    native_quant: str
    native_size_gb: float | None = Field(default=None, gt=0)
    kv_bytes_per_token_f16: float | None = Field(default=None, gt=0)
    tied_embeddings: bool | None = None  # config tie_word_embeddings; None: not known


class QuantRecord(Record):
    family: Literal["gguf", "float", "int4", "exl2", "mlx", "native"]
    bits_per_weight: float = Field(gt=0, le=32)
    compute: Literal["fp16", "fp8", "fp4"] = "fp16"
    quality_note: str = ""
    # whole-file bits per weight of large MoE files when they differ from the dense-model figure
    moe_bits_per_weight: float | None = Field(default=None, gt=0, le=32)
    # bits of the output head / tied embedding table when the file does not keep it at Q6_K (fit.HEAD_BITS)
    head_bits: float | None = Field(default=None, gt=0, le=32)


class ApiOfferRecord(Record):
    """name is the offer as the user sees it, e.g. 'DeepSeek V4-Flash (peak)'."""

    provider: str
    model_ref: str | None = None  # ModelRecord.id when the offer serves a catalog model
    usd_per_mtok_input_miss: float = Field(ge=0)
    usd_per_mtok_input_hit: float = Field(ge=0)
    usd_per_mtok_output: float = Field(ge=0)
    tier: str = "list"  # list | promo | peak | off-peak | batch
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None


class TariffRecord(Record):
    region: str
    usd_per_kwh: float = Field(gt=0, lt=5)
    kind: Literal["residential", "commercial", "industrial", "datacenter"] = "residential"


class PueRecord(Record):
    pue: float = Field(ge=1.0, le=3.0)


class ScenarioRecord(BaseModel):
    """An example scenario; the same JSON `scenario show NAME --json` prints."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=200)
    description: str = ""
    workload: dict  # advisor.engine.types.Workload fields
    finance: dict  # advisor.engine.types.Finance fields
    candidates: list[str]  # SystemRecord ids
    api_offers: list[str]  # ApiOfferRecord ids
    source: str = "Rig Advisor example"
    as_of: dt.date


# file name in resources/catalog/ -> record type
CATALOG_FILES: dict[str, type[BaseModel]] = {
    "hardware.json": HardwareRecord,
    "hosts.json": HostRecord,
    "systems.json": SystemRecord,
    "models.json": ModelRecord,
    "quants.json": QuantRecord,
    "api_offers.json": ApiOfferRecord,
    "tariffs.json": TariffRecord,
    "pue.json": PueRecord,
    "scenarios.json": ScenarioRecord,
}
