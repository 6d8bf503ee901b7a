"""What an import returns: the catalog record plus the working (what was read, derived or assumed).

`ImportResult.to_json()` is what `models import --json` prints (DESIGN 4: name, architecture, num_layers,
total_params_b, active_params_b, kv_bytes_per_token, attention_kind, weights_bytes, weights_gb, unrounded);
`preview_lines()` is the human preview shown before anything is written.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from advisor.catalog.schema import ModelRecord
from advisor.errors import InputError

READ = "read"
DERIVED = "derived"
DEFAULT = "default"


@dataclass(frozen=True)
class ImportResult:
    """A model imported from a file. Sizes in bytes (GB = 1e9 B); KV for an f16 cache.

    provenance maps a record field to "read" (in the file), "derived" (computed from other values) or
    "default" (not in the file; the library's default was assumed). weights_bytes is exact only when
    weights_exact (GGUF tensor table, safetensors index); otherwise it is None.
    """

    record: ModelRecord
    source_kind: str  # hf_config | gguf | safetensors_index
    path: str
    architecture: str  # model_type / general.architecture
    provenance: dict[str, str]
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    weights_bytes: int | None = None
    weights_bytes_estimate: float | None = None  # params x native bytes/param when not exact [B]
    kv_bytes_per_token: float = 0.0  # layers that grow with context, f16 [B/token]
    kv_bytes_per_token_all_layers: float = 0.0  # if every layer kept the whole context [B/token]
    kv_window_bytes_per_sequence: float = 0.0  # sliding/chunked layers when full, f16 [B]
    active_params_matmul_b: float = 0.0  # active without the input-embedding lookup [1e9 params]
    param_parts: dict[str, int] = field(default_factory=dict)
    quant_mix_bytes: dict[str, int] = field(default_factory=dict)  # GGUF: bytes per ggml type
    bits_per_weight: float | None = None  # GGUF: effective whole-file bpw

    @property
    def weights_gb(self) -> float | None:
        return self.weights_bytes / 1e9 if self.weights_bytes is not None else None

    def to_json(self) -> dict[str, Any]:
        """The derived entry, unrounded, as `models import --json` prints it."""
        r = self.record
        out: dict[str, Any] = {
            "name": r.name,
            "id": r.id,
            "architecture": self.architecture,
            "source_kind": self.source_kind,
            "num_layers": r.num_layers,
            "total_params_b": r.total_params_b,
            "active_params_b": r.active_params_b,
            "active_params_matmul_b": self.active_params_matmul_b,
            "kv_bytes_per_token": self.kv_bytes_per_token,
            "kv_bytes_per_token_all_layers": self.kv_bytes_per_token_all_layers,
            "kv_window_bytes_per_sequence": self.kv_window_bytes_per_sequence,
            "attention_kind": r.attention_kind,
            "weights_bytes": self.weights_bytes,
            "weights_gb": self.weights_gb,
            "weights_exact": self.weights_bytes is not None,
            "weights_bytes_estimate": self.weights_bytes_estimate,
            "quant_mix_bytes": self.quant_mix_bytes,
            "bits_per_weight": self.bits_per_weight,
            "record": r.model_dump(mode="json"),
            "provenance": self.provenance,
            "param_parts": self.param_parts,
            "warnings": list(self.warnings),
            "notes": list(self.notes),
        }
        return out

    def preview_lines(self) -> list[str]:
        """A plain-text preview: fields with where each came from, derived sizes, warnings."""
        r = self.record
        lines = [f"{r.name}  ({self.architecture}, from {self.source_kind}: {self.path})"]
        shown = (
            "num_layers hidden_size num_heads num_kv_heads head_dim attention_kind sliding_window sliding_layers "
            "kv_lora_rank qk_rope_head_dim csa_layers hca_layers index_head_dim n_routed_experts "
            "experts_per_token n_shared_experts vocab_size max_context native_quant"
        ).split()
        for name in shown:
            value = getattr(r, name)
            if value in (0, None, "") and name not in ("num_layers",):
                continue
            lines.append(f"  {name:<18} {value!s:<14} {self.provenance.get(name, READ)}")
        lines.append(
            f"  {'total_params_b':<18} {r.total_params_b:<14.3f} {self.provenance.get('total_params_b')}"
        )
        lines.append(
            f"  {'active_params_b':<18} {r.active_params_b:<14.3f} {self.provenance.get('active_params_b')}"
        )
        if r.expert_params_b:
            lines.append(f"  {'expert_params_b':<18} {r.expert_params_b:<14.3f} derived (all routed experts)")
        lines.append(f"  KV cache (f16)     {self.kv_bytes_per_token:,.0f} B/token of context")
        if self.kv_window_bytes_per_sequence:
            lines.append(
                f"                     + {self.kv_window_bytes_per_sequence / 1e6:,.1f} MB per sequence "
                "(sliding-window layers, when full)"
            )
        if self.weights_bytes is not None:
            lines.append(
                f"  weights            {self.weights_bytes:,} B = {self.weights_bytes / 1e9:.3f} GB (exact)"
            )
        elif self.weights_bytes_estimate:
            lines.append(
                f"  weights            ~{self.weights_bytes_estimate / 1e9:.1f} GB "
                f"(estimate: params x {r.native_quant} bytes)"
            )
        if self.bits_per_weight:
            lines.append(f"  bits per weight    {self.bits_per_weight:.3f} (whole file)")
        for qtype, nbytes in sorted(self.quant_mix_bytes.items(), key=lambda kv: -kv[1]):
            lines.append(f"    {qtype:<8} {nbytes / 1e9:10.3f} GB")
        lines += [f"  note: {n}" for n in self.notes]
        lines += [f"  WARNING: {w}" for w in self.warnings]
        return lines


def slug(name: str) -> str:
    """A catalog id from a model name: lower case, [a-z0-9._+-] only."""
    s = re.sub(r"[^a-z0-9._+-]+", "-", name.lower()).strip("-._+")
    return (s or "imported-model")[:80]


def make_record(fields: dict[str, Any], source: str, path: str) -> ModelRecord:
    """Validate the fields as a catalog ModelRecord; InputError names the first bad field."""
    data = {"source": source, "as_of": dt.date.today(), **fields}
    data.setdefault("id", slug(str(data.get("name", ""))))
    try:
        return ModelRecord(**data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "record"
        raise InputError(f"{err['msg']} (got {err.get('input')!r})", field=f"{path}: {where}") from exc
