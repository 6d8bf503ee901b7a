"""Parsing and validating feeds: every problem named with its item/line and field, nothing raised."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from advisor.feeds import ExchangeRates, FeedInvalidError, parse_feed
from tests.conftest import ROOT
from tests.feeds.conftest import GOOD_CSV, GOOD_ITEMS, feed_bytes, item

NOW = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)


def problems(data: bytes, **kw: object) -> list[str]:
    return [str(p) for p in parse_feed(data, now=NOW, **kw).problems]  # type: ignore[arg-type]


def test_good_json_feed_parses_every_item_with_units() -> None:
    parsed = parse_feed(feed_bytes(GOOD_ITEMS), now=NOW)
    assert parsed.ok and parsed.syntax == "json" and parsed.total_items == 5
    first = parsed.feed.items[0]
    assert (first.kind, first.name, first.price_usd, first.condition) == (
        "hardware",
        "RTX 5090",
        3499.0,
        "new",
    )
    assert first.observed_at == dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    assert parsed.feed.publisher == "Test Co price desk"
    assert parsed.feed.published_at == dt.datetime(2026, 11, 2, tzinfo=dt.UTC)


def test_good_csv_feed_with_header_lines() -> None:
    parsed = parse_feed(GOOD_CSV.encode(), now=NOW)
    assert parsed.ok and parsed.syntax == "csv"
    assert [(i.where, i.kind, i.price_usd, i.condition) for i in parsed.feed.items] == [
        ("line 4", "hardware", 3399.0, "new"),
        ("line 5", "hardware", 1700.0, "used"),
    ]
    assert parsed.feed.publisher == "CSV desk"


def test_foreign_currency_is_converted_with_the_users_rate() -> None:
    rates = ExchangeRates({"EUR": 1.25})
    parsed = parse_feed(feed_bytes([item(price=2000, currency="EUR")]), rates=rates, now=NOW)
    assert parsed.ok
    assert (parsed.feed.items[0].price, parsed.feed.items[0].price_usd) == (2000.0, 2500.0)


@pytest.mark.parametrize(
    ("price", "expected"),
    [
        (-5, "items[0], price: must be > 0, got -5"),
        (0, "items[0], price: must be > 0, got 0"),
        (float("nan"), "items[0], price: must be a finite number, got nan"),
        (float("inf"), "items[0], price: must be a finite number, got inf"),
        ("1999", "items[0], price: must be a number, got str '1999'"),
        (True, "items[0], price: must be a number, got bool True"),
        (None, "items[0], price: required field is missing"),
    ],
)
def test_bad_prices_are_named(price: object, expected: str) -> None:
    assert problems(feed_bytes([item(price=price)])) == [expected]


def test_every_problem_of_a_bad_feed_is_reported_in_order() -> None:
    data = feed_bytes(
        [
            item("RTX 5090"),
            item(kind="spaceship", currency="XYZ"),
            item(observed_at="2026-12-25", condition="mint"),
            item("rtx 5090"),  # same kind/name/condition/vendor/day as items[0]
            item(url="ftp://example.com/x", vendor=7),
        ]
    )
    assert problems(data) == [
        "items[1], kind: unknown kind 'spaceship' (expected one of: hardware, host, system)",
        "items[1], currency: unknown currency XYZ: no exchange rate set (prices rates --set XYZ=...)",
        "items[2], condition: expected one of new, used, refurb, rent-on-demand, rent-spot, got 'mint'",
        "items[2], observed_at: date is in the future: 2026-12-25",
        "items[3], name: duplicate of items[0] (same kind, name, condition, vendor, day)",
        "items[4], vendor: must be text, got int 7",
        "items[4], url: expected an http(s) URL, got 'ftp://example.com/x'",
    ]


def test_missing_required_fields() -> None:
    bad = {"kind": "gpu", "price": 10}
    assert problems(feed_bytes([bad])) == [
        "items[0], name: required field is missing",
        "items[0], observed_at: required field is missing",
    ]


def test_date_in_the_future_uses_the_latest_time_zone() -> None:
    # 2026-11-24 has begun in UTC+14 at 12:00 UTC on the 23rd, so a publisher there may date it so.
    assert problems(feed_bytes([item(observed_at="2026-11-24")])) == []
    assert problems(feed_bytes([item(observed_at="2026-11-25")])) == [
        "items[0], observed_at: date is in the future: 2026-11-25"
    ]
    assert problems(feed_bytes([item(observed_at="2026-11-23T15:00:00Z")])) == [
        "items[0], observed_at: date is in the future: 2026-11-23T15:00:00Z"
    ]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"<!DOCTYPE html><html><body>Sign in</body></html>", "looks like HTML/XML"),
        (feed_bytes(GOOD_ITEMS)[:-40], "invalid JSON (truncated or malformed) at line 1"),
        (b"\xff\xfe{\x00", "feed, encoding: not UTF-8: byte 0xff at offset 0"),
        (b"", "empty document"),
        (b"[1, 2]", "expected a JSON object"),
        (
            feed_bytes(GOOD_ITEMS, format="rig-advisor-prices/2"),
            "unsupported format version 'rig-advisor-prices/2'",
        ),
        (feed_bytes(GOOD_ITEMS, format="acme-prices"), "not a Rig Advisor price feed"),
        (json.dumps({"publisher": "x", "items": []}).encode(), "feed, format: missing"),
        (feed_bytes([]), "feed, items: the feed lists no items"),
        (feed_bytes(GOOD_ITEMS, published_at="2030-01-01"), "feed, published_at: date is in the future"),
        (feed_bytes(GOOD_ITEMS, publisher=""), "feed, publisher: must be non-empty text"),
        (b"hello world\nthis is text", "missing required column(s): kind, name, price, observed_at"),
    ],
)
def test_whole_feed_problems(data: bytes, expected: str) -> None:
    found = problems(data)
    assert found and expected in found[0], found
    with pytest.raises(FeedInvalidError, match="feed refused, nothing written"):
        parse_feed(data, now=NOW).accepted(allow_partial=True)  # header problems: never partially


def test_csv_problems_name_the_line() -> None:
    data = (
        b"kind,name,price,currency,observed_at\n"
        b"gpu,RTX 5090,abc,USD,2026-11-01\n"
        b"gpu,RTX 4090,nan,USD,2026-11-01\n"
        b"gpu,RTX 4090,12\n"
        b"gpu,RTX 4090,-1,USD,2026-11-01\n"
    )
    assert problems(data) == [
        "line 2, price: not a number: 'abc'",
        "line 3, price: must be a finite number, got nan",
        "line 4: expected 5 columns, got 3",
        "line 5, price: must be > 0, got -1.0",
    ]


def test_partial_acceptance_is_explicit() -> None:
    parsed = parse_feed(feed_bytes([item("RTX 5090"), item("RTX 4090", price=-1)]), now=NOW)
    with pytest.raises(FeedInvalidError) as info:
        parsed.accepted()
    assert str(info.value) == "feed refused, nothing written: items[1], price: must be > 0, got -1"
    assert [i.name for i in parsed.accepted(allow_partial=True).items] == ["RTX 5090"]


def test_utf8_bom_and_extra_fields_are_accepted() -> None:
    doc = json.loads(feed_bytes([item(shipping_usd=25)], generator="future-tool"))
    parsed = parse_feed(b"\xef\xbb\xbf" + json.dumps(doc).encode(), now=NOW)
    assert parsed.ok and len(parsed.feed.items) == 1


def test_the_shipped_example_feed_is_valid() -> None:
    parsed = parse_feed((ROOT / "resources" / "feeds" / "example-prices.json").read_bytes(), now=NOW)
    assert parsed.ok and parsed.total_items == 7
    assert {(i.name, i.price_usd) for i in parsed.feed.items} >= {("GeForce RTX 5090", 2699.0)}


def test_prices_past_a_billion_usd_are_refused_before_they_become_inf() -> None:
    """QA: `prices rates --set EUR=1e308` and a 1,500 EUR item stored an inf USD price; `recommend` then failed
    with an internal error reading it back. Rates are bounded and a converted price over 1e9 USD is refused."""
    from advisor.errors import InputError

    assert problems(feed_bytes([item(price=1e300)])) == [
        "items[0], price: 1e+300 USD over the 1,000,000,000 USD a catalog item may cost"]
    rates = ExchangeRates({"EUR": 1e4})
    assert problems(feed_bytes([item(price=1e6, currency="EUR")]), rates=rates) == [
        "items[0], price: 1e+06 EUR is 1e+10 USD after conversion, over the 1,000,000,000 USD a catalog item may cost"]
    with pytest.raises(InputError, match=r"rate must be between 1e-09 and 10000 USD per unit, got 1e\+308"):
        ExchangeRates({}).with_rate("EUR", 1e308)
