"""Price pinning, the HTTP Last-Modified validator for feeds, and an index for "latest price of an item".

PricePoint.pinned lets the user fix the price a scenario uses instead of the latest observation;
FeedSource.last_modified is sent back as If-Modified-Since so an unchanged feed is not downloaded again;
ix_price_point_item serves the per-item latest-price lookup that every catalog load does.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 15:05:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes  # noqa: F401  (autogenerate writes sqlmodel.sql.sqltypes.AutoString, UTCDateTime)
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A NOT NULL column added to existing rows needs a server default (SQLite refuses otherwise).
    with op.batch_alter_table("price_point", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pinned", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.create_index("ix_price_point_item", ["item_kind", "item_id", "observed_at"], unique=False)
    with op.batch_alter_table("feed_source", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_modified", sqlmodel.sql.sqltypes.AutoString(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("feed_source", schema=None) as batch_op:
        batch_op.drop_column("last_modified")
    with op.batch_alter_table("price_point", schema=None) as batch_op:
        batch_op.drop_index("ix_price_point_item")
        batch_op.drop_column("pinned")
