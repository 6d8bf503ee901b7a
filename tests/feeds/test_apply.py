"""Diff, apply, rollback and history on a real database (SQLite file; PostgreSQL where marked)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa
from pytest_httpserver import HTTPServer
from sqlmodel import Session, select

from advisor.db.models import FeedSource, ImportBatch, PricePoint
from advisor.errors import InputError
from advisor.feeds import (
    FeedCancelled,
    FeedClient,
    FeedInvalidError,
    add_source,
    apply_preview,
    get_source,
    list_batches,
    preview_feed,
    price_history,
    resolve_item,
    rollback_batch,
)
from tests.feeds.conftest import GOOD_CSV, GOOD_ITEMS, dump, feed_bytes, item


def client() -> FeedClient:
    return FeedClient(connect_timeout_s=2.0, read_timeout_s=2.0, backoff_factor_s=0.01)


def points(engine: sa.Engine) -> list[tuple]:
    with Session(engine) as session:
        rows = session.exec(select(PricePoint).order_by(PricePoint.id)).all()  # type: ignore[arg-type]
        return [(p.item_kind, p.item_id, p.condition, p.price_usd, p.batch_id) for p in rows]


def test_good_json_feed_over_http_applies_as_one_batch(any_engine: sa.Engine, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/prices.json").respond_with_data(feed_bytes(GOOD_ITEMS), content_type="application/json")
    preview = preview_feed(any_engine, httpserver.url_for("/prices.json"), client=client())
    assert preview.diff is not None
    assert preview.diff.summary() == "5 new, 0 changed, 0 unchanged, 0 already stored, 0 unknown"
    assert points(any_engine) == []  # a preview writes nothing
    result = apply_preview(any_engine, preview)
    assert result.points_added == 5 and result.batch_id is not None
    assert points(any_engine) == [
        ("hardware", "rtx-5090", "new", 3499.0, result.batch_id),
        ("hardware", "rtx-4090", "new", 1899.0, result.batch_id),
        ("hardware", "rtx-4090", "used", 1350.0, result.batch_id),
        ("host", "epyc-9004-host", "new", 6200.0, result.batch_id),
        ("system", "dual-4090", "new", 9800.0, result.batch_id),
    ]
    batch = list_batches(any_engine)[0]
    assert (batch.kind, batch.item_count, batch.rolled_back_at) == ("feed", 5, None)
    assert batch.note.startswith("Test Co price desk, published 2026-11-02: 5 new")


def test_good_csv_feed_applies_and_shows_price_changes(engine: sa.Engine, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/a.json").respond_with_data(feed_bytes(GOOD_ITEMS))
    apply_preview(engine, preview_feed(engine, httpserver.url_for("/a.json"), client=client()))
    httpserver.expect_request("/b.csv").respond_with_data(GOOD_CSV, content_type="text/csv")
    preview = preview_feed(engine, httpserver.url_for("/b.csv"), client=client())
    assert preview.diff is not None
    changes = [(c.target.id, c.item.condition, c.old_price_usd, c.item.price_usd) for c in preview.diff.changed]
    assert changes == [("rtx-5090", "new", 3499.0, 3399.0), ("rtx-4090", "used", 1350.0, 1700.0)]
    assert [round(c.change_pct or 0, 3) for c in preview.diff.changed] == [-2.858, 25.926]
    assert preview.diff.new == () and preview.diff.unknown == ()
    result = apply_preview(engine, preview)
    assert result.points_added == 2
    history = price_history(engine, resolve_item(engine, "RTX 5090"))
    assert [(h.price_usd, h.observed_at.date()) for h in history] == [
        (3499.0, dt.date(2026, 11, 1)),
        (3399.0, dt.date(2026, 11, 5)),
    ]


def test_applying_the_same_feed_twice_adds_nothing(engine: sa.Engine, tmp_path: Path) -> None:
    path = tmp_path / "prices.json"
    path.write_bytes(feed_bytes(GOOD_ITEMS))
    apply_preview(engine, preview_feed(engine, str(path)))
    again = preview_feed(engine, str(path))
    assert again.batch_kind == "import"
    assert again.diff is not None and again.diff.summary() == "0 new, 0 changed, 0 unchanged, 5 already stored, 0 unknown"
    assert apply_preview(engine, again).batch_id is None
    assert len(points(engine)) == 5


def test_unknown_names_are_listed_with_suggestions_and_can_be_mapped(engine: sa.Engine, tmp_path: Path) -> None:
    path = tmp_path / "prices.json"
    path.write_bytes(feed_bytes([item("GeForce RTX 5090 Founders"), item("Radeon RX 9070 XT", 649)]))
    preview = preview_feed(engine, str(path))
    assert preview.diff is not None
    assert [u.item.name for u in preview.diff.unknown] == ["GeForce RTX 5090 Founders", "Radeon RX 9070 XT"]
    assert preview.diff.unknown[0].suggestions[0].id == "rtx-5090"
    mapped = preview_feed(engine, str(path), mapping={"GeForce RTX 5090 Founders": "rtx-5090"})
    assert mapped.diff is not None and [c.target.id for c in mapped.diff.new] == ["rtx-5090"]
    assert len(mapped.diff.unknown) == 1
    with pytest.raises(InputError, match="no hardware item with id 'nope'"):
        preview_feed(engine, str(path), mapping={"Radeon RX 9070 XT": "nope"})


def test_rollback_removes_exactly_one_batch(any_engine: sa.Engine, tmp_path: Path) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    first.write_bytes(feed_bytes(GOOD_ITEMS))
    second.write_bytes(feed_bytes([item("RTX 5090", 3299.0, observed_at="2026-11-10")]))
    a = apply_preview(any_engine, preview_feed(any_engine, str(first)))
    b = apply_preview(any_engine, preview_feed(any_engine, str(second)))
    assert len(points(any_engine)) == 6
    assert rollback_batch(any_engine, a.batch_id or 0) == 5
    assert points(any_engine) == [("hardware", "rtx-5090", "new", 3299.0, b.batch_id)]
    with Session(any_engine) as session:
        rolled = session.get(ImportBatch, a.batch_id)
        assert rolled is not None and rolled.rolled_back_at is not None
    with pytest.raises(InputError, match="already rolled back"):
        rollback_batch(any_engine, a.batch_id or 0)
    with pytest.raises(InputError, match=r"no import batch 999 \(`prices batches` lists them\)"):
        rollback_batch(any_engine, 999)


def test_seed_batch_cannot_be_rolled_back(engine: sa.Engine) -> None:
    with Session(engine) as session:
        session.add(ImportBatch(kind="seed", source_name="bundled catalog"))
        session.commit()
    with pytest.raises(InputError, match="bundled seed catalog"):
        rollback_batch(engine, 1)


def test_cancelled_apply_writes_nothing(engine: sa.Engine, tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_bytes(feed_bytes(GOOD_ITEMS))
    preview = preview_feed(engine, str(path))
    before = dump(engine)
    with pytest.raises(FeedCancelled):
        apply_preview(engine, preview, progress_callback=lambda done, total: True)
    assert dump(engine) == before


def test_source_validators_move_only_when_applied_and_304_changes_nothing(
    engine: sa.Engine, httpserver: HTTPServer
) -> None:
    add_source(engine, "team", httpserver.url_for("/p.json"))
    httpserver.expect_oneshot_request("/p.json").respond_with_data(feed_bytes(GOOD_ITEMS), headers={"ETag": '"v1"'})
    preview = preview_feed(engine, "team", client=client())
    source = get_source(engine, "team")
    assert source is not None and source.etag is None  # not applied yet: not remembered
    apply_preview(engine, preview)
    source = get_source(engine, "team")
    assert source is not None and source.etag == '"v1"' and source.last_checked is not None
    before = dump(engine)
    httpserver.expect_oneshot_request("/p.json", headers={"If-None-Match": '"v1"'}).respond_with_data("", status=304)
    preview = preview_feed(engine, "team", client=client())
    assert preview.not_modified and preview.diff is None
    assert dump(engine) == before


def test_history_is_appended_never_overwritten(engine: sa.Engine, tmp_path: Path) -> None:
    for day, price in (("2026-09-01", 1999.0), ("2026-10-01", 2999.0), ("2026-11-01", 3499.0)):
        path = tmp_path / f"{day}.json"
        path.write_bytes(feed_bytes([item("RTX 5090", price, observed_at=day)]))
        apply_preview(engine, preview_feed(engine, str(path)))
    history = price_history(engine, resolve_item(engine, "5090"))
    assert [h.price_usd for h in history] == [1999.0, 2999.0, 3499.0]
    assert [h.batch_id for h in history] == [1, 2, 3]
    with Session(engine) as session:
        assert len(session.exec(select(FeedSource)).all()) == 0


def test_resolve_item_errors(engine: sa.Engine) -> None:
    with pytest.raises(InputError, match="no priced catalog item named 'RTX 5080'; did you mean: GeForce RTX 5090"):
        resolve_item(engine, "RTX 5080")


def test_two_spellings_of_one_item_are_duplicates(engine: sa.Engine, tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_bytes(feed_bytes([item("RTX 5090", 3499), item("NVIDIA GeForce RTX-5090", 3399)]))
    before = dump(engine)
    with pytest.raises(FeedInvalidError, match=r"items\[1\], name: duplicate of items\[0\]: both are hardware rtx-5090"):
        preview_feed(engine, str(path))
    assert dump(engine) == before


def test_an_older_observation_is_history_not_a_change(engine: sa.Engine, tmp_path: Path) -> None:
    first, older = tmp_path / "a.json", tmp_path / "b.json"
    first.write_bytes(feed_bytes([item("RTX 5090", 3499, observed_at="2026-11-01")]))
    older.write_bytes(feed_bytes([item("RTX 5090", 1999, observed_at="2025-01-30", vendor="MSRP")]))
    apply_preview(engine, preview_feed(engine, str(first)))
    preview = preview_feed(engine, str(older))
    assert preview.diff is not None
    assert preview.diff.summary() == "1 new, 0 changed, 0 unchanged, 0 already stored, 0 unknown"
    assert preview.diff.new[0].old_price_usd is None
