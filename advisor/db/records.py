"""Reading and editing catalog records and scenarios: the functions the UI and the CLI call.

Each function is one transaction. Records are validated before anything is written, and an error names
the kind, the record id and the field (InputError, exit code 2). Saving marks a record ``user_edited`` so a
catalog upgrade never overwrites it.
"""

from __future__ import annotations

import difflib
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel, ValidationError
from sqlmodel import Session, col, select

from advisor.catalog.schema import Record, ScenarioRecord
from advisor.db.convert import (
    new_price_row,
    price_key,
    record_fields,
    resolve_kind,
    row_to_record,
    validate_record,
)
from advisor.db.models import CATALOG_TABLES, PRICED_KINDS, ImportBatch, PricePoint, Scenario, System, utc_now
from advisor.errors import InputError, NotFoundError


def live_price_rows(session: Session, item_kind: str, item_id: str | None = None) -> list[PricePoint]:
    """Price rows of an item kind (optionally one item) whose batch was not rolled back and that no user edit
    removed, oldest first."""
    query = (
        select(PricePoint)
        .outerjoin(ImportBatch, col(PricePoint.batch_id) == col(ImportBatch.id))
        .where(PricePoint.item_kind == item_kind, col(ImportBatch.rolled_back_at).is_(None),
               col(PricePoint.retracted_by).is_(None))
        .order_by(col(PricePoint.observed_at), col(PricePoint.id))
    )
    if item_id is not None:
        query = query.where(PricePoint.item_id == item_id)
    return list(session.exec(query).all())


def list_records(engine: sa.Engine, kind: str) -> list[Record]:
    """All records of a catalog kind, sorted by name, each with its live price history."""
    kind = resolve_kind(kind)
    table = CATALOG_TABLES[kind]
    with Session(engine) as session:
        rows = session.exec(select(table).order_by(col(table.name), col(table.id))).all()
        prices: dict[str, list[PricePoint]] = {}
        if kind in PRICED_KINDS:
            for price in live_price_rows(session, PRICED_KINDS[kind]):
                prices.setdefault(price.item_id, []).append(price)
        return [row_to_record(kind, row, prices.get(row.id)) for row in rows]


def get_record(engine: sa.Engine, kind: str, record_id: str) -> Record:
    """One record by id; NotFoundError lists the closest ids."""
    kind = resolve_kind(kind)
    table = CATALOG_TABLES[kind]
    with Session(engine) as session:
        row = session.get(table, record_id)
        if row is None:
            ids = list(session.exec(select(table.id)).all())
            raise NotFoundError(_unknown(f"{kind} id", record_id, ids), field=kind)
        prices = live_price_rows(session, PRICED_KINDS[kind], record_id) if kind in PRICED_KINDS else None
        return row_to_record(kind, row, prices)


def is_user_edited(engine: sa.Engine, kind: str, record_id: str) -> bool:
    with Session(engine) as session:
        row = session.get(CATALOG_TABLES[resolve_kind(kind)], record_id)
        return bool(row is not None and row.user_edited)


def save_record(
    engine: sa.Engine, kind: str, record: BaseModel | dict[str, Any], user_edited: bool = True
) -> Record:
    """Insert or replace a catalog record (by id); its prices not stored yet are appended as a batch
    of kind "manual". Returns the validated record. Systems must name existing hardware and host."""
    kind = resolve_kind(kind)
    valid = validate_record(kind, record)
    table = CATALOG_TABLES[kind]
    with Session(engine) as session:
        if kind == "systems":
            _check_system_refs(session, valid)
        row = session.get(table, valid.id)
        if row is None:
            row = table(**record_fields(valid), user_edited=user_edited, seed_hash=None)
            session.add(row)
        else:
            for name, value in record_fields(valid).items():
                setattr(row, name, value)
            row.user_edited = user_edited
        session.flush()
        if kind in PRICED_KINDS and getattr(valid, "prices", None):
            item_kind = PRICED_KINDS[kind]
            stored = {price_key(p) for p in live_price_rows(session, item_kind, valid.id)}
            new_rows = [new_price_row(item_kind, valid.id, p, None) for p in getattr(valid, "prices")]  # noqa: B009
            new_rows = [r for r in new_rows if price_key(r) not in stored]
            if new_rows:
                batch = ImportBatch(
                    kind="manual",
                    source_name="catalog edit",
                    item_count=len(new_rows),
                    note=f"prices of {kind} {valid.id}",
                    created_at=utc_now(),
                )
                session.add(batch)
                session.flush()
                for price_row in new_rows:
                    price_row.batch_id = batch.id
                    session.add(price_row)
        session.commit()
    return valid


