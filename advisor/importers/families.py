"""Per-family knowledge a config.json leaves implicit, and a reader that records where each value came from.

Configs omit keys whose value is the transformers default (Gemma 3's vocab_size, sliding_window_pattern),
and some layouts are implied by the architecture rather than written (Qwen2's q/k/v biases, gpt-oss's
expert biases and attention sinks). These tables say so once, with the transformers config class named.
"""

from __future__ import annotations

from typing import Any

from advisor.errors import InputError
from advisor.importers.limits import as_int, int_list
from advisor.importers.result import DEFAULT, DERIVED, READ

# model_type values with a known layout (the text model's type for multimodal configs)
KNOWN_TYPES = frozenset(
    {
        "llama",
        "mistral",
        "qwen2",
        "qwen3",
        "gemma",
        "gemma2",
        "gemma3",
        "gemma3_text",
        "qwen2_moe",
        "qwen3_moe",
        "mixtral",
        "llama4",
        "llama4_text",
        "gpt_oss",
        "deepseek_v2",
        "deepseek_v3",
        "deepseek_v32",
        "kimi_k2",
        "deepseek_v4",
    }
)

# Publishers that quote active parameters without the input-embedding lookup: DeepSeek (V2-Lite 2.4B,
# V3 37B, V4-Flash 13B) and OpenAI (gpt-oss model card: 5.13B active = MLP + attention + unembedding).
# Moonshot counts it (Kimi K2: 32.6B active needs the 1.17B embedding), as do Qwen, Meta and Mistral.
NO_INPUT_EMBEDDING_TYPES = frozenset({"deepseek_v2", "deepseek_v3", "deepseek_v32", "deepseek_v4", "gpt_oss"})

# Defaults of the transformers config classes (used only when the key is absent) and implied layouts.
FAMILY_DEFAULTS: dict[str, dict[str, Any]] = {
    "llama": {"max_position_embeddings": 2048},
    "mistral": {"max_position_embeddings": 32768},
    "qwen2": {"qkv_bias": True},  # Qwen2Attention: q/k/v with bias, o without
    "qwen2_moe": {"qkv_bias": True, "router_bias": False},
    "qwen3": {"qk_norm": True},
    "qwen3_moe": {"qk_norm": True},
    "gemma": {"norms_per_layer": 2},
    "gemma2": {"norms_per_layer": 4, "vocab_size": 256000},  # Gemma2Config
    "gemma3_text": {
        "norms_per_layer": 4,
        "qk_norm": True,
        "vocab_size": 262208,  # Gemma3TextConfig
        "max_position_embeddings": 131072,
        "sliding_window_pattern": 6,
        "sliding_window": 4096,
    },
    "gemma3": {
        "norms_per_layer": 4,
        "qk_norm": True,
        "vocab_size": 262208,
        "max_position_embeddings": 131072,
        "sliding_window_pattern": 6,
    },
    "gpt_oss": {"o_bias": True, "attn_sinks": True, "expert_bias": True, "router_bias": True},
    "llama4_text": {"interleave_moe_layer_step": 1, "attention_chunk_size": 8192},
    "llama4": {"interleave_moe_layer_step": 1},
    "deepseek_v2": {"first_k_dense_replace": 0, "moe_layer_freq": 1},
    "deepseek_v3": {"first_k_dense_replace": 3, "moe_layer_freq": 1},
    "deepseek_v4": {"sliding_window": 128},
}


class Reader:
    """Reads typed values from a config dict, validates them, and records provenance per record field.

    provenance keys are ModelRecord field names where a config key maps to one (num_hidden_layers ->
    num_layers), else the config key itself.
    """

    _RECORD_NAME = {
        "num_hidden_layers": "num_layers",
        "num_attention_heads": "num_heads",
        "num_key_value_heads": "num_kv_heads",
        "max_position_embeddings": "max_context",
        "n_routed_experts": "n_routed_experts",
        "num_experts_per_tok": "experts_per_token",
    }

    def __init__(self, cfg: dict[str, Any], path: str, defaults: dict[str, Any], model_type: str) -> None:
        self.cfg = cfg
        self.path = path
        self.defaults = defaults
        self.model_type = model_type
        self.provenance: dict[str, str] = {}
        self.warnings: list[str] = []
        self.notes: list[str] = []

    def mark(self, field: str, how: str) -> None:
        self.provenance[self._RECORD_NAME.get(field, field)] = how

    def warn(self, text: str) -> None:
        self.warnings.append(text)

    def note(self, text: str) -> None:
        self.notes.append(text)

    def _lookup(self, key: str, aliases: tuple[str, ...]) -> tuple[str, Any]:
        for k in (key, *aliases):
            if self.cfg.get(k) is not None:
                return k, self.cfg[k]
        return key, None

    def require(self, key: str) -> Any:
        value = self.cfg.get(key)
        if value is None:
            raise InputError("missing", field=f"{self.path}: {key}")
        self.mark(key, READ)
        return value

    def int(
        self, key: str, *, aliases: tuple[str, ...] = (), default: int | None = None, minimum: int = 1
    ) -> int:
        """A bounded whole number; the family default, then `default`, when absent; InputError if required."""
        found, value = self._lookup(key, aliases)
        if value is not None:
            self.mark(key, READ)
            return as_int(value, f"{self.path}: {found}", minimum=minimum)
        if key in self.defaults:
            self.mark(key, f"{DEFAULT} ({self.model_type} config class)")
            return as_int(self.defaults[key], f"{self.path}: {key}", minimum=minimum)
        if default is None:
            raise InputError("missing", field=f"{self.path}: {key}")
        self.mark(key, DEFAULT)
        return default

    def bool(self, key: str, *, default: bool) -> bool:
        value = self.cfg.get(key)
        if value is None:
            self.mark(key, DEFAULT)
            return default
        if not isinstance(value, bool):
            raise InputError(f"must be true or false, got {value!r}", field=f"{self.path}: {key}")
        self.mark(key, READ)
        return value


