"""Name resolution: aliases, vendor prefixes, memory suffixes, variants, and helpful errors."""

from __future__ import annotations

import pytest

from advisor.catalog import Catalog, Resolver
from advisor.catalog.resolve import dynamic_quant, normalise
from advisor.errors import InputError, NotFoundError


@pytest.mark.parametrize("name", ["RTX 4090", "NVIDIA GeForce RTX 4090", "GeForce RTX 4090 24GB", "rtx4090",
                                  "geforce rtx 4090 24 GB", "rtx-4090", "RTX 4090 48GB"])
def test_one_device_many_spellings(catalog: Catalog, name: str) -> None:
    assert catalog.resolve("hardware", name) == "rtx-4090"


@pytest.mark.parametrize(("name", "expected"), [
    ("RTX 4090 D", "rtx-4090-d"),
    ("NVIDIA GeForce RTX 4090 D", "rtx-4090-d"),
    ("RTX 3080 Ti", "rtx-3080-ti"),
    ("RTX 3080", "rtx-3080-10gb"),
    ("RTX 4070 Ti", "rtx-4070-ti"),
    ("RTX 4070 Ti SUPER", "rtx-4070-ti-super"),
    ("A100 40GB", "a100-40gb-pcie"),
    ("NVIDIA A100 PCIe", "a100-80gb-pcie"),
    ("RTX PRO 6000 Blackwell Server Edition", "rtx-pro-6000-blackwell-server"),
    ("Apple M2 Ultra (76-core GPU)", "apple-m2-ultra-76c"),
    ("Apple M2 Ultra (60-core GPU)", "apple-m2-ultra-60c"),
    ("Apple M2 Ultra", "apple-m2-ultra-76c"),
    ("M3 Max", "apple-m3-max-40c"),
    ("Apple M3 Max (30-core GPU)", "apple-m3-max-30c"),
    ("AMD Ryzen AI Max+ 395", "strix-halo-395"),
])
def test_distinct_products_stay_distinct(catalog: Catalog, name: str, expected: str) -> None:
    assert catalog.resolve("hardware", name) == expected


@pytest.mark.parametrize(("name", "expected"), [
    ("Meta-Llama-3-8B", "llama-3-8b"),
    ("meta-llama/Meta-Llama-3-8B-Instruct", "llama-3-8b"),
    ("llama 7B", "llama-1-7b"),
    ("LLaMA-1-7B", "llama-1-7b"),
    ("Llama-3.1-8B", "llama-3.1-8b"),
    ("Llama-3.1-70B-Instruct", "llama-3.1-70b"),
    ("unsloth/gemma-3-27b-it-GGUF", "gemma-3-27b"),
    ("deepseek-ai/DeepSeek-V3-0324", "deepseek-v3"),
    ("DeepSeek-V4-Flash-Base", "deepseek-v4-flash-base"),
])
def test_model_aliases(catalog: Catalog, name: str, expected: str) -> None:
    assert catalog.resolve("models", name) == expected


def test_llama_versions_do_not_merge(catalog: Catalog) -> None:
    assert catalog.resolve("models", "Llama-3-8B") != catalog.resolve("models", "Llama-3.1-8B")
    assert catalog.resolve("models", "Qwen2.5-7B") == "qwen2.5-7b"
    with pytest.raises(NotFoundError):
        catalog.resolve("models", "Llama-3.5-8B")


def test_unknown_name_lists_close_matches(catalog: Catalog) -> None:
    with pytest.raises(NotFoundError) as info:
        catalog.device("RTX 4099")
    message = str(info.value)
    assert "unknown hardware 'RTX 4099'" in message
    assert "NVIDIA GeForce RTX 4090" in message
    assert info.value.field == "hardware"
    assert isinstance(info.value, InputError)  # the CLI maps it to exit code 2
    with pytest.raises(NotFoundError, match="closest: .*Q4_K_M"):
        catalog.quant("Q4_K_MM")


def test_normalise() -> None:
    assert normalise("NVIDIA GeForce RTX 4090") == "rtx 4090"
    assert normalise("EXL2-4.0") == normalise("exl2 4")
    assert normalise("GeForce RTX 4090 24GB", drop_memory=True) == "rtx 4090"
    assert normalise("Apple") == "apple"  # a vendor word alone is kept


def test_strict_resolver_rejects_shared_alias() -> None:
    entries = [("a", "Card A", ["Shared"]), ("b", "Card B", ["shared"])]
    with pytest.raises(InputError, match="'shared' names both 'a' and 'b'"):
        Resolver(entries, kind="hardware", strict=True)
    assert Resolver(entries, kind="hardware").resolve("SHARED") == "a"


def test_memory_suffix_only_when_unambiguous() -> None:
    resolver = Resolver([("x40", "Card X 40GB", []), ("x80", "Card X 80GB", [])], kind="hardware")
    assert resolver.resolve("card x 80 GB") == "x80"
    with pytest.raises(NotFoundError):
        resolver.resolve("Card X")


def test_dynamic_quants() -> None:
    exl = dynamic_quant("EXL2-3.25")
    assert exl is not None and exl.bits_per_weight == 3.25 and exl.family == "exl2"
    mlx = dynamic_quant("mlx-3bit")
    assert mlx is not None and mlx.bits_per_weight == 3.5
    assert dynamic_quant("EXL2-40") is None
    assert dynamic_quant("Q4_K_M") is None
