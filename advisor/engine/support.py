"""Which backend runs which weight format on which hardware: the one support matrix every front end uses.

`BACKEND_SUPPORT` is the table (backend -> hardware vendors and device kinds it runs on, weight-format
families it loads); `support_problem` adds the per-format hardware rules and answers for one setup. An estimate
of an unsupported combination is an input error (the CLI exits 2 naming the fields); a scenario candidate is
kept in the table, marked as skipped with the reason.

The rules, as of the 2025-2026 releases of each engine:

| backend      | hardware (vendor / kind)                          | weight formats                                    |
|--------------|---------------------------------------------------|---------------------------------------------------|
| llama.cpp    | every vendor; GPU, Apple, APU, CPU                | GGUF quants; F32/F16/BF16; MXFP4 (gpt-oss GGUFs)  |
| vLLM         | NVIDIA, AMD, Intel; GPU, APU, CPU -- not Apple    | FP8, NVFP4, MXFP4, F16/BF16, AWQ/GPTQ, GGUF (exp.) |
| SGLang       | NVIDIA, AMD; GPU, APU -- not Apple                | FP8, NVFP4, MXFP4, F16/BF16, AWQ/GPTQ             |
| TensorRT-LLM | NVIDIA only; GPU, APU                             | FP8, NVFP4, MXFP4, F16/BF16, AWQ/GPTQ             |
| ExLlamaV2    | NVIDIA, AMD; GPU                                  | EXL2 (and GPTQ 4-bit); not GGUF, not AWQ          |
| MLX          | Apple only                                        | MLX n-bit; F32/F16/BF16; MXFP4                    |
| ktransformers| NVIDIA, AMD; GPU (experts on the host CPU)        | GGUF quants; F16/BF16/FP8                         |

The table was checked against the 1,030 measured rows of the calibration files: every measured combination is
allowed (TensorRT-LLM serves gpt-oss MXFP4 on H100; ExLlamaV2 loads GPTQ as well as EXL2).

Format-on-hardware rules: FP8 weights on TensorRT-LLM, and on any AMD device, need FP8 tensor units
(Ada/Hopper/Blackwell, CDNA3); vLLM/SGLang run FP8 on older NVIDIA cards as weight-only (Marlin W8A16).
NVFP4 runs only on NVIDIA; TensorRT-LLM and SGLang need Blackwell FP4 units for it. "native" is checked as
the checkpoint's own format (a DeepSeek FP8 release is FP8 to llama.cpp, which has no FP8 weights).
Expert parallelism needs a mixture-of-experts model.
"""

from __future__ import annotations

from dataclasses import dataclass

from advisor.engine.types import Device, ModelArch, Quant

ALL_VENDORS = ("nvidia", "amd", "intel", "apple", "other")
ALL_KINDS = ("gpu", "apple", "apu", "cpu")
# Float formats by name: which of the "float" family a weight-only engine can load.
PLAIN_FLOATS = ("F32", "F16", "BF16")


@dataclass(frozen=True)
class BackendSupport:
    """Where a backend runs [vendor names, device kinds] and what it loads [quant families, float names]."""

    label: str
    vendors: tuple[str, ...]
    kinds: tuple[str, ...]
    families: tuple[str, ...]  # QuantRecord families other than "float"/"native"
    floats: tuple[str, ...]  # float formats by name (F16, BF16, FP8, NVFP4, MXFP4, ...)


