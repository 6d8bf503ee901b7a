"""`catalog list` and `scenario list/show` through `python main.py` in a subprocess: output and exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, db_url: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "RIG_ADVISOR_DB_URL": db_url, "RIG_ADVISOR_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, "main.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.fixture(scope="module")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """One seeded SQLite file shared by the read-only CLI tests of this module (seeding once is faster)."""
    base = tmp_path_factory.mktemp("cli")
    url = f"sqlite:///{base / 'advisor.db'}"
    first = run("catalog", "list", "models", "--json", db_url=url, data_dir=base)
    assert first.returncode == 0, first.stderr
    return url, base


def test_models_json_has_v4_pro_1600_49(seeded_db: tuple[str, Path]) -> None:
    result = run("catalog", "list", "models", "--json", db_url=seeded_db[0], data_dir=seeded_db[1])
    assert result.returncode == 0, result.stderr
    models = {m["id"]: m for m in json.loads(result.stdout)}
    v4 = models["deepseek-v4-pro"]
    assert (v4["total_params_b"], v4["active_params_b"]) == (1600, 49)
    assert v4["source"] and v4["as_of"]


@pytest.mark.parametrize("kind", ["hardware", "systems", "models", "quants", "api"])
def test_every_kind_lists_as_table_and_json(seeded_db: tuple[str, Path], kind: str) -> None:
    table = run("catalog", "list", kind, db_url=seeded_db[0], data_dir=seeded_db[1])
    assert table.returncode == 0, table.stderr
    as_json = run("catalog", "list", kind, "--json", db_url=seeded_db[0], data_dir=seeded_db[1])
    records = json.loads(as_json.stdout)
    assert records and all(r["source"] and r["as_of"] for r in records)
    assert table.stdout.strip().endswith(f"({len(records)} records)")


def test_hardware_table_has_units_in_headers(seeded_db: tuple[str, Path]) -> None:
    header = run(
        "catalog", "list", "hardware", db_url=seeded_db[0], data_dir=seeded_db[1]
    ).stdout.splitlines()[0]
    for unit in ("Memory [GB]", "Bandwidth [GB/s]", "FP16 [TFLOPS]", "TDP [W]"):
        assert unit in header


def test_scenario_show_prints_a_scenario_file(seeded_db: tuple[str, Path]) -> None:
    listed = run("scenario", "list", "--json", db_url=seeded_db[0], data_dir=seeded_db[1])
    assert listed.returncode == 0, listed.stderr
    names = [s["name"] for s in json.loads(listed.stdout)]
    assert names
    shown = run("scenario", "show", names[0].upper(), "--json", db_url=seeded_db[0], data_dir=seeded_db[1])
    assert shown.returncode == 0, shown.stderr
    scenario = json.loads(shown.stdout)
    assert scenario["name"] == names[0]
    assert set(scenario) == {
        "name",
        "description",
        "workload",
        "finance",
        "candidates",
        "api_offers",
        "source",
        "as_of",
    }


def test_unknown_kind_and_scenario_exit_2(seeded_db: tuple[str, Path]) -> None:
    bad_kind = run("catalog", "list", "toasters", db_url=seeded_db[0], data_dir=seeded_db[1])
    assert bad_kind.returncode == 2
    assert bad_kind.stderr.count("\n") == 1 and "toasters" in bad_kind.stderr
    bad_name = run(
        "scenario", "show", "No such scenario", "--json", db_url=seeded_db[0], data_dir=seeded_db[1]
    )
    assert bad_name.returncode == 2
    assert bad_name.stdout == "" and "No such scenario" in bad_name.stderr


def test_bad_database_url_exits_2(tmp_path: Path) -> None:
    result = run("catalog", "list", "models", db_url="mysql://u:p@h/db", data_dir=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("error: database: unsupported database 'mysql'")


def test_corrupt_database_file_exits_2_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "advisor.db"
    junk = os.urandom(8192)
    path.write_bytes(junk)
    result = run("catalog", "list", "models", "--json", db_url=f"sqlite:///{path}", data_dir=tmp_path)
    assert result.returncode == 2
    assert str(path) in result.stderr and result.stderr.count("\n") == 1
    assert path.read_bytes() == junk
