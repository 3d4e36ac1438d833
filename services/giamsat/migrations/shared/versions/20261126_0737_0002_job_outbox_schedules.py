"""job outbox and schedules

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 07:37:00+00:00
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('outbox',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=True),
    sa.Column('queue', sa.String(length=40), nullable=False),
    sa.Column('job_name', sa.String(length=200), nullable=False),
    sa.Column('args', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('dedupe_key', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('enqueued_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['tenant_id'], ['shared.tenants.id'], name=op.f('fk_outbox_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox')),
    schema='shared'
    )
    op.create_index(op.f('ix_shared_outbox_tenant_id'), 'outbox', ['tenant_id'], unique=False, schema='shared')
    op.create_index('uq_outbox_dedupe_key_open', 'outbox', ['dedupe_key'], unique=True, schema='shared', postgresql_where=sa.text('done_at IS NULL'))
    op.create_index('ix_outbox_pending', 'outbox', ['id'], unique=False, schema='shared', postgresql_where=sa.text('enqueued_at IS NULL AND done_at IS NULL'))
    op.create_table('schedules',
    sa.Column('id', sa.String(length=100), nullable=False),
    sa.Column('job_name', sa.String(length=200), nullable=False),
    sa.Column('queue', sa.String(length=40), nullable=False),
    sa.Column('per_tenant', sa.Boolean(), nullable=False),
    sa.Column('interval_seconds', sa.Integer(), nullable=True),
    sa.Column('daily_at', sa.Time(), nullable=True),
    sa.Column('args', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('is_enabled', sa.Boolean(), nullable=False),
    sa.Column('last_run_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('next_run_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('(interval_seconds IS NULL) <> (daily_at IS NULL)', name=op.f('ck_schedules_one_timing')),
    sa.CheckConstraint('interval_seconds IS NULL OR interval_seconds >= 1', name=op.f('ck_schedules_interval_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_schedules')),
    schema='shared'
    )
    op.create_index(op.f('ix_shared_schedules_next_run_at'), 'schedules', ['next_run_at'], unique=False, schema='shared')


def downgrade() -> None:
    op.drop_index(op.f('ix_shared_schedules_next_run_at'), table_name='schedules', schema='shared')
    op.drop_table('schedules', schema='shared')
    op.drop_index('ix_outbox_pending', table_name='outbox', schema='shared', postgresql_where=sa.text('enqueued_at IS NULL AND done_at IS NULL'))
    op.drop_index('uq_outbox_dedupe_key_open', table_name='outbox', schema='shared', postgresql_where=sa.text('done_at IS NULL'))
    op.drop_index(op.f('ix_shared_outbox_tenant_id'), table_name='outbox', schema='shared')
    op.drop_table('outbox', schema='shared')
