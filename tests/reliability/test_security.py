"""Security review items that are cheap to pin down with a test: URL schemes, TLS verification, size caps,
no code execution from data, SQL only with bound parameters, and feed content never becomes a file path."""

from __future__ import annotations

import ast
import json
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa

from advisor.db.database import open_database
from advisor.errors import InputError
from tests.conftest import ROOT
from tests.feeds.conftest import add_catalog

SOURCE_DIRS = ("advisor", "ui")


def _python_files() -> Iterator[Path]:
    for folder in SOURCE_DIRS:
        yield from (p for p in (ROOT / folder).rglob("*.py") if "migrations" not in p.parts)


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[sa.Engine]:
    eng = open_database(f"sqlite:///{tmp_path / 'advisor.db'}", seed=False)
    add_catalog(eng)
    yield eng
    eng.dispose()


def _dump(engine: sa.Engine) -> str:
    conn = sqlite3.connect(engine.url.database or "")
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/feed.json", "FILE:///tmp/x.json",
                                 "gopher://example.org/", "sftp://example.org/feed.json"])
def test_non_http_feed_urls_are_refused_and_nothing_written(engine: sa.Engine, url: str) -> None:
    from advisor.feeds import preview_feed

    before = _dump(engine)
    with pytest.raises(InputError, match="not allowed"):
        preview_feed(engine, url)
    assert _dump(engine) == before


def test_a_feed_source_with_a_non_http_url_cannot_be_stored(engine: sa.Engine) -> None:
    from advisor.feeds import add_source

    with pytest.raises(InputError):
        add_source(engine, "evil", "file:///etc/shadow")


def test_tls_verification_cannot_be_switched_off() -> None:
    from advisor.feeds import FeedClient

    insecure = requests.Session()
    insecure.verify = False
    with pytest.raises(ValueError, match="TLS verification is off"):
        FeedClient(insecure)
    client = FeedClient()
    assert client.session.verify is True
    client.close()


def test_no_setting_or_table_can_carry_a_verify_switch() -> None:
    """The only way to configure TLS is a CA bundle path: no column, setting or parameter says verify/insecure."""
    import inspect

    from advisor.db.models import FeedSource
    from advisor.feeds import FeedClient, add_source, preview_feed

    names = set(FeedSource.model_fields) | set(inspect.signature(FeedClient).parameters)
    names |= set(inspect.signature(add_source).parameters) | set(inspect.signature(preview_feed).parameters)
    assert not {n for n in names if "verify" in n or "insecure" in n or "ssl" in n}


def test_oversized_feed_file_and_config_json_are_refused(tmp_path: Path, engine: sa.Engine) -> None:
    from advisor.feeds import DEFAULT_MAX_BYTES, preview_feed
    from advisor.importers import import_file
    from advisor.importers.limits import MAX_JSON_BYTES

    feed = tmp_path / "huge.json"
    with feed.open("wb") as fh:
        fh.truncate(DEFAULT_MAX_BYTES + 1)  # sparse: no disk used
    with pytest.raises(InputError, match="limit"):
        preview_feed(engine, str(feed))
    config = tmp_path / "config.json"
    with config.open("wb") as fh:
        fh.truncate(MAX_JSON_BYTES + 1)
    with pytest.raises(InputError, match="limit"):
        import_file(config)


def test_feed_content_never_becomes_a_file(engine: sa.Engine, tmp_path: Path, _private_data_dir: Path) -> None:
    """Names, vendors and URLs full of path tricks are stored as text; no file appears anywhere."""
    from advisor.feeds import apply_preview, preview_feed

    tricks = ["../../../../tmp/owned", "/etc/cron.d/x", "..\\..\\x", "%2e%2e/x", "file:///tmp/owned"]
    items = [{"kind": "hardware", "name": "RTX 5090", "price": 2000 + i, "currency": "USD", "condition": "new",
              "vendor": t, "url": f"https://example.org/{t}", "observed_at": "2026-11-01"}
             for i, t in enumerate(tricks)]
    items.append({**items[0], "url": tricks[0]})  # refused: item URLs must be http(s)
    items.append({**items[0], "name": tricks[0]})
    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps({"format": "rig-advisor-prices/1", "publisher": tricks[1],
                                "published_at": "2026-11-02", "currency": "USD", "items": items}))
    before = {p: sorted(os.listdir(p)) for p in (tmp_path, _private_data_dir, Path("/tmp"))}
    try:
        preview = preview_feed(engine, str(feed))
    except InputError:
        preview = preview_feed(engine, str(feed), allow_partial=True)
    apply_preview(engine, preview)
    after = {p: sorted(os.listdir(p)) for p in before}
    for folder, names in after.items():
        new = set(names) - set(before[folder])
        # other engineers' processes share /tmp: only a name from the feed would be ours
        assert not {n for n in new if "owned" in n or n in ("x", "cron.d")}, (folder, new)
    assert not Path("/tmp/owned").exists()


def test_no_eval_exec_or_pickle_in_the_code() -> None:
    banned_calls = {"eval", "exec", "compile", "__import__"}
    banned_modules = {"pickle", "cPickle", "marshal", "shelve", "dill", "yaml"}
    found = []
    for path in _python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in banned_calls:
                found.append(f"{path}:{node.lineno} {node.func.id}()")
            if isinstance(node, ast.Import | ast.ImportFrom):
                mods = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                found += [f"{path}:{node.lineno} import {m}" for m in mods if m.split(".")[0] in banned_modules]
    assert found == []


SQL_CALLS = {"text", "execute", "exec_driver_sql", "executemany", "executescript"}
ALLOWED_FSTRING_SQL = {("advisor/db/database.py", "PRAGMA busy_timeout")}  # a module constant, not input


def test_sql_is_never_built_with_f_strings_or_concatenation() -> None:
    found = []
    for path in _python_files():
        rel = path.relative_to(ROOT).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            first = node.args[0]
            if name in SQL_CALLS and isinstance(first, ast.JoinedStr | ast.BinOp):
                text = ast.unparse(first)
                if not any(rel == f and marker in text for f, marker in ALLOWED_FSTRING_SQL):
                    found.append(f"{rel}:{node.lineno} {name}({text[:60]})")
    assert found == []
