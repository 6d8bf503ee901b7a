"""GGUF header import on files written with gguf.GGUFWriter: exact bytes, quant mix, bad files."""

from __future__ import annotations

from pathlib import Path

import gguf
import numpy as np
import pytest

from advisor.errors import InputError
from advisor.importers import import_file
from advisor.importers.gguf_header import read_gguf_header
from tests.importers.conftest import write_tiny_gguf


def test_gguf_imports_with_exact_bytes(tiny_gguf: tuple[Path, dict[str, int]]) -> None:
    path, expected = tiny_gguf
    result = import_file(path)
    rec = result.record
    assert result.quant_mix_bytes == expected
    assert result.weights_bytes == sum(expected.values()) == 32768 + 256 + 2 * 8704
    assert rec.native_size_gb == pytest.approx(sum(expected.values()) / 1e9, rel=1e-12)
    params = 256 * 64 + 64 + 2 * 128 * 64
    assert rec.total_params_b * 1e9 == pytest.approx(params, abs=1e-6)
    assert result.bits_per_weight == pytest.approx(sum(expected.values()) * 8 / params)
    assert (rec.name, rec.num_layers, rec.hidden_size, rec.num_heads, rec.num_kv_heads) == (
        "Tiny-Llama-Test",
        2,
        64,
        4,
        2,
    )
    assert rec.vocab_size == 256  # counted from tokenizer.ggml.tokens without decoding it
    assert rec.head_dim == 16 and result.provenance["head_dim"] == "derived"
    assert result.kv_bytes_per_token == 2 * 2 * 2 * 16 * 2
    assert result.source_kind == "gguf" and result.architecture == "llama"


