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
    assert any("43 shards" in n for n in result.notes)


def test_index_without_config_is_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="config.json beside the index is missing"):
        import_file(_index(tmp_path))


@pytest.mark.parametrize("total", [-1, "big", None, 10**20])
def test_bad_total_size(tmp_path: Path, total: object) -> None:
    shutil.copy(CONFIGS / "Llama-3.1-8B" / "config.json", tmp_path / "config.json")
    with pytest.raises(InputError, match="metadata.total_size"):
        import_file(_index(tmp_path, total))
