"""Loading and upgrading the bundled seed catalog into the database.

First run: every record and the seed's price points go in ONE transaction under an ImportBatch of kind
"seed". Later runs (a new app version with a newer catalog): new records are inserted, records whose seed
content changed (seed_hash differs) are updated unless the user edited them, nothing the user made is
deleted, and a seed price point already stored is never stored again. When the seed is byte-for-byte the
one last applied (ImportBatch.content_hash) nothing is done, so opening the database stays fast.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from pydantic import BaseModel
from sqlmodel import Session, col, select

from advisor.catalog.schema import ScenarioRecord
from advisor.db.convert import (
    CATALOG_KINDS,
    new_price_row,
    price_key,
    record_fields,
    record_hash,
)
from advisor.db.models import CATALOG_TABLES, PRICED_KINDS, ImportBatch, PricePoint, Scenario, utc_now

SEED_SOURCE_NAME = "bundled catalog"


@dataclass(frozen=True)
class SeedResult:
    """What a seed run did; ``skipped`` when the database already had exactly this seed."""

    inserted: int = 0
    updated: int = 0
    kept_user_edited: int = 0
    prices_added: int = 0
    batch_id: int | None = None
    skipped: bool = False


def seed_records(seed_dir: Path | None = None) -> dict[str, list[BaseModel]]:
    """The validated seed catalog as {kind: records} (kinds: catalog kinds plus "scenarios").

    Raises InputError naming the file, record and field for a broken seed (advisor.catalog.seed).
    """
    from advisor.catalog.seed import load_seed

    seed = load_seed(seed_dir) if seed_dir is not None else load_seed()
    out: dict[str, list[BaseModel]] = {}
    for kind in (*CATALOG_KINDS, "scenarios"):
        out[kind] = list(getattr(seed, kind))
    return out


def content_hash(seed: Mapping[str, Sequence[BaseModel]]) -> str:
    """SHA-256 of the whole seed (records and prices), to skip a seed that was already applied."""
    digest = hashlib.sha256()
    for kind in sorted(seed):
        for record in seed[kind]:
            digest.update(kind.encode())
            digest.update(json.dumps(record.model_dump(mode="json"), sort_keys=True).encode())
    return digest.hexdigest()


def upgrade_catalog(
    engine: sa.Engine, seed: Mapping[str, Sequence[BaseModel]] | None = None, *, seed_dir: Path | None = None
) -> SeedResult:
    """Apply the seed catalog (default: the bundled one) to the database in one transaction."""
    if seed is None:
        seed = seed_records(seed_dir)  # validated whole before anything is written
    digest = content_hash(seed)
    with Session(engine) as session:
        if engine.dialect.name == "postgresql":
            # Two app instances starting together on a team database: the second waits, then skips.
            session.exec(sa.text("SELECT pg_advisory_xact_lock(72100202)"))  # type: ignore[call-overload]
        last = session.exec(
            select(ImportBatch).where(ImportBatch.kind == "seed").order_by(col(ImportBatch.id).desc())
        ).first()
        if last is not None and last.content_hash == digest:
            return SeedResult(skipped=True)
        batch = ImportBatch(
            kind="seed", source_name=SEED_SOURCE_NAME, content_hash=digest, created_at=utc_now()
        )
        session.add(batch)
        session.flush()
        assert batch.id is not None
        inserted = updated = kept = prices_added = 0
        # Order matters: systems reference hardware and hosts (foreign keys), so flush kind by kind.
        for kind in CATALOG_KINDS:
            table = CATALOG_TABLES[kind]
            existing = {row.id: row for row in session.exec(select(table)).all()}
            for record in seed.get(kind, ()):
                new_hash = record_hash(record)
                row = existing.get(getattr(record, "id"))  # noqa: B009  (BaseModel: id is a field)
                if row is None:
                    session.add(table(**record_fields(record), user_edited=False, seed_hash=new_hash))
                    inserted += 1
                elif row.seed_hash != new_hash:
                    if row.user_edited:
                        kept += 1
                    else:
                        for name, value in record_fields(record).items():
                            setattr(row, name, value)
                        row.seed_hash = new_hash
                        updated += 1
            session.flush()
            if kind in PRICED_KINDS:
                prices_added += _add_seed_prices(session, PRICED_KINDS[kind], seed.get(kind, ()), batch.id)
        scenario_counts = _upgrade_scenarios(session, seed.get("scenarios", ()))
        inserted += scenario_counts[0]
        updated += scenario_counts[1]
        kept += scenario_counts[2]
        batch.item_count = inserted + updated + prices_added
        batch.note = (
            f"{inserted} records added, {updated} updated, {kept} user-edited kept, "
            f"{prices_added} prices added"
        )
        session.commit()
        return SeedResult(inserted, updated, kept, prices_added, batch.id)


def _add_seed_prices(session: Session, item_kind: str, records: Sequence[BaseModel], batch_id: int) -> int:
    stored = {price_key(p) for p in session.exec(select(PricePoint).where(PricePoint.item_kind == item_kind))}
    added = 0
    for record in records:
        for point in getattr(record, "prices", ()):
            row = new_price_row(item_kind, getattr(record, "id"), point, batch_id)  # noqa: B009
            key = price_key(row)
            if key not in stored:
                stored.add(key)
                session.add(row)
                added += 1
    return added


def _upgrade_scenarios(session: Session, records: Sequence[BaseModel]) -> tuple[int, int, int]:
    existing = {row.name: row for row in session.exec(select(Scenario)).all()}
    inserted = updated = kept = 0
    for record in records:
        assert isinstance(record, ScenarioRecord)
        new_hash = record_hash(record)
        body = record.model_dump(mode="json")
        row = existing.get(record.name)
        if row is None:
            session.add(Scenario(name=record.name, body=body, seed_hash=new_hash, updated_at=utc_now()))
            inserted += 1
        elif row.seed_hash != new_hash:
            if row.user_edited:
                kept += 1
            else:
                row.body = body
                row.seed_hash = new_hash
                row.updated_at = utc_now()
                updated += 1
    return inserted, updated, kept
