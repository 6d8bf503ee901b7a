"""Catalog, prices, scenarios, feeds: the first schema.

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 14:55:02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes  # noqa: F401  (autogenerate writes sqlmodel.sql.sqltypes.AutoString, UTCDateTime)
from alembic import op


revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('accelerator',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('aliases', sa.JSON(), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('notes', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('confidence', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('user_edited', sa.Boolean(), nullable=False),
    sa.Column('seed_hash', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('vendor', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('memory_gb', sa.Float(), nullable=False),
    sa.Column('bandwidth_gbs', sa.Float(), nullable=False),
    sa.Column('fp16_tflops', sa.Float(), nullable=False),
    sa.Column('fp8_tflops', sa.Float(), nullable=True),
    sa.Column('fp4_tflops', sa.Float(), nullable=True),
    sa.Column('unified_memory', sa.Boolean(), nullable=False),
    sa.Column('gpu_memory_share', sa.Float(), nullable=False),
    sa.Column('tdp_w', sa.Float(), nullable=False),
    sa.Column('idle_w', sa.Float(), nullable=False),
    sa.Column('interconnect', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('link', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('link_bandwidth_gbs', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('accelerator', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accelerator_name'), ['name'], unique=False)

    op.create_table('api_offer',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('aliases', sa.JSON(), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('notes', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('confidence', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('user_edited', sa.Boolean(), nullable=False),
    sa.Column('seed_hash', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('provider', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('model_ref', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('usd_per_mtok_input_miss', sa.Float(), nullable=False),
    sa.Column('usd_per_mtok_input_hit', sa.Float(), nullable=False),
    sa.Column('usd_per_mtok_output', sa.Float(), nullable=False),
    sa.Column('tier', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=True),
    sa.Column('effective_to', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('api_offer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_offer_name'), ['name'], unique=False)

    op.create_table('feed_source',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('url', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('last_checked', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('etag', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('host',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('aliases', sa.JSON(), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('notes', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('confidence', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('user_edited', sa.Boolean(), nullable=False),
    sa.Column('seed_hash', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('cpu', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('ram_gb', sa.Float(), nullable=False),
    sa.Column('ram_bandwidth_gbs', sa.Float(), nullable=False),
    sa.Column('cpu_tflops', sa.Float(), nullable=False),
    sa.Column('idle_w', sa.Float(), nullable=False),
    sa.Column('load_w', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('host', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_host_name'), ['name'], unique=False)

    op.create_table('import_batch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('source_name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('item_count', sa.Integer(), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('content_hash', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('rolled_back_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('llm',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('aliases', sa.JSON(), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('notes', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('confidence', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('user_edited', sa.Boolean(), nullable=False),
    sa.Column('seed_hash', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('family', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('license', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('release_date', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('total_params_b', sa.Float(), nullable=False),
    sa.Column('active_params_b', sa.Float(), nullable=False),
    sa.Column('num_layers', sa.Integer(), nullable=False),
    sa.Column('hidden_size', sa.Integer(), nullable=False),
    sa.Column('num_heads', sa.Integer(), nullable=False),
    sa.Column('num_kv_heads', sa.Integer(), nullable=False),
    sa.Column('head_dim', sa.Integer(), nullable=False),
    sa.Column('attention_kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('sliding_window', sa.Integer(), nullable=False),
    sa.Column('sliding_layers', sa.Integer(), nullable=False),
    sa.Column('kv_lora_rank', sa.Integer(), nullable=False),
    sa.Column('qk_rope_head_dim', sa.Integer(), nullable=False),
    sa.Column('csa_layers', sa.Integer(), nullable=False),
    sa.Column('hca_layers', sa.Integer(), nullable=False),
    sa.Column('csa_ratio', sa.Integer(), nullable=False),
    sa.Column('hca_ratio', sa.Integer(), nullable=False),
    sa.Column('index_head_dim', sa.Integer(), nullable=False),
    sa.Column('n_routed_experts', sa.Integer(), nullable=False),
    sa.Column('experts_per_token', sa.Integer(), nullable=False),
    sa.Column('n_shared_experts', sa.Integer(), nullable=False),
    sa.Column('expert_params_b', sa.Float(), nullable=False),
    sa.Column('vocab_size', sa.Integer(), nullable=False),
    sa.Column('max_context', sa.Integer(), nullable=False),
    sa.Column('native_quant', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('native_size_gb', sa.Float(), nullable=True),
    sa.Column('kv_bytes_per_token_f16', sa.Float(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('llm', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_llm_name'), ['name'], unique=False)

    op.create_table('pue_preset',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('aliases', sa.JSON(), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('notes', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('confidence', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('user_edited', sa.Boolean(), nullable=False),
    sa.Column('seed_hash', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('pue', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('pue_preset', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pue_preset_name'), ['name'], unique=False)

    op.create_table('quant_format',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('aliases', sa.JSON(), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('notes', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('confidence', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('user_edited', sa.Boolean(), nullable=False),
    sa.Column('seed_hash', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('family', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('bits_per_weight', sa.Float(), nullable=False),
    sa.Column('compute', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('quality_note', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('quant_format', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quant_format_name'), ['name'], unique=False)

    op.create_table('scenario',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('body', sa.JSON(), nullable=False),
    sa.Column('user_edited', sa.Boolean(), nullable=False),
    sa.Column('seed_hash', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('tariff',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('aliases', sa.JSON(), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('notes', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('confidence', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('user_edited', sa.Boolean(), nullable=False),
    sa.Column('seed_hash', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('region', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('usd_per_kwh', sa.Float(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('tariff', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tariff_name'), ['name'], unique=False)

    op.create_table('workload',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('body', sa.JSON(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('price_point',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('item_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('price_usd', sa.Float(), nullable=False),
    sa.Column('currency', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('price_original', sa.Float(), nullable=True),
    sa.Column('condition', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('vendor', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('url', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('observed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batch.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('price_point', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_price_point_batch_id'), ['batch_id'], unique=False)

    op.create_table('system',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('aliases', sa.JSON(), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('notes', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('confidence', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('user_edited', sa.Boolean(), nullable=False),
    sa.Column('seed_hash', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('accelerator', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('host', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('extras_usd', sa.Float(), nullable=False),
    sa.Column('extras_note', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('idle_w', sa.Float(), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['accelerator'], ['accelerator.id'], ),
    sa.ForeignKeyConstraint(['host'], ['host.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('system', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_system_accelerator'), ['accelerator'], unique=False)
        batch_op.create_index(batch_op.f('ix_system_host'), ['host'], unique=False)
        batch_op.create_index(batch_op.f('ix_system_name'), ['name'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('system', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_system_name'))
        batch_op.drop_index(batch_op.f('ix_system_host'))
        batch_op.drop_index(batch_op.f('ix_system_accelerator'))

    op.drop_table('system')
    with op.batch_alter_table('price_point', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_price_point_batch_id'))

    op.drop_table('price_point')
    op.drop_table('workload')
    with op.batch_alter_table('tariff', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tariff_name'))

    op.drop_table('tariff')
    op.drop_table('scenario')
    with op.batch_alter_table('quant_format', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quant_format_name'))

    op.drop_table('quant_format')
    with op.batch_alter_table('pue_preset', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pue_preset_name'))

    op.drop_table('pue_preset')
    with op.batch_alter_table('llm', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_llm_name'))

    op.drop_table('llm')
    op.drop_table('import_batch')
    with op.batch_alter_table('host', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_host_name'))

    op.drop_table('host')
    op.drop_table('feed_source')
    with op.batch_alter_table('api_offer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_offer_name'))

    op.drop_table('api_offer')
    with op.batch_alter_table('accelerator', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accelerator_name'))

    op.drop_table('accelerator')
