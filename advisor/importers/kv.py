"""KV-cache figures of an imported model for the preview and `--json`, from the engine's one formula.

The importer does not restate the formulas: it builds the catalog record, turns it into the engine's
ModelArch (advisor.catalog.convert) and asks `advisor.engine.fit.kv_layout` (DESIGN 3.1). The tests check
the results against hand-worked published figures (Llama-3.1-8B 131,072 B/token, DeepSeek-V3 70,272, ...).

Convention: ``per_token_bytes`` counts only the layers whose cache grows with context; sliding-window (and
chunked) layers hold at most their window, reported as a fixed size per sequence together with DeepSeek V4's
per-layer window.
"""

from __future__ import annotations

from dataclasses import dataclass

from advisor.catalog.convert import to_model
from advisor.catalog.schema import ModelRecord
from advisor.engine.fit import kv_layout

F16_BYTES = 2.0


@dataclass(frozen=True)
class KvLayout:
    """KV-cache size of one sequence: per_token_bytes x context + window_bytes_per_sequence [B]."""

    per_token_bytes: float  # layers that grow with context [B/token]
    all_layers_per_token_bytes: float  # as if every layer kept the whole context uncompressed [B/token]
    window_bytes_per_sequence: float  # sliding/chunked layers when full, V4's per-layer window [B]


def layout_of(record: ModelRecord) -> KvLayout:
    """The f16 KV layout of a model record.

    >>> from advisor.catalog import Catalog
    >>> layout_of(Catalog.load().model_record("Llama-3.1-8B")).per_token_bytes
    131072.0
    """
    model = to_model(record)
    engine = kv_layout(model, "f16")
    if model.attention_kind == "dsv4":  # uncompressed: one head_dim latent per layer per token
        all_layers = model.num_layers * model.head_dim * F16_BYTES
    else:
        all_layers = engine.growing_per_token + engine.capped_per_token
    return KvLayout(
        per_token_bytes=engine.growing_per_token,
        all_layers_per_token_bytes=all_layers,
        window_bytes_per_sequence=engine.capped_per_token * engine.cap_tokens + engine.fixed_bytes,
    )
