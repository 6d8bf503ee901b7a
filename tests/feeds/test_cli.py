"""`prices ...` end to end: a real HTTP server on loopback, a real SQLite file, the real CLI entry point.

Every bad feed is refused with exit code 2, one line on stderr naming the problem, and the database
byte-for-byte as it was (an iterdump of the file compared before and after), although --yes was given.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from advisor.cli import main, prices_cmd
from tests.feeds.conftest import GOOD_CSV, GOOD_ITEMS, dump, feed_bytes, item


@pytest.fixture
def cli_engine(engine: sa.Engine, monkeypatch: pytest.MonkeyPatch) -> sa.Engine:
    """The CLI works on the test database (the real open path, minus the bundled seed catalog)."""
    monkeypatch.setattr(prices_cmd, "open_engine", lambda: engine)
    return engine


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["prices", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_update_prints_diff_and_writes_only_with_yes(
    cli_engine: sa.Engine, httpserver: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    httpserver.expect_request("/p.json").respond_with_data(feed_bytes(GOOD_ITEMS), content_type="application/json")
    url = httpserver.url_for("/p.json")
    before = dump(cli_engine)
    code, out, err = run(capsys, "update", "--source", url)
    assert (code, err) == (0, "")
    assert "new       hardware rtx-5090                     new        3,499.00 USD  [Micro Center]" in out
    assert "5 new, 0 changed, 0 unchanged, 0 already stored, 0 unknown" in out
    assert out.rstrip().endswith("nothing written (run again with --yes to apply)")
    assert dump(cli_engine) == before
    code, out, _ = run(capsys, "update", "--source", url, "--yes")
    assert code == 0 and "applied batch 1: 5 price points added (undo with `prices rollback 1`)" in out


def test_csv_feed_history_rollback_and_export_round_trip(
    cli_engine: sa.Engine, httpserver: HTTPServer, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    first = tmp_path / "first.json"
    first.write_bytes(feed_bytes(GOOD_ITEMS))
    assert run(capsys, "import", str(first), "--yes")[0] == 0
    httpserver.expect_request("/p.csv").respond_with_data(GOOD_CSV, content_type="text/csv")
    code, out, _ = run(capsys, "update", "--source", httpserver.url_for("/p.csv"), "--yes")
    assert code == 0
    assert "changed   hardware rtx-5090                     new        3,499.00 -> 3,399.00 USD (-2.9%)" in out
    assert "applied batch 2: 2 price points added" in out
    code, out, _ = run(capsys, "history", "RTX 5090", "--json")
    history = json.loads(out)
    assert [(p["price_usd"], p["batch"]) for p in history["points"]] == [(3499.0, 1), (3399.0, 2)]
    exported = tmp_path / "team.json"
    code, out, _ = run(capsys, "export", str(exported))
    assert (code, out.strip()) == (0, f"wrote 5 prices to {exported}")
    doc = json.loads(exported.read_text())
    assert doc["format"] == "rig-advisor-prices/1"
    assert {(i["name"], i["condition"]): i["price"] for i in doc["items"]}[("rtx-5090", "new")] == 3399.0
    code, out, _ = run(capsys, "rollback", "2")
    assert (code, out.strip()) == (0, "rolled back batch 2: 2 price points removed")
    code, out, _ = run(capsys, "history", "rtx-5090", "--json")
    assert [p["price_usd"] for p in json.loads(out)["points"]] == [3499.0]
    # the exported feed is a valid feed: importing it back stores nothing new
    code, out, _ = run(capsys, "import", str(exported))
    assert code == 0 and "0 unknown" in out and "5 unknown" not in out


def test_partial_apply_is_explicit_and_lists_the_refused_items(
    cli_engine: sa.Engine, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "p.json"
    path.write_bytes(feed_bytes([item("RTX 5090"), item("RTX 4090", price=-3)]))
    before = dump(cli_engine)
    code, out, err = run(capsys, "import", str(path), "--yes")
    assert code == 2 and dump(cli_engine) == before
    assert "  items[1], price: must be > 0, got -3" in out
    code, out, err = run(capsys, "import", str(path), "--yes", "--partial")
    assert code == 0 and "PARTIAL: 1 problem(s); these items are NOT applied:" in out
    assert "applied batch 1: 1 price points added" in out


def serve(body: bytes, content_type: str = "application/json", status: int = 200) -> Callable[[HTTPServer], str]:
    def setup(server: HTTPServer) -> str:
        server.expect_request("/feed").respond_with_data(body, status=status, content_type=content_type)
        return server.url_for("/feed")

    return setup


def slow(server: HTTPServer) -> str:
    def handler(_request: Request) -> Response:
        time.sleep(1.5)
        return Response(feed_bytes(GOOD_ITEMS))

    server.expect_request("/slow").respond_with_handler(handler)
    return server.url_for("/slow")


def redirect_loop(server: HTTPServer) -> str:
    server.expect_request("/loop").respond_with_data("", status=301, headers={"Location": "/loop"})
    return server.url_for("/loop")


REFUSED = {
    "html": (serve(b"<!doctype html><title>Login</title>", "text/html"), "looks like HTML/XML (content type text/html)"),
    "truncated": (serve(feed_bytes(GOOD_ITEMS)[:120]), "invalid JSON (truncated or malformed)"),
    "version": (serve(feed_bytes(GOOD_ITEMS, format="rig-advisor-prices/9")), "unsupported format version"),
    "negative": (serve(feed_bytes([item(price=-1999)])), "items[0], price: must be > 0, got -1999"),
    "zero": (serve(feed_bytes([item(price=0)])), "items[0], price: must be > 0, got 0"),
    "nan": (serve(b'{"format": "rig-advisor-prices/1", "publisher": "p", "published_at": "2026-11-01", "items": '
                  b'[{"kind": "gpu", "name": "RTX 5090", "price": NaN, "observed_at": "2026-11-01"}]}'),
            "items[0], price: must be a finite number, got nan"),
    "string": (serve(feed_bytes([item(price="3499")])), "items[0], price: must be a number, got str '3499'"),
    "currency": (serve(feed_bytes([item(currency="ZWL")])), "items[0], currency: unknown currency ZWL"),
    "future": (serve(feed_bytes([item(observed_at="2031-01-01")])), "date is in the future: 2031-01-01"),
    "duplicate": (serve(feed_bytes([item(), item(price=3000)])), "items[1], name: duplicate of items[0]"),
    "50MB": (serve(b" " * 50_000_000), "over the 20,000,000-byte size limit"),
    "timeout": (slow, "took longer than 0.5 s"),  # --timeout bounds the whole download (issue 16)
    "404": (serve(b"missing", status=404), "HTTP 404 NOT FOUND"),
    "500": (serve(b"down", status=500), "after 3 retries"),
    "redirect-loop": (redirect_loop, "too many redirects"),
    "not-utf8": (serve(b'{"format": "rig-advisor-prices/1", "publisher": "M\xfcller"}'), "not UTF-8: byte 0xfc"),
    "csv-bad": (serve(b"kind,name,price,observed_at\ngpu,RTX 5090,-5,2026-11-01\n", "text/csv"),
                "line 2, price: must be > 0, got -5.0"),
    "file-url": (lambda _server: "file:///etc/passwd", "file: URLs are not allowed"),
    "ftp-url": (lambda _server: "ftp://example.com/prices.json", "ftp: URLs are not allowed"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(REFUSED))
def test_bad_feed_is_refused_and_database_unchanged(
    case: str, cli_engine: sa.Engine, httpserver: HTTPServer, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    existing = tmp_path / "existing.json"
    existing.write_bytes(feed_bytes(GOOD_ITEMS))
    assert run(capsys, "import", str(existing), "--yes")[0] == 0  # a database with history to protect
    setup, expected = REFUSED[case]
    url = setup(httpserver)
    before = dump(cli_engine)
    # a short read timeout only where it is the point: the shared test machine can be slow
    timeout = "0.5" if case == "timeout" else "10"
    code, _out, err = run(capsys, "update", "--source", url, "--yes", "--timeout", timeout)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("error: ") and expected in err, err
    assert dump(cli_engine) == before


def test_bad_input_to_the_other_actions(cli_engine: sa.Engine, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "rollback", "abc")[2].strip() == "error: batch: expected a batch number, got 'abc'"
    assert "no import batch 7" in run(capsys, "rollback", "7")[2]
    assert "no priced catalog item named 'Voodoo 5'" in run(capsys, "history", "Voodoo 5")[2]
    assert "no feed sources configured" in run(capsys, "update")[2]
    assert "export file must end in .json or .csv" in run(capsys, "export", "/tmp/x.txt")[2]
    assert run(capsys, "import", "/nonexistent/p.json")[0] == 2
    assert "expected NAME=ID" in run(capsys, "import", "/etc/hostname", "--map", "oops")[2]


def test_sources_and_rates(
    cli_engine: sa.Engine, httpserver: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    httpserver.expect_request("/eu.json").respond_with_data(feed_bytes([item(price=3000, currency="EUR")]))
    assert run(capsys, "sources", "add", "eu-shop", httpserver.url_for("/eu.json"))[0] == 0
    assert "ftp: URLs are not allowed" in run(capsys, "sources", "add", "bad", "ftp://x/y")[2]
    code, _, err = run(capsys, "update", "--yes")
    assert code == 2 and "unknown currency EUR" in err
    assert run(capsys, "rates", "--set", "EUR=1.1")[0] == 0
    code, out, _ = run(capsys, "update", "--yes")
    assert code == 0 and "3,300.00 USD" in out and "applied batch 1" in out
    code, out, _ = run(capsys, "history", "RTX 5090")
    assert "3,300.00     3,000.00 EUR" in out
    assert "eu-shop" in run(capsys, "sources")[1]


def test_304_with_yes_changes_nothing(
    cli_engine: sa.Engine, httpserver: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    httpserver.expect_oneshot_request("/p.json").respond_with_data(feed_bytes(GOOD_ITEMS), headers={"ETag": '"v7"'})
    assert run(capsys, "sources", "add", "team", httpserver.url_for("/p.json"))[0] == 0
    assert run(capsys, "update", "--yes")[0] == 0
    before = dump(cli_engine)
    httpserver.expect_oneshot_request("/p.json", headers={"If-None-Match": '"v7"'}).respond_with_data("", status=304)
    code, out, err = run(capsys, "update", "--yes")
    assert (code, err) == (0, "") and "not modified since the last update (HTTP 304)" in out
    assert dump(cli_engine) == before
    httpserver.check_assertions()


def test_an_implausible_change_is_flagged_before_it_is_applied(
    cli_engine: sa.Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = tmp_path / "a.json"
    first.write_bytes(feed_bytes([item("RTX 5090", 3499.0)]))
    assert run(capsys, "import", str(first), "--yes")[0] == 0
    lost_digits = tmp_path / "b.json"  # a decimal point in the wrong place: $3,499 -> $0.50
    lost_digits.write_bytes(feed_bytes([item("RTX 5090", 0.5, observed_at="2026-11-02"),
                                        item("GeForce RTX 4090", 1899.0, observed_at="2026-11-02")]))
    code, out, _ = run(capsys, "import", str(lost_digits))
    assert code == 0
    assert "check: hardware rtx-5090 new 3,499.00 -> 0.50 USD (-100.0 % against the latest stored price)" in out
    assert "rtx-4090" not in "".join(line for line in out.splitlines() if line.strip().startswith("check:"))
