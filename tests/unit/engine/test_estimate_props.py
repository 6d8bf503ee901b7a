"""Property tests: any input gives finite, non-negative numbers or an InputError naming the field."""

from __future__ import annotations

import math

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from advisor.engine import estimate
from advisor.engine.types import BACKENDS, Device, Estimate, Host, ModelArch, Quant, Setup
from advisor.errors import InputError

VALID = st.floats(min_value=0.01, max_value=5000)
# mostly valid numbers, sometimes anything (negative, zero, nan, inf)
FLOATS = st.one_of(VALID, VALID, VALID, VALID, VALID, VALID, VALID, st.floats(allow_nan=True, allow_infinity=True))


@st.composite
def setups(draw: st.DrawFn, valid: bool = False) -> Setup:
    num = VALID if valid else FLOATS
    total = draw(st.floats(min_value=0.1, max_value=2000))
    moe = draw(st.booleans())
    experts = draw(st.integers(min_value=2, max_value=512)) if moe else 0
    model = ModelArch(
        "m", total_params_b=total, active_params_b=total * draw(st.floats(min_value=0.01, max_value=1.0)),
        num_layers=draw(st.integers(min_value=1, max_value=200)), hidden_size=draw(st.integers(1, 20000)),
        num_heads=draw(st.integers(1, 256)), num_kv_heads=draw(st.integers(1, 128)), head_dim=draw(st.integers(1, 512)),
        attention_kind=draw(st.sampled_from(["gqa", "mla", "dsv4", "opaque"])),
        sliding_window=draw(st.integers(0, 10000)), sliding_layers=draw(st.integers(0, 100)),
        kv_lora_rank=draw(st.integers(0, 1024)), qk_rope_head_dim=draw(st.integers(0, 128)),
        csa_layers=draw(st.integers(0, 60)), hca_layers=draw(st.integers(0, 60)), index_head_dim=128,
        n_routed_experts=experts, experts_per_token=draw(st.integers(1, experts)) if moe else 0,
        vocab_size=draw(st.integers(1, 300000)), max_context=draw(st.integers(1, 2_000_000)),
        kv_bytes_per_token_f16=draw(st.floats(min_value=1, max_value=1e7) if valid else
                                    st.one_of(st.none(), st.floats(min_value=1, max_value=1e7))))
    device = Device("d", kind=draw(st.sampled_from(["gpu", "apple", "apu", "cpu"])), memory_gb=draw(num),
                    bandwidth_gbs=draw(num), fp16_tflops=draw(num),
                    unified_memory=draw(st.booleans()), gpu_memory_share=draw(st.floats(0.05, 1.0)))
    bpw = st.floats(min_value=0.5, max_value=32)
    quant = Quant("q", draw(bpw if valid else st.one_of(FLOATS, bpw)), family=draw(st.sampled_from(["gguf", "float", "native"])))
    return Setup(device, model, quant, count=draw(st.integers(1 if valid else -1, 64)),
                 host=Host(ram_bandwidth_gbs=draw(num)),
                 backend=draw(st.sampled_from([*BACKENDS] if valid else [*BACKENDS, "nonsense"])),
                 parallel=draw(st.sampled_from(["none", "layer", "tensor", "expert"])),
                 offload=draw(st.sampled_from(["none", "experts_cpu", "cpu_only"])),
                 kv_dtype=draw(st.sampled_from(["f16", "q8_0", "q4_0", "fp8"])), batch=draw(st.integers(1 if valid else 0, 4096)),
                 prompt_tokens=draw(st.integers(0, 200_000)), gen_tokens=draw(st.integers(0, 100_000)),
                 context_depth=draw(st.integers(0, 1_000_000)))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(setups())
def test_any_input_is_estimated_or_names_the_bad_field(setup: Setup) -> None:
    try:
        e = estimate(setup)
    except InputError as exc:
        assert exc.field  # every validation error names what is wrong
        event(f"InputError {exc.field}")
        return
    event("estimated")
    _check(e)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(setups(valid=True))
def test_valid_inputs_give_finite_non_negative_numbers(setup: Setup) -> None:
    _check(estimate(setup))


def _check(e: Estimate) -> None:
    numbers = [e.weights_gb, e.kv_bytes_per_token, e.kv_gb, e.overhead_gb, e.total_gb, e.usable_gb, e.host_gb,
               e.pp_tok_s, e.tg_tok_s, e.tg_tok_s_per_user, e.ttft_s, *e.tg_band, *e.pp_band, e.load_power_w,
               e.idle_power_w, float(e.max_context_tokens)]
    assert all(math.isfinite(x) and x >= 0 for x in numbers), numbers
    assert e.tg_tok_s > 0 and e.pp_tok_s > 0
    assert e.tg_band[0] <= e.tg_tok_s <= e.tg_band[1]
    assert e.limiting_factor in ("memory bandwidth", "compute", "host RAM bandwidth", "interconnect",
                                 "per-token overhead")
