"""Import a `model.safetensors.index.json` (metadata.total_size is the exact checkpoint size [B]) or a
single `model.safetensors` (its tensor data size, read from the header without loading tensors).

Neither describes the architecture, so the config.json beside it is imported and the exact size
attached (weights_bytes, native_size_gb).
"""

from __future__ import annotations

import dataclasses
import json
import struct
from pathlib import Path

from advisor.errors import InputError
from advisor.files import check_regular_file
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
    for tensor, shard in weight_map.items():  # tensor name -> shard file name, both text
        if not isinstance(shard, str):
            raise InputError(
                f"must name a shard file (text), got {type(shard).__name__}", field=f"{path}: weight_map[{tensor!r}]"
            )
    return _with_exact_size(path, total_bytes, len(set(weight_map.values())), len(weight_map), name)


def import_safetensors_file(path: Path, *, name: str | None = None) -> ImportResult:
    """A single-file checkpoint: 8-byte header length, a JSON header, then the tensor data [B]."""
    check_regular_file(path, "safetensors file")
    size = path.stat().st_size
    with path.open("rb") as f:
        head = f.read(8)
        if len(head) < 8:
            raise InputError("truncated safetensors file (no header length)", field=str(path))
        (n,) = struct.unpack("<Q", head)
        if n < 2 or n > min(size - 8, 100_000_000):
            raise InputError(f"not a safetensors file (header length {n}, file {size} B)", field=str(path))
        try:
            header = json.loads(f.read(n))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InputError("not a safetensors file (header is not JSON)", field=str(path)) from exc
    if not isinstance(header, dict):
        raise InputError("not a safetensors file (header is not an object)", field=str(path))
    ends = [
        t["data_offsets"][1]
        for k, t in header.items()
        if k != "__metadata__"
        and isinstance(t, dict)
        and isinstance(t.get("data_offsets"), list)
        and len(t["data_offsets"]) == 2
    ]
    data_bytes = size - 8 - n
    if not ends or max(ends) > data_bytes:
        raise InputError(
            f"truncated safetensors file: tensors need {max(ends, default=0)} B of data, "
            f"the file has {data_bytes}",
            field=str(path),
        )
    return _with_exact_size(path, max(ends), 1, len(ends), name)


def _with_exact_size(
    path: Path, total_bytes: int, shards: int, tensors: int, name: str | None
) -> ImportResult:
    config = path.parent / "config.json"
    if not config.is_file():
        raise InputError(
            "the config.json beside the index is missing: it describes the architecture", field=str(config)
        )
    base = import_hf_config(config, name=name)
    fields = base.record.model_dump()
    fields["native_size_gb"] = total_bytes / 1e9
    fields.pop("as_of")
    fields.pop("source")
    record = make_record(
        fields, source=f"imported from {config.name} + {path.name} (exact size)", path=str(path)
    )
    provenance = dict(base.provenance, native_size_gb="read")
    params_bytes = base.record.total_params_b * 1e9
    notes = (
        *base.notes,
        f"checkpoint {total_bytes:,} B in {shards} file(s), {tensors} tensors "
        f"({total_bytes * 8 / params_bytes:.2f} bits per derived parameter)",
    )
    return dataclasses.replace(
        base,
        record=record,
        source_kind="safetensors_index" if path.name.endswith(".json") else "safetensors",
        path=str(path),
        provenance=provenance,
        weights_bytes=total_bytes,
        weights_bytes_estimate=None,
        notes=notes,
    )
