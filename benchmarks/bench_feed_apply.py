"""Feed throughput: parse + validate, diff and apply of a 10,000-item feed on a fresh SQLite file.

Target (issue 6): applying a 10,000-item feed takes <= 2 s. Prints figures; asserts nothing.
Run: python benchmarks/bench_feed_apply.py [ITEMS]
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlmodel import Session  # noqa: E402

from advisor.db.database import open_database  # noqa: E402
from advisor.db.models import Accelerator  # noqa: E402
from advisor.feeds import apply_preview, compute_diff, parse_feed, preview_feed  # noqa: E402


def main(count: int = 10_000) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        engine = open_database(url, seed=False)
        with Session(engine) as session:
            for n in range(100):  # 100 catalog GPUs, 100 observations each
                session.add(Accelerator(id=f"gpu-{n}", name=f"Bench GPU {n}", source="bench", as_of=dt.date(2026, 10, 1),
                                        kind="gpu", vendor="X", memory_gb=24, bandwidth_gbs=1000, fp16_tflops=100,
                                        tdp_w=300, idle_w=20, link="pcie4", link_bandwidth_gbs=32))
            session.commit()
        items = [{"kind": "gpu", "name": f"Bench GPU {i % 100}", "price": 1000 + i, "currency": "USD",
                  "condition": "new", "vendor": f"shop {i // 100}", "url": "https://example.com/x",
                  "observed_at": "2026-11-01"} for i in range(count)]
        doc = {"format": "rig-advisor-prices/1", "publisher": "bench", "published_at": "2026-11-01",
               "items": items}
        path = Path(tmp) / "feed.json"
        path.write_text(json.dumps(doc))
        t0 = time.perf_counter()
        parsed = parse_feed(path.read_bytes())
        t1 = time.perf_counter()
        compute_diff(engine, parsed.accepted())
        t2 = time.perf_counter()
        preview = preview_feed(engine, str(path))
        t3 = time.perf_counter()
        result = apply_preview(engine, preview)
        t4 = time.perf_counter()
        # a second feed on top of 10k stored points: the diff has history to compare with
        preview2 = preview_feed(engine, str(path))
        t5 = time.perf_counter()
        assert result.points_added == count and preview2.diff is not None
        print(f"items                      {count}")
        print(f"feed size                  {path.stat().st_size / 1e6:.2f} MB")
        print(f"parse + validate           {t1 - t0:.3f} s")
        print(f"diff (empty history)       {t2 - t1:.3f} s")
        print(f"preview (read+parse+diff)  {t3 - t2:.3f} s")
        print(f"apply (one transaction)    {t4 - t3:.3f} s")
        print(f"preview + apply total      {t4 - t2:.3f} s   (target <= 2 s)")
        print(f"re-preview over history    {t5 - t4:.3f} s   ({preview2.diff.summary()})")
        engine.dispose()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
