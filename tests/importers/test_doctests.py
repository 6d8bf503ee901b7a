"""The worked example in the importer's KV module runs (Llama-3.1-8B: 131,072 B/token from the catalog)."""

from __future__ import annotations

import doctest

from advisor.importers import kv


def test_kv_doctests() -> None:
    failures, tried = doctest.testmod(kv)
    assert tried >= 1 and failures == 0