def test_gguf_moe_active_params(tmp_path: Path) -> None:
    path = tmp_path / "moe.gguf"
    expected = write_tiny_gguf(path, experts=4)
    result = import_file(path)
    experts = 2 * 4 * 128 * 64
    total = 256 * 64 + 64 + 2 * 128 * 64 + experts
    assert result.weights_bytes == sum(expected.values())
    assert result.record.expert_params_b * 1e9 == pytest.approx(experts, abs=1e-6)
    assert result.record.active_params_b * 1e9 == pytest.approx(total - experts // 2, abs=1e-6)


def test_header_reader_skips_vocab_but_counts_it(tmp_path: Path) -> None:
    path = tmp_path / "vocab.gguf"
    write_tiny_gguf(path, vocab=5000)
    header = read_gguf_header(path)
    tokens = header.metadata["tokenizer.ggml.tokens"]
    assert tokens.count == 5000 and tokens.values == ()
    assert [t.name for t in header.tensors][:2] == ["token_embd.weight", "output_norm.weight"]
    assert header.tensors[0].shape == (64, 5000)  # GGUF order: fastest dimension first


@pytest.mark.parametrize("keep", [3, 20, 200, 2000, 30000, -100])
def test_truncated_gguf_is_input_error(tiny_gguf: tuple[Path, dict[str, int]], keep: int) -> None:
    path, _ = tiny_gguf
    data = path.read_bytes()
    cut = path.with_name("cut.gguf")
    cut.write_bytes(data[:keep])
    with pytest.raises(InputError) as err:
        import_file(cut)
    assert "cut.gguf" in str(err.value)
    assert "truncated" in str(err.value) or "not a GGUF" in str(err.value)


@pytest.mark.parametrize("data, needle", [
    (b"GGUF\x03\x00\x00\x00" + bytes(10), "truncated GGUF: the header needs 24 B, the file has 18 B"),
    (b"GGUF", "truncated GGUF"),
    (b"", "empty file"),
])
def test_short_file_with_magic_says_truncated_not_no_magic(tmp_path: Path, data: bytes, needle: str) -> None:
    path = tmp_path / "short.gguf"
    path.write_bytes(data)
    with pytest.raises(InputError, match=needle):
        import_file(path)


def test_not_gguf_file(tmp_path: Path) -> None:
    path = tmp_path / "model.gguf"
    path.write_bytes(b"PK\x03\x04" + bytes(1000))
    with pytest.raises(InputError, match="not a GGUF file"):
        import_file(path)


def test_corrupt_counts_are_rejected_without_allocating(tiny_gguf: tuple[Path, dict[str, int]]) -> None:
    path, _ = tiny_gguf
    data = bytearray(path.read_bytes())
    data[16:24] = (2**40).to_bytes(8, "little")  # metadata count
    bad = path.with_name("bad.gguf")
    bad.write_bytes(bytes(data))
    with pytest.raises(InputError, match="corrupt GGUF"):
        import_file(bad)


def test_big_junk_file_is_rejected(tmp_path: Path) -> None:
    """100 MB of junk named like a GGUF and like a config.json: clear errors, nothing read in full."""
    junk = tmp_path / "junk.gguf"
    with junk.open("wb") as f:
        f.truncate(100_000_000)  # sparse: zero bytes, 100 MB
    with pytest.raises(InputError, match="not a GGUF file"):
        import_file(junk)
    as_json = tmp_path / "config.json"
    junk.rename(as_json)
    with pytest.raises(InputError, match="larger than the 16 MB limit"):
        import_file(as_json)


def _arch_gguf(path: Path, arch: str, extra: dict[str, object]) -> None:
    """A one-tensor GGUF with the given architecture keys (values typed by GGUFWriter.add_key_value)."""
    w = gguf.GGUFWriter(str(path), arch)
    w.add_name(f"test-{arch}")
    for key, (value, vtype) in extra.items():
        w.add_key_value(key.format(arch=arch), value, vtype)
    w.add_tensor("token_embd.weight", np.zeros((100, 64), dtype=np.float16))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


U32 = gguf.GGUFValueType.UINT32


def _base(layers: int, heads: int, kv: int) -> dict[str, object]:
    return {
        "{arch}.block_count": (layers, U32),
        "{arch}.embedding_length": (64, U32),
        "{arch}.attention.head_count": (heads, U32),
        "{arch}.attention.head_count_kv": (kv, U32),
        "{arch}.context_length": (8192, U32),
    }


def test_gguf_mla_kv_from_kv_lora_rank(tmp_path: Path) -> None:
    path = tmp_path / "ds.gguf"
    keys = _base(61, 128, 1) | {
        "{arch}.attention.kv_lora_rank": (512, U32),
        "{arch}.rope.dimension_count": (64, U32),
        "{arch}.attention.key_length": (576, U32),
        "{arch}.attention.key_length_mla": (192, U32),
    }
    _arch_gguf(path, "deepseek2", keys)
    result = import_file(path)
    assert result.record.attention_kind == "mla"
    assert result.kv_bytes_per_token == 61 * 576 * 2 == 70272
    assert result.record.head_dim == 192
    assert result.record.vocab_size == 100  # from token_embd when there is no token list
    assert result.provenance["vocab_size"] == "derived"


def test_gguf_gemma3_sliding_layers(tmp_path: Path) -> None:
    path = tmp_path / "g3.gguf"
    keys = _base(62, 32, 16) | {
        "{arch}.attention.sliding_window": (1024, U32),
        "{arch}.attention.key_length": (128, U32),
    }
    _arch_gguf(path, "gemma3", keys)
    result = import_file(path)
    # 1 global layer in 6: 10 global, 52 sliding (as in the config.json import)
    assert (result.record.sliding_layers, result.record.sliding_window) == (52, 1024)
    assert result.kv_bytes_per_token == 2 * 10 * 16 * 128 * 2


def test_gguf_missing_architecture_key(tmp_path: Path) -> None:
    path = tmp_path / "x.gguf"
    _arch_gguf(path, "llama", {"{arch}.embedding_length": (64, U32)})
    with pytest.raises(InputError, match="llama.block_count: missing"):
        import_file(path)


def test_split_gguf_sums_all_shards(tmp_path: Path) -> None:
    w = gguf.GGUFWriter(str(tmp_path / "m.gguf"), "llama", split_max_tensors=2)
    w.add_block_count(2)
    w.add_embedding_length(64)
    w.add_head_count(4)
    w.add_head_count_kv(2)
    w.add_tensor("token_embd.weight", np.zeros((100, 64), dtype=np.float16))
    for i in range(4):
        w.add_tensor(f"blk.{i // 2}.w{i}.weight", np.zeros((32, 64), dtype=np.float32))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    first = tmp_path / "m-00001-of-00003.gguf"
    result = import_file(first)
    assert result.weights_bytes == 100 * 64 * 2 + 4 * 32 * 64 * 4
    assert result.record.total_params_b * 1e9 == pytest.approx(100 * 64 + 4 * 32 * 64, abs=1e-6)
    with pytest.raises(InputError, match="import the first shard"):
        import_file(tmp_path / "m-00002-of-00003.gguf")
    (tmp_path / "m-00003-of-00003.gguf").unlink()
    with pytest.raises(InputError, match="shard 3 of 3 is missing"):
        import_file(first)
