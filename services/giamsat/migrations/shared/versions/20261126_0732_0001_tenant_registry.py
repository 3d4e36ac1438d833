"""tenant registry

Revision ID: 0001
Revises: 
Create Date: 2026-11-26 07:32:27.839331+00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('tenants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('province_code', sa.Integer(), nullable=False),
    sa.Column('schema_name', sa.String(length=63), nullable=False),
    sa.Column('bucket_name', sa.String(length=63), nullable=False),
    sa.Column('status', sa.Enum('active', 'suspended', name='tenant_status', native_enum=False, length=20, schema='shared'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("schema_name ~ '^t_[a-z][a-z0-9_]*$'", name=op.f('ck_tenants_schema_name_pattern')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tenants')),
    sa.UniqueConstraint('bucket_name', name=op.f('uq_tenants_bucket_name')),
    sa.UniqueConstraint('province_code', name=op.f('uq_tenants_province_code')),
    sa.UniqueConstraint('schema_name', name=op.f('uq_tenants_schema_name')),
    sa.UniqueConstraint('slug', name=op.f('uq_tenants_slug')),
    schema='shared'
    )
    # Trigger function shared by every tenant's append-only tables (the audit log).
    op.execute(
        "CREATE FUNCTION shared.forbid_row_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN RAISE EXCEPTION 'table % is append-only: % refused', TG_TABLE_NAME, TG_OP; END $$"
    )


def downgrade() -> None:
    op.execute("DROP FUNCTION shared.forbid_row_change()")
    op.drop_table('tenants', schema='shared')
