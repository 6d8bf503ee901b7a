"""Import a Hugging Face config.json: read the architecture, derive parameters and the KV layout.

Families with a known layout: Llama, Mistral, Qwen2/3, Gemma 1/2/3 (nested ``text_config``), Qwen2/3-MoE,
Mixtral, Llama 4 (chunked attention, interleaved MoE), gpt-oss (alternating sliding window, MXFP4
experts), DeepSeek V2/V3/R1/V3.2 and Kimi K2 (MLA + MoE), DeepSeek V4 (compressed attention). Any other
``model_type`` goes through the same generic path with a warning listing what was assumed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from advisor.errors import InputError
from advisor.importers import kv as kvmod
from advisor.importers.families import (
    FAMILY_DEFAULTS,
    KNOWN_TYPES,
    NO_INPUT_EMBEDDING_TYPES,
    Reader,
    native_quant,
    sliding_layers,
)
from advisor.importers.limits import int_list, read_json_capped
from advisor.importers.params import Shapes, count_params, vision_tower_params
from advisor.importers.result import DERIVED, ImportResult, make_record

MLA_TYPES = {"deepseek_v2", "deepseek_v3", "deepseek_v32", "kimi_k2"}


def model_name_for(path: Path, data: dict[str, Any]) -> str:
    """The model's name: `_name_or_path`, else the folder holding the file (HF cache folders understood)."""
    declared = data.get("_name_or_path")
    if isinstance(declared, str) and declared.strip() and not declared.startswith(("/", ".")):
        return declared.rstrip("/").split("/")[-1][:200]
    parent = path.resolve().parent
    # ~/.cache/huggingface/hub/models--org--name/snapshots/<sha>/config.json
    if parent.parent.name == "snapshots" and parent.parent.parent.name.startswith("models--"):
        return parent.parent.parent.name.split("--")[-1]
    return parent.name or "imported-model"


def _merged_text_config(data: dict[str, Any], path: Path) -> tuple[dict[str, Any], str]:
    """Multimodal configs nest the language model under text_config; its keys win over the outer ones."""
    model_type = data.get("model_type")
    text = data.get("text_config")
    if text is None:
        if not isinstance(model_type, str) or not model_type:
            raise InputError("missing (cannot tell the architecture)", field=f"{path}: model_type")
        return data, model_type
    if not isinstance(text, dict):
        raise InputError("must be an object", field=f"{path}: text_config")
    merged = {k: v for k, v in data.items() if k not in ("text_config", "vision_config")}
    merged.update(text)
    inner = text.get("model_type") or model_type
    if not isinstance(inner, str) or not inner:
        raise InputError("missing (cannot tell the architecture)", field=f"{path}: model_type")
    return merged, inner


