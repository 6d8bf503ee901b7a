"""Output-head bits of a quant format.

QuantFormat.head_bits: the bits of the output head (or the tied embedding table serving as one) when a GGUF keeps it
at other than llama.cpp's Q6_K (ggml-org's Gemma 3 QAT files: Q8_0). Nullable: NULL keeps the Q6_K rule
(`advisor.engine.fit.HEAD_BITS`), so existing rows keep their meaning.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 23:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("quant_format", schema=None) as batch_op:
        batch_op.add_column(sa.Column("head_bits", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("quant_format", schema=None) as batch_op:
        batch_op.drop_column("head_bits")
