"""Hostile bytes: a GGUF header or a config.json with random damage gives InputError, never a crash."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.errors import InputError
from advisor.importers import import_file
from tests.importers.conftest import CONFIGS, write_tiny_gguf

_FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@_FUZZ
@given(data=st.data())
def test_damaged_gguf_is_input_error_or_valid(tmp_path_factory, data: st.DataObject) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / "m.gguf"
    write_tiny_gguf(path, vocab=16)
    raw = bytearray(path.read_bytes())
    header_end = 1200  # damage the header region, where lengths and counts live
    for _ in range(data.draw(st.integers(1, 6))):
        pos = data.draw(st.integers(4, min(header_end, len(raw) - 1)))
        raw[pos] = data.draw(st.integers(0, 255))
    path.write_bytes(bytes(raw))
    try:
        result = import_file(path)
    except InputError as exc:
        assert str(path) in str(exc)
    else:
        assert result.weights_bytes is not None and result.weights_bytes <= len(raw)


@_FUZZ
@given(
    key=st.sampled_from(
        [
            "num_hidden_layers",
            "hidden_size",
            "num_attention_heads",
            "num_key_value_heads",
            "intermediate_size",
            "vocab_size",
            "head_dim",
            "max_position_embeddings",
        ]
    ),
    value=st.one_of(
        st.integers(-(10**12), 10**12),
        st.floats(allow_nan=True),
        st.text(max_size=5),
        st.none(),
        st.booleans(),
        st.lists(st.integers(), max_size=2),
    ),
)
def test_config_field_values_never_crash(tmp_path_factory, key: str, value: object) -> None:
    cfg = json.loads((CONFIGS / "Qwen3-30B-A3B" / "config.json").read_text())
    cfg[key] = value
    path: Path = tmp_path_factory.mktemp("cfg") / "config.json"
    path.write_text(json.dumps(cfg))
    try:
        result = import_file(path)
    except InputError as exc:
        assert key in str(exc) or "hidden_size" in str(exc) or "head" in str(exc)
    else:
        assert result.record.total_params_b > 0


def test_overlapping_tensors_from_a_damaged_offset_are_refused(tmp_path) -> None:
    """Found by the property above in CI: one damaged byte of a tensor offset made two tensors share bytes,
    each fitting on its own, so the 'exact' weight size exceeded the file. The sum must fit too."""
    path = tmp_path / "m.gguf"
    write_tiny_gguf(path, vocab=16)
    raw = bytearray(path.read_bytes())
    raw[631] = 23
    path.write_bytes(bytes(raw))
    try:
        result = import_file(path)
    except InputError as exc:
        assert str(path) in str(exc)
    else:
        assert result.weights_bytes is not None and result.weights_bytes <= len(raw)


@_FUZZ
@given(shape=st.lists(st.integers(0, 3), min_size=1, max_size=3))
def test_gguf_tensor_of_any_shape_including_zero_is_input_error_or_valid(tmp_path_factory, shape: list[int]) -> None:
    """Issue 16: a zero dimension made the bits-per-weight a ZeroDivisionError (exit 1)."""
    import gguf
    import numpy as np

    path = tmp_path_factory.mktemp("shape") / "m.gguf"
    w = gguf.GGUFWriter(str(path), "llama")
    for add, value in ((w.add_block_count, 1), (w.add_context_length, 512), (w.add_embedding_length, 8),
                       (w.add_head_count, 2)):
        add(value)
    w.add_token_list([b"a", b"b"])
    w.add_tensor("blk.0.ffn_up.weight", np.ones(shape, dtype=np.float32))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    try:
        result = import_file(path)
    except InputError as exc:
        assert str(path) in str(exc)
        assert 0 in shape or "token" in str(exc) or "head" in str(exc), str(exc)
    else:
        assert 0 not in shape and result.record.total_params_b > 0


@_FUZZ
@given(key=st.sampled_from(["num_hidden_layers", "hidden_size", "vocab_size", "max_position_embeddings",
                            "num_key_value_heads"]),
       raw=st.one_of(st.integers(300, 6000).map(lambda n: "9" * n), st.just("1e400"), st.just("-1e400"),
                     st.integers(1, 120_000).map(lambda n: "[" * n + "]" * n)))
def test_config_field_with_a_huge_number_or_deep_nesting_names_the_file(tmp_path_factory, key: str,
                                                                        raw: str) -> None:
    cfg = json.loads((CONFIGS / "Qwen3-30B-A3B" / "config.json").read_text())
    cfg[key] = "@@raw@@"
    path: Path = tmp_path_factory.mktemp("cfg") / "config.json"
    path.write_text(json.dumps(cfg).replace('"@@raw@@"', raw))
    try:
        import_file(path)
    except InputError as exc:
        assert str(path) in str(exc)
        assert key in str(exc) or "nested too deeply" in str(exc) or "head" in str(exc), str(exc)[:200]
    else:
        raise AssertionError(f"{key} = {raw[:20]}... was accepted")