def import_hf_config(path: Path, data: Any = None, *, name: str | None = None) -> ImportResult:
    """Read a config.json and derive a catalog entry; InputError (naming the field) on bad input."""
    if data is None:
        data = read_json_capped(path, "config.json")
    if not isinstance(data, dict):
        raise InputError("must be a JSON object (a Hugging Face config.json)", field=str(path))
    cfg, model_type = _merged_text_config(data, path)
    outer_type = str(data.get("model_type") or model_type)
    known = model_type in KNOWN_TYPES or outer_type in KNOWN_TYPES
    family_defaults = FAMILY_DEFAULTS.get(model_type, FAMILY_DEFAULTS.get(outer_type, {}))
    r = Reader(cfg, str(path), family_defaults, model_type)

    layers = r.int("num_hidden_layers", aliases=("n_layer", "num_layers", "n_layers"))
    hidden = r.int("hidden_size", aliases=("n_embd", "d_model", "dim"))
    heads = r.int("num_attention_heads", aliases=("n_head", "n_heads"))
    kv_heads = r.int("num_key_value_heads", aliases=("num_kv_heads", "n_kv_heads"), default=heads)
    if kv_heads > heads:
        raise InputError(
            f"{kv_heads} KV heads exceed {heads} attention heads", field=f"{path}: num_key_value_heads"
        )
    head_dim = r.int("head_dim", default=0, minimum=0) or None
    if head_dim is None:
        if hidden % heads:
            raise InputError(
                f"hidden_size {hidden} is not a multiple of {heads} heads and head_dim is missing",
                field=f"{path}: head_dim",
            )
        head_dim = hidden // heads
        r.mark("head_dim", DERIVED)
    vocab = r.int("vocab_size", aliases=("n_vocab", "padded_vocab_size"))
    max_ctx = r.int(
        "max_position_embeddings", aliases=("n_positions", "max_seq_len", "seq_length"), default=4096
    )
    tied = r.bool("tie_word_embeddings", default=outer_type in ("gemma", "gemma2", "gemma3"))

    n_experts = r.int("n_routed_experts", aliases=("num_local_experts", "num_experts"), default=0, minimum=0)
    top_k = r.int("num_experts_per_tok", aliases=("experts_per_token", "moe_topk"), default=0, minimum=0)
    if n_experts and not 1 <= top_k <= n_experts:
        raise InputError(
            f"must be between 1 and n_routed_experts={n_experts}, got {top_k}",
            field=f"{path}: num_experts_per_tok",
        )
    is_v4 = model_type == "deepseek_v4"
    is_mla = model_type in MLA_TYPES or (not is_v4 and "kv_lora_rank" in cfg and cfg.get("kv_lora_rank"))
    dense_inter = r.int("intermediate_size", aliases=("ffn_hidden_size", "n_inner"), default=0, minimum=0)

    # which layers are MoE, and the expert / shared-expert widths
    moe_layers = [False] * layers
    expert_inter = shared_inter = n_shared = 0
    if n_experts:
        expert_inter = r.int("moe_intermediate_size", default=0, minimum=0) or dense_inter
        n_shared = r.int("n_shared_experts", default=0, minimum=0)
        shared_inter = expert_inter
        if cfg.get("shared_expert_intermediate_size"):  # Qwen2-MoE: one wide shared expert
            n_shared, shared_inter = 1, r.int("shared_expert_intermediate_size")
        if model_type in ("llama4", "llama4_text"):
            step = r.int("interleave_moe_layer_step", default=1)
            moe_layers = [(i + 1) % step == 0 for i in range(layers)]
            n_shared, dense_inter = 1, r.int("intermediate_size_mlp", default=dense_inter)
        elif is_mla or is_v4:
            first_dense = r.int("first_k_dense_replace", default=0, minimum=0)
            freq = r.int("moe_layer_freq", default=1)
            moe_layers = [i >= first_dense and i % freq == 0 for i in range(layers)]
        else:
            step = r.int("decoder_sparse_step", default=1)
            mlp_only = set(int_list(cfg.get("mlp_only_layers") or [], "mlp_only_layers"))
            moe_layers = [(i + 1) % step == 0 and i not in mlp_only for i in range(layers)]
        if not expert_inter:
            raise InputError("missing: cannot size the experts", field=f"{path}: moe_intermediate_size")
    if not all(moe_layers) and not dense_inter:
        raise InputError("missing: cannot size the MLP", field=f"{path}: intermediate_size")

    shapes_kw: dict[str, Any] = {}
    record: dict[str, Any] = {}
    csa = hca = 0
    window, n_sliding = (0, 0) if (is_mla or is_v4) else sliding_layers(r, model_type, layers)
    if is_mla:
        shapes_kw = {
            "attention": "mla",
            "q_lora_rank": r.int("q_lora_rank", default=0, minimum=0),
            "kv_lora_rank": r.int("kv_lora_rank"),
            "qk_rope_head_dim": r.int("qk_rope_head_dim"),
            "qk_nope_head_dim": r.int("qk_nope_head_dim"),
            "v_head_dim": r.int("v_head_dim"),
            "index_n_heads": r.int("index_n_heads", default=0, minimum=0),
            "index_head_dim": r.int("index_head_dim", default=0, minimum=0),
        }
        head_dim = shapes_kw["qk_nope_head_dim"] + shapes_kw["qk_rope_head_dim"]
        r.mark("head_dim", DERIVED)
        record |= {
            "kv_lora_rank": shapes_kw["kv_lora_rank"],
            "qk_rope_head_dim": shapes_kw["qk_rope_head_dim"],
        }
        if model_type == "deepseek_v32" or cfg.get("index_topk"):
            r.note(
                "DeepSeek sparse attention: the lightning indexer adds its own key cache (not counted here)"
            )
    elif is_v4:
        ratios = int_list(r.require("compress_ratios"), "compress_ratios")
        if len(ratios) < layers:
            raise InputError(
                f"has {len(ratios)} entries for {layers} layers", field=f"{path}: compress_ratios"
            )
        main = ratios[:layers]  # the released list carries trailing MTP/DSpark entries
        csa, hca = main.count(4), main.count(128)
        window = r.int("sliding_window", default=128)
        index_dim = r.int("index_head_dim", default=0, minimum=0)
        shapes_kw = {
            "attention": "dsv4",
            "q_lora_rank": r.int("q_lora_rank"),
            "o_lora_rank": r.int("o_lora_rank"),
            "o_groups": r.int("o_groups", default=1),
            "compress_ratios": tuple(main),
            "index_n_heads": r.int("index_n_heads", default=0, minimum=0),
            "index_head_dim": index_dim,
            "hc_mult": r.int("hc_mult", default=1),
        }
        record |= {
            "csa_layers": csa,
            "hca_layers": hca,
            "index_head_dim": index_dim,
            "sliding_window": window,
            "qk_rope_head_dim": r.int("qk_rope_head_dim", default=0, minimum=0),
        }
        r.mark("csa_layers", DERIVED)
        r.mark("hca_layers", DERIVED)
        other = [x for x in main if x not in (0, 4, 128)]
        if other:
            r.warn(
                f"compress_ratios has ratios {sorted(set(other))} other than 4/128: their KV is not counted"
            )
    else:
        record |= {"sliding_window": window, "sliding_layers": n_sliding}

    fam = family_defaults
    vision = data.get("vision_config")
    vision_params = vision_tower_params(vision, hidden) if isinstance(vision, dict) else 0
    shapes = Shapes(
        hidden=hidden,
        layers=layers,
        heads=heads,
        kv_heads=kv_heads,
        head_dim=head_dim,
        vocab=vocab,
        tied_embeddings=tied,
        dense_intermediate=dense_inter,
        moe_layers=tuple(moe_layers),
        n_experts=n_experts,
        experts_per_token=top_k,
        expert_intermediate=expert_inter,
        n_shared_experts=n_shared,
        shared_intermediate=shared_inter,
        qkv_bias=bool(cfg.get("attention_bias", fam.get("qkv_bias", False)) or fam.get("qkv_bias", False)),
        o_bias=bool(fam.get("o_bias", False) and cfg.get("attention_bias", True)),
        attn_sinks=bool(fam.get("attn_sinks", False)) or is_v4,
        qk_norm=bool(fam.get("qk_norm", False)),
        expert_bias=bool(fam.get("expert_bias", False)),
        router_bias=bool(fam.get("router_bias", False)),
        norms_per_layer=int(fam.get("norms_per_layer", 2)),
        vision_params=vision_params,
        **shapes_kw,
    )
    counts = count_params(shapes, count_input_embedding=model_type not in NO_INPUT_EMBEDDING_TYPES)
    if vision_params:
        r.note(f"vision tower ~{vision_params / 1e9:.2f}B parameters counted in total, not in active")
    if cfg.get("num_nextn_predict_layers"):
        r.note("multi-token-prediction (MTP) layers are not counted: runtimes do not load them for decoding")
    if model_type in NO_INPUT_EMBEDDING_TYPES:
        r.note("active parameters exclude the input-embedding lookup, as the publisher counts them")
    if not known:
        r.warn(
            f"unknown model_type '{model_type}': generic decoder assumed (gated MLP, no biases, "
            "standard norms); parameter counts and KV are best-effort"
        )
        r.warn(
            "could not derive: "
            + ", ".join(
                [
                    "exact bias/norm layout",
                    "vision or other non-text towers",
                    "MoE layer placement (all layers assumed)" if n_experts else "MoE layout (dense assumed)",
                ]
            )
        )

    quant_name, bytes_per_param = native_quant(cfg, model_type)
    attention_kind = "mla" if is_mla else ("dsv4" if is_v4 else "gqa")
    record |= {
        "name": name or model_name_for(path, data),
        "family": outer_type,
        "total_params_b": counts.total / 1e9,
        "active_params_b": counts.active / 1e9,
        "tied_embeddings": tied,
        "num_layers": layers,
        "hidden_size": hidden,
        "num_heads": heads,
        "num_kv_heads": kv_heads,
        "head_dim": head_dim,
        "attention_kind": attention_kind,
        "n_routed_experts": n_experts,
        "experts_per_token": top_k,
        "n_shared_experts": n_shared,
        "expert_params_b": counts.routed_experts / 1e9,
        "vocab_size": vocab,
        "max_context": max_ctx,
        "native_quant": quant_name,
    }
    for derived in ("total_params_b", "active_params_b", "expert_params_b", "attention_kind", "native_quant"):
        r.mark(derived, DERIVED)
    rec = make_record(record, source=f"imported from {path.name} (Hugging Face config.json)", path=str(path))
    layout = kvmod.layout_of(rec)
    return ImportResult(
        record=rec,
        source_kind="hf_config",
        path=str(path),
        architecture=outer_type,
        provenance=r.provenance,
        warnings=tuple(r.warnings),
        notes=tuple(r.notes),
        weights_bytes_estimate=counts.total * bytes_per_param,
        kv_bytes_per_token=layout.per_token_bytes,
        kv_bytes_per_token_all_layers=layout.all_layers_per_token_bytes,
        kv_window_bytes_per_sequence=layout.window_bytes_per_sequence,
        active_params_matmul_b=counts.active_matmul / 1e9,
        param_parts=counts.parts,
    )
