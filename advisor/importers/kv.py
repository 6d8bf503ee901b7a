"""KV-cache bytes per token from a model's attention layout (DESIGN 3.1), for the import preview.

This is the importer's own statement of the formulas so an imported entry can be checked by eye and by
tests against published figures; the engine's `advisor.engine.fit.kv_bytes_per_token` is preferred for
the preview when it exists (see `preview.kv_bytes_per_token`).

Convention: ``per_token`` counts only the layers whose cache grows with context; sliding-window (and
chunked) layers hold at most ``window`` tokens, reported separately as a fixed size per sequence.
"""

from __future__ import annotations

from dataclasses import dataclass

F16_BYTES = 2.0


@dataclass(frozen=True)
class KvLayout:
    """KV-cache size of one sequence: per_token_bytes x context + window_bytes_per_sequence [B]."""

    per_token_bytes: float  # layers that grow with context [B/token]
    all_layers_per_token_bytes: float  # as if every layer kept the whole context [B/token]
    window_bytes_per_sequence: float  # sliding/chunked layers when full [B]


def gqa_kv(
    layers: int,
    kv_heads: int,
    head_dim: int,
    sliding_layers: int = 0,
    window: int = 0,
    dtype_bytes: float = 2.0,
) -> KvLayout:
    """MHA/GQA: K and V of kv_heads x head_dim per layer per token [B].

    >>> gqa_kv(32, 8, 128).per_token_bytes  # Llama-3.1-8B
    131072.0
    """
    per_layer = 2 * kv_heads * head_dim * dtype_bytes
    growing = layers - sliding_layers if window else layers
    return KvLayout(
        per_token_bytes=growing * per_layer,
        all_layers_per_token_bytes=layers * per_layer,
        window_bytes_per_sequence=(sliding_layers * per_layer * window) if window else 0.0,
    )


def mla_kv(layers: int, kv_lora_rank: int, qk_rope_head_dim: int, dtype_bytes: float = 2.0) -> KvLayout:
    """MLA (DeepSeek V2/V3): one latent of kv_lora_rank + qk_rope_head_dim per layer per token [B].

    >>> mla_kv(61, 512, 64).per_token_bytes  # DeepSeek-V3
    70272.0
    """
    per_token = layers * (kv_lora_rank + qk_rope_head_dim) * dtype_bytes
    return KvLayout(per_token, per_token, 0.0)


def dsv4_kv(
    layers: int,
    head_dim: int,
    csa_layers: int,
    hca_layers: int,
    index_head_dim: int,
    window: int,
    csa_ratio: int = 4,
    hca_ratio: int = 128,
    dtype_bytes: float = 2.0,
) -> KvLayout:
    """DeepSeek V4: CSA layers keep 1 latent (+ indexer key) per csa_ratio tokens, HCA 1 per hca_ratio;
    every layer also keeps a window of full latents per sequence [B].

    >>> dsv4_kv(43, 512, 21, 20, 128, 128).per_token_bytes  # DeepSeek-V4-Flash
    6880.0
    """
    per_token = csa_layers * (head_dim + index_head_dim) * dtype_bytes / csa_ratio
    per_token += hca_layers * head_dim * dtype_bytes / hca_ratio
    return KvLayout(
        per_token_bytes=per_token,
        all_layers_per_token_bytes=layers * head_dim * dtype_bytes,
        window_bytes_per_sequence=layers * window * head_dim * dtype_bytes,
    )
