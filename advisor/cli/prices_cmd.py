"""`prices ...`: keep the price database current from feeds (DESIGN §4, §5).

    prices update [--source URL_OR_NAME] [--yes]   fetch the enabled sources (or one), print the diff
    prices import FILE [--yes]                     the same for a local JSON/CSV feed file
    prices export FILE                             write the latest prices as a feed (.json or .csv)
    prices history ITEM                            every stored price of an item, oldest first
    prices rollback BATCH                          remove exactly one import batch's price points
    prices batches | prices sources ... | prices rates ...   (bookkeeping)

Without --yes nothing is written. A feed with any problem is refused whole (the problems are listed on
stdout, the one-line reason on stderr, exit 2) unless --partial explicitly applies only the valid items.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import sqlalchemy as sa

from advisor.errors import InputError
from advisor.feeds import (
    FeedClient,
    FeedInvalidError,
    FeedPreview,
    add_source,
    apply_preview,
    export_feed,
    list_batches,
    list_sources,
    load_rates,
    preview_feed,
    price_history,
    remove_source,
    resolve_item,
    rollback_batch,
    save_rates,
    update_source,
)
from advisor.feeds.diff import FeedDiff, PriceChange

LIST_LIMIT = 100  # rows per diff section unless --verbose


def open_engine() -> sa.Engine:
    """The user's database (RIG_ADVISOR_DB_URL or the data dir's SQLite file), migrated and seeded."""
    from advisor.db.database import open_database

    return open_database()


def register(subparsers: argparse._SubParsersAction) -> None:
    prices = subparsers.add_parser(
        "prices", help="update, import, export, inspect and roll back hardware prices"
    )
    sub = prices.add_subparsers(dest="prices_command", metavar="ACTION", required=True)

    def feed_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--yes", action="store_true", help="apply the changes (default: print the diff only)")
        p.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="NAME=ID",
            help="apply prices of feed name NAME to catalog item ID (repeatable)",
        )
        p.add_argument(
            "--partial",
            action="store_true",
            help="if some items are invalid, apply only the valid ones (they are listed)",
        )
        p.add_argument("--verbose", action="store_true", help=f"list every row, not the first {LIST_LIMIT}")

    update = sub.add_parser("update", help="check the feed sources and print the diff (--yes applies)")
    update.add_argument("--source", metavar="URL_OR_NAME", help="one source: a stored name, URL or file")
    update.add_argument("--no-cache", action="store_true", help="fetch even if the server says not modified")
    update.add_argument(
        "--timeout", type=float, default=60.0, metavar="S",
        help="overall deadline for each download, headers to last byte [s] (default 60)",
    )
    feed_options(update)
    update.set_defaults(func=cmd_update)

    imp = sub.add_parser("import", help="check a local feed file and print the diff (--yes applies)")
    imp.add_argument("file", metavar="FILE")
    feed_options(imp)
    imp.set_defaults(func=cmd_import)

    exp = sub.add_parser("export", help="write the latest prices as a feed (.json or .csv)")
    exp.add_argument("file", metavar="FILE")
    exp.add_argument("--publisher", default="Rig Advisor export", help="publisher name written in the feed")
    exp.set_defaults(func=cmd_export)

    hist = sub.add_parser("history", help="every stored price of an item, oldest first")
    hist.add_argument("item", metavar="ITEM", help="catalog name, alias or id")
    hist.add_argument("--json", action="store_true")
    hist.set_defaults(func=cmd_history)

    rb = sub.add_parser("rollback", help="remove exactly one import batch's price points")
    rb.add_argument("batch", metavar="BATCH", help="batch id (see `prices batches`)")
    rb.set_defaults(func=cmd_rollback)

    batches = sub.add_parser("batches", help="list recent import batches")
    batches.set_defaults(func=cmd_batches)

    src = sub.add_parser("sources", help="list or edit the feed sources `prices update` checks")
    src.add_argument(
        "action", choices=("list", "add", "remove", "enable", "disable"), nargs="?", default="list"
    )
    src.add_argument("name", nargs="?")
    src.add_argument("url", nargs="?", help="http(s) URL or local file path (for add)")
    src.add_argument("--priority", type=int, default=0, help="higher wins for the same item and day")
    src.set_defaults(func=cmd_sources)

    rates = sub.add_parser("rates", help="show or set exchange rates used to convert feed prices to USD")
    rates.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="CODE=USD_PER_UNIT",
        help="e.g. --set EUR=1.08 (repeatable)",
    )
    rates.set_defaults(func=cmd_rates)


def _mapping(pairs: list[str]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for pair in pairs:
        name, sep, item_id = pair.rpartition("=")
        if not sep or not name.strip() or not item_id.strip():
            raise InputError(f"expected NAME=ID, got {pair!r}", field="--map")
        mapping[name.strip()] = item_id.strip()
    return mapping


def _check(
    engine: sa.Engine,
    location: str,
    args: argparse.Namespace,
    *,
    use_cache: bool = True,
    batch_kind: str | None = None,
    client: FeedClient | None = None,
) -> FeedPreview:
    try:
        return preview_feed(
            engine,
            location,
            rates=load_rates(),
            mapping=_mapping(args.map),
            allow_partial=args.partial,
            use_cache=use_cache,
            batch_kind=batch_kind,
            client=client,
        )
    except FeedInvalidError as exc:
        print(f"{location}: refused, {len(exc.problems)} problem(s):")
        for problem in exc.problems:
            print(f"  {problem}")
        raise


def cmd_update(args: argparse.Namespace) -> int:
    engine = open_engine()
    if args.source:
        locations = [args.source]
    else:
        # lowest priority first, so the highest-priority feed's points are stored last (the latest)
        locations = [s.name for s in reversed(list_sources(engine, enabled_only=True))]
        if not locations:
            raise InputError(
                "no feed sources configured: add one with `prices sources add NAME URL` or pass --source URL",
                field="source",
            )
    client = FeedClient(total_timeout_s=args.timeout)
    try:
        previews = [
            _check(engine, loc, args, use_cache=not args.no_cache, client=client) for loc in locations
        ]
    finally:
        client.close()
    for preview in previews:  # all validated before anything is written
        _apply_or_show(engine, preview, args)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    engine = open_engine()
    path = Path(args.file)
    if "://" in args.file or not path.exists():
        raise InputError(
            "no such file (prices import reads a local file; use `prices update --source URL`)",
            field=args.file,
        )
    _apply_or_show(engine, _check(engine, str(path), args, batch_kind="import"), args)
    return 0


def _apply_or_show(engine: sa.Engine, preview: FeedPreview, args: argparse.Namespace) -> None:
    if preview.not_modified:
        print(f"{preview.location}: not modified since the last update (HTTP 304); nothing to do")
        return
    assert preview.parsed is not None and preview.diff is not None and preview.feed is not None
    feed, parsed = preview.feed, preview.parsed
    published = feed.published_at.date().isoformat() if feed.published_at else "undated"
    print(
        f"{preview.location}: {feed.publisher or 'unnamed publisher'}, published {published}, "
        f"{parsed.total_items} items ({parsed.syntax})"
    )
    if parsed.problems:
        print(f"  PARTIAL: {len(parsed.problems)} problem(s); these items are NOT applied:")
        for problem in parsed.problems:
            print(f"    {problem}")
    _print_diff(preview.diff, args.verbose)
    if not args.yes:
        print("nothing written (run again with --yes to apply)")
        return
    result = apply_preview(engine, preview)
    if result.batch_id is None:
        print(
            f"nothing applied ({len(preview.diff.stored)} already stored, {len(preview.diff.unknown)} unknown)"
        )
    else:
        print(
            f"applied batch {result.batch_id}: {result.points_added} price points added "
            f"(undo with `prices rollback {result.batch_id}`)"
        )
    if result.skipped_unknown:
        print(f"{result.skipped_unknown} unknown item(s) not applied (map them with --map NAME=ID)")


def _print_diff(diff: FeedDiff, verbose: bool) -> None:
    def rows(title: str, changes: tuple[PriceChange, ...]) -> None:
        shown = changes if verbose else changes[:LIST_LIMIT]
        for c in shown:
            line = f"  {title:<9} {c.target.kind:<8} {c.target.id:<28} {c.item.condition:<6} "
            if c.old_price_usd is not None and c.status == "changed":
                line += f"{c.old_price_usd:>12,.2f} -> {c.item.price_usd:,.2f} USD ({c.change_pct:+.1f}%)"
            else:
                line += f"{c.item.price_usd:>12,.2f} USD"
            print(line + (f"  [{c.item.vendor}]" if c.item.vendor else ""))
        if len(changes) > len(shown):
            print(f"  ... and {len(changes) - len(shown)} more {title} (--verbose lists all)")

    rows("new", diff.new)
    rows("changed", diff.changed)
    for u in diff.unknown if verbose else diff.unknown[:LIST_LIMIT]:
        hint = f"; did you mean {', '.join(s.id for s in u.suggestions)}" if u.suggestions else ""
        print(
            f"  unknown   {u.item.kind:<8} {u.item.name!r} ({u.item.where}){hint}; map with --map "
            f'"{u.item.name}=ID"'
        )
    print(f"  {diff.summary()}")
    for warning in diff.warnings():  # always every one: these are the lines to read before applying
        print(f"  {warning}")


def cmd_export(args: argparse.Namespace) -> int:
    count = export_feed(open_engine(), Path(args.file), publisher=args.publisher)
    print(f"wrote {count} prices to {args.file}")
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    engine = open_engine()
    target = resolve_item(engine, args.item)
    history = price_history(engine, target)
    if args.json:
        print(
            json.dumps(
                {
                    "kind": target.kind,
                    "id": target.id,
                    "name": target.name,
                    "points": [
                        {
                            "observed_at": h.observed_at.isoformat(),
                            "price_usd": h.price_usd,
                            "currency": h.currency,
                            "price_original": h.price_original,
                            "condition": h.condition,
                            "vendor": h.vendor,
                            "source": h.source,
                            "batch": h.batch_id,
                            "pinned": h.pinned,
                        }
                        for h in history
                    ],
                },
                indent=1,
            )
        )
        return 0
    print(f"{target.name} ({target.kind} {target.id}): {len(history)} price point(s)")
    print(f"  {'observed':<10} {'cond':<6} {'price_usd':>12} {'quoted':>16} {'batch':>5}  vendor / source")
    for h in history:
        quoted = f"{h.price_original:,.2f} {h.currency}" if h.price_original is not None else ""
        pin = " PINNED" if h.pinned else ""
        print(
            f"  {h.observed_at.date().isoformat():<10} {h.condition:<6} {h.price_usd:>12,.2f} {quoted:>16} "
            f"{h.batch_id if h.batch_id is not None else '-':>5}  {h.vendor or '-'} / {h.source}{pin}"
        )
    return 0


def cmd_rollback(args: argparse.Namespace) -> int:
    try:
        batch_id = int(args.batch)
    except ValueError:
        raise InputError(f"expected a batch number, got {args.batch!r}", field="batch") from None
    removed = rollback_batch(open_engine(), batch_id)
    print(f"rolled back batch {batch_id}: {removed} price points removed")
    return 0


def cmd_batches(args: argparse.Namespace) -> int:
    for b in list_batches(open_engine()):
        state = f"rolled back {b.rolled_back_at:%Y-%m-%d}" if b.rolled_back_at else "active"
        print(
            f"{b.id:>5}  {b.created_at:%Y-%m-%d %H:%M}  {b.kind:<6} {b.item_count:>6} items  {state:<20} "
            f"{b.source_name}"
        )
    return 0


def cmd_sources(args: argparse.Namespace) -> int:
    engine = open_engine()
    if args.action == "list":
        for s in list_sources(engine):
            checked = f"{s.last_checked:%Y-%m-%d %H:%M}" if s.last_checked else "never"
            print(
                f"{s.name:<24} {'on ' if s.enabled else 'off'} prio {s.priority:>3}  checked {checked:<16} {s.url}"
            )
        return 0
    if not args.name:
        raise InputError(f"`prices sources {args.action}` needs a source NAME", field="name")
    if args.action == "add":
        if not args.url:
            raise InputError("`prices sources add NAME URL` needs a URL or file path", field="url")
        add_source(engine, args.name, args.url, priority=args.priority)
    elif args.action == "remove":
        remove_source(engine, args.name)
    else:
        update_source(engine, args.name, enabled=args.action == "enable")
    print(f"source {args.name}: {args.action} done")
    return 0


def cmd_rates(args: argparse.Namespace) -> int:
    rates = load_rates()
    if args.set:
        for pair in args.set:
            code, sep, value = pair.partition("=")
            try:
                rate = float(value)
            except ValueError:
                raise InputError(f"expected CODE=USD_PER_UNIT, got {pair!r}", field="--set") from None
            if not sep:
                raise InputError(f"expected CODE=USD_PER_UNIT, got {pair!r}", field="--set")
            rates = rates.with_rate(code, rate)
        save_rates(rates)
    print("USD   1 (base)")
    for code, rate in sorted(rates.usd_per_unit.items()):
        print(f"{code}   {rate:g} USD")
    return 0
