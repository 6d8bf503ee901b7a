"""Price points a user edited or deleted: PricePoint.retracted_by names the user batch that removed it.

Points stay appended, never overwritten: an edit in Price history is a user batch that adds the corrected
point and marks the old one retracted; a delete marks it and adds nothing. Rolling that batch back clears
the mark, so the point counts again.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06 03:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("price_point", schema=None) as batch_op:
        batch_op.add_column(sa.Column("retracted_by", sa.Integer(), nullable=True))
        batch_op.create_index("ix_price_point_retracted_by", ["retracted_by"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("price_point", schema=None) as batch_op:
        batch_op.drop_index("ix_price_point_retracted_by")
        batch_op.drop_column("retracted_by")
