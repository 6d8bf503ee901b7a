"""Alembic migrations run from code at start: a fresh or older database ends at head, a newer one is refused.

The migration scripts live in advisor/db/migrations (shipped inside the package with alembic.ini), so an
installed app or a PyInstaller bundle can upgrade its users' databases without the `alembic` command.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from advisor.errors import InputError

DB_DIR = Path(__file__).resolve().parent


def alembic_config(connection: sa.Connection | None = None) -> Config:
    """The Alembic config for our migrations; with ``connection`` the migrations run on it."""
    cfg = Config(str(DB_DIR / "alembic.ini"))
    # Absolute, so it works whatever the current directory (and inside a bundle).
    cfg.set_main_option("script_location", str(DB_DIR / "migrations"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    """The newest schema revision this version of Rig Advisor knows, e.g. "0002"."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "no migration scripts shipped"
    return head


def current_revision(connection: sa.Connection) -> str | None:
    """The revision the database is at; None for a database Alembic never touched."""
    heads = MigrationContext.configure(connection).get_current_heads()
    return heads[0] if heads else None


def upgrade_to_head(connection: sa.Connection, where: str) -> None:
    """Migrate the database on ``connection`` to head inside the caller's transaction.

    ``where`` names the database in messages (a file path or a URL without password). A database at a
    revision this version does not know was written by a newer Rig Advisor: refused, nothing changed.
    """
    cfg = alembic_config(connection)
    script = ScriptDirectory.from_config(cfg)
    known = {rev.revision for rev in script.walk_revisions()}
    current = current_revision(connection)
    if current is not None and current not in known:
        raise InputError(
            f"database {where} has schema revision {current}, newer than this Rig Advisor knows "
            f"(newest {script.get_current_head()}); upgrade Rig Advisor or use another database",
            field="database",
        )
    if current is None:
        inspector = sa.inspect(connection)
        if inspector.has_table("accelerator") or inspector.has_table("price_point"):
            # Tables without a version stamp: not ours, or made by hand. Migrating would fail half-way.
            raise InputError(
                f"database {where} has Rig Advisor tables but no schema version; it was not created by "
                "Rig Advisor (use an empty database)",
                field="database",
            )
    if current != script.get_current_head():
        command.upgrade(cfg, "head")


def upgrade_to(connection: sa.Connection, revision: str) -> None:
    """Migrate to exactly ``revision`` (tests and tooling build databases at older revisions with it)."""
    command.upgrade(alembic_config(connection), revision)
