"""File > Import model: a real config.json and a real GGUF (written with gguf.GGUFWriter) are read in the
background, previewed, and saved / saved under a new name / updated in a real SQLite database; a broken
file is refused with its reason and nothing is written."""

from __future__ import annotations

from pathlib import Path

import gguf
import numpy as np
from gguf import GGMLQuantizationType

from advisor import db
from ui.dialogs.import_model_dialog import ImportModelDialog

QWEN3_8B = Path(__file__).resolve().parent.parent / "fixtures" / "configs" / "Qwen3-8B" / "config.json"


def _write_gguf(path: Path) -> int:
    """A 2-layer llama GGUF (F16 embedding, F32 norm, Q8_0 blocks); returns its exact tensor bytes."""
    w = gguf.GGUFWriter(str(path), "llama")
    w.add_name("Tiny-GUI-Import")
    w.add_block_count(2)
    w.add_context_length(2048)
    w.add_embedding_length(64)
    w.add_feed_forward_length(128)
    w.add_head_count(4)
    w.add_head_count_kv(2)
    w.add_token_list([f"t{i}".encode() for i in range(256)])
    rng = np.random.default_rng(1)
    w.add_tensor("token_embd.weight", rng.standard_normal((256, 64)).astype(np.float16))
    w.add_tensor("output_norm.weight", np.ones(64, dtype=np.float32))
    for i in range(2):
        q = gguf.quants.quantize(rng.standard_normal((128, 64)).astype(np.float32), GGMLQuantizationType.Q8_0)
        w.add_tensor(f"blk.{i}.ffn_up.weight", q, raw_dtype=GGMLQuantizationType.Q8_0)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return 256 * 64 * 2 + 64 * 4 + 2 * (128 * 64 // 32 * 34)  # F16 2 B, F32 4 B, Q8_0 34 B per 32


def _read(qtbot, store, path: Path) -> ImportModelDialog:  # type: ignore[no-untyped-def]
    dialog = ImportModelDialog(store, path)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.panel.finished, timeout=20000):
        dialog.start()
    return dialog


def test_config_json_preview_then_new_name_or_update(qtbot, db_store) -> None:  # type: ignore[no-untyped-def]
    dialog = _read(qtbot, db_store, QWEN3_8B)
    # Qwen3-8B: 2 (K and V) x 36 layers x 8 KV heads x 128 dims x 2 B = 147,456 B per token
    assert "147,456 B per token" in dialog.summary.text()
    assert "~16.4 GB (estimate" in dialog.summary.text()
    text = dialog.preview.toPlainText()
    assert "num_layers         36             read" in text
    assert "attention_kind     gqa            derived" in text
    # the seed catalog already has Qwen3-8B: plain Save is refused, Update / new name offered
    assert "already in" in dialog.summary.text()
    assert not dialog.save_button.isEnabled() and dialog.update_button.isEnabled()
    n_models = len(db.list_records(db_store.engine, "models"))
    assert dialog.save(new_name="Qwen3 8B (GUI test)")
    assert dialog.saved_id == "qwen3-8b-gui-test"
    saved = db.get_record(db_store.engine, "models", "qwen3-8b-gui-test")
    assert saved.num_layers == 36 and saved.num_kv_heads == 8
    assert len(db.list_records(db_store.engine, "models")) == n_models + 1
    assert db_store.get("models", "qwen3-8b-gui-test") is not None  # the store reloaded
    again = _read(qtbot, db_store, QWEN3_8B)
    assert again.update_button.isEnabled()
    assert again.save(update=True) and again.saved_id == "qwen3-8b"
    assert len(db.list_records(db_store.engine, "models")) == n_models + 1  # replaced, not added


def test_gguf_exact_weights_saved(qtbot, db_store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "tiny.gguf"
    exact = _write_gguf(path)
    dialog = _read(qtbot, db_store, path)
    assert dialog.import_result.weights_bytes == exact
    assert f"{exact / 1e9:,.3f} GB (exact" in dialog.summary.text()
    # 2 layers x 2 KV heads x (64/4 = 16 dims) x 2 (K and V) x 2 B = 256 B per token
    assert "256 B per token" in dialog.summary.text()
    assert dialog.save_button.isEnabled() and not dialog.update_button.isEnabled()
    dialog.save_button.click()
    assert dialog.saved_id is not None
    assert db.get_record(db_store.engine, "models", dialog.saved_id).num_layers == 2


def test_broken_gguf_refused_nothing_written(qtbot, db_store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "broken.gguf"
    path.write_bytes(b"GGUF\x03\x00\x00\x00" + b"\x01" * 10)  # header cut short
    n_models = len(db.list_records(db_store.engine, "models"))
    dialog = ImportModelDialog(db_store, path)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.panel.failed, timeout=20000):
        dialog.start()
    assert "Cannot import broken.gguf" in dialog.error.text()
    assert "Nothing was written" in dialog.error.text()
    assert "Traceback" not in dialog.error.text()
    assert not any(b.isEnabled() for b in (dialog.save_button, dialog.update_button, dialog.save_new_button))
    assert not dialog.save()
    assert len(db.list_records(db_store.engine, "models")) == n_models
