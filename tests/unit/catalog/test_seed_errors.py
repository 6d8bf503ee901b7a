"""A broken catalog gives one line naming the file, the record and the field; nothing half-loaded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from advisor.catalog import Catalog, load_seed
from advisor.errors import InputError


def _edit(directory: Path, file_name: str, index: int, **changes: object) -> None:
    path = directory / file_name
    records = json.loads(path.read_text())
    records[index].update(changes)
    path.write_text(json.dumps(records))


def _index(directory: Path, file_name: str, record_id: str) -> int:
    records = json.loads((directory / file_name).read_text())
    return next(i for i, r in enumerate(records) if r["id"] == record_id)


def test_copy_loads(seed_copy: Path) -> None:
    assert len(Catalog.load(seed_copy).hardware) >= 45


def test_negative_memory(seed_copy: Path) -> None:
    i = _index(seed_copy, "hardware.json", "rtx-4090")
    _edit(seed_copy, "hardware.json", i, memory_gb=-24)
    with pytest.raises(InputError) as info:
        load_seed(seed_copy)
    assert str(info.value) == f"hardware.json[{i}] (rtx-4090): memory_gb: Input should be greater than 0"
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("value", [0, -19.5, "fast"])
def test_bad_shader_rate(seed_copy: Path, value: object) -> None:
    i = _index(seed_copy, "hardware.json", "a100-80gb-sxm")
    _edit(seed_copy, "hardware.json", i, fp32_tflops=value)
    with pytest.raises(InputError) as info:
        load_seed(seed_copy)
    assert str(info.value).startswith(f"hardware.json[{i}] (a100-80gb-sxm): fp32_tflops: ")


def test_unknown_field(seed_copy: Path) -> None:
    _edit(seed_copy, "models.json", 0, layers=61)
    with pytest.raises(InputError) as info:
        load_seed(seed_copy)
    assert str(info.value) == "models.json[0] (deepseek-v4-pro): layers: Extra inputs are not permitted"


def test_wrong_type_in_price(seed_copy: Path) -> None:
    i = _index(seed_copy, "hardware.json", "rtx-3090")
    records = json.loads((seed_copy / "hardware.json").read_text())
    records[i]["prices"][1]["price_usd"] = "cheap"
    (seed_copy / "hardware.json").write_text(json.dumps(records))
    with pytest.raises(InputError, match=rf"^hardware.json\[{i}\] \(rtx-3090\): prices\[1\].price_usd: Input should "
                                         "be a valid number"):
        load_seed(seed_copy)


def test_dangling_system_reference(seed_copy: Path) -> None:
    i = _index(seed_copy, "systems.json", "2x-rtx4090")
    _edit(seed_copy, "systems.json", i, accelerator="rtx-9090")
    with pytest.raises(InputError) as info:
        load_seed(seed_copy)
    assert str(info.value) == f"systems.json[{i}] (2x-rtx4090): accelerator: unknown hardware id 'rtx-9090'"


def test_dangling_scenario_candidate(seed_copy: Path) -> None:
    records = json.loads((seed_copy / "scenarios.json").read_text())
    records[1]["candidates"][2] = "no-such-rig"
    (seed_copy / "scenarios.json").write_text(json.dumps(records))
    with pytest.raises(InputError, match=r"^scenarios.json\[1\] \(8-seat team assistant\): candidates\[2\]: "
                                         "unknown system id 'no-such-rig'$"):
        load_seed(seed_copy)


def test_dangling_api_model_ref(seed_copy: Path) -> None:
    _edit(seed_copy, "api_offers.json", 0, model_ref="deepseek-v9")
    with pytest.raises(InputError, match=r"^api_offers.json\[0\] \(deepseek-v3-chat\): model_ref: unknown model id"):
        load_seed(seed_copy)


def test_duplicate_id_and_alias(seed_copy: Path) -> None:
    _edit(seed_copy, "quants.json", 1, id="f32")
    with pytest.raises(InputError, match=r"^quants.json\[1\] \(f32\): id: duplicate id 'f32'"):
        load_seed(seed_copy)


def test_alias_claimed_twice(seed_copy: Path) -> None:
    i = _index(seed_copy, "hardware.json", "rtx-5090")
    _edit(seed_copy, "hardware.json", i, aliases=["RTX 4090"])
    with pytest.raises(InputError, match=r"^hardware.json: rtx-5090: aliases: 'RTX 4090' names both 'rtx-4090' and"):
        load_seed(seed_copy)


def test_invalid_json(seed_copy: Path) -> None:
    (seed_copy / "pue.json").write_text('[{"id": "home",]')
    with pytest.raises(InputError, match=r"^pue.json: invalid JSON at line 1 column 16"):
        load_seed(seed_copy)


def test_scenario_workload_field(seed_copy: Path) -> None:
    records = json.loads((seed_copy / "scenarios.json").read_text())
    records[0]["workload"]["tokens_per_month"] = 5
    (seed_copy / "scenarios.json").write_text(json.dumps(records))
    with pytest.raises(InputError, match=r"^scenarios.json\[0\] \(Solo .*\): workload.tokens_per_month: unknown field$"):
        load_seed(seed_copy)
