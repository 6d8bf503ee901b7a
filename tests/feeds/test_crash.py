"""Killing the process in the middle of an apply leaves the database consistent: all of a batch or nothing."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session, func, select

from advisor.db.models import ImportBatch, PricePoint
from advisor.feeds import apply_preview, preview_feed
from tests.conftest import ROOT
from tests.feeds.conftest import dump, feed_bytes, item

CHILD = textwrap.dedent(
    """
    import sys, time
    from advisor.db.database import open_database
    from advisor.feeds import apply_preview, preview_feed

    engine = open_database(sys.argv[1], seed=False)
    preview = preview_feed(engine, sys.argv[2])

    def progress(done, total):
        print(f"WRITTEN {done} of {total}", flush=True)  # rows are in the open transaction now
        time.sleep(60)  # the parent kills us here
        return False

    apply_preview(engine, preview, progress_callback=progress)
    print("COMMITTED", flush=True)
    """
)


def big_feed(path: Path, count: int) -> None:
    items = [item("RTX 5090", 3000 + i % 500, vendor=f"shop {i}") for i in range(count)]
    path.write_bytes(feed_bytes(items))


def test_kill_during_apply_leaves_nothing(engine: sa.Engine, tmp_path: Path) -> None:
    feed = tmp_path / "big.json"
    big_feed(feed, 5000)
    before = dump(engine)
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(engine.url.render_as_string(hide_password=False)), str(feed)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    line = child.stdout.readline()
    assert line.startswith("WRITTEN 2000 of 5000"), line
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=10)
    assert child.returncode == -signal.SIGKILL

    db_file = engine.url.database or ""
    conn = sqlite3.connect(db_file)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()
    assert dump(engine) == before  # not a single row of the half-written batch
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(PricePoint)).one() == 0
        assert session.exec(select(func.count()).select_from(ImportBatch)).one() == 0

    # and the database is usable: the same feed applies whole afterwards
    result = apply_preview(engine, preview_feed(engine, str(feed)))
    assert result.points_added == 5000
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(PricePoint)).one() == 5000
    assert json.loads(feed.read_text())["items"][0]["vendor"] == "shop 0"
