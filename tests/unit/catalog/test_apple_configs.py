"""Apple silicon: one catalog system per RAM configuration, the macOS GPU-wired share in the estimate's working,
and the wired limit (sysctl iogpu.wired_limit_mb) as a validated option of `estimate` and EstimateQuery."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from advisor.app.estimates import EstimateQuery, estimate_query
from advisor.catalog.snapshot import Catalog
from advisor.engine.fit import usable_gb
from advisor.engine.scenario import resolve_scenario, scenario_from_json
from advisor.errors import InputError, NotFoundError

ROOT = Path(__file__).resolve().parents[3]
GIB = 2**30 / 1e9


@pytest.fixture(scope="module")
def seed() -> Catalog:
    return Catalog.load()


@pytest.mark.parametrize(("chip", "sizes"), [
    ("M3 Ultra", {96, 256, 512}), ("M4 Max", {36, 48, 64, 128}), ("M2 Ultra", {64, 128, 192}),
    ("M1 Ultra", {64, 128}), ("M3 Max", {36, 48, 64, 96, 128}), ("M4 Pro", {24, 48, 64}),
])
def test_every_ram_configuration_is_a_system(seed: Catalog, chip: str, sizes: set[int]) -> None:
    found = {seed.hardware_record(s.accelerator).memory_gb for s in seed.systems
             if seed.hardware_record(s.accelerator).kind == "apple" and f" {chip} " in f" {s.name} "}
    assert found == sizes


def test_unified_memory_share_follows_macos(seed: Catalog) -> None:
    """~2/3 of RAM up to 36 GB (16 GB Mac: 10,922.67 MiB recommendedMaxWorkingSetSize), ~3/4 above (64 GB:
    49,152 MiB) -- llama.cpp ggml_metal_init logs in llama.cpp #1870 and ollama #434."""
    for h in seed.hardware:
        if h.kind == "apple":
            assert h.gpu_memory_share == (0.67 if h.memory_gb <= 36 else 0.75), h.id
    assert usable_gb(seed.device("M1 Max 32GB")) == pytest.approx(21845.34 * 2**20 / 1e9, rel=0.01)
    assert usable_gb(seed.device("M1 Max 64GB")) == pytest.approx(49152 * 2**20 / 1e9, rel=0.001)


def test_prices_only_where_the_reference_has_them(seed: Catalog) -> None:
    price = {s.id: (s.prices[0].price_usd if s.prices else None) for s in seed.systems}
    assert price["mac-studio-m3-ultra-60c-96gb"] == 3999
    assert price["mac-studio-m2-ultra-60c-64gb"] == 3999
    assert price["mac-mini-m4-pro-16c-24gb"] == 1399
    assert price["mac-studio-m3-ultra-512gb"] == 9499
    assert price["mac-studio-m4-max-40c-48gb"] is None
    for s in seed.systems:
        for p in s.prices:
            assert p.source and p.observed_at


def test_an_unpriced_configuration_is_not_costed(seed: Catalog) -> None:
    base = scenario_from_json(seed.scenario("24/7 batch summarisation").model_dump(mode="json"))
    scenario = replace(base, candidates=("mac-studio-m4-max-40c-48gb", "mac-studio-m3-ultra-60c-96gb"))
    resolved = resolve_scenario(scenario, seed, dt.date(2026, 12, 5))
    views = {v.id: v for v in resolved.systems}
    assert views["mac-studio-m4-max-40c-48gb"].unpriced
    assert views["mac-studio-m3-ultra-60c-96gb"].price_usd == 3999 and not views["mac-studio-m3-ultra-60c-96gb"].unpriced


def test_a_ram_size_the_chip_is_not_sold_with_is_unknown(seed: Catalog) -> None:
    assert seed.hardware_record("M3 Ultra 96GB").memory_gb == 96
    assert seed.hardware_record("Apple M4 Max (40-core GPU) 48GB").memory_gb == 48
    with pytest.raises(NotFoundError, match="comes with 96, 256, 512 GB, not 128 GB"):
        seed.hardware_record("M3 Ultra 128GB")


def test_estimate_states_the_usable_share_and_takes_a_wired_limit(seed: Catalog) -> None:
    query = EstimateQuery(hardware="M4 Max 128GB", model="gpt-oss-120b", quant="MXFP4")
    default = estimate_query(seed, query).estimate
    assert default.usable_gb == pytest.approx(128 * GIB * 0.75)
    assert any("macOS lets the GPU wire 75% of the 128 GB RAM" in n for n in default.notes)
    raised = estimate_query(seed, replace(query, wired_limit_mb=120_000)).estimate
    assert raised.usable_gb == pytest.approx(120_000 * 2**20 / 1e9)
    assert any("120,000 MiB" in n and "iogpu.wired_limit_mb" in n for n in raised.notes)
    small = estimate_query(seed, replace(query, hardware="M4 Max 36GB", quant="Q4_K_M")).estimate
    assert small.usable_gb == pytest.approx(36 * GIB * 0.67) and not small.fits


@pytest.mark.parametrize(("hardware", "limit", "message"), [
    ("M4 Max 128GB", 0, "must be a positive whole number of MiB"),
    ("M4 Max 128GB", 131_073, "131,073 MiB is more than the 131,072 MiB of RAM"),
    ("RTX 4090", 20_000, "applies to Apple silicon"),
])
def test_bad_wired_limit_is_an_input_error(seed: Catalog, hardware: str, limit: int, message: str) -> None:
    query = EstimateQuery(hardware=hardware, model="gpt-oss-20b", quant="MXFP4", wired_limit_mb=limit)
    with pytest.raises(InputError, match=message) as err:
        estimate_query(seed, query)
    assert err.value.field == "--wired-limit-mb"


@pytest.mark.parametrize(("args", "start"), [
    (("--hardware", "M4 Max 128GB", "--wired-limit-mb", "-5"), "error: --wired-limit-mb: must be a positive"),
    (("--hardware", "M4 Max 128GB", "--wired-limit-mb", "200000"), "error: --wired-limit-mb: 200,000 MiB is more"),
    (("--hardware", "RTX 4090", "--wired-limit-mb", "1000"), "error: --wired-limit-mb: the wired limit"),
    (("--hardware", "M3 Ultra 128GB"), "error: --hardware: unknown hardware 'M3 Ultra 128GB'"),
])
def test_cli_bad_apple_input_exits_2_and_leaves_the_database(sqlite_url: str, tmp_path: Path,
                                                             args: tuple[str, ...], start: str) -> None:
    env = dict(os.environ, RIG_ADVISOR_DB_URL=sqlite_url)

    def cli(*more: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, str(ROOT / "main.py"), "estimate", "--model", "gpt-oss-20b",
                               "--quant", "MXFP4", *more], capture_output=True, text=True, cwd=ROOT, env=env,
                              timeout=300)

    ok = cli("--hardware", "M4 Max 128GB", "--wired-limit-mb", "120000")
    assert ok.returncode == 0, ok.stderr
    assert "of 125.8 GB usable" in ok.stdout
    before = hashlib.sha256((tmp_path / "advisor.db").read_bytes()).hexdigest()
    bad = cli(*args)
    assert bad.returncode == 2 and bad.stdout == ""
    lines = bad.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(start), bad.stderr
    assert hashlib.sha256((tmp_path / "advisor.db").read_bytes()).hexdigest() == before
