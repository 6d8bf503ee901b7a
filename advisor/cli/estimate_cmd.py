"""`estimate`: one setup (--hardware/--model/--quant ...) or a case file (--cases IN.csv --out OUT.csv).

Names resolve through the user's catalog (the database, so user edits count). In --cases mode every good row
is answered; bad rows are reported on stderr as "row N, column C: reason" (header = row 1) and skipped. Exit
codes: 0 when the file was usable (even if some rows were bad), 2 when the file itself is unusable or a
single estimate has bad input, 1 internal error.
"""

from __future__ import annotations

import argparse
import json
import sys

from advisor.app.estimates import EstimateQuery, estimate_query
from advisor.app.store import open_catalog
from advisor.engine.cases import read_cases, result_rows, write_rows
from advisor.engine.types import BUILDS, HARNESSES, KV_DTYPE_BYTES, Host
from advisor.errors import InputError


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("estimate", help="fit and speed of one setup, or of every row of a case file",
                              description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--hardware", metavar="NAME", help='accelerator or CPU, e.g. "RTX 4090" (any catalog name or alias)')
    p.add_argument("--system", metavar="NAME", help='a catalog system instead of --hardware/--count, e.g. "Mac Studio M3 Ultra 512GB" (its devices, count and host)')
    p.add_argument("--count", type=int, default=1, metavar="N", help="devices in the box [count] (default 1)")
    p.add_argument("--model", metavar="NAME", help='model, e.g. "DeepSeek-V4-Flash" or a Hugging Face repo id')
    p.add_argument("--quant", metavar="Q", help="weight format: Q4_K_M, Q8_0, FP8, NVFP4, AWQ-INT4, EXL2-4.5, MLX-4bit, native ...")
    p.add_argument("--backend", default=None, metavar="B", help="llama.cpp, vllm, sglang, tensorrt-llm, exllamav2, mlx, ktransformers (default: llama.cpp when it runs the format on the hardware, else the first that does, e.g. vllm for an FP8 checkpoint on a GPU); an unsupported combination is an error (advisor.engine.support)")
    p.add_argument("--parallel", choices=("none", "layer", "tensor", "expert"), default=None, help="multi-device split (default: layer)")
    p.add_argument("--batch", type=int, default=1, metavar="N", help="concurrent sequences [count] (default 1)")
    p.add_argument("--prompt", type=int, default=512, metavar="N", help="prompt length [tokens] (default 512)")
    p.add_argument("--gen", type=int, default=128, metavar="N", help="tokens generated [tokens] (default 128)")
    p.add_argument("--context", type=int, default=None, metavar="N", help="context each sequence reserves KV cache for [tokens] (default prompt + gen)")
    p.add_argument("--context-depth", type=int, default=0, metavar="N", help="context already in the cache before decoding [tokens] (default 0)")
    p.add_argument("--offload", choices=("none", "experts_cpu", "cpu_only"), default="none", help="routed experts or everything in host RAM (default none)")
    p.add_argument("--host", metavar="NAME", help='the machine around the devices (CPU, RAM size and bandwidth '
                   'that offloaded experts read), a catalog host, e.g. "epyc-9355-768gb" (default: the '
                   "system's host, else a generic desktop: 64 GB at 80 GB/s)")
    p.add_argument("--kv-dtype", choices=tuple(KV_DTYPE_BYTES), default="f16", help="KV-cache element type (default f16)")
    p.add_argument("--build", choices=BUILDS, default="current",
                   help="backend build era the speeds stand for: current (2025-2026 releases, default) or 2024 (2023-2024"
                        " releases; llama.cpp on AMD GPUs: releases before November 2025)")
    p.add_argument("--harness", choices=HARNESSES, default="online",
                   help="serving engines: online (through the API server, streaming every token; default) or offline"
                        " (an engine-throughput run without a server, e.g. trtllm-bench)")
    p.add_argument("--wired-limit-mb", type=int, default=None, metavar="N",
                   help="Apple silicon: the GPU wired limit you set with sudo sysctl iogpu.wired_limit_mb=N [MiB]"
                        " (default: macOS's ~2/3 of RAM up to 36 GB, ~3/4 above); 1 .. the RAM")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--cases", metavar="IN.csv", help="estimate every row of a case file (DESIGN §4 columns)")
    p.add_argument("--out", metavar="OUT.csv", help="where --cases writes its results")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.cases:
        return _run_cases(args)
    for flag in ("model", "quant") if args.system else ("hardware", "model", "quant"):
        if not getattr(args, flag):
            raise InputError("required (or use --cases IN.csv --out OUT.csv)", f"--{flag}")
    query = EstimateQuery(hardware=args.hardware or "", system=args.system, model=args.model, quant=args.quant, count=args.count,
                          backend=args.backend, parallel=args.parallel, offload=args.offload,
                          kv_dtype=args.kv_dtype, batch=args.batch, prompt_tokens=args.prompt,
                          gen_tokens=args.gen, context_depth=args.context_depth, context_tokens=args.context,
                          build=args.build, harness=args.harness, host=args.host, wired_limit_mb=args.wired_limit_mb)
    answer = estimate_query(open_catalog(), query)
    setup, e = answer.setup, answer.estimate
    device, model, quant = setup.device, setup.model, setup.quant
    if args.json:
        out = {k: getattr(e, k) for k in e.__dataclass_fields__}
        out["tg_band"], out["pp_band"], out["notes"] = list(e.tg_band), list(e.pp_band), list(e.notes)
        out.update(hardware=device.name, count=setup.count, model=model.name, quant=quant.name, backend=setup.backend,
                   build=setup.build, harness=setup.harness, host=(setup.host or Host()).name)
        print(json.dumps(out, indent=2))
        return 0
    dev = f"{setup.count} x {device.name}" if setup.count > 1 else device.name
    print(f"{model.name} {quant.name} on {dev} ({setup.backend}, batch {args.batch})")
    if setup.offload != "none" or args.host:
        h = setup.host or Host()
        print(f"  host: {h.name} ({h.ram_gb:.0f} GB RAM at {h.ram_bandwidth_gbs:.0f} GB/s, "
              f"{h.cpu_tflops:g} TFLOPS)")
    print(f"  fits: {'yes' if e.fits else 'NO'}{' - ' + e.reason if e.reason else ''}")
    if e.host_gb:  # offloaded weights live in host RAM: the device sum holds only what stays on the devices
        on_devices = max(e.total_gb - e.kv_gb - e.overhead_gb, 0.0)
        print(f"  memory: weights {e.weights_gb:.1f} GB, of which {e.host_gb:.0f} GB in host RAM; on the devices "
              f"{on_devices:.1f} GB of weights + KV {e.kv_gb:.2f} GB + overhead {e.overhead_gb:.1f} GB = "
              f"{e.total_gb:.1f} GB of {e.usable_gb:.1f} GB usable")
    else:
        print(f"  memory: weights {e.weights_gb:.1f} GB + KV {e.kv_gb:.2f} GB + overhead {e.overhead_gb:.1f} GB"
              f" = {e.total_gb:.1f} GB of {e.usable_gb:.1f} GB usable")
    print(f"  KV cache: {e.kv_bytes_per_token:,.0f} B/token; max context {e.max_context_tokens:,} tokens")
    if not e.fits:
        print("  speeds below are what it would do if it fitted:")
    print(f"  prefill: {e.pp_tok_s:,.0f} tok/s (TTFT {e.ttft_s:.2f} s for {args.prompt} tokens)")
    print(f"  decode: {e.tg_tok_s:,.1f} tok/s aggregate, {e.tg_tok_s_per_user:,.1f} tok/s per user"
          f" (p10-p90 {e.tg_band[0]:,.1f}-{e.tg_band[1]:,.1f}); limited by {e.limiting_factor}")
    for note in e.notes:
        print(f"  note: {note}")
    return 0


def _run_cases(args: argparse.Namespace) -> int:
    if not args.out:
        raise InputError("required with --cases", "--out")
    rows, errors = read_cases(args.cases, open_catalog())
    results = result_rows(rows)
    write_rows(args.out, results)
    for err in errors:
        print(f"error: {args.cases}: {err}", file=sys.stderr)
    print(f"{len(results)} rows estimated -> {args.out}" + (f"; {len(errors)} bad rows skipped" if errors else ""),
          file=sys.stderr)
    return 0