def _check_system_refs(session: Session, record: Record) -> None:
    for field, kind in (("accelerator", "hardware"), ("host", "hosts")):
        ref = getattr(record, field)
        if session.get(CATALOG_TABLES[kind], ref) is None:
            ids = list(session.exec(select(CATALOG_TABLES[kind].id)).all())
            raise NotFoundError(_unknown(f"{kind} id", ref, ids), field=f"systems[{record.id}].{field}")


def delete_record(engine: sa.Engine, kind: str, record_id: str) -> None:
    """Delete a record and its price history. Hardware or a host that a system uses is refused."""
    kind = resolve_kind(kind)
    table = CATALOG_TABLES[kind]
    with Session(engine) as session:
        row = session.get(table, record_id)
        if row is None:
            ids = list(session.exec(select(table.id)).all())
            raise NotFoundError(_unknown(f"{kind} id", record_id, ids), field=kind)
        if kind in ("hardware", "hosts"):
            column = col(System.accelerator) if kind == "hardware" else col(System.host)
            users = session.exec(select(System.id).where(column == record_id)).all()
            if users:
                raise InputError(
                    f"{record_id} is used by systems {', '.join(sorted(users))}; delete those first",
                    field=kind,
                )
        if kind in PRICED_KINDS:
            for price in session.exec(
                select(PricePoint).where(
                    PricePoint.item_kind == PRICED_KINDS[kind], PricePoint.item_id == record_id
                )
            ):
                session.delete(price)
        session.delete(row)
        session.commit()


def list_scenarios(engine: sa.Engine) -> list[ScenarioRecord]:
    """All scenarios, sorted by name."""
    with Session(engine) as session:
        rows = session.exec(select(Scenario).order_by(col(Scenario.name))).all()
        return [ScenarioRecord.model_validate(row.body) for row in rows]


def get_scenario(engine: sa.Engine, name: str) -> ScenarioRecord:
    """A scenario by name (exact, else case-insensitive); NotFoundError lists the closest names."""
    with Session(engine) as session:
        row = session.exec(select(Scenario).where(Scenario.name == name)).first()
        if row is None:
            matches = session.exec(select(Scenario).where(sa.func.lower(Scenario.name) == name.lower())).all()
            row = matches[0] if len(matches) == 1 else None
        if row is None:
            names = list(session.exec(select(Scenario.name)).all())
            raise NotFoundError(_unknown("scenario", name, names), field="scenario")
        return ScenarioRecord.model_validate(row.body)


def save_scenario(
    engine: sa.Engine, scenario: ScenarioRecord | dict[str, Any], user_edited: bool = True
) -> ScenarioRecord:
    """Insert or replace a scenario by name. Returns the validated scenario."""
    try:
        valid = ScenarioRecord.model_validate(
            scenario.model_dump() if isinstance(scenario, BaseModel) else scenario
        )
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "scenario"
        raise InputError(err["msg"], field=f"scenario.{where}") from None
    body = valid.model_dump(mode="json")
    with Session(engine) as session:
        row = session.exec(select(Scenario).where(Scenario.name == valid.name)).first()
        if row is None:
            session.add(Scenario(name=valid.name, body=body, user_edited=user_edited, updated_at=utc_now()))
        else:
            row.body = body
            row.user_edited = user_edited
            row.updated_at = utc_now()
        session.commit()
    return valid


def delete_scenario(engine: sa.Engine, name: str) -> None:
    with Session(engine) as session:
        row = session.exec(select(Scenario).where(Scenario.name == name)).first()
        if row is None:
            names = list(session.exec(select(Scenario.name)).all())
            raise NotFoundError(_unknown("scenario", name, names), field="scenario")
        session.delete(row)
        session.commit()


def _unknown(what: str, name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
    hint = f"; closest: {', '.join(close)}" if close else ""
    return f"unknown {what} {name!r}{hint}"
