"""A minimal GGUF header reader: metadata keys and tensor infos, no tensor data, no tokenizer strings.

`gguf.GGUFReader` decodes every metadata value, including a 128k-entry vocabulary, and takes seconds on a
real file (TOOLCHAIN gotcha 6). This reader walks the same binary layout (GGUF v2/v3, little endian) over
a memory map and, for arrays, keeps only the element type and count: string arrays are skipped by their
length prefixes, fixed-size arrays by arithmetic. Every length is checked against the file size, so a
truncated or hostile file gives `InputError` instead of a huge allocation.
"""

from __future__ import annotations

import mmap
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from advisor.errors import InputError
from advisor.files import check_regular_file

GGUF_MAGIC = b"GGUF"
DEFAULT_ALIGNMENT = 32
MAX_DIMS = 4  # GGML_MAX_DIMS
MAX_TENSORS = 10_000_000
MAX_KV = 1_000_000
MAX_STRING_BYTES = 100_000_000  # a chat template is kB; a merges list is arrays of short strings

# GGUF value types -> struct format of a scalar
_SCALAR = {
    0: "<B",
    1: "<b",
    2: "<H",
    3: "<h",
    4: "<I",
    5: "<i",
    6: "<f",
    7: "<?",
    10: "<Q",
    11: "<q",
    12: "<d",
}
_STRING, _ARRAY = 8, 9
_U64 = struct.Struct("<Q")


@dataclass(frozen=True)
class ArrayInfo:
    """An array value whose elements were skipped: its element type and length."""

    elem_type: int
    count: int
    first: Any = None  # the first element when it is a scalar (for per-layer arrays)
    values: tuple[Any, ...] = ()  # small scalar arrays (<= 4096 elements) are kept


@dataclass(frozen=True)
class TensorInfo:
    """A tensor's name, shape in GGUF order (fastest dimension first), ggml type and data offset."""

    name: str
    shape: tuple[int, ...]
    ggml_type: int
    offset: int

    @property
    def n_elements(self) -> int:
        n = 1
        for d in self.shape:
            n *= d
        return n


@dataclass(frozen=True)
class GgufHeader:
    version: int
    metadata: dict[str, Any]
    tensors: tuple[TensorInfo, ...]
    data_offset: int  # where tensor data starts [B]
    file_size: int  # [B]


class _Cursor:
    def __init__(self, buf: mmap.mmap | bytes, path: Path) -> None:
        self.buf = buf
        self.pos = 0
        self.size = len(buf)
        self.path = path

    def need(self, n: int, what: str) -> None:
        if n < 0 or self.pos + n > self.size:
            raise InputError(
                f"truncated GGUF: {what} at byte {self.pos} runs past the end of the file ({self.size} B)",
                field=str(self.path),
            )

    def scalar(self, fmt: str, what: str) -> Any:
        n = struct.calcsize(fmt)
        self.need(n, what)
        (value,) = struct.unpack_from(fmt, self.buf, self.pos)
        self.pos += n
        return value

    def string(self, what: str) -> str:
        n = self.scalar("<Q", what)
        if n > MAX_STRING_BYTES:
            raise InputError(f"corrupt GGUF: {what} claims {n} bytes", field=str(self.path))
        self.need(n, what)
        raw = bytes(self.buf[self.pos : self.pos + n])
        self.pos += n
        return raw.decode("utf-8", errors="replace")

    def skip_strings(self, count: int, what: str) -> None:
        """Skip `count` length-prefixed strings; the hot loop of a 128k-token vocabulary, kept lean."""
        buf, size, pos, u64 = self.buf, self.size, self.pos, _U64.unpack_from
        for _ in range(count):
            if pos + 8 > size:
                break
            pos += 8 + u64(buf, pos)[0]
        else:
            if pos <= size:
                self.pos = pos
                return
        self.pos = min(pos, size)
        raise InputError(
            f"truncated GGUF: {what} runs past the end of the file ({size} B)", field=str(self.path)
        )

    def value(self, vtype: int, key: str) -> Any:
        if vtype in _SCALAR:
            return self.scalar(_SCALAR[vtype], key)
        if vtype == _STRING:
            return self.string(key)
        if vtype == _ARRAY:
            elem = self.scalar("<I", key)
            count = self.scalar("<Q", key)
            if elem in _SCALAR:
                width = struct.calcsize(_SCALAR[elem])
                self.need(count * width, key)
                first = struct.unpack_from(_SCALAR[elem], self.buf, self.pos)[0] if count else None
                values: tuple[Any, ...] = ()
                if count <= 4096:
                    values = struct.unpack_from(f"<{count}{_SCALAR[elem][1]}", self.buf, self.pos)
                self.pos += count * width
                return ArrayInfo(elem, count, first, values)
            if elem == _STRING:
                # each string is a u64 length and its bytes; walking the lengths is all that is needed
                if count > self.size // 8:
                    raise InputError(f"corrupt GGUF: {key} claims {count} strings", field=str(self.path))
                self.skip_strings(count, key)
                return ArrayInfo(elem, count)
            raise InputError(f"unsupported GGUF array element type {elem} in {key}", field=str(self.path))
        raise InputError(f"unknown GGUF value type {vtype} for key {key}", field=str(self.path))


