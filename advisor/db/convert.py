"""Rows <-> catalog records (advisor.catalog.schema): the one place the two shapes meet.

Catalog kinds are the seed file stems: hardware, hosts, systems, models, quants, api_offers, tariffs, pue
(scenarios live in their own table). A record's ``prices`` are rows of price_point, not columns.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from pydantic import BaseModel, ValidationError

from advisor.catalog.schema import CATALOG_FILES, PricePoint, Record
from advisor.db.models import CATALOG_TABLES, CatalogRow
from advisor.db.models import PricePoint as PricePointRow
from advisor.errors import InputError, NotFoundError

CATALOG_KINDS = tuple(CATALOG_TABLES)

# What users may type for a kind (CLI `catalog list api`, singular names in the UI).
KIND_ALIASES = {
    "hardware": "hardware", "accelerator": "hardware", "accelerators": "hardware", "gpu": "hardware",
    "gpus": "hardware", "host": "hosts", "hosts": "hosts", "system": "systems", "systems": "systems",
    "model": "models", "models": "models", "quant": "quants", "quants": "quants", "api": "api_offers",
    "api_offer": "api_offers", "api_offers": "api_offers", "tariff": "tariffs", "tariffs": "tariffs",
    "pue": "pue",
}  # fmt: skip


def resolve_kind(kind: str) -> str:
    """The canonical catalog kind for ``kind`` (case-insensitive, singular or plural)."""
    canonical = KIND_ALIASES.get(kind.strip().lower())
    if canonical is None:
        raise NotFoundError(
            f"unknown catalog kind {kind!r} (one of: {', '.join(CATALOG_KINDS)})", field="kind"
        )
    return canonical


def record_type(kind: str) -> type[Record]:
    """The schema class of a catalog kind, e.g. "models" -> ModelRecord."""
    record_cls = CATALOG_FILES[f"{resolve_kind(kind)}.json"]
    assert issubclass(record_cls, Record)
    return record_cls


def record_fields(record: BaseModel) -> dict[str, Any]:
    """A record's column values (everything but prices)."""
    return {name: getattr(record, name) for name in type(record).model_fields if name != "prices"}


def record_hash(record: BaseModel) -> str:
    """SHA-256 of the record's content without prices: changes exactly when the seed record changes."""
    payload = record.model_dump(mode="json", exclude={"prices"})
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def validate_record(kind: str, record: BaseModel | dict[str, Any]) -> Record:
    """A validated record of ``kind``; a dict or a record of another type is checked field by field."""
    record_cls = record_type(kind)
    data = record.model_dump() if isinstance(record, BaseModel) else record
    try:
        return record_cls.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "record"
        ident = data.get("id", "?") if isinstance(data, dict) else "?"
        raise InputError(f"{err['msg']}", field=f"{resolve_kind(kind)}[{ident}].{where}") from None


def row_to_record(kind: str, row: CatalogRow, prices: list[PricePointRow] | None = None) -> Record:
    """A catalog row (and its price rows) as a schema record."""
    record_cls = record_type(kind)
    data = {name: getattr(row, name) for name in record_cls.model_fields if name != "prices"}
    if "prices" in record_cls.model_fields:
        data["prices"] = [price_row_to_point(p) for p in prices or []]
    return record_cls.model_validate(data)


def price_row_to_point(row: PricePointRow) -> PricePoint:
    return PricePoint(
        price_usd=row.price_usd,
        condition=row.condition,  # type: ignore[arg-type]
        vendor=row.vendor,
        url=row.url,
        observed_at=row.observed_at.date(),
        source=row.source,
    )


def observed_datetime(day: dt.date) -> dt.datetime:
    """A price's observation date as an aware datetime (midnight UTC)."""
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def price_key(row: PricePointRow) -> tuple[Any, ...]:
    """What makes two price observations the same (so a seed price is never stored twice)."""
    return (
        row.item_kind,
        row.item_id,
        round(row.price_usd, 6),
        row.condition,
        row.vendor,
        row.observed_at.date(),
        row.source,
    )


def new_price_row(item_kind: str, item_id: str, point: PricePoint, batch_id: int | None) -> PricePointRow:
    return PricePointRow(
        item_kind=item_kind,
        item_id=item_id,
        price_usd=point.price_usd,
        currency="USD",
        price_original=point.price_usd,
        condition=point.condition,
        vendor=point.vendor,
        url=point.url,
        observed_at=observed_datetime(point.observed_at),
        source=point.source,
        batch_id=batch_id,
    )
