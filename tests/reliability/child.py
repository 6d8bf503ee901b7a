"""Worker processes for the fault tests: ``python -m tests.reliability.child WHAT DB_URL ...``.

Each worker opens the database, prints ``START`` when the write under test begins (the parent picks its
kill moment from there) and ``DONE <numbers>`` when it finished on its own. Writers print ``WROTE n`` so a
parent that kills them knows what was committed.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from advisor.db.database import open_database

SCENARIO_NAME = "Crash test"
NOTE_TAG = " [rev "  # seed revision marker appended to every catalog record's notes


def feed_items(tag: str, count: int) -> list[dict[str, Any]]:
    """``count`` new price points for the test catalog's RTX 5090, each one distinct (vendor carries tag)."""
    return [
        {"kind": "hardware", "name": "RTX 5090", "price": 3000 + i % 500, "currency": "USD",
         "condition": "new", "vendor": f"{tag} shop {i}", "url": "https://example.com/5090",
         "observed_at": "2026-11-01"}
        for i in range(count)
    ]


def write_feed(path: Path, tag: str, count: int) -> None:
    doc = {"format": "rig-advisor-prices/1", "publisher": "fault test", "published_at": "2026-11-02",
           "currency": "USD", "items": feed_items(tag, count)}
    path.write_text(json.dumps(doc))


def scenario_body(version: str) -> dict[str, Any]:
    """Two full scenario versions that differ in every field a save writes."""
    big = version == "B"
    return {
        "name": SCENARIO_NAME,
        "description": version * (3000 if big else 1000),
        "workload": {"model": "deepseek-v4-flash" if big else "llama-3.1-8b",
                     "tokens_in_per_month": 9e8 if big else 1e8, "peak_concurrency": 8 if big else 1},
        "finance": {"useful_life_months": 48 if big else 36},
        "candidates": [f"sys-{version}-{i}" for i in range(50 if big else 5)],
        "api_offers": [f"api-{version}"],
        "source": f"version {version}",
        "as_of": "2026-11-01",
    }


def seed_revision(tag: str) -> dict[str, list[Any]]:
    """The bundled seed with every catalog record's notes marked ``[rev tag]`` (an upgrade updates all)."""
    from advisor.db.convert import CATALOG_KINDS
    from advisor.db.seed import seed_records

    seed = seed_records()
    for kind in CATALOG_KINDS:
        seed[kind] = [r.model_copy(update={"notes": f"{getattr(r, 'notes', '')}{NOTE_TAG}{tag}]"})
                      for r in seed[kind]]
    return seed


def run_feed(url: str, feed: str) -> None:
    from advisor.feeds import apply_preview, preview_feed

    engine = open_database(url, seed=False)
    preview = preview_feed(engine, feed)
    print("START", flush=True)
    result = apply_preview(engine, preview)
    print(f"DONE {result.points_added}", flush=True)


def run_seed(url: str, tag: str) -> None:
    from advisor.db.seed import upgrade_catalog

    engine = open_database(url, seed=False)
    seed = seed_revision(tag)
    print("START", flush=True)
    result = upgrade_catalog(engine, seed)
    print(f"DONE {result.updated}", flush=True)


def run_scenario_saves(url: str, seconds: float) -> None:
    from advisor.db import save_scenario

    engine = open_database(url, seed=False)
    bodies = [scenario_body("A"), scenario_body("B")]
    print("START", flush=True)
    n, end = 0, time.monotonic() + seconds
    while time.monotonic() < end:
        save_scenario(engine, bodies[n % 2])
        n += 1
    print(f"DONE {n}", flush=True)


def run_record_writer(url: str, seconds: float, prefix: str) -> None:
    """Insert host records ``<prefix>-<n>`` for ``seconds``; each save is its own transaction."""
    from advisor.db import save_record

    engine = open_database(url, seed=False)
    print("START", flush=True)
    n, end = 0, time.monotonic() + seconds
    while time.monotonic() < end:
        save_record(engine, "hosts", {
            "id": f"{prefix}-{n}", "name": f"{prefix} host {n}", "source": "writer test", "as_of": "2026-11-01",
            "cpu": "EPYC", "ram_gb": 256, "ram_bandwidth_gbs": 400, "cpu_tflops": 3, "idle_w": 100, "load_w": 300,
            "prices": [{"price_usd": 5000 + n, "condition": "new", "vendor": prefix,
                        "observed_at": "2026-11-01", "source": "writer test"}],
        })
        n += 1
    print(f"DONE {n}", flush=True)


def run_feed_writer(url: str, seconds: float, workdir: str) -> None:
    """Apply small feeds (50 new points each) back to back for ``seconds``."""
    from advisor.feeds import apply_preview, preview_feed

    engine = open_database(url, seed=False)
    print("START", flush=True)
    n, points, end = 0, 0, time.monotonic() + seconds
    while time.monotonic() < end:
        path = Path(workdir) / f"feed-{n}.json"
        write_feed(path, f"w{n}", 50)
        points += apply_preview(engine, preview_feed(engine, str(path))).points_added
        n += 1
    print(f"DONE {n} {points}", flush=True)


if __name__ == "__main__":
    what, db_url, *rest = sys.argv[1:]
    if what == "feed":
        run_feed(db_url, rest[0])
    elif what == "seed":
        run_seed(db_url, rest[0])
    elif what == "scenario":
        run_scenario_saves(db_url, float(rest[0]))
    elif what == "records":
        run_record_writer(db_url, float(rest[0]), rest[1])
    elif what == "feeds":
        run_feed_writer(db_url, float(rest[0]), rest[1])
    else:
        raise SystemExit(f"unknown worker {what!r}")
