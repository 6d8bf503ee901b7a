"""model.safetensors.index.json: exact bytes from metadata.total_size, architecture from the config beside it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from advisor.errors import InputError
from advisor.importers import import_file
from tests.importers.conftest import CONFIGS

# DeepSeek-V4-Flash-0731: index total_size 166,878,536,440 B in 48 shards (reference/models.json)
TOTAL = 166_878_536_440


def _index(folder: Path, total: object = TOTAL) -> Path:
    path = folder / "model.safetensors.index.json"
    weight_map = {
        f"layers.{i}.attn.wkv.weight": f"model-{i % 48 + 1:05d}-of-00048.safetensors" for i in range(43)
    }
    path.write_text(json.dumps({"metadata": {"total_size": total}, "weight_map": weight_map}))
    return path


def test_index_gives_exact_size_with_config(tmp_path: Path) -> None:
    folder = tmp_path / "DeepSeek-V4-Flash"
    folder.mkdir()
    shutil.copy(CONFIGS / "DeepSeek-V4-Flash" / "config.json", folder / "config.json")
    result = import_file(_index(folder))
    assert result.source_kind == "safetensors_index"
    assert result.weights_bytes == TOTAL
    assert result.to_json()["weights_gb"] == TOTAL / 1e9
    assert result.record.native_size_gb == TOTAL / 1e9
    assert result.provenance["native_size_gb"] == "read"
    assert result.record.num_layers == 43 and result.kv_bytes_per_token == 6880
    assert any("in 43 file(s), 43 tensors" in n for n in result.notes)


def test_index_without_config_is_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="config.json beside the index is missing"):
        import_file(_index(tmp_path))


@pytest.mark.parametrize("total", [-1, "big", None, 10**20])
def test_bad_total_size(tmp_path: Path, total: object) -> None:
    shutil.copy(CONFIGS / "Llama-3.1-8B" / "config.json", tmp_path / "config.json")
    with pytest.raises(InputError, match="metadata.total_size"):
        import_file(_index(tmp_path, total))


def _write_safetensors(path: Path, tensors: dict[str, tuple[str, list[int]]], cut: int = 0) -> int:
    """A real safetensors file: u64 header length, JSON header, tensor data; returns the data bytes."""
    import struct

    width = {"BF16": 2, "F32": 4, "U8": 1}
    header: dict[str, object] = {"__metadata__": {"format": "pt"}}
    offset = 0
    for name, (dtype, shape) in tensors.items():
        n = width[dtype]
        for d in shape:
            n *= d
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + n]}
        offset += n
    raw = json.dumps(header).encode()
    path.write_bytes(struct.pack("<Q", len(raw)) + raw + bytes(offset - cut))
    return offset


def test_single_safetensors_file_exact_size(tmp_path: Path) -> None:
    shutil.copy(CONFIGS / "Qwen3-8B" / "config.json", tmp_path / "config.json")
    data = _write_safetensors(
        tmp_path / "model.safetensors", {"a.weight": ("BF16", [64, 32]), "b.weight": ("F32", [10])}
    )
    assert data == 64 * 32 * 2 + 40
    result = import_file(tmp_path / "model.safetensors")
    assert result.weights_bytes == data and result.source_kind == "safetensors"
    # a folder picks the file that tells the exact size
    assert import_file(tmp_path).weights_bytes == data


def test_truncated_safetensors_file(tmp_path: Path) -> None:
    shutil.copy(CONFIGS / "Qwen3-8B" / "config.json", tmp_path / "config.json")
    _write_safetensors(tmp_path / "model.safetensors", {"a.weight": ("BF16", [64, 32])}, cut=10)
    with pytest.raises(InputError, match="truncated safetensors"):
        import_file(tmp_path / "model.safetensors")
    (tmp_path / "model.safetensors").write_bytes(b"\xff" * 16)
    with pytest.raises(InputError, match="not a safetensors file"):
        import_file(tmp_path / "model.safetensors")


def test_folder_without_model_file(tmp_path: Path) -> None:
    (tmp_path / "a.gguf").write_bytes(b"GGUF")
    (tmp_path / "b.gguf").write_bytes(b"GGUF")
    with pytest.raises(InputError, match="no single model file"):
        import_file(tmp_path)
