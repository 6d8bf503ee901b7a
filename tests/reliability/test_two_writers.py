"""Two processes writing one SQLite file at once (the app and a CLI run): no "database is locked",
nothing lost. WAL + the 10 s busy timeout + one short transaction per save make this hold."""

from __future__ import annotations

from pathlib import Path

from advisor.db.database import open_database
from tests.feeds.conftest import add_catalog
from tests.reliability.conftest import query, start_worker, wait_started

SECONDS = "3"


def test_record_saves_and_feed_applies_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "advisor.db"
    url = f"sqlite:///{path}"
    engine = open_database(url, seed=False)
    add_catalog(engine)
    engine.dispose()
    workdir = tmp_path / "feeds"
    workdir.mkdir()

    records = start_worker("records", url, SECONDS, "app")
    feeds = start_worker("feeds", url, SECONDS, str(workdir))
    records_out = feeds_out = ""
    try:
        wait_started(records)
        wait_started(feeds)
        records_out, records_err = records.communicate(timeout=120)
        feeds_out, feeds_err = feeds.communicate(timeout=120)
    finally:
        for proc in (records, feeds):
            if proc.poll() is None:
                proc.kill()
    assert records.returncode == 0 and feeds.returncode == 0, records_err + feeds_err
    assert "locked" not in records_err + feeds_err

    saved = int(records_out.split()[-1])
    feed_runs, feed_points = (int(x) for x in feeds_out.split()[-2:])
    assert saved > 20 and feed_runs > 5  # both really wrote during the same seconds
    print(f"two writers: {saved} record saves, {feed_runs} feed applies ({feed_points} points) in {SECONDS} s")

    assert query(path, "SELECT count(*) FROM host WHERE id LIKE 'app-%'") == [(saved,)]
    # every record save appended its one price under its own manual batch
    assert query(path, "SELECT count(*) FROM price_point WHERE item_kind = 'host' AND vendor = 'app'") == [(saved,)]
    assert query(path, "SELECT count(*) FROM import_batch WHERE kind = 'manual'") == [(saved,)]
    assert feed_points == feed_runs * 50
    assert query(path, "SELECT count(*) FROM price_point WHERE item_kind = 'hardware'") == [(feed_points,)]
    assert query(path, "SELECT count(*) FROM import_batch WHERE kind IN ('feed', 'import')") == [(feed_runs,)]
    assert query(path, "PRAGMA integrity_check") == [("ok",)]
