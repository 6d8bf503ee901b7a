"""MoE whole-file bits per weight of a quant, and whether a model ties its input and output embeddings.

QuantFormat.moe_bits_per_weight: the figure measured on large mixture-of-experts GGUFs when it differs from the
dense-model one (unsloth "UD-" quants); LLM.tied_embeddings: config tie_word_embeddings (NULL: not known).
Both nullable, so existing rows keep their meaning.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06 02:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("quant_format", schema=None) as batch_op:
        batch_op.add_column(sa.Column("moe_bits_per_weight", sa.Float(), nullable=True))
    with op.batch_alter_table("llm", schema=None) as batch_op:
        batch_op.add_column(sa.Column("tied_embeddings", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("llm", schema=None) as batch_op:
        batch_op.drop_column("tied_embeddings")
    with op.batch_alter_table("quant_format", schema=None) as batch_op:
        batch_op.drop_column("moe_bits_per_weight")
