"""Model importers: a Hugging Face config.json, a GGUF header, or a safetensors index -> catalog entry.

No Qt. `import_file(path)` picks the reader from the file's name and first bytes and returns an
`ImportResult` (a validated `ModelRecord` plus what was read, derived or assumed); `save_import`
writes it to the database.
"""

from __future__ import annotations

import os
from pathlib import Path

from advisor.errors import InputError
from advisor.files import check_regular_file
from advisor.importers.result import ImportResult

__all__ = ["ImportResult", "detect_kind", "import_file", "pick_model_file"]


def detect_kind(path: Path) -> str:
    """'gguf', 'safetensors_index', 'safetensors' or 'hf_config' from the magic bytes and the file name."""
    try:
        with path.open("rb") as f:
            head = f.read(4)
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", field=str(path)) from exc
    if head == b"GGUF" or path.suffix.lower() == ".gguf":
        return "gguf"
    if path.name.endswith(".index.json"):
        return "safetensors_index"
    if path.suffix.lower() == ".safetensors":
        return "safetensors"
    return "hf_config"


def pick_model_file(folder: Path) -> Path:
    """In a model folder, the file that says the most: an index or single safetensors file (exact size,
    with config.json), else config.json, else the only .gguf (the first shard of a split GGUF)."""
    try:
        os.listdir(folder)  # an unreadable folder: say so, rather than "no such file" or a crash
    except OSError as exc:
        raise InputError(f"cannot read this folder: {exc.strerror or exc}", field=str(folder)) from exc
    for candidate in ("model.safetensors.index.json", "model.safetensors"):
        if (folder / candidate).is_file() and (folder / "config.json").is_file():
            return folder / candidate
    if (folder / "config.json").is_file():
        return folder / "config.json"
    ggufs = sorted(p for p in folder.glob("*.gguf") if "-of-" not in p.name or "-00001-of-" in p.name)
    if len(ggufs) == 1:
        return ggufs[0]
    found = ", ".join(p.name for p in ggufs[:5]) or "none"
    raise InputError(
        f"no single model file in this folder (config.json, *.gguf: {found}): name the file",
        field=str(folder),
    )


def import_file(path: str | Path, *, name: str | None = None) -> ImportResult:
    """Import a model file; InputError (naming the file and field) on anything invalid. Writes nothing."""
    p = Path(path)
    if p.is_dir():
        p = pick_model_file(p)
    check_regular_file(p, "model file")  # a FIFO would block the read forever
    kind = detect_kind(p)
    if kind == "gguf":
        from advisor.importers.gguf_import import import_gguf

        return import_gguf(p, name=name)
    if kind == "safetensors":
        from advisor.importers.safetensors_index import import_safetensors_file

        return import_safetensors_file(p, name=name)
    if kind == "safetensors_index":
        from advisor.importers.safetensors_index import import_safetensors_index

        return import_safetensors_index(p, name=name)
    from advisor.importers.hf_config import import_hf_config
    from advisor.importers.limits import read_json_capped

    data = read_json_capped(p, "config.json")
    if isinstance(data, dict) and "weight_map" in data:  # an index saved under another name
        from advisor.importers.safetensors_index import import_safetensors_index

        return import_safetensors_index(p, name=name)
    return import_hf_config(p, data, name=name)
