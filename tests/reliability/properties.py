"""Hypothesis strategies and the properties they check, shared by the CI fuzz tests (few examples) and
benchmarks/fuzz_long.py (many). Every property: the only exception allowed is InputError (a typed,
one-line validation error), and nothing is written when it is raised.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from advisor.engine.types import BACKENDS, KV_DTYPE_BYTES, OFFLOAD_MODES, PARALLEL_MODES
from advisor.errors import InputError

# ---------------------------------------------------------------- values: mostly plausible, sometimes hostile
ANY_FLOAT = st.floats(allow_nan=True, allow_infinity=True)
FLOATS = st.one_of(st.floats(0.01, 1e5), st.floats(0.01, 1e5), ANY_FLOAT, st.just(0.0), st.integers(-10, 10))
INTS = st.one_of(st.integers(1, 256), st.integers(1, 256), st.integers(-3, 10**9), st.booleans())
JSON_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-(10**12), 10**12), ANY_FLOAT,
                         st.text(max_size=20))
JSON_VALUES = st.recursive(JSON_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)), max_leaves=12)


# ---------------------------------------------------------------- hostile raw JSON (issue 16)
# json.dumps cannot write an integer of 5,000 digits or a 100k-deep nesting, so these are raw JSON text
# spliced into otherwise plausible documents by with_raw_values().
HUGE_INT_TEXT = st.builds(lambda n, neg: ("-" if neg else "") + "9" * n, st.integers(300, 6000), st.booleans())
HUGE_FLOAT_TEXT = st.sampled_from(["1e400", "-1e400", "1e308", "-0.0", "4.9e-324", "1" + "0" * 400 + ".5"])
_OFFSETS = st.builds(lambda m: dt.timezone(dt.timedelta(minutes=m)), st.integers(-14 * 60, 14 * 60))
EXTREME_DATES = st.one_of(
    st.sampled_from(["0001-01-01", "9999-12-31", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00",
                     "1969-12-31T23:59:59Z", "2026-02-29", "2026-11-01T25:00:00", "+2026-11-01", "2026-11-01" * 50]),
    st.dates().map(dt.date.isoformat),
    st.datetimes(timezones=st.one_of(st.none(), _OFFSETS)).map(dt.datetime.isoformat))
DEEP_NESTING = st.one_of(st.integers(1, 120_000).map(lambda n: "[" * n + "]" * n),
                         st.integers(1, 120_000).map(lambda n: '{"a": ' * n + "1" + "}" * n))
RAW_LITERALS = st.one_of(HUGE_INT_TEXT, HUGE_FLOAT_TEXT, EXTREME_DATES.map(json.dumps), DEEP_NESTING,
                         st.recursive(st.one_of(st.none(), st.booleans(), st.text(max_size=5)),
                                      lambda inner: st.lists(inner, max_size=3), max_leaves=5).map(json.dumps))


@st.composite
def with_raw_values(draw: st.DrawFn, docs: st.SearchStrategy[Any]) -> str:
    """JSON text of a drawn document in which some values (at any depth) are replaced by RAW_LITERALS:
    huge integers, 1e400, extreme dates, deep nesting, values of the wrong JSON type."""
    raws: list[str] = []

    def mark(value: Any, depth: int) -> Any:
        if depth < 4 and draw(st.integers(0, 3)) == 0:
            raws.append(draw(RAW_LITERALS))
            return f"@@raw{len(raws) - 1}@@"
        if isinstance(value, dict):
            return {k: mark(v, depth + 1) for k, v in value.items()}
        if isinstance(value, list):
            return [mark(v, depth + 1) for v in value]
        return value

    text = json.dumps(mark(draw(docs), 1))
    for i, raw in enumerate(raws):
        text = text.replace(f'"@@raw{i}@@"', raw)
    return text


def choice(valid: tuple[str, ...] | list[str]) -> st.SearchStrategy[Any]:
    return st.one_of(st.sampled_from(list(valid)), st.sampled_from(list(valid)), st.text(max_size=8))


# ---------------------------------------------------------------- engine
VALID_FLOAT = st.floats(0.5, 2e4)
VALID_INT = st.integers(1, 160)


@st.composite
def setups(draw: st.DrawFn) -> Any:
    """Half the Setups are plausible (every field in range, so the whole engine runs), half hostile."""
    from advisor.engine.types import Device, Host, ModelArch, Quant, Setup

    hostile = draw(st.booleans())
    f = FLOATS if hostile else VALID_FLOAT
    i = INTS if hostile else VALID_INT

    def pick(valid: tuple[str, ...]) -> Any:
        return draw(choice(valid) if hostile else st.sampled_from(valid))

    device = Device(
        name="fuzz", kind=pick(("gpu", "apple", "apu", "cpu")), memory_gb=draw(f),
        bandwidth_gbs=draw(f), fp16_tflops=draw(f),
        fp8_tflops=draw(st.one_of(st.none(), f)), fp4_tflops=draw(st.one_of(st.none(), f)),
        unified_memory=draw(st.booleans()), gpu_memory_share=draw(FLOATS if hostile else st.floats(0.05, 1.0)),
        tdp_w=draw(f), idle_w=draw(f), link=pick(("pcie4", "pcie5", "nvlink")), link_bandwidth_gbs=draw(f),
    )
    total = draw(f)
    moe = draw(st.booleans())
    experts = draw(i) if moe else 0
    per_token = (draw(i if hostile else st.integers(1, max(experts, 1))) if moe else 0)
    model = ModelArch(
        name="fuzz", total_params_b=total,
        active_params_b=draw(f) if hostile else total * draw(st.floats(0.01, 1.0)), num_layers=draw(i),
        hidden_size=draw(i), num_heads=draw(i), num_kv_heads=draw(i), head_dim=draw(i),
        attention_kind=pick(("gqa", "mla", "dsv4", "opaque")), sliding_window=draw(i),
        sliding_layers=draw(i), kv_lora_rank=draw(i), qk_rope_head_dim=draw(i),
        csa_layers=draw(i), hca_layers=draw(i), index_head_dim=draw(i),
        n_routed_experts=experts, experts_per_token=per_token,
        n_shared_experts=draw(i) if moe else 0, expert_params_b=(draw(f) if hostile else total * 0.8) if moe else 0.0,
        vocab_size=draw(i), max_context=draw(i),
        native_size_gb=draw(st.one_of(st.none(), f)),
        kv_bytes_per_token_f16=draw(st.one_of(st.none(), f)) if hostile else draw(f),
    )
    quant = Quant(name="fuzz", bits_per_weight=draw(FLOATS if hostile else st.floats(1.0, 32.0)),
                  family=pick(("gguf", "float", "int4", "exl2", "mlx", "native")),
                  compute=pick(("fp16", "fp8", "fp4")))
    host = draw(st.one_of(st.none(), st.builds(
        Host, ram_gb=f, ram_bandwidth_gbs=f, cpu_tflops=f, idle_w=f, load_w=f)))
    return Setup(
        device=device, model=model, quant=quant, count=draw(i if hostile else st.integers(1, 8)), host=host,
        backend=pick(BACKENDS), parallel=pick(PARALLEL_MODES), offload=pick(OFFLOAD_MODES),
        kv_dtype=pick(tuple(KV_DTYPE_BYTES)), batch=draw(i), prompt_tokens=draw(i),
        gen_tokens=draw(i), context_depth=draw(i), context_tokens=draw(st.one_of(st.none(), i)),
    )


NUMERIC_FIELDS = ("weights_gb", "kv_bytes_per_token", "kv_gb", "overhead_gb", "total_gb", "usable_gb", "host_gb",
                  "pp_tok_s", "tg_tok_s", "tg_tok_s_per_user", "load_power_w", "idle_power_w")


def check_estimate(setup: Any) -> None:
    """estimate(): InputError, or an Estimate whose numbers are not NaN and not negative."""
    from advisor.engine import estimate

    try:
        result = estimate(setup)
    except InputError:
        return
    for name in NUMERIC_FIELDS:
        value = getattr(result, name)
        assert not math.isnan(value) and value >= 0, f"{name} = {value!r} for {setup!r}"
    assert result.max_context_tokens >= 0


# ---------------------------------------------------------------- feeds
FEED_KEYS = ("kind", "name", "price", "currency", "condition", "vendor", "url", "observed_at")
FEED_ITEM = st.fixed_dictionaries({}, optional={k: st.one_of(JSON_SCALARS, st.sampled_from(
    ["hardware", "host", "system", "RTX 5090", "USD", "EUR", "new", "used", "2026-11-01", "https://x.org/a"]))
    for k in FEED_KEYS})
VALID_ITEM = st.fixed_dictionaries({
    "kind": st.sampled_from(["hardware", "host", "system"]),
    "name": st.sampled_from(["RTX 5090", "GeForce RTX 4090", "rtx-4090", "EPYC 9004 host", "Dual RTX 4090 workstation",
                             "Unknown GPU 9000"]),
    "price": st.one_of(st.floats(1, 1e6), st.integers(1, 10**6), st.sampled_from(["1599.99", "0", "-1"])),
    "currency": st.sampled_from(["USD", "EUR", "GBP", "usd"]), "condition": st.sampled_from(["new", "used", "refurb"]),
    "vendor": st.text(max_size=12), "url": st.sampled_from(["", "https://example.com/x", "ftp://x", "javascript:1"]),
    "observed_at": st.sampled_from(["2026-11-01", "2026-02-30", "yesterday", "2099-01-01"]),
})
FEED_DOCS = st.fixed_dictionaries({
    "format": st.just("rig-advisor-prices/1"), "publisher": st.text(min_size=1, max_size=10),
    "published_at": st.just("2026-11-02"), "currency": st.just("USD"),
    "items": st.lists(st.one_of(VALID_ITEM, VALID_ITEM, VALID_ITEM, FEED_ITEM), min_size=1, max_size=8)})
HOSTILE_FEED_DOCS = st.fixed_dictionaries({}, optional={
    "format": st.one_of(st.just("rig-advisor-prices/1"), JSON_SCALARS), "publisher": JSON_SCALARS,
    "published_at": st.one_of(st.just("2026-11-02"), JSON_SCALARS), "currency": st.sampled_from(["USD", "EUR", "x"]),
    "items": st.one_of(st.lists(FEED_ITEM, max_size=6), JSON_VALUES)})


@st.composite
def feed_csv(draw: st.DrawFn) -> bytes:
    header = draw(st.one_of(st.just(list(FEED_KEYS)), st.lists(st.sampled_from(FEED_KEYS), max_size=9)))
    cells = st.one_of(st.text(max_size=12), st.sampled_from(["RTX 5090", "1599", "-3", "nan", "2026-11-01", "USD"]))
    good_row = st.tuples(st.sampled_from(["hardware", "gpu", "host"]), st.sampled_from(["RTX 5090", "rtx-4090"]),
                         st.integers(1, 99999).map(str), st.just("USD"), st.sampled_from(["new", "used"]),
                         st.text("abc ", max_size=6), st.just(""), st.just("2026-11-05")).map(list)
    rows = draw(st.lists(st.one_of(st.lists(cells, max_size=len(header) + 1), good_row), max_size=6))
    lines = [",".join(header)] + [",".join(r) for r in rows]
    return ("\n".join(lines)).encode("utf-8", "surrogatepass")


FEED_BYTES = st.one_of(st.binary(max_size=400), FEED_DOCS.map(lambda d: json.dumps(d).encode()),
                       with_raw_values(FEED_DOCS).map(str.encode),
                       FEED_DOCS.map(lambda d: json.dumps(d).encode()), HOSTILE_FEED_DOCS.map(lambda d: json.dumps(d).encode()),
                       feed_csv(), JSON_VALUES.map(lambda v: json.dumps(v).encode()))


def check_parse_feed(data: bytes) -> None:
    """parse_feed never raises: problems are data. Accepting raises only InputError (FeedInvalidError)."""
    from advisor.feeds import parse_feed

    parsed = parse_feed(data)
    try:
        parsed.accepted(allow_partial=False)
    except InputError:
        pass


# ---------------------------------------------------------------- config.json importer
HF_KEYS = ("model_type", "architectures", "num_hidden_layers", "hidden_size", "num_attention_heads",
           "num_key_value_heads", "head_dim", "intermediate_size", "vocab_size", "max_position_embeddings",
           "kv_lora_rank", "qk_rope_head_dim", "n_routed_experts", "num_experts_per_tok", "num_local_experts",
           "moe_intermediate_size", "sliding_window", "torch_dtype", "text_config", "quantization_config",
           "tie_word_embeddings", "n_shared_experts", "first_k_dense_replace", "layer_types")
LLAMA_LIKE = st.fixed_dictionaries({
    "model_type": st.sampled_from(["llama", "qwen2", "mistral", "qwen3_moe", "deepseek_v3", "gpt_oss", "x"]),
    "num_hidden_layers": VALID_INT, "hidden_size": st.integers(64, 16384), "num_attention_heads": VALID_INT,
    "vocab_size": st.integers(1000, 300000), "intermediate_size": st.integers(64, 60000),
}, optional={k: st.one_of(VALID_INT, INTS, FLOATS, JSON_SCALARS) for k in HF_KEYS[5:]
             if k not in ("vocab_size", "intermediate_size")})
HF_CONFIGS = st.one_of(LLAMA_LIKE, LLAMA_LIKE,
    st.fixed_dictionaries({}, optional={k: st.one_of(INTS, FLOATS, JSON_VALUES, st.sampled_from(
        ["llama", "deepseek_v3", "qwen3_moe", "gpt_oss", ["LlamaForCausalLM"], "bfloat16"])) for k in HF_KEYS}),
    JSON_VALUES)


HF_CONFIG_TEXTS = with_raw_values(LLAMA_LIKE)
SAFETENSORS_INDEXES = with_raw_values(st.fixed_dictionaries({}, optional={
    "metadata": st.one_of(st.fixed_dictionaries({}, optional={"total_size": st.one_of(INTS, JSON_SCALARS)}),
                          JSON_VALUES),
    "weight_map": st.one_of(st.dictionaries(st.text(max_size=12), st.one_of(
        st.sampled_from(["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"]), JSON_VALUES),
        max_size=5), JSON_VALUES)}))


def check_import_text(text: str, name: str, folder: Path, config: dict[str, Any] | None = None) -> None:
    """import_file on raw JSON text saved as ``name`` (with ``config`` as the config.json beside it):
    an ImportResult or InputError naming the file; the files are only read."""
    from advisor.importers import import_file

    if config is not None:
        (folder / "config.json").write_text(json.dumps(config), encoding="utf-8")
    path = folder / name
    path.write_text(text, encoding="utf-8")
    before = sorted(p.name for p in folder.iterdir())
    try:
        import_file(path)
    except InputError as exc:
        assert str(path) in str(exc) or str(folder / "config.json") in str(exc), str(exc)[:200]
    assert path.read_text(encoding="utf-8") == text and sorted(p.name for p in folder.iterdir()) == before


def check_import_config(config: Any, folder: Path) -> None:
    """import_file on a config.json: an ImportResult or InputError; the file is only read."""
    from advisor.importers import import_file

    path = folder / "config.json"
    text = json.dumps(config)
    path.write_text(text)
    before = sorted(p.name for p in folder.iterdir())
    try:
        import_file(path)
    except InputError:
        pass
    assert path.read_text() == text and sorted(p.name for p in folder.iterdir()) == before


# ---------------------------------------------------------------- scenario JSON
VALID_SCENARIO = st.fixed_dictionaries({
    "name": st.text(min_size=1, max_size=12), "workload": st.fixed_dictionaries(
        {"model": st.text(min_size=1, max_size=10)}, optional={
            "tokens_in_per_month": st.floats(0, 1e12), "cache_hit_share": st.floats(0, 1),
            "prompt_tokens": st.integers(1, 10**6), "peak_concurrency": st.integers(1, 1000),
            "hours_per_day": st.floats(0.1, 24), "growth_per_month": st.floats(-0.5, 0.5),
            "context_tokens": st.one_of(st.none(), st.integers(1, 10**6))}),
    "finance": st.fixed_dictionaries({}, optional={
        "tariff_usd_per_kwh": st.floats(0, 10), "pue": st.floats(1, 5), "useful_life_months": st.integers(1, 240),
        "price_condition": st.sampled_from(["new", "used", "refurb", "mint"]),
        "overflow": st.sampled_from(["more_units", "hybrid"])}),
    "candidates": st.lists(st.text(min_size=1, max_size=8), min_size=1, max_size=3),
    "api_offers": st.lists(st.text(min_size=1, max_size=8), min_size=1, max_size=3),
}, optional={"description": st.text(max_size=20)})
SCENARIO_DOCS = st.one_of(
    VALID_SCENARIO, VALID_SCENARIO, JSON_VALUES,
    st.fixed_dictionaries({"name": st.one_of(st.text(max_size=10), JSON_SCALARS)}, optional={
        "description": JSON_SCALARS,
        "workload": st.one_of(JSON_VALUES, st.fixed_dictionaries({"model": st.just("llama-3.1-8b")}, optional={
            k: st.one_of(INTS, FLOATS, JSON_SCALARS) for k in (
                "quant", "tokens_in_per_month", "tokens_out_per_month", "cache_hit_share", "prompt_tokens",
                "output_tokens", "peak_concurrency", "hours_per_day", "sla_tok_s_per_user", "growth_per_month",
                "context_tokens")})),
        "finance": st.one_of(JSON_VALUES, st.dictionaries(st.sampled_from(
            ["useful_life_months", "residual_share", "discount_rate", "tariff_usd_per_kwh", "pue"]),
            st.one_of(INTS, FLOATS, JSON_SCALARS), max_size=4)),
        "candidates": st.one_of(st.lists(st.text(max_size=8), max_size=3), JSON_VALUES),
        "api_offers": st.one_of(st.lists(st.text(max_size=8), max_size=3), JSON_VALUES),
        "source": JSON_SCALARS, "as_of": JSON_SCALARS,
    }))


def check_scenario(doc: Any) -> None:
    """scenario_from_json: a Scenario that round-trips, or InputError."""
    from advisor.engine.scenario import scenario_from_json, scenario_to_json

    try:
        scenario = scenario_from_json(doc)
    except InputError:
        return
    assert scenario_from_json(json.loads(json.dumps(scenario_to_json(scenario)))) == scenario
