"""Import a GGUF file: architecture from `general.architecture` and `<arch>.*` keys, exact weight bytes
from the tensor table (ggml block sizes), the quant mix and the effective bits per weight.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

from gguf import GGML_QUANT_SIZES, GGMLQuantizationType, LlamaFileType

from advisor.errors import InputError
from advisor.importers import kv as kvmod
from advisor.importers.gguf_header import ArrayInfo, GgufHeader, read_gguf_header
from advisor.importers.limits import as_int
from advisor.importers.result import DEFAULT, DERIVED, READ, ImportResult, make_record

# Which share of layers use the sliding window when the file only gives the window (llama.cpp hard-codes it).
_SLIDING_SHARE = {"gemma2": (1, 2), "gemma3": (5, 6), "gpt-oss": (1, 2), "llama4": (3, 4), "cohere2": (3, 4)}
MLA_ARCHS = {"deepseek2", "kimi-k2"}


def tensor_bytes(ggml_type: int, n_elements: int, name: str, path: Path) -> int:
    """Exact bytes of a tensor from its ggml type's block layout [B]."""
    try:
        block, type_size = GGML_QUANT_SIZES[GGMLQuantizationType(ggml_type)]
    except (ValueError, KeyError) as exc:
        raise InputError(f"tensor {name} has unknown ggml type {ggml_type}", field=str(path)) from exc
    if n_elements % block:
        raise InputError(
            f"tensor {name}: {n_elements} elements is not a multiple of the "
            f"{GGMLQuantizationType(ggml_type).name} block of {block}",
            field=str(path),
        )
    return n_elements // block * type_size


def _num(
    meta: dict[str, Any], key: str, path: Path, *, default: int | None = None, minimum: int = 1
) -> int | None:
    """An integer metadata value; per-layer arrays give their largest entry."""
    value = meta.get(key)
    if isinstance(value, ArrayInfo):
        value = max(value.values) if value.values else value.first
    if value is None:
        return default
    return as_int(value, f"{path}: {key}", minimum=minimum)


def import_gguf(path: Path, *, name: str | None = None) -> ImportResult:
    """Read a GGUF header (no tensor data) and derive a catalog entry with exact weight bytes.

    A split model (`name-00001-of-00003.gguf`, key split.count) is read from its first shard: the
    other shards' tensor tables are read too, so the sizes cover the whole model.
    """
    header = read_gguf_header(path)
    count = header.metadata.get("split.count")
    if isinstance(count, int) and count > 1:
        header = _merge_split(header, path, count)
    return gguf_result(header, path, name=name)


def _merge_split(first: GgufHeader, path: Path, count: int) -> GgufHeader:
    """Tensor tables of all shards of a split GGUF; each shard is checked against its own file size."""
    m = re.fullmatch(r"(.*)-(\d{5})-of-(\d{5})\.gguf", path.name)
    if not m or int(m.group(2)) != 1 or int(m.group(3)) != count:
        raise InputError(
            f"split GGUF ({count} shards): import the first shard, *-00001-of-{count:05d}.gguf",
            field=str(path),
        )
    tensors = list(first.tensors)
    for i in range(2, count + 1):
        shard = path.with_name(f"{m.group(1)}-{i:05d}-of-{count:05d}.gguf")
        if not shard.is_file():
            raise InputError(f"shard {i} of {count} is missing beside the first one", field=str(shard))
        h = read_gguf_header(shard)
        _check_data_fits(h, shard)
        tensors += h.tensors
    _check_data_fits(first, path)
    # offsets of later shards refer to their own files: zero them so the whole-file check is skipped
    merged = tuple(
        t if j < len(first.tensors) else dataclasses.replace(t, offset=-1) for j, t in enumerate(tensors)
    )
    return dataclasses.replace(first, tensors=merged)


def _check_data_fits(h: GgufHeader, path: Path) -> None:
    data_size = h.file_size - h.data_offset
    if sum(tensor_bytes(t.ggml_type, t.n_elements, t.name, path) for t in h.tensors) > data_size:
        raise InputError("corrupt GGUF: the tensors need more bytes than the data section has", field=str(path))
    for t in h.tensors:
        end = t.offset + tensor_bytes(t.ggml_type, t.n_elements, t.name, path)
        if end > data_size:
            raise InputError(
                f"truncated GGUF: tensor {t.name} ends at byte {h.data_offset + end}, the file has {h.file_size}",
                field=str(path),
            )


