"""Parameter counts derived from a decoder's shapes (embeddings, attention, dense and expert MLPs, norms).

All counts are in parameters (not billions) and exact for the tensors the shapes describe; tiny tensors a
config does not describe (rotary tables, scales) are ignored. Conventions:

- total = everything a checkpoint holds for the text model plus a vision tower when the config has one;
  multi-token-prediction (MTP) heads are *not* counted (runtimes do not load them; publishers exclude them).
- active = parameters that take part in one token's forward pass: all non-routed parameters plus
  experts_per_token / n_routed_experts of the routed experts. Whether the input embedding (a row lookup)
  counts differs by publisher (Qwen, Meta, Mistral count it; DeepSeek and OpenAI do not), so the caller
  decides with ``count_input_embedding``; the matmul-only figure is always available as ``active_matmul``.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Shapes:
    """The shapes of a decoder-only transformer, normalised from a config file."""

    hidden: int
    layers: int
    heads: int
    kv_heads: int
    head_dim: int
    vocab: int
    tied_embeddings: bool
    attention: str = "gqa"  # gqa | mla | dsv4
    qkv_bias: bool = False
    o_bias: bool = False
    attn_sinks: bool = False  # one learned logit per head (gpt-oss, DeepSeek V4)
    qk_norm: bool = False  # per-head RMSNorm on q and k (Qwen3, Gemma 3)
    # MLA (DeepSeek V2/V3); q_lora_rank 0 means a plain q projection (V2-Lite)
    q_lora_rank: int = 0
    kv_lora_rank: int = 0
    qk_rope_head_dim: int = 0
    qk_nope_head_dim: int = 0
    v_head_dim: int = 0
    # DeepSeek V4 compressed attention
    o_lora_rank: int = 0
    o_groups: int = 1
    compress_ratios: tuple[int, ...] = ()
    index_n_heads: int = 0
    index_head_dim: int = 0
    hc_mult: int = 1
    # MLPs: moe_layers[i] tells whether layer i is a mixture-of-experts layer
    dense_intermediate: int = 0
    moe_layers: tuple[bool, ...] = ()
    n_experts: int = 0
    experts_per_token: int = 0
    expert_intermediate: int = 0
    n_shared_experts: int = 0
    shared_intermediate: int = 0  # of ONE shared expert
    expert_bias: bool = False  # gpt-oss experts carry biases
    router_bias: bool = False
    norms_per_layer: int = 2
    vision_params: int = 0


@dataclass(frozen=True)
class ParamCount:
    """Parameter counts by part [parameters]."""

    parts: dict[str, int] = field(default_factory=dict)
    total: int = 0
    active: int = 0
    active_matmul: int = 0  # active without the input-embedding lookup
    routed_experts: int = 0  # all routed experts of all layers


def _gated_mlp(hidden: int, inter: int, bias: bool = False) -> int:
    """gate, up and down projections (SwiGLU/GeGLU) [parameters]."""
    return 3 * hidden * inter + ((2 * inter + hidden) if bias else 0)


def _attention(s: Shapes) -> int:
    """Attention parameters of ONE full layer (without V4 compressors) [parameters]."""
    h = s.hidden
    if s.attention == "mla":
        qk_dim = s.qk_nope_head_dim + s.qk_rope_head_dim
        if s.q_lora_rank:
            q = h * s.q_lora_rank + s.q_lora_rank + s.q_lora_rank * s.heads * qk_dim
        else:
            q = h * s.heads * qk_dim
        kv_a = h * (s.kv_lora_rank + s.qk_rope_head_dim) + s.kv_lora_rank
        kv_b_proj = s.kv_lora_rank * s.heads * (s.qk_nope_head_dim + s.v_head_dim)
        o = s.heads * s.v_head_dim * h
        # V3.2 sparse attention: a lightning indexer per layer (query from the q latent, one key, head weights)
        idx = 0
        if s.index_n_heads:
            d = s.index_head_dim
            idx = s.q_lora_rank * s.index_n_heads * d + h * d + 2 * d + h * s.index_n_heads
        return q + kv_a + kv_b_proj + o + idx
    if s.attention == "dsv4":
        qd = s.heads * s.head_dim
        q = h * s.q_lora_rank + s.q_lora_rank + s.q_lora_rank * qd
        kv = h * s.head_dim + s.head_dim  # one shared latent KV head + its norm
        # grouped low-rank output: each of o_groups maps its qd/o_groups slice to o_lora_rank
        o = qd * s.o_lora_rank + s.o_groups * s.o_lora_rank * h
        return q + kv + o + s.heads
    q = h * s.heads * s.head_dim
    kv = 2 * h * s.kv_heads * s.head_dim
    o = s.heads * s.head_dim * h
    bias = (s.heads + 2 * s.kv_heads) * s.head_dim if s.qkv_bias else 0
    bias += h if s.o_bias else 0
    norms = 2 * s.head_dim if s.qk_norm else 0
    return q + kv + o + bias + norms + (s.heads if s.attn_sinks else 0)


def _dsv4_compressor(s: Shapes, ratio: int) -> int:
    """DeepSeek V4 per-layer KV compressor and (ratio-4 layers) lightning indexer [parameters].

    Ratio-4 (CSA) compressors use overlapping windows, hence twice the projection width; their
    indexer has its own query projection from the q latent, head weights and a compressor for its keys.
    """
    if ratio <= 0:
        return 0
    coff = 2 if ratio == 4 else 1
    comp = 2 * s.hidden * coff * s.head_dim + ratio * coff * s.head_dim + s.head_dim
    if ratio == 4 and s.index_n_heads:
        idx_dim = s.index_head_dim
        comp += s.q_lora_rank * s.index_n_heads * idx_dim + s.hidden * s.index_n_heads
        comp += 2 * s.hidden * 2 * idx_dim + ratio * 2 * idx_dim + idx_dim
    return comp


def count_params(s: Shapes, *, count_input_embedding: bool = True) -> ParamCount:
    """Count parameters by part and derive total and active counts [parameters]."""
    embed_in = s.vocab * s.hidden
    embed_out = 0 if s.tied_embeddings else s.vocab * s.hidden
    moe_layers = s.moe_layers or tuple([False] * s.layers)
    n_moe = sum(moe_layers)
    n_dense = s.layers - n_moe
    attention = s.layers * _attention(s)
    extra = 0
    if s.attention == "dsv4":
        ratios = list(s.compress_ratios[: s.layers]) + [0] * max(0, s.layers - len(s.compress_ratios))
        extra += sum(_dsv4_compressor(s, r) for r in ratios)
        # hyper-connections: per layer two mixing functions (attention, ffn) over hc_mult residual streams
        mix = (2 + s.hc_mult) * s.hc_mult
        extra += s.layers * 2 * (mix * s.hc_mult * s.hidden + mix + 3)
        extra += s.hc_mult * mix * s.hidden if s.hc_mult > 1 else 0
    per_expert = _gated_mlp(s.hidden, s.expert_intermediate, s.expert_bias)
    routed = n_moe * s.n_experts * per_expert
    shared = n_moe * s.n_shared_experts * _gated_mlp(s.hidden, s.shared_intermediate or s.expert_intermediate)
    router = n_moe * (s.n_experts * s.hidden + (s.n_experts if s.router_bias else 0))
    dense = n_dense * _gated_mlp(s.hidden, s.dense_intermediate)
    norms = s.layers * s.norms_per_layer * s.hidden + s.hidden
    parts = {
        "embedding": embed_in,
        "output_head": embed_out,
        "attention": attention,
        "attention_extra": extra,
        "dense_mlp": dense,
        "shared_experts": shared,
        "routed_experts": routed,
        "router": router,
        "norms": norms,
        "vision": s.vision_params,
    }
    total = sum(parts.values())
    inactive_routed = 0
    if s.n_experts:
        inactive_routed = routed - routed * s.experts_per_token // s.n_experts
    active_matmul = total - s.vision_params - inactive_routed - embed_in
    # a tied table is both the lookup and the output matmul: it is read for every token either way
    if s.tied_embeddings:
        active_matmul += embed_in
    active = active_matmul + (embed_in if count_input_embedding and not s.tied_embeddings else 0)
    return ParamCount(
        parts=parts, total=total, active=active, active_matmul=active_matmul, routed_experts=routed
    )


def vision_tower_params(vision: dict[str, int], text_hidden: int) -> int:
    """A ViT encoder from its config (layers x (attention + 2-matrix MLP)) plus a projector to the text width.

    Approximate to ~1 % (patch embedding and position tables estimated); only used for multimodal totals.
    """
    h = vision.get("hidden_size", 0)
    inter = vision.get("intermediate_size", 0)
    layers = vision.get("num_hidden_layers", 0)
    if not (h and inter and layers):
        return 0
    per_layer = 4 * h * h + 4 * h + 2 * h * inter + inter + h + 4 * h
    patch = vision.get("patch_size", 14)
    image = vision.get("image_size", 224)
    positions = (image // patch) ** 2
    embed = 3 * patch * patch * h + h + positions * h
    projector = h * text_hidden
    return layers * per_layer + embed + projector
