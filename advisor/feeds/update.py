"""The whole update flow in two steps the CLI and the dialog share: preview (fetch, validate, diff), then apply.

``preview_feed`` writes nothing. It raises FeedError for a feed that cannot be fetched/read and
FeedInvalidError (listing every problem) for a feed with any problem, unless the caller passes
``allow_partial=True`` because the user explicitly chose to apply only the valid items; the preview then
still carries every problem to show. ``apply_preview`` writes the diff in one transaction.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import sqlalchemy as sa

from advisor.feeds.apply import ApplyResult, apply_diff
from advisor.feeds.client import FeedClient, FetchResult, ProgressCallback
from advisor.feeds.diff import FeedDiff, compute_diff
from advisor.feeds.parse import parse_feed
from advisor.feeds.rates import ExchangeRates, load_rates
from advisor.feeds.records import Feed, ParsedFeed
from advisor.feeds.sources import SourceInfo, get_source


@dataclass(frozen=True)
class FeedPreview:
    """Everything the user needs to decide: where from, what was wrong, what would change."""

    location: str
    source: SourceInfo | None  # the stored source, when the location came from one
    fetched: FetchResult
    parsed: ParsedFeed | None  # None when the server said 304 Not Modified
    feed: Feed | None  # the feed to apply (all items, or only the valid ones when partial)
    diff: FeedDiff | None
    batch_kind: str  # "feed" (from a source / URL) or "import" (a file the user named)

    @property
    def not_modified(self) -> bool:
        return self.fetched.not_modified

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.fetched.body).hexdigest()


def preview_feed(
    engine: sa.Engine,
    location: str,
    *,
    client: FeedClient | None = None,
    rates: ExchangeRates | None = None,
    mapping: Mapping[str, str] | None = None,
    allow_partial: bool = False,
    use_cache: bool = True,
    progress_callback: ProgressCallback | None = None,
    batch_kind: str | None = None,
) -> FeedPreview:
    """Fetch and check ``location``: a stored source's name, an http(s) URL or a local file path.

    ``use_cache`` sends the stored source's ETag / Last-Modified (a 304 then means no change).
    """
    source = get_source(engine, location)
    target = source.url if source else location
    own_client = client is None
    client = client or FeedClient()
    try:
        fetched = client.fetch(
            target,
            etag=source.etag if (source and use_cache) else None,
            last_modified=source.last_modified if (source and use_cache) else None,
            progress_callback=progress_callback,
        )
    finally:
        if own_client:
            client.close()
    kind = batch_kind or (
        "feed" if source or target.lower().startswith(("http://", "https://")) else "import"
    )
    if fetched.not_modified:
        return FeedPreview(target, source, fetched, None, None, None, kind)
    parsed = parse_feed(
        fetched.body,
        rates=rates or load_rates(),
        content_type=fetched.content_type,
        name_hint=fetched.final_url,
    )
    feed = parsed.accepted(allow_partial=allow_partial)  # raises FeedInvalidError: nothing written
    diff = compute_diff(engine, feed, mapping=mapping)
    return FeedPreview(target, source, fetched, parsed, feed, diff, kind)


def apply_preview(
    engine: sa.Engine, preview: FeedPreview, *, progress_callback: Callable[[int, int], bool] | None = None
) -> ApplyResult:
    """Write a preview: its diff as one ImportBatch, and the source's cache validators, in one transaction."""
    source_id = preview.source.id if preview.source else None
    cache = (preview.fetched.etag, preview.fetched.last_modified)
    if preview.feed is None or preview.diff is None:
        # 304 Not Modified: nothing changed, so nothing is written (not even the check time).
        return ApplyResult(None, 0, 0, 0)
    return apply_diff(
        engine,
        preview.feed,
        preview.diff,
        source_name=preview.source.name if preview.source else preview.location,
        batch_kind=preview.batch_kind,
        content_hash=preview.content_hash,
        feed_source_id=source_id,
        http_cache=cache,
        progress_callback=progress_callback,
        note=_partial_note(preview.parsed),
    )


def _partial_note(parsed: ParsedFeed | None) -> str:
    if parsed is None or parsed.ok:
        return ""
    return f"; PARTIAL: {len(parsed.problems)} problem(s), only the valid items applied"
