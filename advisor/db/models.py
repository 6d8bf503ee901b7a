"""SQLModel tables: the catalog (mirroring advisor.catalog.schema), price history, scenarios, feeds, batches.

Catalog rows carry the record's own fields plus ``user_edited`` (a catalog upgrade never overwrites such a
row) and ``seed_hash`` (SHA-256 of the seed record the row was last written from, to see if the seed
changed). Prices are history in ``price_point``: rows are appended, never updated, so any import batch can
be rolled back. Units are in the column names: GB = 10^9 bytes, GB/s, TFLOPS, W, USD. Datetimes are
timezone-aware (UTC); dates (``as_of``, release dates) are plain dates.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Index, false
from sqlmodel import Field, SQLModel


def utc_now() -> dt.datetime:
    """The current time, timezone-aware (sqlmodel 0.0.50 rejects naive datetimes)."""
    return dt.datetime.now(dt.UTC)


class CatalogRow(SQLModel):
    """Fields every catalog table shares (advisor.catalog.schema.Record plus bookkeeping)."""

    id: str = Field(primary_key=True, max_length=80)  # the catalog slug, e.g. "rtx-4090"
    name: str = Field(index=True, max_length=200)
    aliases: list[str] = Field(default_factory=list, sa_type=JSON, nullable=False)
    source: str
    as_of: dt.date
    notes: str = ""
    confidence: str = "medium"  # high | medium | low
    user_edited: bool = False
    seed_hash: str | None = None  # hash of the seed record last applied; None for the user's own records


class Accelerator(CatalogRow, table=True):
    """A GPU, Apple SoC, APU or CPU socket (schema.HardwareRecord)."""

    kind: str  # gpu | apple | apu | cpu
    vendor: str
    memory_gb: float
    bandwidth_gbs: float
    fp16_tflops: float
    fp8_tflops: float | None = None
    fp4_tflops: float | None = None
    fp32_tflops: float | None = None
    unified_memory: bool = False
    gpu_memory_share: float = 1.0
    tdp_w: float
    idle_w: float
    interconnect: str = ""
    link: str
    link_bandwidth_gbs: float


class Host(CatalogRow, table=True):
    """The machine around the accelerators (schema.HostRecord)."""

    cpu: str
    ram_gb: float
    ram_bandwidth_gbs: float
    cpu_tflops: float
    idle_w: float
    load_w: float


class System(CatalogRow, table=True):
    """A buildable rig: accelerator x count + host + extras (schema.SystemRecord)."""

    accelerator: str = Field(foreign_key="accelerator.id", index=True)
    count: int
    host: str = Field(foreign_key="host.id", index=True)
    extras_usd: float = 0.0
    extras_note: str = ""
    idle_w: float
    description: str = ""


class LLM(CatalogRow, table=True):
    """A language model's architecture (schema.ModelRecord)."""

    family: str = ""
    license: str = ""
    release_date: str = ""
    total_params_b: float
    active_params_b: float
    num_layers: int
    hidden_size: int
    num_heads: int
    num_kv_heads: int
    head_dim: int
    attention_kind: str  # gqa | mla | dsv4 | opaque
    sliding_window: int = 0
    sliding_layers: int = 0
    kv_lora_rank: int = 0
    qk_rope_head_dim: int = 0
    csa_layers: int = 0
    hca_layers: int = 0
    csa_ratio: int = 4
    hca_ratio: int = 128
    index_head_dim: int = 0
    n_routed_experts: int = 0
    experts_per_token: int = 0
    n_shared_experts: int = 0
    expert_params_b: float = 0.0
    vocab_size: int
    max_context: int
    native_quant: str
    native_size_gb: float | None = None
    kv_bytes_per_token_f16: float | None = None
    tied_embeddings: bool | None = None


class QuantFormat(CatalogRow, table=True):
    """A weight format with its effective bits per weight (schema.QuantRecord)."""

    __tablename__ = "quant_format"

    family: str
    bits_per_weight: float
    compute: str = "fp16"
    quality_note: str = ""
    moe_bits_per_weight: float | None = None
    head_bits: float | None = None


