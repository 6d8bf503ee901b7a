"""Price feeds: fetch (requests), validate whole, diff, apply in one transaction, roll back, history.

The flow (CLI `prices ...` and the app's dialog use the same calls)::

    preview = preview_feed(engine, "https://example.org/prices.json", progress_callback=cb)
    print(preview.diff.summary())          # new / changed (old, new, %) / unchanged / unknown names
    result = apply_preview(engine, preview)  # one ImportBatch, one transaction
    rollback_batch(engine, result.batch_id)  # removes exactly that batch's points

Lower-level pieces: FeedClient.fetch (one requests.Session), parse_feed (bytes -> ParsedFeed with every
Problem), compute_diff, apply_diff, price_history, export_feed, the FeedSource CRUD and the exchange rates.
No Qt here: long steps report progress through ``progress_callback(done, total) -> cancel``.
"""

from advisor.feeds.apply import (
    ApplyResult,
    BatchInfo,
    HistoryPoint,
    apply_diff,
    list_batches,
    price_history,
    resolve_item,
    rollback_batch,
)
from advisor.feeds.client import DEFAULT_MAX_BYTES, FeedClient, FetchResult, ProgressCallback, is_url
from advisor.feeds.diff import FeedDiff, PriceChange, UnknownItem, compute_diff
from advisor.feeds.export import export_feed, latest_price_items
from advisor.feeds.parse import parse_feed
from advisor.feeds.rates import ExchangeRates, load_rates, rates_path, save_rates
from advisor.feeds.records import (
    FEED_FORMAT,
    Feed,
    FeedCancelled,
    FeedError,
    FeedInvalidError,
    FeedItem,
    ParsedFeed,
    Problem,
)
from advisor.feeds.resolve import CatalogItem, CatalogNames
from advisor.feeds.sources import (
    SourceInfo,
    add_source,
    get_source,
    list_sources,
    remove_source,
    update_source,
)
from advisor.feeds.update import FeedPreview, apply_preview, preview_feed

__all__ = [
    "DEFAULT_MAX_BYTES",
    "FEED_FORMAT",
    "ApplyResult",
    "BatchInfo",
    "CatalogItem",
    "CatalogNames",
    "ExchangeRates",
    "Feed",
    "FeedCancelled",
    "FeedClient",
    "FeedDiff",
    "FeedError",
    "FeedInvalidError",
    "FeedItem",
    "FeedPreview",
    "FetchResult",
    "HistoryPoint",
    "ParsedFeed",
    "PriceChange",
    "Problem",
    "ProgressCallback",
    "SourceInfo",
    "UnknownItem",
    "add_source",
    "apply_diff",
    "apply_preview",
    "compute_diff",
    "export_feed",
    "get_source",
    "is_url",
    "latest_price_items",
    "list_batches",
    "list_sources",
    "load_rates",
    "parse_feed",
    "preview_feed",
    "price_history",
    "rates_path",
    "remove_source",
    "resolve_item",
    "rollback_batch",
    "save_rates",
    "update_source",
]
