"""The worked examples in the importer docstrings run (KV formulas with published figures)."""

from __future__ import annotations

import doctest

from advisor.importers import kv


def test_kv_doctests() -> None:
    failures, tried = doctest.testmod(kv)
    assert tried == 3 and failures == 0
