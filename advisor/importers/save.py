"""Writing an imported model into the catalog database, with the same-name rule.

A model whose name (case-insensitive) or id is already in the catalog is not overwritten silently:
the caller chooses ``update`` (replace that entry, keeping its id) or a new name (a second entry).
"""

from __future__ import annotations

from typing import Any

from advisor.catalog.schema import ModelRecord
from advisor.errors import InputError
from advisor.importers.result import ImportResult, make_record, slug


def find_existing(engine: Any, record: ModelRecord) -> ModelRecord | None:
    """The catalog model with the same name (case-insensitive) or the same id, if any."""
    from advisor.db.records import list_records

    for existing in list_records(engine, "models"):
        assert isinstance(existing, ModelRecord)
        if existing.id == record.id or existing.name.casefold() == record.name.casefold():
            return existing
    return None


def save_import(
    result: ImportResult, engine: Any, *, update: bool = False, new_name: str | None = None
) -> ModelRecord:
    """Save the imported record; InputError (nothing written) when the name is taken and no choice was made.

    update: replace the existing same-name entry (its id is kept). new_name: save under this name instead.
    """
    from advisor.db.records import save_record

    record = result.record
    if new_name is not None:
        if not new_name.strip():
            raise InputError("must not be empty", field="--new-name")
        fields = record.model_dump()
        fields |= {"name": new_name.strip(), "id": slug(new_name)}
        source = fields.pop("source")
        fields.pop("as_of")
        record = make_record(fields, source=source, path="--new-name")
    existing = find_existing(engine, record)
    if existing is not None:
        if new_name is not None:
            raise InputError(
                f"a model named '{existing.name}' (id {existing.id}) is already in the catalog",
                field="--new-name",
            )
        if not update:
            raise InputError(
                f"a model named '{existing.name}' (id {existing.id}) is already in the catalog: rerun with "
                "--update to replace it or --new-name NAME to add a second entry",
                field="name",
            )
        record = record.model_copy(update={"id": existing.id})
    saved = save_record(engine, "models", record, user_edited=True)
    assert isinstance(saved, ModelRecord)
    return saved
