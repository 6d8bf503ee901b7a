"""Bytes -> ParsedFeed: decoding, JSON or CSV syntax, the feed header, then item validation.

JSON form (DESIGN §5)::

    {"format": "rig-advisor-prices/1", "publisher": "...", "published_at": "2026-11-01",
     "currency": "USD", "items": [{"kind": "accelerator", "name": "RTX 5090", "price": 3499,
     "currency": "USD", "condition": "new", "vendor": "...", "url": "https://...", "observed_at": "2026-11-01"}]}

CSV form: a header row with the item columns (kind,name,price,currency,condition,vendor,url,observed_at),
optionally preceded by ``# key: value`` lines for the header fields (format, publisher, published_at,
currency). Unknown fields and columns are ignored so a /1 reader accepts additions from newer publishers.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
from collections.abc import Mapping

from advisor.csv_safe import restore
from advisor.feeds.rates import CURRENCY_CODE, ExchangeRates
from advisor.feeds.records import FEED_FORMAT, FORMAT_FAMILY, Feed, ParsedFeed, Problem
from advisor.feeds.validate import parse_when, short_repr, validate_items

REQUIRED_CSV_COLUMNS = ("kind", "name", "price", "observed_at")


def parse_feed(
    data: bytes,
    *,
    rates: ExchangeRates | None = None,
    content_type: str = "",
    name_hint: str = "",
    now: dt.datetime | None = None,
) -> ParsedFeed:
    """Parse and validate a whole feed. Never raises for bad content: problems are returned.

    ``content_type`` (HTTP header) and ``name_hint`` (file name or URL) only help tell JSON from CSV;
    the content decides. ``rates`` converts prices to USD (default: USD only). ``now`` is for tests.
    """
    rates = rates or ExchangeRates()
    now = now or dt.datetime.now(dt.UTC)
    if data.startswith(b"\xef\xbb\xbf"):  # a UTF-8 BOM, as spreadsheet programs write
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _refused("encoding", f"not UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start}")
    head = text.lstrip()[:1]
    kind = content_type.split(";")[0].strip().lower()
    if not head:
        return _refused("", "empty document, not a price feed")
    if head == "<":
        shown = f" (content type {kind})" if kind else ""
        return _refused(
            "", f"looks like HTML/XML{shown}, not a price feed (wrong URL, or a login/error page?)"
        )
    if head in "{[" or "json" in kind or name_hint.lower().endswith(".json"):
        return _parse_json(text, rates, now)
    return _parse_csv(text, rates, now, name_hint)


def _refused(field: str, message: str, syntax: str = "unknown") -> ParsedFeed:
    empty = Feed(format="", publisher="", published_at=None, currency="USD", items=())
    return ParsedFeed(empty, (Problem("feed", field, message),), 0, syntax)


def _parse_json(text: str, rates: ExchangeRates, now: dt.datetime) -> ParsedFeed:
    try:
        doc = json.loads(text, parse_int=_bounded_int)
    except json.JSONDecodeError as exc:
        return _refused(
            "", f"invalid JSON (truncated or malformed) at line {exc.lineno} column {exc.colno}: {exc.msg}"
        )
    except RecursionError:
        return _refused("", "invalid JSON: nested too deeply")
    except ValueError:  # a number of more than 4,300 digits (Python's int/str conversion limit)
        return _refused("", "invalid JSON: a number with more than 4,300 digits")
    if not isinstance(doc, dict):
        return _refused(
            "", f"expected a JSON object with format/publisher/items, got a JSON {type(doc).__name__}"
        )
    header_problems, header = _check_header(doc, now, csv_form=False)
    items_raw = doc.get("items")
    if header_problems and any(p.field == "format" for p in header_problems):
        # The rest would be read against the wrong contract: report only the format.
        return ParsedFeed(_feed(header, ()), tuple(header_problems), 0, "json")
    if not isinstance(items_raw, list):
        header_problems.append(Problem("feed", "items", "required list of items is missing"))
        return ParsedFeed(_feed(header, ()), tuple(header_problems), 0, "json")
    rows: list[tuple[str, Mapping[str, object]]] = []
    for i, raw in enumerate(items_raw):
        if not isinstance(raw, dict):
            header_problems.append(
                Problem(f"items[{i}]", "", f"expected an object, got {type(raw).__name__}")
            )
            continue
        rows.append((f"items[{i}]", raw))
    if not items_raw:
        header_problems.append(Problem("feed", "items", "the feed lists no items"))
    items, problems = validate_items(
        rows, default_currency=header["currency"] or "USD", rates=rates, now=now, text_cells=False
    )
    return ParsedFeed(
        _feed(header, tuple(items)), _in_order(header_problems + problems), len(items_raw), "json"
    )


def _bounded_int(text: str) -> int | float:
    """A JSON integer; one of hundreds of digits becomes +-inf so the field check refuses it by name
    (Python cannot convert more than 4,300 digits, and no price, count or date needs 300)."""
    if len(text) > 300:
        return -math.inf if text.startswith("-") else math.inf
    return int(text)


def _parse_csv(text: str, rates: ExchangeRates, now: dt.datetime, name_hint: str) -> ParsedFeed:
    lines = text.splitlines(keepends=True)
    meta: dict[str, object] = {}
    skipped = 0
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("#"):
            key, sep, value = stripped.lstrip("#").partition(":")
            if sep:
                meta[key.strip().lower()] = value.strip()
            skipped += 1
        elif not stripped:
            skipped += 1
        else:
            break
    body = "".join(lines[skipped:])
    header_problems, header = _check_header(meta, now, csv_form=True)
    if any(p.field == "format" for p in header_problems):
        return ParsedFeed(_feed(header, ()), tuple(header_problems), 0, "csv")
    if not header["publisher"]:
        header["publisher"] = name_hint
    try:
        reader = csv.reader(io.StringIO(body, newline=""), strict=True)
        columns = [c.strip().lower() for c in next(reader, [])]
        missing = [c for c in REQUIRED_CSV_COLUMNS if c not in columns]
        if missing:
            hint = "" if "," in body.partition("\n")[0] else " (is this a CSV file at all?)"
            return _refused("columns", f"missing required column(s): {', '.join(missing)}{hint}", "csv")
        rows: list[tuple[str, Mapping[str, object]]] = []
        for cells in reader:
            line_no = skipped + reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(columns):
                header_problems.append(
                    Problem(f"line {line_no}", "", f"expected {len(columns)} columns, got {len(cells)}")
                )
                continue
            # our own exports quote formula-like cells (advisor.csv_safe): read them back as written
            rows.append((f"line {line_no}", dict(zip(columns, map(restore, cells), strict=True))))
    except csv.Error as exc:
        return _refused("", f"malformed CSV: {exc}", "csv")
    if not rows and not header_problems:
        header_problems.append(Problem("feed", "items", "the feed lists no items"))
    items, problems = validate_items(
        rows, default_currency=header["currency"] or "USD", rates=rates, now=now, text_cells=True
    )
    total = len(rows) + sum(1 for p in header_problems if p.where.startswith("line"))
    return ParsedFeed(_feed(header, tuple(items)), _in_order(header_problems + problems), total, "csv")


def _check_header(
    doc: Mapping[str, object], now: dt.datetime, *, csv_form: bool
) -> tuple[list[Problem], dict]:
    """Validate format/publisher/published_at/currency. CSV may omit them all; JSON must carry the first three."""
    problems: list[Problem] = []
    header: dict = {"format": FEED_FORMAT, "publisher": "", "published_at": None, "currency": ""}

    def bad(field: str, message: str) -> None:
        problems.append(Problem("feed", field, message))

    fmt = doc.get("format")
    if fmt is None and not csv_form:
        bad("format", f'missing: a price feed starts with "format": "{FEED_FORMAT}"')
    elif fmt is not None and fmt != FEED_FORMAT:
        if isinstance(fmt, str) and fmt.startswith(FORMAT_FAMILY):
            bad("format", f"unsupported format version {fmt!r} (this version reads {FEED_FORMAT!r})")
        else:
            bad("format", f"not a Rig Advisor price feed: format is {short_repr(fmt)}, expected {FEED_FORMAT!r}")
        return problems, header
    publisher = doc.get("publisher")
    if publisher is None and not csv_form:
        bad("publisher", "required field is missing")
    elif publisher is not None and (not isinstance(publisher, str) or not publisher.strip()):
        bad("publisher", "must be non-empty text")
    else:
        header["publisher"] = (publisher or "").strip()  # type: ignore[union-attr]
    published = doc.get("published_at")
    if published is None and not csv_form:
        bad("published_at", "required field is missing")
    elif published is not None:
        try:
            header["published_at"] = parse_when(published, now)
        except ValueError as exc:
            bad("published_at", str(exc))
    currency = doc.get("currency")
    if currency is not None:
        if not isinstance(currency, str) or not CURRENCY_CODE.match(currency.strip().upper()):
            bad("currency", f"not a 3-letter ISO 4217 code: {short_repr(currency)}")
        else:
            header["currency"] = currency.strip().upper()
    return problems, header


def _in_order(problems: list[Problem]) -> tuple[Problem, ...]:
    """Feed-level problems first, then by item index / line number (stable within one item)."""

    def position(p: Problem) -> int:
        digits = "".join(ch for ch in p.where if ch.isdigit())
        return -1 if p.where == "feed" or not digits else int(digits)

    return tuple(sorted(problems, key=position))


def _feed(header: dict, items: tuple) -> Feed:
    return Feed(
        format=header["format"],
        publisher=header["publisher"],
        published_at=header["published_at"],
        currency=header["currency"] or "USD",
        items=items,
    )
