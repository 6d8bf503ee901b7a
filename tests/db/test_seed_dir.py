"""The real bundled catalog through open_database: upgrade from a modified copy, a broken copy changes nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from advisor.db.database import open_database
from advisor.db.records import get_record, list_records, save_record
from advisor.errors import InputError
from advisor.paths import catalog_dir
from tests.db.test_seed import row_counts


def _copy_catalog(dest: Path) -> Path:
    shutil.copytree(catalog_dir(), dest)
    return dest


def _edit_json(path: Path, index: int, **changes: object) -> None:
    data = json.loads(path.read_text())
    data[index].update(changes)
    path.write_text(json.dumps(data, indent=1))


def test_bundled_seed_loads_and_is_idempotent(db_url: str) -> None:
    engine = open_database(db_url)
    before = row_counts(engine)
    models = {m.id: m for m in list_records(engine, "models")}
    assert (models["deepseek-v4-pro"].total_params_b, models["deepseek-v4-pro"].active_params_b) == (1600, 49)
    assert before["accelerator"] == len(json.loads((catalog_dir() / "hardware.json").read_text()))
    engine.dispose()
    engine = open_database(db_url)
    assert row_counts(engine) == before
    engine.dispose()


def test_modified_seed_updates_unedited_and_keeps_user_edited(db_url: str, tmp_path: Path) -> None:
    seed1 = _copy_catalog(tmp_path / "v1")
    models = json.loads((seed1 / "models.json").read_text())
    edited_id, plain_id = models[0]["id"], models[1]["id"]
    engine = open_database(db_url, seed_dir=seed1)
    mine = get_record(engine, "models", edited_id).model_copy(update={"notes": "my own notes"})
    save_record(engine, "models", mine)
    engine.dispose()

    seed2 = _copy_catalog(tmp_path / "v2")
    _edit_json(seed2 / "models.json", 0, notes="catalog v2 notes", max_context=12345)
    _edit_json(seed2 / "models.json", 1, notes="catalog v2 notes", max_context=23456)
    engine = open_database(db_url, seed_dir=seed2)
    assert get_record(engine, "models", edited_id).notes == "my own notes"
    assert get_record(engine, "models", edited_id).max_context != 12345
    assert get_record(engine, "models", plain_id).notes == "catalog v2 notes"
    assert get_record(engine, "models", plain_id).max_context == 23456
    engine.dispose()


def test_broken_seed_is_input_error_and_writes_nothing(db_url: str, tmp_path: Path) -> None:
    good = _copy_catalog(tmp_path / "good")
    engine = open_database(db_url, seed_dir=good)
    before = row_counts(engine)
    engine.dispose()
    broken = _copy_catalog(tmp_path / "broken")
    _edit_json(broken / "hardware.json", 3, memory_gb=-24)
    _edit_json(broken / "models.json", 0, notes="changed, must not be written")
    with pytest.raises(InputError, match=r"hardware\.json\[3\].*memory_gb"):
        open_database(db_url, seed_dir=broken)
    engine = open_database(db_url, seed=False)
    assert row_counts(engine) == before
    first_model = json.loads((good / "models.json").read_text())[0]
    assert get_record(engine, "models", first_model["id"]).notes == first_model.get("notes", "")
    engine.dispose()


def test_fresh_database_broken_seed_leaves_no_rows(sqlite_url: str, tmp_path: Path) -> None:
    broken = _copy_catalog(tmp_path / "broken")
    (broken / "models.json").write_text("[{ not json")
    with pytest.raises(InputError, match=r"models\.json"):
        open_database(sqlite_url, seed_dir=broken)
    engine = open_database(sqlite_url, seed=False)
    assert set(row_counts(engine).values()) == {0}
    engine.dispose()
