"""Fuzzing (hypothesis): engine inputs, the feed parser, the config.json importer, the scenario loader and a
feed file previewed against a real database. Bounded example counts here; benchmarks/fuzz_long.py runs more."""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings

from advisor.db.database import open_database
from advisor.errors import InputError
from tests.feeds.conftest import add_catalog
from tests.reliability import properties as p

CI = settings(max_examples=150, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@CI
@given(p.setups())
def test_estimate_raises_only_input_error(setup: Any) -> None:
    p.check_estimate(setup)


@CI
@given(p.FEED_BYTES)
def test_feed_parser_never_raises(data: bytes) -> None:
    p.check_parse_feed(data)


@CI
@given(p.HF_CONFIGS)
def test_config_json_importer_raises_only_input_error(config: Any) -> None:
    with tempfile.TemporaryDirectory() as folder:
        p.check_import_config(config, Path(folder))


@CI
@given(p.HF_CONFIG_TEXTS)
def test_config_json_with_huge_numbers_and_deep_nesting_is_input_error(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        p.check_import_text(text, "config.json", Path(folder))


@CI
@given(p.SAFETENSORS_INDEXES)
def test_safetensors_index_with_wrong_json_types_is_input_error(text: str) -> None:
    config = {"model_type": "llama", "num_hidden_layers": 2, "hidden_size": 64, "num_attention_heads": 4,
              "vocab_size": 1000, "intermediate_size": 128}
    with tempfile.TemporaryDirectory() as folder:
        p.check_import_text(text, "model.safetensors.index.json", Path(folder), config)


@CI
@given(p.SCENARIO_DOCS)
def test_scenario_loader_raises_only_input_error(doc: Any) -> None:
    p.check_scenario(doc)


@pytest.fixture(scope="module")
def feed_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[sa.Engine, Path]]:
    path = tmp_path_factory.mktemp("fuzzdb") / "advisor.db"
    engine = open_database(f"sqlite:///{path}", seed=False)
    add_catalog(engine)
    yield engine, path
    engine.dispose()


def _dump(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(p.FEED_BYTES)
def test_a_bad_feed_file_writes_nothing(feed_db: tuple[sa.Engine, Path], data: bytes) -> None:
    """preview + apply of a random feed file: InputError and an unchanged database, or a clean apply."""
    from advisor.feeds import apply_preview, preview_feed

    engine, path = feed_db
    before = _dump(path)
    with tempfile.TemporaryDirectory() as folder:
        feed = Path(folder) / "feed.json"
        feed.write_bytes(data)
        try:
            preview = preview_feed(engine, str(feed))
        except InputError:
            assert _dump(path) == before
            return
        result = apply_preview(engine, preview)
    assert result.points_added <= preview.parsed.total_items if preview.parsed else True
