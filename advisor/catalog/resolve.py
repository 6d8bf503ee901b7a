"""Names -> catalog ids, case-insensitively, through ids, display names and aliases.

Normalisation (`normalise`) lowercases, splits letters from digits ("RTX4090" == "RTX 4090"), drops punctuation
and spaces, drops vendor words (NVIDIA, GeForce, AMD, Radeon, Intel, Apple) and writes "4.0" as "4". A memory
suffix ("24GB", "24 GB") is dropped only when the full name does not match and the shorter name points at one
record, so "GeForce RTX 4090 24GB" is the RTX 4090 while "A100 40GB" and "A100 80GB" stay apart. Suffixes never
merge different products: "RTX 4090 D" and "RTX 3080 Ti" are their own records. A bare "Apple M2 Ultra" resolves to
the top GPU-core variant because that record carries the bare name as an alias.

An unknown name raises advisor.errors.NotFoundError listing the closest known names (difflib).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Sequence
from typing import Any

from advisor.catalog.schema import QuantRecord
from advisor.errors import InputError, NotFoundError

VENDOR_WORDS = frozenset({"nvidia", "geforce", "amd", "radeon", "intel", "apple"})
# Words that do not change a model's architecture (an instruct tune, a file format).
MODEL_NOISE_WORDS = frozenset({"instruct", "it", "chat", "hf", "gguf"})
_TOKEN = re.compile(r"\d+(?:\.\d+)?|[a-z]+")
_MEMORY_UNITS = frozenset({"gb", "gib", "g"})


def _canonical_number(token: str) -> str:
    if "." in token and token[0].isdigit():
        token = token.rstrip("0").rstrip(".")
    return token


def tokens(text: str) -> list[str]:
    """Lowercase word and number tokens of ``text`` with vendor words removed (unless nothing else is left)."""
    found = [_canonical_number(t) for t in _TOKEN.findall(text.lower())]
    kept = [t for t in found if t not in VENDOR_WORDS]
    return kept or found


def _strip_memory(toks: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(toks):
        if i + 1 < len(toks) and toks[i][0].isdigit() and toks[i + 1] in _MEMORY_UNITS:
            i += 2
            continue
        out.append(toks[i])
        i += 1
    return out


def normalise(text: str, *, drop_memory: bool = False) -> str:
    """The lookup key of a name: e.g. "NVIDIA GeForce RTX 4090" -> "rtx 4090"."""
    toks = tokens(text)
    if drop_memory:
        toks = _strip_memory(toks) or toks
    return " ".join(toks)


class Resolver:
    """Maps names to ids for one kind of record (hardware, model, quant, ...).

    ``entries`` are (id, display name, aliases). With ``strict`` two records claiming the same key raise
    InputError (used when validating a catalog); otherwise the first record wins.
    """

    def __init__(self, entries: Iterable[tuple[str, str, Sequence[str]]], *, kind: str = "item",
                 strict: bool = False) -> None:
        self.kind = kind
        self._names: dict[str, str] = {}
        self._exact: dict[str, str] = {}
        short: dict[str, set[str]] = {}
        for item_id, name, aliases in entries:
            self._names[item_id] = name
            for label in (item_id, name, *aliases):
                key = normalise(label)
                if not key:
                    continue
                owner = self._exact.get(key)
                if owner is not None and owner != item_id:
                    if strict:
                        raise InputError(f"{label!r} names both {owner!r} and {item_id!r}",
                                         field=f"{item_id}: aliases")
                    continue
                self._exact[key] = item_id
                short.setdefault(normalise(label, drop_memory=True), set()).add(item_id)
        # A memory-less key is usable only when it points at exactly one record.
        self._short = {key: next(iter(ids)) for key, ids in short.items() if len(ids) == 1}

    @classmethod
    def from_records(cls, records: Iterable[Any], *, kind: str = "item", strict: bool = False) -> Resolver:
        """A resolver over catalog records (anything with id, name and aliases)."""
        return cls(((r.id, r.name, list(getattr(r, "aliases", []))) for r in records), kind=kind, strict=strict)

    def _candidates(self, name: str) -> list[str]:
        keys = [normalise(name), normalise(name, drop_memory=True)]
        if "/" in name:  # a Hugging Face repo id: also try it without the organisation
            tail = name.rsplit("/", 1)[1]
            keys += [normalise(tail), normalise(tail, drop_memory=True)]
        if self.kind == "model":
            keys += [" ".join(t for t in key.split() if t not in MODEL_NOISE_WORDS) for key in list(keys)]
        return list(dict.fromkeys(k for k in keys if k))

    def get(self, name: str) -> str | None:
        """The id ``name`` resolves to, or None."""
        if name in self._names:
            return name
        for key in self._candidates(name):
            found = self._exact.get(key) or self._short.get(key)
            if found is not None:
                return found
        return None

    def resolve(self, name: str) -> str:
        """The id ``name`` resolves to; NotFoundError listing the closest names otherwise."""
        found = self.get(name)
        if found is None:
            raise NotFoundError(f"unknown {self.kind} {name!r}; {self._closest_text(name)}", field=self.kind)
        return found

    def closest(self, name: str, n: int = 5) -> list[str]:
        """Display names of the records whose keys look most like ``name``."""
        key = normalise(name)
        matches = difflib.get_close_matches(key, list(self._exact), n=n * 3, cutoff=0.4)
        names = [self._names[self._exact[m]] for m in matches]
        return list(dict.fromkeys(names))[:n]

    def _closest_text(self, name: str) -> str:
        close = self.closest(name)
        return "closest: " + ", ".join(close) if close else "no close match in the catalog"

    def name_of(self, item_id: str) -> str:
        return self._names[item_id]

    def ids(self) -> list[str]:
        return list(self._names)


_EXL2 = re.compile(r"^exl\s*2\s*(\d+(?:\.\d+)?)\s*(?:bpw|b)?$")
_MLX = re.compile(r"^mlx\s*q?\s*(\d+)\s*(?:bits?|b)?$")


def dynamic_quant(name: str) -> QuantRecord | None:
    """A quant record parsed from "EXL2-<bpw>" (any bpw 1..16) or "MLX-<n>bit" (group-64: n + 0.5 bpw)."""
    key = normalise(name)
    today = dt.date.today()
    match = _EXL2.match(key)
    if match:
        bpw = float(match.group(1))
        if 1.0 <= bpw <= 16.0:
            label = f"{bpw:g}" if bpw != int(bpw) else f"{bpw:.1f}"
            return QuantRecord(id=f"exl2-{label}", name=f"EXL2-{label}", family="exl2", bits_per_weight=bpw,
                               source="parsed from the name (EXL2 average bits per weight)", as_of=today,
                               confidence="medium")
    match = _MLX.match(key)
    if match:
        bits = int(match.group(1))
        if 2 <= bits <= 8:
            return QuantRecord(id=f"mlx-{bits}bit", name=f"MLX-{bits}bit", family="mlx", bits_per_weight=bits + 0.5,
                               source="parsed from the name (MLX affine, group 64: bits + 0.5)", as_of=today,
                               confidence="medium")
    return None