BACKEND_SUPPORT: dict[str, BackendSupport] = {
    "llama.cpp": BackendSupport("llama.cpp", ALL_VENDORS, ALL_KINDS, ("gguf",), (*PLAIN_FLOATS, "MXFP4")),
    "vllm": BackendSupport("vLLM", ("nvidia", "amd", "intel"), ("gpu", "apu", "cpu"), ("int4", "gguf"),
                           (*PLAIN_FLOATS, "FP8", "NVFP4", "MXFP4")),
    "sglang": BackendSupport("SGLang", ("nvidia", "amd"), ("gpu", "apu"), ("int4",),
                             (*PLAIN_FLOATS, "FP8", "NVFP4", "MXFP4")),
    "tensorrt-llm": BackendSupport("TensorRT-LLM", ("nvidia",), ("gpu", "apu"), ("int4",),
                                   (*PLAIN_FLOATS, "FP8", "NVFP4", "MXFP4")),
    "exllamav2": BackendSupport("ExLlamaV2", ("nvidia", "amd"), ("gpu",), ("exl2",), ()),
    "mlx": BackendSupport("MLX", ("apple",), ("apple",), ("mlx",), (*PLAIN_FLOATS, "MXFP4")),
    "ktransformers": BackendSupport("ktransformers", ("nvidia", "amd"), ("gpu",), ("gguf",),
                                    (*PLAIN_FLOATS, "FP8")),
}

# Words for the messages.
_FAMILY_WORDS = {"gguf": "GGUF", "int4": "AWQ/GPTQ", "exl2": "EXL2", "mlx": "MLX"}
_VENDOR_WORDS = {"nvidia": "NVIDIA", "amd": "AMD", "intel": "Intel", "apple": "Apple", "other": "other vendors'"}
_KIND_WORDS = {"gpu": "GPUs", "apple": "Apple silicon", "apu": "APUs", "cpu": "CPUs"}


@dataclass(frozen=True)
class SupportProblem:
    """Why a setup cannot run: ``fields`` names the inputs that clash (backend, hardware, quant, parallel)."""

    fields: tuple[str, ...]
    reason: str


def vendor_of(device: Device) -> str:
    """The device's vendor as the matrix names it: nvidia, amd, intel, apple or other."""
    v = device.vendor.strip().lower()
    if device.kind == "apple" or v == "apple":
        return "apple"
    return v if v in ("nvidia", "amd", "intel") else "other"


def weight_format(quant: Quant, model: ModelArch | None = None) -> tuple[str, str]:
    """(family, float format name) of the weights a backend has to load.

    "native" is the checkpoint's own format: "FP4+FP8" (DeepSeek V4) counts as NVFP4-class FP4 + FP8 and is
    reported as "FP8" for the float check (the stricter of its parts for weight-only engines).
    """
    name = quant.name.upper()
    if quant.family == "native" and name == "NATIVE":
        fmt = (model.native_quant if model is not None else "BF16").upper()
        if fmt in ("FP16", "FLOAT16"):
            fmt = "F16"
        if fmt in ("FP32", "FLOAT32"):
            fmt = "F32"
        if "FP8" in fmt:
            return "float", "FP8"
        if fmt in ("FP4", "NVFP4"):
            return "float", "NVFP4"
        return "float", fmt
    if quant.family in ("float", "native"):
        return "float", name.removesuffix("-EXPERTS")
    return quant.family, name


