"""Use cases on prices: check and apply a feed, roll a batch back, manage feed sources.

The desktop app's Prices and Sources dialogs call these; `prices update/import/rollback` on the command line
call the same feed functions. Long work takes the one progress protocol (advisor.progress): the feed layer's
(bytes or rows done, total) callbacks are adapted here, and a Cancelled raised by the caller stops the work
with nothing written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from advisor.progress import Cancelled, ProgressCallback


def _feed_progress(progress: ProgressCallback | None, stage: str) -> Callable[[int, int], bool] | None:
    """(done, total) -> True to cancel, as advisor.feeds wants it, from the one protocol."""
    if progress is None:
        return None

    def callback(done: int, total: int) -> bool:
        try:
            progress(done / total if total else 0.0, stage)
        except Cancelled:
            return True  # the feed layer rolls back and raises FeedCancelled (a Cancelled)
        return False

    return callback


def _engine(store: Any) -> Any:
    engine = getattr(store, "engine", None)
    if engine is None:
        from advisor.errors import InputError

        raise InputError("price feeds need the database (this catalog is in memory)", "database")
    return engine


def preview_feed(store: Any, location: str, progress_callback: ProgressCallback | None = None) -> Any:
    """Fetch and validate a feed (URL or file) and diff it against the catalog; writes nothing."""
    from advisor.feeds import preview_feed as feeds_preview

    return feeds_preview(_engine(store), location,
                         progress_callback=_feed_progress(progress_callback, "downloading"))


def apply_feed(store: Any, preview: Any, progress_callback: ProgressCallback | None = None) -> Any:
    """Apply a checked feed in one transaction (a new import batch) and refresh the store."""
    from advisor.feeds import apply_preview

    result = apply_preview(_engine(store), preview,
                           progress_callback=_feed_progress(progress_callback, "writing price points"))
    reload = getattr(store, "reload", None)
    if reload is not None:
        reload()
    return result


def is_feed_url(location: str) -> bool:
    from advisor.feeds import is_url

    return bool(is_url(location))


def list_sources(store: Any) -> list[Any]:
    from advisor.feeds import list_sources as feeds_list

    return list(feeds_list(_engine(store)))


def add_source(store: Any, name: str, url: str, **options: Any) -> Any:
    from advisor.feeds import add_source as feeds_add

    return feeds_add(_engine(store), name, url, **options)


def update_source(store: Any, name: str, **changes: Any) -> Any:
    from advisor.feeds import update_source as feeds_update

    return feeds_update(_engine(store), name, **changes)


def remove_source(store: Any, name: str) -> None:
    from advisor.feeds import remove_source as feeds_remove

    feeds_remove(_engine(store), name)


def add_price_point(store: Any, kind: str, item: str, price: float, *, currency: str = "USD",
                    condition: str = "new", vendor: str = "", url: str = "", observed_at: str = "") -> Any:
    """One price point typed by the user, saved as a "user" import batch: validated by the feed rules
    (InputError names the field, nothing written), listed in the price history, undone by rolling the batch
    back like any feed. ``kind``: hardware | host | system; ``item``: catalog id or name. Returns the
    ApplyResult (``batch_id``)."""
    return _user_batch(store, kind, item, price, currency=currency, condition=condition, vendor=vendor,
                       url=url, observed_at=observed_at)


def edit_price_point(store: Any, point_id: int, kind: str, item: str, price: float, *, currency: str = "USD",
                     condition: str = "new", vendor: str = "", url: str = "", observed_at: str = "") -> Any:
    """Correct stored price point ``point_id``: one "user" batch adds the corrected point and removes the old
    one, in one transaction (history is appended, never overwritten). Rolling the batch back restores the
    old point. Validation as for :func:`add_price_point`; "nothing changed" is an InputError too."""
    return _user_batch(store, kind, item, price, currency=currency, condition=condition, vendor=vendor,
                       url=url, observed_at=observed_at, retract=point_id)


def delete_price_point(store: Any, point_id: int) -> Any:
    """Remove stored price point ``point_id`` as a "user" batch that adds nothing; rolling it back brings the
    point back. NotFoundError when no such live point exists."""
    import datetime as dt

    from advisor.feeds import apply_diff
    from advisor.feeds.diff import FeedDiff
    from advisor.feeds.records import Feed

    _check_point(point_id)
    feed = Feed(format="rig-advisor-prices/1", publisher="edited in Rig Advisor",
                published_at=dt.datetime.now(dt.UTC), currency="USD", items=())
    result = apply_diff(_engine(store), feed, FeedDiff(), source_name="edited in Rig Advisor",
                        batch_kind="user", retract=[point_id], note=f"; removed price point {point_id}")
    _reload(store)
    return result


def _check_point(point_id: Any) -> None:
    from advisor.errors import InputError

    if isinstance(point_id, bool) or not isinstance(point_id, int) or point_id < 1:
        raise InputError("must be a stored price point's id (a positive integer)", "price point")


def _reload(store: Any) -> None:
    reload = getattr(store, "reload", None)
    if reload is not None:
        reload()


def _user_batch(store: Any, kind: str, item: str, price: float, *, currency: str, condition: str, vendor: str,
                url: str, observed_at: str, retract: int | None = None) -> Any:
    import datetime as dt
    import json

    from advisor.errors import InputError
    from advisor.feeds import apply_diff, compute_diff, parse_feed

    if retract is not None:
        _check_point(retract)
    engine = _engine(store)
    day = observed_at or dt.date.today().isoformat()
    today = dt.date.today().isoformat()
    body = {"format": "rig-advisor-prices/1", "publisher": "edited in Rig Advisor", "published_at": today,
            "items": [{"kind": kind, "name": item, "price": price, "currency": currency, "condition": condition,
                       "vendor": vendor, "url": url, "observed_at": day}]}
    try:
        data = json.dumps(body, allow_nan=False).encode()
    except ValueError:
        raise InputError("must be a finite number", "price") from None
    parsed = parse_feed(data, name_hint="user.json")
    if parsed.problems:
        problem = parsed.problems[0]
        raise InputError(problem.message, problem.field or "price point")
    diff = compute_diff(engine, parsed.feed)
    if diff.unknown:
        raise InputError(f"{item!r} is not in the catalog", "item")
    if retract is not None and not diff.to_apply:
        raise InputError("nothing changed: the corrected point equals a stored one", "price point")
    result = apply_diff(engine, parsed.feed, diff, source_name="edited in Rig Advisor", batch_kind="user",
                        retract=() if retract is None else [retract],
                        note="" if retract is None else f"; replaces price point {retract}")
    _reload(store)
    return result