def native_quant(cfg: dict[str, Any], model_type: str) -> tuple[str, float]:
    """Native weight format and its bytes per parameter (for a size estimate when nothing exact is known)."""
    qc = cfg.get("quantization_config")
    method = str(qc.get("quant_method", "")).lower() if isinstance(qc, dict) else ""
    if model_type == "deepseek_v4" and str(cfg.get("expert_dtype", "")).lower() == "fp4":
        return "FP4+FP8", 0.56  # FP4 experts (+ UE8M0 scales) dominate; FP8 elsewhere
    if method == "mxfp4":
        return "MXFP4", 0.56  # experts at 4.25 bpw dominate; attention/embeddings BF16
    if method == "fp8":
        return "FP8", 1.0
    if method in ("awq", "gptq") and isinstance(qc, dict):
        bits = qc.get("bits", 4)
        return f"INT{bits}", float(bits) / 8 * 1.03 if isinstance(bits, int | float) else 0.52
    dtype = str(cfg.get("torch_dtype") or cfg.get("dtype") or "bfloat16").lower()
    return {"float32": ("F32", 4.0), "float16": ("F16", 2.0)}.get(dtype, ("BF16", 2.0))


def sliding_layers(r: Reader, model_type: str, layers: int) -> tuple[int, int]:
    """(window, number of window-limited layers) from layer_types, a pattern, or the family's rule."""
    types = r.cfg.get("layer_types")
    window_key = "attention_chunk_size" if model_type in ("llama4", "llama4_text") else "sliding_window"
    window = r.cfg.get(window_key)
    if not window:
        return 0, 0
    window = r.int(window_key, minimum=1)
    if isinstance(types, list) and types:
        n = sum(
            1 for t in types[:layers] if t in ("sliding_attention", "chunked_attention", "local_attention")
        )
        r.mark("sliding_layers", "read")
        return window, n
    if model_type in ("llama4", "llama4_text"):
        no_rope = r.cfg.get("no_rope_layers") or []
        if no_rope:
            flags = int_list(no_rope, "no_rope_layers")
            r.mark("sliding_layers", "read")
            return window, sum(1 for f in flags[:layers] if f)
        r.mark("sliding_layers", "default")  # transformers: every 4th layer is global NoPE
        return window, sum(1 for i in range(layers) if (i + 1) % 4 != 0)
    if model_type == "gemma2":
        r.mark("sliding_layers", DERIVED)  # even layers are local
        return window, (layers + 1) // 2
    if model_type in ("gemma3", "gemma3_text"):
        pattern = r.int("sliding_window_pattern", default=6)
        r.mark("sliding_layers", DERIVED)
        return window, sum(1 for i in range(layers) if (i + 1) % pattern != 0)
    if model_type in ("qwen2", "qwen3", "qwen2_moe", "qwen3_moe") and not r.cfg.get("use_sliding_window"):
        return 0, 0  # Qwen configs carry a sliding_window that is switched off
    if r.cfg.get("use_sliding_window") is False:
        return 0, 0  # any family: the file itself says the window is off (a Qwen fine-tune with a new model_type)
    if model_type in ("mistral", "mixtral", "starcoder2", "phi3") or model_type not in KNOWN_TYPES:
        r.mark("sliding_layers", DERIVED)  # one window on every layer
        if model_type not in KNOWN_TYPES:
            r.warn("sliding_window: assumed to apply to every layer (no layer_types in the file)")
        return window, layers
    return 0, 0