class ApiOffer(CatalogRow, table=True):
    """An API price list entry in USD per million tokens (schema.ApiOfferRecord)."""

    __tablename__ = "api_offer"

    provider: str
    model_ref: str | None = None
    usd_per_mtok_input_miss: float
    usd_per_mtok_input_hit: float
    usd_per_mtok_output: float
    tier: str = "list"
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None


class Tariff(CatalogRow, table=True):
    """An electricity price [USD/kWh] (schema.TariffRecord)."""

    region: str
    usd_per_kwh: float
    kind: str = "residential"


class PuePreset(CatalogRow, table=True):
    """A power usage effectiveness preset (schema.PueRecord)."""

    __tablename__ = "pue_preset"

    pue: float


class ImportBatch(SQLModel, table=True):
    """One write of price points (seed, feed, manual edit, file import); rolling back marks it, keeps rows."""

    __tablename__ = "import_batch"

    id: int | None = Field(default=None, primary_key=True)
    created_at: dt.datetime = Field(default_factory=utc_now)
    kind: str  # seed | feed | manual | import
    source_name: str = ""
    item_count: int = 0
    note: str = ""
    content_hash: str | None = None  # seed batches: hash of the whole seed catalog that was applied
    rolled_back_at: dt.datetime | None = None


class PricePoint(SQLModel, table=True):
    """One observed price of a hardware / host / system item. Appended, never overwritten: an edit or a
    delete is a user batch that marks the point ``retracted_by`` itself (and adds the corrected point)."""

    __tablename__ = "price_point"
    __table_args__ = (Index("ix_price_point_item", "item_kind", "item_id", "observed_at"),)

    id: int | None = Field(default=None, primary_key=True)
    item_kind: str  # hardware | host | system
    item_id: str  # the catalog slug of the item
    price_usd: float
    currency: str = "USD"  # currency the price was quoted in
    price_original: float | None = None  # the quoted price in that currency
    condition: str = "new"  # new | used | refurb | rent-on-demand | rent-spot (USD per device-hour)
    vendor: str = ""
    url: str = ""
    observed_at: dt.datetime
    source: str
    batch_id: int | None = Field(default=None, foreign_key="import_batch.id", index=True)
    # the user's choice: use this price instead of the latest observation
    pinned: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    # the user batch that removed or replaced this point (an edit or a delete in Price history); a removed
    # point no longer counts, and rolling that batch back makes it count again
    retracted_by: int | None = Field(default=None, index=True)


class Workload(SQLModel, table=True):
    """A named workload; ``body`` holds advisor.engine.types.Workload fields as JSON."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=200)
    body: dict[str, Any] = Field(default_factory=dict, sa_type=JSON, nullable=False)
    updated_at: dt.datetime = Field(default_factory=utc_now)


class Scenario(SQLModel, table=True):
    """A named scenario; ``body`` is the schema.ScenarioRecord JSON (what `scenario show` prints)."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=200)
    body: dict[str, Any] = Field(default_factory=dict, sa_type=JSON, nullable=False)
    user_edited: bool = False
    seed_hash: str | None = None
    updated_at: dt.datetime = Field(default_factory=utc_now)


class FeedSource(SQLModel, table=True):
    """A price feed the app polls: a URL or a file path, with HTTP cache validators."""

    __tablename__ = "feed_source"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=200)
    url: str  # http(s) URL or a local file path
    enabled: bool = True
    priority: int = 0  # higher wins when two feeds price the same item on the same day
    last_checked: dt.datetime | None = None
    etag: str | None = None
    last_modified: str | None = None  # the HTTP Last-Modified header, sent back as If-Modified-Since


# catalog kind (the seed file's stem) -> table
CATALOG_TABLES: dict[str, type[CatalogRow]] = {
    "hardware": Accelerator,
    "hosts": Host,
    "systems": System,
    "models": LLM,
    "quants": QuantFormat,
    "api_offers": ApiOffer,
    "tariffs": Tariff,
    "pue": PuePreset,
}

# catalog kinds that carry prices -> PricePoint.item_kind
PRICED_KINDS: dict[str, str] = {"hardware": "hardware", "hosts": "host", "systems": "system"}
