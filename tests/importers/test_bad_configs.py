"""Bad config.json files: missing or absurd fields, non-JSON, not an object -> InputError naming the field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from advisor.errors import InputError
from advisor.importers import import_file
from tests.importers.conftest import CONFIGS


def _write(tmp_path: Path, cfg: object) -> Path:
    path = tmp_path / "config.json"
    path.write_text(json.dumps(cfg))
    return path


def _llama() -> dict:
    return json.loads((CONFIGS / "Llama-3.1-8B" / "config.json").read_text())


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"num_hidden_layers": -4}, "num_hidden_layers", "must be >= 1"),
        ({"num_attention_heads": 10**9}, "num_attention_heads", "absurd value"),
        ({"num_key_value_heads": 64}, "num_key_value_heads", "exceed"),
        ({"hidden_size": "4096"}, "hidden_size", "whole number"),
        ({"hidden_size": 4096.5}, "hidden_size", "whole number"),
        ({"vocab_size": None}, "vocab_size", "missing"),
        ({"intermediate_size": None}, "intermediate_size", "missing"),
        ({"model_type": None}, "model_type", "missing"),
        ({"tie_word_embeddings": "no"}, "tie_word_embeddings", "true or false"),
        ({"max_position_embeddings": 0}, "max_position_embeddings", "must be >= 1"),
    ],
)
def test_bad_field_names_the_field(tmp_path: Path, change: dict, field: str, message: str) -> None:
    cfg = _llama() | change
    with pytest.raises(InputError) as err:
        import_file(_write(tmp_path, cfg))
    assert field in str(err.value)
    assert message in str(err.value)


def test_missing_layers(tmp_path: Path) -> None:
    cfg = _llama()
    del cfg["num_hidden_layers"]
    with pytest.raises(InputError, match="num_hidden_layers: missing"):
        import_file(_write(tmp_path, cfg))


def test_moe_top_k_beyond_experts(tmp_path: Path) -> None:
    cfg = json.loads((CONFIGS / "Mixtral-8x7B-v0.1" / "config.json").read_text()) | {"num_experts_per_tok": 9}
    with pytest.raises(InputError, match="num_experts_per_tok"):
        import_file(_write(tmp_path, cfg))


def test_v4_short_compress_ratios(tmp_path: Path) -> None:
    cfg = json.loads((CONFIGS / "DeepSeek-V4-Flash" / "config.json").read_text())
    cfg["compress_ratios"] = [4, 128]
    with pytest.raises(InputError, match="compress_ratios: has 2 entries for 43 layers"):
        import_file(_write(tmp_path, cfg))


def test_not_json(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    path.write_text("{'model_type': 'llama',")
    with pytest.raises(InputError, match="not valid JSON"):
        import_file(path)
    path.write_bytes(b"\xff\xfe\x00binary")
    with pytest.raises(InputError, match="not UTF-8"):
        import_file(path)


def test_json_that_is_not_an_object(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="must be a JSON object"):
        import_file(_write(tmp_path, [1, 2, 3]))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        import_file(tmp_path / "nope.json")
