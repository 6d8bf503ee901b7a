"""The plain records a price feed becomes: validated items, problems, and the errors feeds raise.

A feed is validated whole before anything is written (DESIGN §5). Parsing never raises for bad content:
it returns a :class:`ParsedFeed` holding the valid items and every :class:`Problem` found, so the caller
(CLI, dialog) can show them all and decide. :meth:`ParsedFeed.accepted` is the one gate that turns
"problems" into a refusal unless the user explicitly chose to apply only the valid items.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from advisor.errors import InputError
from advisor.progress import Cancelled

FEED_FORMAT = "rig-advisor-prices/1"
FORMAT_FAMILY = "rig-advisor-prices/"

# Kinds of priced things the database knows (PricePoint.item_kind).
ITEM_KINDS = ("hardware", "host", "system")
# Friendly spellings publishers use; the catalog's accelerator kinds (gpu/apple/apu/cpu) are all "hardware".
KIND_ALIASES = {
    "accelerator": "hardware",
    "gpu": "hardware",
    "apple": "hardware",
    "apu": "hardware",
    "cpu": "hardware",
    "hosts": "host",
    "systems": "system",
    "server": "system",
    "rig": "system",
}
CONDITIONS = ("new", "used", "refurb", "rent-on-demand", "rent-spot")  # rent-*: USD per device-hour
# Column order of the CSV form and of the JSON item objects.
ITEM_FIELDS = ("kind", "name", "price", "currency", "condition", "vendor", "url", "observed_at")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a feed. ``where`` is ``feed``, ``items[3]`` (JSON) or ``line 5`` (CSV)."""

    where: str
    field: str
    message: str

    def __str__(self) -> str:
        return (
            f"{self.where}, {self.field}: {self.message}" if self.field else f"{self.where}: {self.message}"
        )


@dataclass(frozen=True)
class FeedItem:
    """One valid price observation from a feed.

    ``price`` is in ``currency`` as published; ``price_usd`` is converted with the user's exchange-rate table
    [USD]. ``observed_at`` is timezone-aware UTC (a bare date means midnight UTC). ``name`` is as published;
    it is resolved to a catalog item by the diff.
    """

    index: int  # 0-based position in the feed
    where: str  # "items[3]" or "line 5", for messages
    kind: str  # one of ITEM_KINDS
    name: str
    price: float  # [currency units]
    currency: str  # ISO 4217, upper case
    price_usd: float  # [USD]
    condition: str  # one of CONDITIONS
    vendor: str
    url: str
    observed_at: dt.datetime  # UTC

    @property
    def key(self) -> tuple[str, str, str, str, dt.date]:
        """What makes two items duplicates: same thing, condition, vendor and day."""
        return (
            self.kind,
            self.name.casefold(),
            self.condition,
            self.vendor.casefold(),
            self.observed_at.date(),
        )


@dataclass(frozen=True)
class Feed:
    """A parsed feed's header and its valid items."""

    format: str
    publisher: str
    published_at: dt.datetime | None  # UTC
    currency: str  # default currency of items that do not name one
    items: tuple[FeedItem, ...]


@dataclass(frozen=True)
class ParsedFeed:
    """The outcome of parsing + validating a feed: valid items and every problem, never an exception."""

    feed: Feed
    problems: tuple[Problem, ...]
    total_items: int  # items (rows) in the feed, valid or not
    syntax: str  # "json" or "csv"

    @property
    def ok(self) -> bool:
        return not self.problems

    def accepted(self, *, allow_partial: bool = False) -> Feed:
        """The feed to apply, or raise :class:`FeedInvalidError` listing the problems.

        With ``allow_partial`` (an explicit user choice, never a default) only the valid items are
        returned, provided the header itself is sound and at least one item is valid.
        """
        if self.ok:
            return self.feed
        header_problems = [p for p in self.problems if p.where == "feed"]
        if allow_partial and not header_problems and self.feed.items:
            return self.feed
        raise FeedInvalidError(self.problems, self.total_items)


class FeedError(InputError):
    """A feed could not be read or fetched (network, size, encoding, scheme). One-line message."""


class FeedInvalidError(FeedError):
    """A feed was read but is refused: ``problems`` lists every problem with its item/line and field."""

    def __init__(self, problems: tuple[Problem, ...] | list[Problem], total_items: int = 0) -> None:
        self.problems = tuple(problems)
        first = self.problems[0] if self.problems else Problem("feed", "", "unknown problem")
        count = len(self.problems)
        more = f" (and {count - 1} more)" if count > 1 else ""
        super().__init__(f"feed refused, nothing written: {first}{more}")


class FeedCancelled(Cancelled):
    """The caller's progress callback asked to stop. Not an error: nothing was written."""
