"""Shader (non-tensor) FP32 rate of an accelerator.

Accelerator.fp32_tflops: the ALU rate dequantisation and llama.cpp's matrix-vector decode kernels run at (an A100
lists 312 TFLOPS of FP16 tensor work but 19.5 of FP32 shader work). Nullable: NULL falls back to a share of the
FP16 rate (`advisor.engine.throughput.vector_tflops`), so existing rows keep their meaning.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 06:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("accelerator", schema=None) as batch_op:
        batch_op.add_column(sa.Column("fp32_tflops", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("accelerator", schema=None) as batch_op:
        batch_op.drop_column("fp32_tflops")