def support_problem(backend: str, device: Device, quant: Quant, model: ModelArch | None = None,
                    parallel: str = "none") -> SupportProblem | None:
    """None when ``backend`` runs ``quant`` of ``model`` on ``device``; else the clashing fields and why.

    >>> from advisor.engine.types import Device, Quant
    >>> mac = Device("M3 Ultra", kind="apple", vendor="Apple", unified_memory=True)
    >>> support_problem("vllm", mac, Quant("FP8", 8.0, family="float", compute="fp8")).fields
    ('backend', 'hardware')
    >>> support_problem("llama.cpp", mac, Quant("Q4_K_M", 4.89)) is None
    True
    """
    rule = BACKEND_SUPPORT.get(backend)
    if rule is None:
        return None  # an unknown backend is reported by validation, naming the allowed ones
    vendor = vendor_of(device)
    where = f"{device.name} ({_VENDOR_WORDS[vendor]} {_KIND_WORDS.get(device.kind, device.kind).rstrip('s')})"
    if vendor == "apple":
        where = f"{device.name} (Apple silicon)"
    if vendor not in rule.vendors or device.kind not in rule.kinds:
        runs_on = "every vendor" if rule.vendors == ALL_VENDORS else "/".join(_VENDOR_WORDS[v] for v in rule.vendors)
        kinds = ", ".join(_KIND_WORDS[k] for k in rule.kinds)
        runs = "Apple silicon" if rule.vendors == ("apple",) else f"{runs_on} {kinds}"
        return SupportProblem(("backend", "hardware"), f"{rule.label} does not run on {where}; it runs on {runs}")
    family, fmt = weight_format(quant, model)
    label = quant.name if quant.name != "native" else f"native ({fmt})"
    if family == "float":
        if fmt not in rule.floats:
            loads = ", ".join([*(_FAMILY_WORDS[f] for f in rule.families), *rule.floats])
            loaders = [b.label for b in BACKEND_SUPPORT.values() if fmt in b.floats]
            hint = f"; {' or '.join(loaders)} load{'s' if len(loaders) == 1 else ''} it" if loaders else ""
            return SupportProblem(("backend", "quant"),
                                  f"{rule.label} cannot load {label} weights (it loads {loads}){hint}")
    elif family == "int4" and backend == "exllamav2" and quant.name.upper().startswith("GPTQ"):
        pass  # ExLlamaV2 loads GPTQ 4-bit checkpoints too (measured: RTX 4090 GPTQ rows in the calibration data)
    elif family not in rule.families:
        loaders = [b.label for b in BACKEND_SUPPORT.values() if family in b.families]
        return SupportProblem(("backend", "quant"),
                              f"{rule.label} cannot load {label} ({_FAMILY_WORDS.get(family, family)}) weights;"
                              f" use {' or '.join(loaders) or 'another backend'}")
    if family == "float" and fmt == "FP8" and backend != "llama.cpp":
        needs_units = backend == "tensorrt-llm" or vendor != "nvidia"
        if needs_units and not device.fp8_tflops:
            return SupportProblem(("quant", "hardware"),
                                  f"{label} weights on {rule.label} need FP8 tensor units, which {device.name} lacks"
                                  " (NVIDIA Ada/Hopper/Blackwell, AMD CDNA3)")
    if family == "float" and fmt == "NVFP4":
        if vendor != "nvidia":
            return SupportProblem(("quant", "hardware"), f"{label} runs only on NVIDIA GPUs, not on {where}")
        if backend in ("tensorrt-llm", "sglang") and not device.fp4_tflops:
            return SupportProblem(("quant", "hardware"),
                                  f"{label} on {rule.label} needs Blackwell FP4 tensor units, which {device.name} lacks")
    if parallel == "expert" and model is not None and not model.is_moe:
        return SupportProblem(("parallel", "model"),
                              f"expert parallel needs a mixture-of-experts model; {model.name} is dense")
    return None


# Order in which `default_backend` tries engines: the weight-only engine that runs everywhere first, then the
# serving engines, then the single-vendor ones.
DEFAULT_ORDER = ("llama.cpp", "vllm", "mlx", "sglang", "tensorrt-llm", "exllamav2", "ktransformers")


def default_backend(device: Device, quant: Quant, model: ModelArch | None = None, parallel: str = "none") -> str:
    """The backend an estimate uses when none is named: llama.cpp when it runs ``quant`` on ``device``, else
    the first engine of DEFAULT_ORDER that does (vLLM for an FP8 checkpoint on a GPU, ExLlamaV2 for EXL2,
    MLX for MLX weights on a Mac). When none does, the first engine that loads the format (its error then says
    what hardware it needs: MLX weights on an NVIDIA card -> "MLX does not run on ..."), else llama.cpp.

    >>> from advisor.engine.types import Device, Quant
    >>> default_backend(Device("H100"), Quant("FP8", 8.0, family="float", compute="fp8"))
    'vllm'
    >>> default_backend(Device("RTX 4090"), Quant("MLX-4bit", 4.5, family="mlx"))
    'mlx'
    """
    problems = {b: support_problem(b, device, quant, model, parallel) for b in DEFAULT_ORDER}
    for backend, problem in problems.items():
        if problem is None:
            return backend
    for backend, problem in problems.items():
        if problem is not None and problem.fields != ("backend", "quant"):
            return backend
    return "llama.cpp"
