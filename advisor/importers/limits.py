"""Input limits and field validation shared by the importers.

Model files come from the internet: a config.json can be junk, huge, or carry absurd numbers. Every check
here raises `InputError` naming the file and the field, before anything is derived or written.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

from advisor.errors import InputError
from advisor.files import check_regular_file

# A real config.json is a few kB; a safetensors index with 100k tensors is a few MB. 16 MB leaves room
# for both and stops a 100 MB junk file before it is read.
MAX_JSON_BYTES = 16_000_000

# Upper bounds well above any released model, far below what would overflow or hang the maths.
LIMITS: dict[str, int] = {
    "num_hidden_layers": 1000,
    "hidden_size": 1_000_000,
    "num_attention_heads": 10_000,
    "num_key_value_heads": 10_000,
    "head_dim": 100_000,
    "intermediate_size": 10_000_000,
    "moe_intermediate_size": 10_000_000,
    "vocab_size": 100_000_000,
    "max_position_embeddings": 1_000_000_000,
    "n_routed_experts": 100_000,
    "num_experts_per_tok": 100_000,
    "n_shared_experts": 1000,
    "kv_lora_rank": 1_000_000,
    "q_lora_rank": 1_000_000,
    "qk_rope_head_dim": 100_000,
    "qk_nope_head_dim": 100_000,
    "v_head_dim": 100_000,
    "sliding_window": 1_000_000_000,
}
DEFAULT_LIMIT = 1_000_000_000


def read_json_capped(path: Path, what: str = "file") -> Any:
    """Parse a JSON file no larger than MAX_JSON_BYTES; InputError naming the file otherwise."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"cannot read {what}: {exc.strerror}", field=str(path)) from exc
    if size > MAX_JSON_BYTES:
        raise InputError(
            f"{what} is {size / 1e6:.1f} MB, larger than the {MAX_JSON_BYTES / 1e6:.0f} MB limit for a "
            "model config or index: not a config.json?",
            field=str(path),
        )
    raw = read_regular_file(path, what)
    try:
        return json.loads(raw.decode("utf-8"), parse_int=_bounded_int)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{what} is not UTF-8 text (byte {exc.start}): not a JSON file", field=str(path)
        ) from exc
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{what} is not valid JSON: {exc.msg} at line {exc.lineno}", field=str(path)
        ) from exc
    except RecursionError:
        raise InputError(f"{what} is nested too deeply to be a model config", field=str(path)) from None
    except ValueError:  # Python refuses to convert integers of more than 4,300 digits
        raise InputError(f"{what} holds a number with more than 4,300 digits", field=str(path)) from None


def _bounded_int(text: str) -> int | float:
    """JSON integers as int; one of hundreds of digits becomes +-inf, which the field checks then refuse
    by name (Python cannot even convert more than 4,300 digits, and no model field is that large)."""
    if len(text) > 300:
        return -math.inf if text.startswith("-") else math.inf
    return int(text)


def read_regular_file(path: Path, what: str = "file") -> bytes:
    """The bytes of ``path`` if it is a regular file; InputError naming it otherwise.

    A FIFO, a socket or a character device would block ``read`` forever (or never end): refused before
    it is opened.
    """
    check_regular_file(path, what)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {what}: {exc.strerror or exc}", field=str(path)) from exc


def as_int(value: Any, field: str, *, minimum: int = 1, maximum: int | None = None) -> int:
    """A whole number in [minimum, maximum]; JSON floats like 4096.0 are accepted, 4096.5 is not."""
    key = re.split(r"[:\s]+", field)[-1]  # "path/config.json: num_hidden_layers" -> num_hidden_layers
    limit = maximum if maximum is not None else LIMITS.get(key, DEFAULT_LIMIT)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(f"must be a whole number, got {value!r}", field=field)
    if isinstance(value, float):
        if math.isinf(value):  # also what a JSON integer of hundreds of digits becomes (_bounded_int)
            raise InputError(f"absurd value {value} (a number of hundreds of digits?)", field=field)
        if not math.isfinite(value) or value != int(value):
            raise InputError(f"must be a whole number, got {value!r}", field=field)
        value = int(value)
    if value < minimum:
        raise InputError(f"must be >= {minimum}, got {value}", field=field)
    if value > limit:
        raise InputError(f"absurd value {value} (limit {limit})", field=field)
    return value


def int_list(value: Any, field: str, *, minimum: int = 0) -> list[int]:
    """A JSON list of whole numbers (e.g. compress_ratios); bounded length so junk cannot blow up."""
    if not isinstance(value, list) or len(value) > 100_000:
        raise InputError(f"must be a list of whole numbers, got {type(value).__name__}", field=field)
    return [as_int(v, f"{field}[{i}]", minimum=minimum, maximum=DEFAULT_LIMIT) for i, v in enumerate(value)]