def gguf_result(h: GgufHeader, path: Path, *, name: str | None = None) -> ImportResult:
    meta = h.metadata
    arch = meta.get("general.architecture")
    if not isinstance(arch, str) or not arch:
        raise InputError("missing general.architecture", field=f"{path}: general.architecture")
    prov: dict[str, str] = {}
    warnings: list[str] = []
    notes: list[str] = []

    def need(suffix: str, field: str, **kw: Any) -> int:
        value = _num(meta, f"{arch}.{suffix}", path, **kw)
        if value is None:
            raise InputError("missing", field=f"{path}: {arch}.{suffix}")
        prov[field] = READ if f"{arch}.{suffix}" in meta else DEFAULT
        return value

    layers = need("block_count", "num_layers")
    hidden = need("embedding_length", "hidden_size")
    heads = need("attention.head_count", "num_heads")
    kv_heads = need("attention.head_count_kv", "num_kv_heads", default=heads)
    head_dim = _num(meta, f"{arch}.attention.key_length", path)
    prov["head_dim"] = READ
    if head_dim is None:
        head_dim, prov["head_dim"] = hidden // heads, DERIVED
    max_ctx = need("context_length", "max_context", default=4096)
    n_experts = need("expert_count", "n_routed_experts", default=0, minimum=0)
    top_k = need("expert_used_count", "experts_per_token", default=0, minimum=0)
    n_shared = need("expert_shared_count", "n_shared_experts", default=0, minimum=0)

    # exact sizes from the tensor table; the data region must hold every tensor
    data_size = h.file_size - h.data_offset
    total_elems = expert_elems = total_bytes = local_bytes = 0
    mix: dict[str, int] = {}
    embd_rows = 0
    has_output_head = False
    for t in h.tensors:
        n = t.n_elements
        nbytes = tensor_bytes(t.ggml_type, n, t.name, path)
        if t.offset >= 0 and t.offset + nbytes > data_size:  # offset -1: checked in its own shard
            raise InputError(
                f"truncated GGUF: tensor {t.name} ends at byte {h.data_offset + t.offset + nbytes}, "
                f"the file has {h.file_size}",
                field=str(path),
            )
        total_elems += n
        total_bytes += nbytes
        if t.offset >= 0:
            local_bytes += nbytes
        if "_exps" in t.name:
            expert_elems += n
        qname = GGMLQuantizationType(t.ggml_type).name
        mix[qname] = mix.get(qname, 0) + nbytes
        has_output_head = has_output_head or t.name == "output.weight"
        if t.name == "token_embd.weight" and len(t.shape) == 2:
            embd_rows = t.shape[1]
    # each tensor may fit on its own while a damaged offset makes two share bytes: their sum must fit too
    if local_bytes > data_size:
        raise InputError(
            f"corrupt GGUF: the tensors need {local_bytes:,} B but the data section has {data_size:,} B "
            "(damaged tensor table)",
            field=str(path),
        )
    if not h.tensors:
        raise InputError("GGUF file has no tensors (a vocabulary-only file?)", field=str(path))

    tokens = meta.get("tokenizer.ggml.tokens")
    vocab = tokens.count if isinstance(tokens, ArrayInfo) and tokens.count else embd_rows
    prov["vocab_size"] = READ if isinstance(tokens, ArrayInfo) else DERIVED
    if not vocab:
        raise InputError(
            "cannot tell the vocabulary size (no tokenizer.ggml.tokens, no token_embd)", field=str(path)
        )

    record: dict[str, Any] = {}
    attention_kind = "gqa"
    prov["attention_kind"] = DERIVED
    if arch in MLA_ARCHS and f"{arch}.attention.kv_lora_rank" in meta:
        attention_kind = "mla"
        kv_lora = need("attention.kv_lora_rank", "kv_lora_rank")
        rope = need("rope.dimension_count", "qk_rope_head_dim")
        head_dim = _num(meta, f"{arch}.attention.key_length_mla", path, default=head_dim) or head_dim
        record |= {"kv_lora_rank": kv_lora, "qk_rope_head_dim": rope}
    else:
        window = _num(meta, f"{arch}.attention.sliding_window", path, default=0, minimum=0) or 0
        window = window or (_num(meta, f"{arch}.attention.chunk_size", path, default=0, minimum=0) or 0)
        n_sliding = 0
        pattern = meta.get(f"{arch}.attention.sliding_window_pattern")
        if window and isinstance(pattern, ArrayInfo) and pattern.values:
            n_sliding = sum(1 for v in pattern.values[:layers] if v)  # per-layer flags (newer converters)
            prov["sliding_layers"] = READ
        elif window:
            num, den = _SLIDING_SHARE.get(arch, (1, 1))
            # every den-th layer is global (gemma3 1 in 6, llama4 1 in 4; gemma2/gpt-oss alternate)
            n_sliding = layers - layers // den if den > 1 else layers
            prov["sliding_layers"] = DERIVED
            if arch not in _SLIDING_SHARE:
                warnings.append(f"{arch}: sliding window {window} assumed on every layer")
            else:
                notes.append(
                    f"{arch}: {num}/{den} of layers use the {window}-token window (llama.cpp's layout)"
                )
        record |= {"sliding_window": window, "sliding_layers": n_sliding}
        if arch.startswith("deepseek") or arch in ("qwen3next", "mamba", "rwkv6", "jamba", "falcon-h1"):
            warnings.append(f"{arch}: attention layout not understood; KV bytes/token may be wrong")

    active = total_elems
    if n_experts and expert_elems:
        if not 1 <= top_k <= n_experts:
            raise InputError(f"expert_used_count {top_k} with {n_experts} experts", field=f"{path}: {arch}")
        active = total_elems - expert_elems + expert_elems * top_k // n_experts
    file_type = meta.get("general.file_type")
    try:
        quant = LlamaFileType(file_type).name.removeprefix("MOSTLY_") if isinstance(file_type, int) else ""
    except ValueError:
        quant = ""
    quant = quant or max(mix, key=lambda k: mix[k])
    bpw = total_bytes * 8 / total_elems
    notes.append(f"weights {total_bytes:,} B exact from {len(h.tensors)} tensors; {bpw:.3f} bits/weight")
    gname = meta.get("general.name")
    record |= {
        "name": name or (gname if isinstance(gname, str) and gname.strip() else path.stem),
        "family": arch,
        "total_params_b": total_elems / 1e9,
        "active_params_b": active / 1e9,
        # llama.cpp writes no output.weight when the head reuses token_embd (tied); the tensor table here is
        # every shard's
        "tied_embeddings": not has_output_head,
        "num_layers": layers,
        "hidden_size": hidden,
        "num_heads": heads,
        "num_kv_heads": kv_heads,
        "head_dim": head_dim,
        "attention_kind": attention_kind,
        "n_routed_experts": n_experts,
        "experts_per_token": top_k,
        "n_shared_experts": n_shared,
        "expert_params_b": expert_elems / 1e9,
        "vocab_size": vocab,
        "max_context": max_ctx,
        "native_quant": quant,
        "native_size_gb": total_bytes / 1e9,
    }
    for f in ("total_params_b", "active_params_b", "expert_params_b", "native_quant", "native_size_gb"):
        prov[f] = DERIVED
    rec = make_record(record, source=f"imported from {path.name} (GGUF v{h.version} header)", path=str(path))
    layout = kvmod.layout_of(rec)
    return ImportResult(
        record=rec,
        source_kind="gguf",
        path=str(path),
        architecture=arch,
        provenance=prov,
        warnings=tuple(warnings),
        notes=tuple(notes),
        weights_bytes=total_bytes,
        kv_bytes_per_token=layout.per_token_bytes,
        kv_bytes_per_token_all_layers=layout.all_layers_per_token_bytes,
        kv_window_bytes_per_sequence=layout.window_bytes_per_sequence,
        active_params_matmul_b=active / 1e9,
        quant_mix_bytes=mix,
        bits_per_weight=bpw,
    )
