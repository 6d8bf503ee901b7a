"""Field-by-field validation of feed items: raw rows (JSON objects or CSV rows) -> FeedItems + Problems.

Every problem names its item (``items[3]`` / ``line 5``) and field, and validation never stops at the
first one, so a publisher can fix a feed in one round. JSON values must have the right type (a price of
``"1999"`` is refused: a feed that quotes numbers is probably mangled); CSV cells are text by nature and
are converted.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Mapping
from urllib.parse import urlsplit

from advisor.feeds.rates import CURRENCY_CODE, ExchangeRates
from advisor.feeds.records import CONDITIONS, ITEM_KINDS, KIND_ALIASES, FeedItem, Problem

# A date-only value is "in the future" only once that day has not begun anywhere on Earth (UTC+14).
LATEST_UTC_OFFSET = dt.timedelta(hours=14)
# Datetimes may run a little ahead of our clock (publisher's clock skew).
CLOCK_SKEW = dt.timedelta(minutes=10)
MAX_TEXT_CHARS = 500
MAX_PRICE_USD = 1e9  # one catalog item (a GPU, a host, an 8-GPU server) never costs more [USD]
# No price list predates 1970; dates before it (year 1) overflow date arithmetic and time stamps downstream.
EARLIEST_DATE = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

Report = Callable[[str, str], None]  # bad(field, message)


def parse_when(value: object, now: dt.datetime) -> dt.datetime:
    """An ISO date or datetime as aware UTC; raises ValueError with a readable reason.

    A bare date means midnight UTC; a datetime without offset is taken as UTC.

    >>> now = dt.datetime(2026, 11, 23, 12, tzinfo=dt.UTC)
    >>> parse_when("2026-11-01", now).isoformat()
    '2026-11-01T00:00:00+00:00'
    >>> parse_when("2026-11-01T10:00:00+02:00", now).isoformat()
    '2026-11-01T08:00:00+00:00'
    """
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"expected an ISO date like 2026-11-01, got {short_repr(value)}")
    text = value.strip()
    if len(text) > 40:  # the longest ISO datetime with microseconds and offset is 32 characters
        raise ValueError(f"not an ISO date or datetime: {text[:40]!r}...")
    try:
        if len(text) == 10:
            day = dt.date.fromisoformat(text)
            if day > (now + LATEST_UTC_OFFSET).date():
                raise ValueError(f"date is in the future: {text}")
            when = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
        else:
            when = dt.datetime.fromisoformat(text)
            # year 1 at +14:00 or year 9999 at -14:00 has no UTC equivalent: OverflowError, not a crash
            when = when.replace(tzinfo=dt.UTC) if when.tzinfo is None else when.astimezone(dt.UTC)
    except OverflowError:
        raise ValueError(f"date out of range: {text}") from None
    except ValueError as exc:
        if "future" in str(exc):
            raise
        raise ValueError(f"not an ISO date or datetime: {text!r}") from None
    if len(text) != 10 and when > now + CLOCK_SKEW:  # (a bare date was checked against UTC+14 above)
        raise ValueError(f"date is in the future: {text}")
    if when < EARLIEST_DATE:
        raise ValueError(f"date is before {EARLIEST_DATE:%Y-%m-%d}: {text}")
    return when


def validate_items(
    rows: Iterable[tuple[str, Mapping[str, object]]],
    *,
    default_currency: str,
    rates: ExchangeRates,
    now: dt.datetime,
    text_cells: bool,
) -> tuple[list[FeedItem], list[Problem]]:
    """Validate ``rows`` (``(where, fields)`` pairs) into items; collect every problem.

    ``text_cells`` is True for CSV, whose cells are strings (empty = absent).
    """
    items: list[FeedItem] = []
    problems: list[Problem] = []
    first_seen: dict[tuple[str, str, str, str, dt.date], str] = {}
    for index, (where, raw) in enumerate(rows):
        item_problems: list[Problem] = []

        def bad(field: str, message: str, _where: str = where, _out: list[Problem] = item_problems) -> None:
            _out.append(Problem(_where, field, message))

        fields = {k: (v.strip() if isinstance(v, str) else v) for k, v in raw.items()}
        if text_cells:  # an empty CSV cell is an absent value
            fields = {k: v for k, v in fields.items() if v != ""}

        kind = _text(fields, "kind", bad, required=True).lower()
        kind = KIND_ALIASES.get(kind, kind)
        if kind and kind not in ITEM_KINDS:
            bad("kind", f"unknown kind {kind!r} (expected one of: {', '.join(ITEM_KINDS)})")
        name = _text(fields, "name", bad, required=True)
        price = _price(fields.get("price"), bad, text_cells)
        currency = _text(fields, "currency", bad).upper() or default_currency
        if not CURRENCY_CODE.match(currency):
            bad("currency", f"not a 3-letter ISO 4217 code: {currency!r}")
        elif not rates.known(currency):
            bad(
                "currency",
                f"unknown currency {currency}: no exchange rate set (prices rates --set {currency}=...)",
            )
        condition = _text(fields, "condition", bad).lower() or "new"
        if condition not in CONDITIONS:
            bad("condition", f"expected one of {', '.join(CONDITIONS)}, got {condition!r}")
        vendor = _text(fields, "vendor", bad)
        url = _text(fields, "url", bad)
        if url and (urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc):
            bad("url", f"expected an http(s) URL, got {url!r}")
        observed_at = None
        if fields.get("observed_at") is None:
            bad("observed_at", "required field is missing")
        else:
            try:
                observed_at = parse_when(fields["observed_at"], now)
            except ValueError as exc:
                bad("observed_at", str(exc))

        if item_problems or price is None or observed_at is None:
            problems.extend(item_problems)
            continue
        price_usd = rates.to_usd(price, currency)
        # a finite price times an absurd rate overflows to inf, which the database then refuses to read back
        if not math.isfinite(price_usd) or price_usd > MAX_PRICE_USD:
            converted = "" if currency == "USD" else f" is {price_usd:g} USD after conversion,"
            problems.append(Problem(where, "price", f"{price:g} {currency}{converted} over the "
                                    f"{MAX_PRICE_USD:,.0f} USD a catalog item may cost"))
            continue
        item = FeedItem(
            index=index,
            where=where,
            kind=kind,
            name=name,
            price=price,
            currency=currency,
            price_usd=price_usd,
            condition=condition,
            vendor=vendor,
            url=url,
            observed_at=observed_at,
        )
        if item.key in first_seen:
            problems.append(
                Problem(
                    where,
                    "name",
                    f"duplicate of {first_seen[item.key]} (same kind, name, condition, vendor, day)",
                )
            )
            continue
        first_seen[item.key] = where
        items.append(item)
    return items, problems


def _text(fields: Mapping[str, object], name: str, bad: Report, *, required: bool = False) -> str:
    value = fields.get(name)
    if value is None:
        if required:
            bad(name, "required field is missing")
        return ""
    if not isinstance(value, str):
        bad(name, f"must be text, got {type(value).__name__} {short_repr(value)}")
        return ""
    if required and not value:
        bad(name, "must not be empty")
    if len(value) > MAX_TEXT_CHARS:
        bad(name, f"longer than {MAX_TEXT_CHARS} characters")
        return ""
    return value


def _price(value: object, bad: Report, text_cells: bool) -> float | None:
    if value is None:
        bad("price", "required field is missing")
        return None
    if text_cells and isinstance(value, str):
        try:
            value = float(value)  # no thousands separators: "1.999,00" vs "1,999.00" is ambiguous
        except ValueError:
            bad("price", f"not a number: {short_repr(value)}")
            return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        bad("price", f"must be a number, got {type(value).__name__} {short_repr(value)}")
        return None
    if isinstance(value, int) and abs(value) > MAX_PRICE_USD * 1e6:
        # a 5,000-digit integer: float() would overflow, and printing it would too (int -> str limit)
        bad("price", f"absurd number ({value.bit_length()}-bit integer)")
        return None
    if not math.isfinite(value):
        bad("price", f"must be a finite number, got {value!r}")
        return None
    if value <= 0:
        bad("price", f"must be > 0, got {value!r}")
        return None
    return float(value)


def short_repr(value: object) -> str:
    """repr of a wrong-typed value for a message, cut to 60 characters (a feed may send megabytes)."""
    if isinstance(value, int) and value.bit_length() > 128:
        return f"<{value.bit_length()}-bit integer>"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
