"""Crash safety: SIGKILL a real process at random moments during a feed apply, a catalog upgrade and
scenario saves; the file must pass ``PRAGMA integrity_check`` and each operation be all-or-nothing.

The kill moments are random in [0, 1.1 x the operation's measured length] after the worker said START
(RIG_FAULT_SEED fixes them; the seed is in the assertion messages), so some runs die early, some late,
some after the commit: every outcome must leave a consistent database.
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import pytest

from advisor.db.database import open_database
from advisor.db.seed import content_hash
from tests.feeds.conftest import add_catalog
from tests.reliability.child import NOTE_TAG, SCENARIO_NAME, scenario_body, seed_revision, write_feed
from tests.reliability.conftest import integrity, query, run_and_kill

SEED = int(os.environ.get("RIG_FAULT_SEED", "8"))
FEED_POINTS = 10_000
KILLS = 4


@pytest.fixture
def rng() -> random.Random:
    return random.Random(SEED)


def _batches_complete(path: Path) -> int:
    """Every feed batch has exactly its item_count points, no point lacks its batch; returns the total.

    (A seed batch's item_count also counts updated records, so only feed and import batches are compared.)
    """
    rows = query(path, "SELECT b.id, b.item_count, count(p.id) FROM import_batch b "
                       "LEFT JOIN price_point p ON p.batch_id = b.id WHERE b.kind IN ('feed', 'import') GROUP BY b.id")
    for batch_id, expected, stored in rows:
        assert stored == expected, f"batch {batch_id}: {stored} of {expected} points (seed {SEED})"
    orphans = query(path, "SELECT count(*) FROM price_point WHERE batch_id IS NULL "
                          "OR batch_id NOT IN (SELECT id FROM import_batch)")
    assert orphans == [(0,)]
    return sum(r[1] for r in rows)


def test_kill_during_feed_apply_is_all_or_nothing(tmp_path: Path, rng: random.Random) -> None:
    path = tmp_path / "advisor.db"
    url = f"sqlite:///{path}"
    engine = open_database(url, seed=False)
    add_catalog(engine)
    engine.dispose()

    first = tmp_path / "feed-0.json"
    write_feed(first, "run0", FEED_POINTS)
    uncut = run_and_kill(("feed", url, str(first)), None)
    assert uncut.done_line == f"DONE {FEED_POINTS}"
    applied, killed = 1, 0
    for run in range(1, KILLS + 1):
        feed = tmp_path / f"feed-{run}.json"
        write_feed(feed, f"run{run}", FEED_POINTS)
        outcome = run_and_kill(("feed", url, str(feed)), rng.uniform(0, 1.1 * uncut.work_s))
        killed += outcome.killed
        assert integrity(path) == [("ok",)], f"run {run} (seed {SEED})"
        total = _batches_complete(path)
        batches = query(path, "SELECT count(*) FROM import_batch")[0][0]
        assert total == FEED_POINTS * batches
        applied = batches
    assert killed >= 1, f"no run was killed (seed {SEED}): the window is wrong"
    assert applied >= 1
    print(f"feed apply: {KILLS} runs, {killed} killed, {applied} batches of {FEED_POINTS} points whole "
          f"(uncut apply {uncut.work_s:.2f} s)")


def test_kill_during_catalog_upgrade_is_all_or_nothing(tmp_path: Path, rng: random.Random) -> None:
    path = tmp_path / "advisor.db"
    url = f"sqlite:///{path}"
    open_database(url).dispose()  # the bundled seed, as a user's first start leaves it
    catalog_rows = sum(query(path, f"SELECT count(*) FROM {t}")[0][0]  # noqa: S608  (fixed table names)
                       for t in ("accelerator", "host", "system", "llm", "quant_format", "api_offer"))
    assert catalog_rows > 100

    uncut = run_and_kill(("seed", url, "0"), None)
    assert uncut.done_line.startswith("DONE ")
    current = "0"
    killed = 0
    for run in range(1, KILLS + 1):
        outcome = run_and_kill(("seed", url, str(run)), rng.uniform(0, 1.1 * uncut.work_s))
        killed += outcome.killed
        assert integrity(path) == [("ok",)], f"run {run} (seed {SEED})"
        tags = {
            row[0][row[0].rindex(NOTE_TAG) + len(NOTE_TAG):-1]
            for t in ("accelerator", "host", "system", "llm", "quant_format", "api_offer")
            for row in query(path, f"SELECT notes FROM {t}")  # noqa: S608
        }
        assert len(tags) == 1, f"run {run}: records from several seed revisions {tags} (seed {SEED})"
        (tag,) = tags
        assert tag in (current, str(run))
        applied = query(path, "SELECT count(*) FROM import_batch WHERE kind = 'seed' AND content_hash = ?",
                        content_hash(seed_revision(str(run))))[0][0]
        assert applied == (1 if tag == str(run) else 0), "the seed batch and the records disagree"
        assert not outcome.killed or tag in (current, str(run))
        current = tag
        _batches_complete(path)
    assert killed >= 1, f"no run was killed (seed {SEED})"
    print(f"catalog upgrade: {KILLS} runs, {killed} killed, {catalog_rows} records, final revision {current} "
          f"(uncut upgrade {uncut.work_s:.2f} s)")


def test_kill_during_scenario_saves_leaves_old_or_new(tmp_path: Path, rng: random.Random) -> None:
    path = tmp_path / "advisor.db"
    url = f"sqlite:///{path}"
    open_database(url, seed=False).dispose()
    versions = [scenario_body("A"), scenario_body("B")]
    for run in range(KILLS):
        outcome = run_and_kill(("scenario", url, "30"), rng.uniform(0.05, 1.0))
        assert outcome.killed
        assert integrity(path) == [("ok",)], f"run {run} (seed {SEED})"
        rows = query(path, "SELECT name, body FROM scenario")
        assert len(rows) == 1 and rows[0][0] == SCENARIO_NAME
        body = json.loads(rows[0][1])
        assert body in versions, f"run {run}: a mixed scenario (seed {SEED})"
    print(f"scenario saves: {KILLS} runs, {KILLS} killed mid-loop, scenario always version A or B")
