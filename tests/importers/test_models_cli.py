"""`python main.py models import` end to end: JSON contract, exit codes, same-name rule, DB unchanged on errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from advisor.cli import main
from advisor.db.database import open_database
from advisor.db.records import get_record, list_records
from tests.importers.conftest import CONFIGS, write_tiny_gguf

REQUIRED = (
    "name",
    "architecture",
    "num_layers",
    "total_params_b",
    "active_params_b",
    "kv_bytes_per_token",
    "attention_kind",
    "weights_bytes",
    "weights_gb",
)


def _models(url: str) -> list:
    engine = open_database(url)
    try:
        return sorted(r.model_dump_json() for r in list_records(engine, "models"))
    finally:
        engine.dispose()


def test_json_dry_run_prints_contract_fields(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "tiny.gguf"
    expected = write_tiny_gguf(path)
    assert main(["models", "import", str(path), "--json", "--dry-run"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert all(k in out for k in REQUIRED)
    assert out["weights_bytes"] == sum(expected.values())
    assert out["weights_gb"] == sum(expected.values()) / 1e9
    assert out["saved_id"] is None
    assert out["kv_bytes_per_token"] == 256.0


def test_preview_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["models", "import", str(CONFIGS / "DeepSeek-V3" / "config.json"), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "70,272 B/token" in out
    assert "kv_lora_rank       512" in out
    assert "dry run: nothing written" in out


def test_import_same_name_update_and_new_name(
    db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("RIG_ADVISOR_DB_URL", db_url)
    folder = tmp_path / "Brand-New-8B"
    folder.mkdir()
    cfg = json.loads((CONFIGS / "Llama-3.1-8B" / "config.json").read_text())
    (folder / "config.json").write_text(json.dumps(cfg))
    config = str(folder / "config.json")
    assert main(["models", "import", config]) == 0
    assert "saved as models/brand-new-8b" in capsys.readouterr().out
    before = _models(db_url)
    # the same name again: exit 2, the reason names the choice, nothing written
    assert main(["models", "import", config]) == 2
    assert "--update" in capsys.readouterr().err
    assert _models(db_url) == before
    # --update replaces it in place, --new-name adds a second entry
    cfg["num_hidden_layers"] = 40
    (folder / "config.json").write_text(json.dumps(cfg))
    assert main(["models", "import", config, "--update"]) == 0
    assert main(["models", "import", config, "--new-name", "Brand New 8B (40 layers)"]) == 0
    engine = open_database(db_url)
    try:
        assert get_record(engine, "models", "brand-new-8b").num_layers == 40
        assert get_record(engine, "models", "brand-new-8b-40-layers").name == "Brand New 8B (40 layers)"
    finally:
        engine.dispose()
    assert len(_models(db_url)) == len(before) + 1


@pytest.mark.parametrize("content", [b"GGUF\x03\x00\x00\x00", b"not json", b'{"model_type": "llama"}'])
def test_bad_files_exit_2_and_leave_db_unchanged(
    sqlite_url: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: bytes,
) -> None:
    monkeypatch.setenv("RIG_ADVISOR_DB_URL", sqlite_url)
    before = _models(sqlite_url)
    path = tmp_path / ("m.gguf" if content.startswith(b"GGUF") else "config.json")
    path.write_bytes(content)
    assert main(["models", "import", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and str(path) in err and len(err.strip().splitlines()) == 1
    assert _models(sqlite_url) == before