def read_gguf_header(path: Path) -> GgufHeader:
    """Read a GGUF file's metadata and tensor table [bytes, shapes]; InputError if not GGUF or truncated."""
    check_regular_file(path, "GGUF file")
    try:
        size = path.stat().st_size
        f = path.open("rb")
    except OSError as exc:
        raise InputError(f"cannot read GGUF file: {exc.strerror}", field=str(path)) from exc
    with f:
        if size == 0:
            raise InputError("empty file (0 B), not a GGUF model", field=str(path))
        if f.read(4) != GGUF_MAGIC:
            raise InputError("not a GGUF file (no 'GGUF' magic at byte 0)", field=str(path))
        if size < 24:  # the magic is there but the fixed header (version + two counts) is cut short
            raise InputError(f"truncated GGUF: the header needs 24 B, the file has {size} B", field=str(path))
        with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as buf:
            return _parse(_Cursor(buf, path), path, size)


def _parse(c: _Cursor, path: Path, size: int) -> GgufHeader:
    c.pos = 4
    version = c.scalar("<I", "version")
    if version not in (2, 3):
        raise InputError(
            f"unsupported GGUF version {version} (expected 2 or 3; big-endian files are not supported)",
            field=str(path),
        )
    n_tensors = c.scalar("<Q", "tensor count")
    n_kv = c.scalar("<Q", "metadata count")
    if n_tensors > MAX_TENSORS or n_kv > MAX_KV:
        raise InputError(f"corrupt GGUF: {n_tensors} tensors, {n_kv} metadata keys", field=str(path))
    metadata: dict[str, Any] = {}
    for _ in range(n_kv):
        key = c.string("metadata key")
        vtype = c.scalar("<I", f"type of {key}")
        metadata[key] = c.value(vtype, key)
    tensors = []
    for _ in range(n_tensors):
        name = c.string("tensor name")
        n_dims = c.scalar("<I", f"dims of {name}")
        if not 1 <= n_dims <= MAX_DIMS:
            raise InputError(f"corrupt GGUF: tensor {name} has {n_dims} dimensions", field=str(path))
        shape = tuple(c.scalar("<Q", f"shape of {name}") for _ in range(n_dims))
        if 0 in shape:  # an empty tensor: no real model has one, and it would divide by zero downstream
            raise InputError(f"corrupt GGUF: tensor {name} has a zero dimension {list(shape)}", field=str(path))
        ggml_type = c.scalar("<I", f"type of {name}")
        offset = c.scalar("<Q", f"offset of {name}")
        tensors.append(TensorInfo(name, shape, ggml_type, offset))
    align = metadata.get("general.alignment", DEFAULT_ALIGNMENT)
    if not isinstance(align, int) or align <= 0 or align & (align - 1):
        raise InputError(f"corrupt GGUF: general.alignment {align!r}", field=str(path))
    data_offset = (c.pos + align - 1) // align * align
    return GgufHeader(version, metadata, tuple(tensors), data_offset, size)
