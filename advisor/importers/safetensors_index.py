"""Import a `model.safetensors.index.json`: metadata.total_size is the exact checkpoint size [B].

The index alone does not describe the architecture, so the config.json beside it is imported and the
exact size attached (weights_bytes, native_size_gb).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from advisor.errors import InputError
from advisor.importers.hf_config import import_hf_config
from advisor.importers.limits import as_int, read_json_capped
from advisor.importers.result import ImportResult, make_record


def import_safetensors_index(path: Path, *, name: str | None = None) -> ImportResult:
    """Exact checkpoint bytes from the index plus the architecture from ./config.json."""
    data = read_json_capped(path, "safetensors index")
    if not isinstance(data, dict) or not isinstance(data.get("metadata"), dict):
        raise InputError("not a safetensors index (no metadata object)", field=f"{path}: metadata")
    total = data["metadata"].get("total_size")
    if total is None:
        raise InputError("missing", field=f"{path}: metadata.total_size")
    total_bytes = as_int(total, f"{path}: metadata.total_size", maximum=100_000_000_000_000)
    weight_map = data.get("weight_map")
    if not isinstance(weight_map, dict) or not weight_map:
        raise InputError("missing or empty", field=f"{path}: weight_map")
    config = path.parent / "config.json"
    if not config.is_file():
        raise InputError(
            "the config.json beside the index is missing: it describes the architecture", field=str(config)
        )
    base = import_hf_config(config, name=name)
    shards = len(set(weight_map.values()))
    fields = base.record.model_dump()
    fields["native_size_gb"] = total_bytes / 1e9
    fields["source"] = f"imported from {config.name} + {path.name} (exact size)"
    fields.pop("as_of")
    record = make_record(fields, source=fields.pop("source"), path=str(path))
    provenance = dict(base.provenance, native_size_gb="read")
    params_bytes = base.record.total_params_b * 1e9
    notes = (
        *base.notes,
        f"checkpoint {total_bytes:,} B in {shards} shards, {len(weight_map)} tensors "
        f"({total_bytes * 8 / params_bytes:.2f} bits per derived parameter)",
    )
    return dataclasses.replace(
        base,
        record=record,
        source_kind="safetensors_index",
        path=str(path),
        provenance=provenance,
        weights_bytes=total_bytes,
        weights_bytes_estimate=None,
        notes=notes,
    )
