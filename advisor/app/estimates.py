"""Use case "estimate": fit and speed of one setup, the question `estimate` and the Quick check page both ask.

Both front ends build an `EstimateQuery` and call `estimate_query` with the same catalog (the database
snapshot, advisor.db.load_catalog), so they get the same Setup and the same Estimate. Names resolve through the
catalog's aliases; "native" is the checkpoint as released (advisor.engine.types.native_quant).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from advisor.engine import estimate, estimate_many
from advisor.engine.fit import validate_wired_limit
from advisor.engine.support import default_backend, support_problem
from advisor.engine.types import Estimate, Host, Setup
from advisor.errors import InputError

# Context lengths [tokens] the throughput-vs-context curves are drawn at.
CONTEXT_POINTS = (512, 1024, 2048, 4096, 8192, 16384, 32768, 65536, 131072)


MAX_TOKENS = 100_000_000  # longest context, prompt or output an estimate accepts [tokens]


@dataclass(frozen=True)
class EstimateQuery:
    """One setup by catalog names: hardware x count, model x quant, backend and load.

    prompt_tokens / gen_tokens: one request [tokens]; context_depth: tokens already cached before decoding;
    context_tokens: the context each sequence reserves KV for (None: prompt + generated).
    """

    hardware: str
    model: str
    quant: str
    count: int = 1
    backend: str | None = "llama.cpp"  # None: llama.cpp if it runs the format there, else the first that does
    parallel: str | None = None  # None: layer split when count > 1
    offload: str = "none"
    kv_dtype: str = "f16"
    batch: int = 1
    prompt_tokens: int = 512
    gen_tokens: int = 128
    context_depth: int = 0
    context_tokens: int | None = None
    system: str | None = None  # a catalog system instead of hardware x count: its devices, count and host
    build: str = "current"  # backend build era the speeds stand for (advisor.engine.build)
    harness: str = "online"  # a serving engine through its API server, or "offline" (an engine-throughput run)
    host: str | None = None  # a catalog host (CPU, RAM size and bandwidth) instead of the system's / generic one
    # macOS sysctl iogpu.wired_limit_mb [MiB] on an Apple device: how much RAM the GPU may wire (None: the OS
    # default, ~2/3 of RAM up to 36 GB, ~3/4 above); 1 .. the device's RAM
    wired_limit_mb: int | None = None


@dataclass(frozen=True)
class EstimateAnswer:
    """The setup the query resolved to and its estimate (names as the catalog spells them)."""

    setup: Setup
    estimate: Estimate


def _lookup(lookup: Any, name: str, field: str) -> Any:
    try:
        return lookup(name)
    except InputError as exc:
        raise InputError(str(exc).split(": ", 1)[-1], field) from None
    except (KeyError, LookupError):
        raise InputError(f"unknown name {name!r}", field) from None


def setup_of(catalog: Any, query: EstimateQuery) -> Setup:
    """The engine Setup a query names; InputError names the flag/field (``--hardware``, ``--quant`` ...)."""
    for field, value in (("--count", query.count), ("--batch", query.batch)):
        if value < 1:
            raise InputError("must be at least 1", field)
    if query.context_tokens is not None and query.context_tokens < 1:
        raise InputError("must be at least 1 token", "--context")
    lengths: tuple[tuple[str, int | None], ...] = (
        ("--context", query.context_tokens), ("--prompt", query.prompt_tokens), ("--gen", query.gen_tokens),
        ("--context-depth", query.context_depth))
    for flag, length in lengths:
        if length is not None and length > MAX_TOKENS:  # as a scenario's context field (assumptions.py)
            raise InputError(f"at most {MAX_TOKENS:,} tokens (got {length:,})", flag)
    count, host = query.count, Host()
    if query.system:
        system = _lookup(catalog.system, query.system, "--system")
        device, count = catalog.device(system.accelerator), int(system.count)
        host = catalog.host_arch(system.host) if system.host else host
    else:
        device = _lookup(catalog.device, query.hardware, "--hardware")
    if query.host:  # offloaded experts and CPU work run on this host's RAM bandwidth and cores
        host = _lookup(catalog.host_arch, query.host, "--host")
    if query.wired_limit_mb is not None:
        validate_wired_limit(device, query.wired_limit_mb, "--wired-limit-mb")
        device = replace(device, wired_limit_mb=query.wired_limit_mb)
    model_record = _lookup(catalog.model_record, query.model, "--model")
    model = _lookup(catalog.model, query.model, "--model")
    quant = _lookup(lambda name: catalog.quant(name, model=model_record.id), query.quant, "--quant")
    parallel = (query.parallel if count > 1 else None) or ("layer" if count > 1 else "none")
    backend = query.backend or default_backend(device, quant, model, parallel)
    problem = support_problem(backend, device, quant, model, query.parallel or parallel)
    if problem is not None:
        flags = {"hardware": "--system" if query.system else "--hardware"}
        raise InputError(problem.reason, "/".join(flags.get(f, f"--{f}") for f in problem.fields))
    return Setup(device=device, model=model, quant=quant, count=count, host=host, backend=backend,
                 parallel=parallel, offload=query.offload, kv_dtype=query.kv_dtype, batch=query.batch,
                 prompt_tokens=query.prompt_tokens, gen_tokens=query.gen_tokens,
                 context_depth=query.context_depth, context_tokens=query.context_tokens, build=query.build,
                 harness=query.harness)


def estimate_query(catalog: Any, query: EstimateQuery) -> EstimateAnswer:
    """Fit + speed of one setup [GB, tok/s, s]; raises InputError for unknown names or bad numbers."""
    setup = setup_of(catalog, query)
    return EstimateAnswer(setup, estimate(setup))


def context_curve(setup: Setup, contexts: tuple[int, ...] = CONTEXT_POINTS) -> list[Estimate]:
    """One estimate per context length [tokens] for ``setup``: the prompt fills the context and decoding
    happens at that depth, with the setup's batch. One vectorised call for the whole curve."""
    return list(estimate_many([replace(setup, prompt_tokens=c, gen_tokens=1, context_tokens=c)
                               for c in contexts]))
