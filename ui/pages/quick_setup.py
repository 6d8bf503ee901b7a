"""Quick check's engine input (no Qt): a bare accelerator x count, or a catalog system (its accelerator,
count, memory configuration and host), with the page's load, backend, KV type and offload.

Why here and not in ui.backend.quick_estimate: Quick check also offers whole systems (a "Mac Studio M3 Ultra
512 GB" is a memory configuration the bare-chip list cannot express) and offload, which that function does
not take. Built from the backend's own converters, so the numbers are the CLI's.
"""

from __future__ import annotations

import dataclasses

from advisor.engine import estimate
from advisor.engine.types import Estimate, Setup
from advisor.errors import InputError
from ui import backend
from ui.store import MemoryStore

SYSTEM_PREFIX = "system:"  # hardware combo data for a catalog system: "system:<id>"


def system_id(hardware: str) -> str | None:
    """The system id of a "system:<id>" choice, None for a bare accelerator."""
    return hardware[len(SYSTEM_PREFIX) :] if hardware.startswith(SYSTEM_PREFIX) else None


def build_setup(store: MemoryStore, q: backend.QuickQuery, offload: str = "none") -> Setup:
    """The Setup Quick check estimates; InputError names the field for bad numbers or unknown names."""
    if q.count < 1:
        raise InputError("must be at least 1", field="count")
    if q.context_tokens < 1:
        raise InputError("must be at least 1 token", field="context")
    sid = system_id(q.hardware)
    if sid is not None:
        base, _price, _name = backend.setup_for_system(store, sid, q.model, q.quant, batch=q.batch)
    else:
        hw = store.get("hardware", q.hardware)
        if hw is None:
            raise InputError(f"{q.hardware!r} is not in the catalog", field="hardware")
        model = store.get("models", q.model)
        if model is None:
            raise InputError(f"{q.model!r} is not in the catalog", field="model")
        base = Setup(
            device=backend.to_device(hw),
            model=backend.to_model(model),
            quant=backend.quant_for(store, q.quant, model),
            count=q.count,
        )
    return dataclasses.replace(
        base,
        backend=q.backend,
        parallel=q.parallel if base.count > 1 else "none",
        offload=offload,
        kv_dtype=q.kv_dtype,
        batch=q.batch,
        prompt_tokens=min(q.prompt_tokens, q.context_tokens),
        gen_tokens=0,
        context_tokens=q.context_tokens,
    )


def quick_estimate(store: MemoryStore, q: backend.QuickQuery, offload: str = "none") -> Estimate:
    """Fit + speed of one Quick check setup [GB, tok/s, s]."""
    return estimate(build_setup(store, q, offload))
