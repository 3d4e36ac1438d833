"""accounts: what onboarding people needs — phone, forced password change, one-time sign-in

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 01:00:00+00:00

`must_change_password` holds a user at the password page after a temporary password or a
one-time sign-in link. The sign-in link's token is stored only as its SHA-256 hash, with the
moment it stops working; using it clears both.
"""
from alembic import op
import sqlalchemy as sa

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def _schema() -> str:
    return op.get_context().version_table_schema


def upgrade() -> None:
    schema = _schema()
    op.add_column('users', sa.Column('phone', sa.String(length=30), nullable=True), schema=schema)
    op.add_column('users', sa.Column('must_change_password', sa.Boolean(), server_default=sa.text('false'), nullable=False), schema=schema)
    op.add_column('users', sa.Column('signin_token_hash', sa.String(length=64), nullable=True), schema=schema)
    op.add_column('users', sa.Column('signin_token_expires_at', sa.DateTime(timezone=True), nullable=True), schema=schema)
    op.create_unique_constraint(op.f('uq_users_signin_token_hash'), 'users', ['signin_token_hash'], schema=schema)


def downgrade() -> None:
    schema = _schema()
    op.drop_constraint(op.f('uq_users_signin_token_hash'), 'users', schema=schema)
    for column in ('signin_token_expires_at', 'signin_token_hash', 'must_change_password', 'phone'):
        op.drop_column('users', column, schema=schema)
