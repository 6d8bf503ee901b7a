"""Backend build eras: which generation of a runtime an estimate stands for, and how to tell from a source.

Runtimes get faster release by release at the same hardware limits. For llama.cpp the largest change is the
host time spent per layer of a decode step: 2023-2024 builds launched every kernel from the CPU (a 32-layer 8B
model lost ~3-4 ms a token to it, capping a fast card near 160 tok/s); CUDA graphs, fused ops and faster
MMQ/flash-attention kernels made 2025-2026 builds spend much less. The engine keeps one set of efficiency
constants per era for the constants that changed (``ERA_CONSTANTS``); all others are shared.

Estimates are for the current era unless asked otherwise (`estimate --build 2024`, scenario field ``build``).

On AMD GPUs (ROCm/HIP and Vulkan) the older kernel generation lasted until late 2025 (``FIRST_CURRENT_AMD``).

>>> era_of(build="2f68ce7cf (6918)"), era_of(build="32d9f7d9 (1786)"), era_of(date="2024-08-26")
('current', '2024', '2024')
>>> era_of(notes="llama-bench (~May 2024 build, all layers on GPU)"), era_of(notes="vLLM 0.10.2")
('2024', 'current')
>>> era_of(build="7de5c7ca (5882)", vendor="amd"), era_of(date="2025-07-13", vendor="amd"), era_of(date="2026-02", vendor="amd")
('2024', '2024', 'current')
"""

from __future__ import annotations

import re

from advisor.engine.types import BUILDS

CURRENT, OLD = BUILDS
# Constants that have an era variant: the lookup class is "<backend>@2024" for old-era rows of these backends,
# falling back to "<backend>" when the calibration has no separate value.
ERA_BACKENDS = ("llama.cpp",)
# Attention: 2023-2024 builds ran it without flash attention by default (-fa 0: the KQ matrix materialised,
# read and written per head); current builds and benchmarks use -fa 1.
ERA_CONSTANTS = ("layer_overhead_s", "step_overhead_s", "prefill_eff")
# llama.cpp build numbers (bNNNN) of January 2025 and later belong to the current era.
FIRST_CURRENT_BUILD_NUMBER = 4400
# AMD GPUs and APUs got llama.cpp's matrix-core prompt kernels in November-December 2025: WMMA-MMQ for RDNA 4
# (PR #17156, 2025-11-10, ~b7000) and RDNA 3/3.5 (#17576), MMF for RDNA 3 (#17879: 5-10x on a Strix Halo MoE at
# small micro-batches). Published prompt rates on one chip differ ~1.8x across that line (Strix Halo, Qwen3-30B-A3B
# Q4_K_M pp512: 551-612 tok/s in July-August 2025, 976-1142 in February-March 2026), so on AMD parts the older era
# runs until then: (first current build number, first current month).
FIRST_CURRENT_AMD = (7000, "2025-11")
ERA_TEXT = {CURRENT: "a current (2025-2026) build", OLD: "a 2023-2024 build"}
ERA_TEXT_AMD = {CURRENT: "a current (November 2025 or later) build", OLD: "a build from before November 2025"}
# Public threads that state no build or date per row but ran in a known period (first posts, build refs).
_UNDATED_SOURCES = {
    "github.com/ggml-org/llama.cpp/discussions/4167": OLD,  # Apple scoreboard table, builds from 8e672ef (Nov 2023)
    "github.com/XiongjieDai/GPU-Benchmarks-on-LLM-Inference": OLD,  # README sweep, ~May 2024 build
}
_BUILD_NO = re.compile(r"\((\d{3,5})\)|\bb(\d{3,5})\b")
_YEAR = re.compile(r"\b(20[12]\d)\b")
_YEAR_BUILD = re.compile(r"\b(20[12]\d)\s+build\b|\bbuild of \w*\s*(20[12]\d)\b", re.IGNORECASE)
_MONTH = re.compile(r"(20[12]\d-[01]\d)(?:-\d\d)?")


def era_of(build: str = "", date: str = "", notes: str = "", source: str = "", vendor: str = "") -> str:
    """The build era a measurement or request stands for: "2024" or "current".

    Reads, in order: an explicit era ("2024", "current"), a llama.cpp build number "(NNNN)"/"bNNNN", a year in
    the build text, the measurement date, a "<year> build" phrase in the notes, a known undated source.
    ``vendor`` "amd" (`constants.gemm_class`) moves the line to FIRST_CURRENT_AMD; a bare year 2025 then says
    nothing and the month of the date decides.
    """
    b = (build or "").strip().lower()
    if b in BUILDS:
        return b
    amd = vendor == "amd"
    first_build, first_month = FIRST_CURRENT_AMD if amd else (FIRST_CURRENT_BUILD_NUMBER, "2025-01")
    if m := _BUILD_NO.search(b):
        return OLD if int(m.group(1) or m.group(2)) < first_build else CURRENT
    if (m := _YEAR.search(b)) and not (amd and m.group(1) == first_month[:4]):
        return OLD if m.group(1) < first_month[:4] else CURRENT
    if m := _MONTH.fullmatch((date or "").strip()):
        return OLD if m.group(1) < first_month else CURRENT
    if (m := _YEAR.search(date or "")) and not (amd and m.group(1) == first_month[:4]):
        return OLD if m.group(1) < first_month[:4] else CURRENT
    if m := _YEAR_BUILD.search(notes or ""):
        return OLD if int(m.group(1) or m.group(2)) <= 2024 else CURRENT
    src = (source or "").split(" ")[0]
    return _UNDATED_SOURCES.get(src, CURRENT)


def era_text(build: str, vendor: str = "") -> str:
    """How an estimate names its era: "a 2023-2024 build"; on AMD parts "a build from before November 2025"."""
    return (ERA_TEXT_AMD if vendor == "amd" else ERA_TEXT)[build]


def era_class(backend: str, build: str) -> str:
    """The constant-lookup class of a backend in a build era ("llama.cpp@2024" or the backend itself)."""
    return f"{backend}@{OLD}" if build == OLD and backend in ERA_BACKENDS else backend
