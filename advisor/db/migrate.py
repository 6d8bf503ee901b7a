"""Alembic migrations run from code at start: a fresh or older database ends at head, a newer one is refused.

The migration scripts live in advisor/db/migrations (shipped inside the package with alembic.ini), so an
installed app or a PyInstaller bundle can upgrade its users' databases without the `alembic` command.
"""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa

from advisor.errors import InputError

if TYPE_CHECKING:
    from alembic.config import Config

DB_DIR = Path(__file__).resolve().parent
VERSIONS_DIR = DB_DIR / "migrations" / "versions"
# `revision: str = "0002"` / `down_revision: str | None = "0001"` in each migration script
_REVISION_LINE = re.compile(r"^(revision|down_revision)\s*(?::[^=\n]*)?=\s*(.+?)\s*$", re.MULTILINE)

# Importing alembic costs ~0.5 s, a third of the desktop app's start. A database already at head (every
# start but the first after an upgrade) is recognised from the scripts' revision lines and the
# alembic_version table alone; alembic is imported only when there is something to migrate.


@functools.cache
def _revision_graph() -> dict[str, str | None]:
    """revision -> down_revision of every shipped migration script (read as text, not imported)."""
    graph: dict[str, str | None] = {}
    for script in sorted(VERSIONS_DIR.glob("*.py")):
        fields = {m[1]: ast.literal_eval(m[2]) for m in _REVISION_LINE.finditer(script.read_text("utf-8"))}
        if "revision" in fields:
            graph[str(fields["revision"])] = fields.get("down_revision")
    return graph


def known_revisions() -> set[str]:
    """Every schema revision this version of Rig Advisor ships a migration for."""
    return set(_revision_graph())


def alembic_config(connection: sa.Connection | None = None) -> Config:
    """The Alembic config for our migrations; with ``connection`` the migrations run on it."""
    from alembic.config import Config

    cfg = Config(str(DB_DIR / "alembic.ini"))
    # Absolute, so it works whatever the current directory (and inside a bundle).
    cfg.set_main_option("script_location", str(DB_DIR / "migrations"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    """The newest schema revision this version of Rig Advisor knows, e.g. "0002" (the one no script
    names as its down_revision; tests check it against Alembic's own answer)."""
    graph = _revision_graph()
    heads = set(graph) - {down for down in graph.values() if down is not None}
    assert len(heads) == 1, f"migration scripts must form one line, heads: {sorted(heads)}"
    return heads.pop()


def current_revision(connection: sa.Connection) -> str | None:
    """The revision the database is at; None for a database Alembic never touched."""
    if not sa.inspect(connection).has_table("alembic_version"):
        return None
    versions = connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all()
    return str(versions[0]) if versions else None


def upgrade_to_head(connection: sa.Connection, where: str) -> None:
    """Migrate the database on ``connection`` to head inside the caller's transaction.

    ``where`` names the database in messages (a file path or a URL without password). A database at a
    revision this version does not know was written by a newer Rig Advisor: refused, nothing changed.
    """
    current = current_revision(connection)
    if current is not None and current == head_revision():
        return  # the usual start: nothing to migrate, and no alembic import
    if current is not None and current not in known_revisions():
        raise InputError(
            f"database {where} has schema revision {current}, newer than this Rig Advisor knows "
            f"(newest {head_revision()}); upgrade Rig Advisor or use another database",
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
    from alembic import command

    command.upgrade(alembic_config(connection), "head")


def upgrade_to(connection: sa.Connection, revision: str) -> None:
    """Migrate to exactly ``revision`` (tests and tooling build databases at older revisions with it)."""
    from alembic import command

    command.upgrade(alembic_config(connection), revision)
