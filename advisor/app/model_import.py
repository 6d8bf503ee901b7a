"""Use case "import a model": read config.json / GGUF / safetensors index, preview it, save it to the catalog.

`models import FILE` on the command line and File > Import model in the app both read with
advisor.importers.import_file and save with the same name rule: a name already in the catalog is refused
unless the caller asks to update it or gives a new name (InputError, nothing written).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from advisor.app.store import MemoryStore
from advisor.errors import InputError


def read_model_file(path: str | Path) -> Any:
    """The ImportResult of a model file (record, provenance of each field, KV bytes per token, weights)."""
    from advisor.importers import import_file

    return import_file(Path(path))


def find_existing(store: MemoryStore, record: Any) -> Any:
    """The catalog model with the same id or name (case-insensitive), if any."""
    for rec in store.records("models"):
        if rec.id == record.id or rec.name.casefold() == record.name.casefold():  # type: ignore[attr-defined]
            return rec
    return None


def save_model(store: MemoryStore, result: Any, *, update: bool = False, new_name: str | None = None) -> str:
    """Write the import; InputError (nothing written) if the name is taken without update/new name. Model id."""
    engine = getattr(store, "engine", None)
    if engine is not None:
        from advisor.importers.save import save_import

        saved = save_import(result, engine, update=update, new_name=new_name)
        reload = getattr(store, "reload", None)
        if reload is not None:
            reload()
        return str(saved.id)
    # the in-memory sample: the same rule, through the store
    record = result.record
    if new_name is not None:
        from advisor.importers.result import slug

        if not new_name.strip():
            raise InputError("must not be empty", field="new name")
        record = record.model_copy(update={"name": new_name.strip(), "id": slug(new_name)})
    existing = find_existing(store, record)
    if existing is not None and (new_name is not None or not update):
        raise InputError(f"a model named '{existing.name}' is already in the catalog", field="name")
    if existing is not None:
        record = record.model_copy(update={"id": existing.id})
    store.save("models", record, replace_key=existing.id if existing is not None else None)
    return str(record.id)
