"""Header-read time of a GGUF with a 128k-token vocabulary, versus gguf.GGUFReader; and bad-input times.

Run: python benchmarks/bench_gguf_header.py   (prints figures; writes temporary files only)
TOOLCHAIN gotcha 6: a real file's header must read in well under a second.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import gguf
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from advisor.errors import InputError  # noqa: E402
from advisor.importers import import_file  # noqa: E402
from advisor.importers.gguf_header import read_gguf_header  # noqa: E402

VOCAB = 128_256  # Llama 3
MERGES = 280_147


def write_vocab_gguf(path: Path) -> None:
    """Llama-3-like metadata (tokens, scores, types, merges) and a few small F16/Q8_0 tensors."""
    w = gguf.GGUFWriter(str(path), "llama")
    w.add_name("Bench-128k-vocab")
    for add, v in (
        (w.add_block_count, 2),
        (w.add_context_length, 131072),
        (w.add_embedding_length, 64),
        (w.add_feed_forward_length, 128),
        (w.add_head_count, 4),
        (w.add_head_count_kv, 2),
    ):
        add(v)
    w.add_tokenizer_model("gpt2")
    w.add_token_list([f"tok_{i:06d}".encode() for i in range(VOCAB)])
    w.add_token_types([1] * VOCAB)
    w.add_token_scores([0.0] * VOCAB)
    w.add_token_merges([f"a{i} b{i}" for i in range(MERGES)])
    rng = np.random.default_rng(0)
    w.add_tensor("output_norm.weight", np.ones(64, dtype=np.float32))
    for i in range(2):
        q = gguf.quants.quantize(
            rng.standard_normal((128, 64)).astype(np.float32), gguf.GGMLQuantizationType.Q8_0
        )
        w.add_tensor(f"blk.{i}.ffn_up.weight", q, raw_dtype=gguf.GGMLQuantizationType.Q8_0)
        w.add_tensor(f"blk.{i}.ffn_down.weight", rng.standard_normal((64, 128)).astype(np.float16))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


def best_of(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "vocab128k.gguf"
        write_vocab_gguf(path)
        print(f"file: {path.stat().st_size / 1e6:.1f} MB, {VOCAB} tokens, {MERGES} merges")
        t_header = best_of(lambda: read_gguf_header(path))
        t_import = best_of(lambda: import_file(path))
        t_reader = best_of(lambda: gguf.GGUFReader(str(path)), repeat=1)
        print(f"read_gguf_header       {t_header * 1e3:8.1f} ms")
        print(f"import_file (GGUF)     {t_import * 1e3:8.1f} ms")
        print(f"gguf.GGUFReader        {t_reader * 1e3:8.1f} ms  (x{t_reader / t_header:.0f} slower)")

        data = path.read_bytes()
        cases = {
            "truncated GGUF (half)": ("cut.gguf", data[: len(data) // 2]),
            "not GGUF": ("zip.gguf", b"PK\x03\x04" + bytes(4096)),
            "absurd config.json": ("config.json", b'{"model_type":"llama","num_hidden_layers":-1}'),
        }
        for label, (name, content) in cases.items():
            bad = Path(tmp) / name
            bad.write_bytes(content)
            print(f"{label:<22} {best_of(lambda b=bad: _expect_error(b)) * 1e3:8.1f} ms")
        junk = Path(tmp) / "junk.bin"
        with junk.open("wb") as f:
            f.write(np.random.default_rng(1).bytes(100_000_000))
        print(f"{'100 MB junk':<22} {best_of(lambda: _expect_error(junk)) * 1e3:8.1f} ms")


def _expect_error(path: Path) -> None:
    try:
        import_file(path)
    except InputError:
        return
    raise AssertionError(f"{path} imported without error")


if __name__ == "__main__":
    main()
