"""Alembic migrations on SQLite and PostgreSQL: fresh -> head, 0001 with data -> head intact, newer refused."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

import advisor.db.models  # noqa: F401  (tables on the metadata)
from advisor.db.database import create_db_engine, open_database
from advisor.db.migrate import current_revision, head_revision, upgrade_to
from advisor.errors import InputError

TABLES = {
    "accelerator",
    "host",
    "system",
    "llm",
    "quant_format",
    "api_offer",
    "tariff",
    "pue_preset",
    "price_point",
    "import_batch",
    "workload",
    "scenario",
    "feed_source",
}


def test_head_is_0006() -> None:
    assert head_revision() == "0006"


def test_fresh_database_ends_at_head_with_every_table(db_url: str) -> None:
    engine = open_database(db_url, seed=False)
    with engine.connect() as conn:
        assert current_revision(conn) == "0006"
        assert TABLES <= set(sa.inspect(conn).get_table_names())
        # The migrations produce exactly what the models declare (nothing forgotten in a revision).
        diffs = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
        assert diffs == []
    engine.dispose()


def test_database_at_0001_with_data_upgrades_to_head_intact(db_url: str) -> None:
    engine = create_db_engine(db_url)
    with engine.begin() as conn:
        upgrade_to(conn, "0001")
    with engine.begin() as conn:
        assert current_revision(conn) == "0001"
        assert "pinned" not in {c["name"] for c in sa.inspect(conn).get_columns("price_point")}
        conn.execute(
            sa.text(
                "INSERT INTO import_batch (id, created_at, kind, source_name, item_count, note) "
                "VALUES (1, '2026-10-01 12:00:00+00:00', 'feed', 'team feed', 1, 'old batch')"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO price_point (item_kind, item_id, price_usd, currency, price_original, condition, "
                "vendor, url, observed_at, source, batch_id) VALUES ('hardware', 'rtx-4090', 1750.5, 'EUR', 1620.0, "
                "'used', 'eBay', 'https://example.org/x', '2026-10-01 00:00:00+00:00', 'team feed', 1)"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO feed_source (name, url, enabled, priority, etag) "
                "VALUES ('team', 'https://prices.example/feed.json', true, 5, 'W/\"abc\"')"
            )
        )
    engine.dispose()

    engine = open_database(db_url, seed=False)
    with engine.connect() as conn:
        assert current_revision(conn) == head_revision()
        price = conn.execute(
            sa.text(
                "SELECT item_id, price_usd, currency, price_original, condition, pinned, batch_id, retracted_by "
                "FROM price_point"
            )
        ).one()
        assert tuple(price) == ("rtx-4090", 1750.5, "EUR", 1620.0, "used", False, 1, None)
        feed = conn.execute(sa.text("SELECT name, priority, etag, last_modified FROM feed_source")).one()
        assert tuple(feed) == ("team", 5, 'W/"abc"', None)
        assert conn.execute(sa.text("SELECT note FROM import_batch")).scalar() == "old batch"
        assert "ix_price_point_item" in {i["name"] for i in sa.inspect(conn).get_indexes("price_point")}
    engine.dispose()


def test_database_from_a_newer_version_is_refused_unchanged(db_url: str) -> None:
    engine = open_database(db_url, seed=False)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '0099'"))
    engine.dispose()
    with pytest.raises(InputError, match="0099, newer than this Rig Advisor"):
        open_database(db_url, seed=False)
    engine = create_db_engine(db_url)
    with engine.connect() as conn:
        assert current_revision(conn) == "0099"
    engine.dispose()


def test_unversioned_tables_are_refused(sqlite_url: str) -> None:
    engine = create_db_engine(sqlite_url)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE accelerator (id TEXT PRIMARY KEY)"))
    engine.dispose()
    with pytest.raises(InputError, match="no schema version"):
        open_database(sqlite_url, seed=False)


def test_downgrade_to_0001_and_back(sqlite_url: str) -> None:
    from alembic import command

    from advisor.db.migrate import alembic_config

    engine = open_database(sqlite_url, seed=False)
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0001")
    with engine.connect() as conn:
        assert current_revision(conn) == "0001"
    engine.dispose()
    engine = open_database(sqlite_url, seed=False)
    with engine.connect() as conn:
        assert current_revision(conn) == "0006"
    engine.dispose()


NULLABLE_COLUMNS = [
    # (revision before, row inserted there, query after the upgrade, expected: the row intact, the new column NULL)
    pytest.param(
        "0004",
        "INSERT INTO accelerator (id, name, aliases, source, as_of, notes, confidence, user_edited, kind, vendor, "
        "memory_gb, bandwidth_gbs, fp16_tflops, unified_memory, gpu_memory_share, tdp_w, idle_w, interconnect, link, "
        "link_bandwidth_gbs) VALUES ('my-card', 'My card', '[]', 'me', '2026-10-01', '', 'medium', true, 'gpu', "
        "'NVIDIA', 24, 1008, 165.2, false, 1.0, 450, 20, '', 'pcie4', 25)",
        "SELECT name, fp16_tflops, fp32_tflops FROM accelerator WHERE id = 'my-card'",
        ("My card", 165.2, None),  # NULL: the engine falls back to half the tensor rate
        id="0005 shader rate",
    ),
    pytest.param(
        "0005",
        "INSERT INTO quant_format (id, name, aliases, source, as_of, notes, confidence, user_edited, family, "
        "bits_per_weight, compute, quality_note) VALUES ('my-q', 'My Q4', '[]', 'me', '2026-10-01', '', 'medium', "
        "true, 'gguf', 4.64, 'fp16', '')",
        "SELECT name, bits_per_weight, head_bits FROM quant_format WHERE id = 'my-q'",
        ("My Q4", 4.64, None),  # NULL: the Q6_K head rule
        id="0006 head bits",
    ),
]


@pytest.mark.parametrize(("before", "insert", "query", "expected"), NULLABLE_COLUMNS)
def test_added_columns_keep_existing_rows(db_url: str, before: str, insert: str, query: str,
                                          expected: tuple) -> None:
    engine = create_db_engine(db_url)
    with engine.begin() as conn:
        upgrade_to(conn, before)
        conn.execute(sa.text(insert))
    engine.dispose()
    engine = open_database(db_url, seed=False)
    with engine.connect() as conn:
        assert current_revision(conn) == head_revision()
        assert tuple(conn.execute(sa.text(query)).one()) == expected
    engine.dispose()


def test_head_and_known_revisions_match_alembic() -> None:
    # the start-up fast path reads the scripts' revision lines as text; Alembic must agree with it
    from alembic.script import ScriptDirectory

    from advisor.db.migrate import alembic_config, known_revisions

    script = ScriptDirectory.from_config(alembic_config())
    assert head_revision() == script.get_current_head()
    assert known_revisions() == {rev.revision for rev in script.walk_revisions()}


def test_opening_a_database_at_head_does_not_import_alembic(sqlite_url: str) -> None:
    import subprocess
    import sys
    from pathlib import Path

    open_database(sqlite_url).dispose()  # first open: migrates (imports alembic) and seeds
    code = (
        "import sys; from advisor.db.database import open_database; "
        f"open_database({sqlite_url!r}).dispose(); print('alembic' in sys.modules)"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"
