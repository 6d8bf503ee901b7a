"""Hypothesis: extreme dates, huge numbers and deep nesting in a feed are problems named by item and
field, never an exception (issue 16: OverflowError / ValueError gave exit 1)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.feeds import parse_feed
from advisor.feeds.validate import EARLIEST_DATE, parse_when
from tests.feeds.conftest import feed_bytes, item
from tests.reliability.properties import EXTREME_DATES, HUGE_FLOAT_TEXT, HUGE_INT_TEXT

NOW = dt.datetime(2026, 11, 23, 12, tzinfo=dt.UTC)
FUZZ = settings(max_examples=200, deadline=None)


@FUZZ
@given(EXTREME_DATES)
def test_any_date_text_is_a_utc_datetime_in_range_or_value_error(text: str) -> None:
    try:
        when = parse_when(text, NOW)
    except ValueError as exc:
        assert "\n" not in str(exc)
        return
    assert when.tzinfo is not None and EARLIEST_DATE <= when <= NOW + dt.timedelta(days=1)


@FUZZ
@given(field=st.sampled_from(["price", "observed_at", "name", "vendor", "currency"]),
       raw=st.one_of(HUGE_INT_TEXT, HUGE_FLOAT_TEXT))
def test_a_huge_number_in_any_item_field_is_a_problem_of_that_field(field: str, raw: str) -> None:
    text = feed_bytes([item(**{field: "@@raw@@"})]).decode().replace('"@@raw@@"', raw)
    parsed = parse_feed(text.encode(), now=NOW)
    if field == "price" and raw == "4.9e-324":
        return  # a tiny positive price is a valid number (absurd, but not hostile)
    assert parsed.problems, raw[:20]
    assert any(p.field == field and p.where == "items[0]" for p in parsed.problems), parsed.problems
    assert all(len(str(p)) < 300 for p in parsed.problems)  # a 5,000-digit number is not echoed back
