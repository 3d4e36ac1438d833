"""accounts: credentials done properly — second factor, recovery codes, sessions on record,
scoped and expiring API tokens (the forced password change is 0009's
must_change_password)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 01:00:00+00:00

Existing tokens keep working: scope read_write, no expiry. Existing cookies carry no session
key; they are asked to sign in again once (no record, no session).
"""
from alembic import op
import sqlalchemy as sa

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def _schema() -> str:
    # ALTER TABLE is rendered without the schema translate map: name the tenant schema.
    return op.get_context().version_table_schema


def _timestamps():
    return (
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    )


def upgrade() -> None:
    schema = _schema()
    op.add_column('users', sa.Column('totp_secret', sa.String(length=200), nullable=True), schema=schema)
    op.add_column('users', sa.Column('totp_last_step', sa.BigInteger(), nullable=True), schema=schema)
    op.add_column('api_tokens', sa.Column('scope', sa.String(length=10), server_default='read_write', nullable=False), schema=schema)
    op.add_column('api_tokens', sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True), schema=schema)
    op.create_table('recovery_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=200), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    *_timestamps(),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_recovery_codes_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recovery_codes')),
    )
    op.create_index(op.f('ix_recovery_codes_user_id'), 'recovery_codes', ['user_id'], unique=False)
    op.create_table('signin_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('user_agent', sa.String(length=300), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    *_timestamps(),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_signin_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signin_sessions')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_signin_sessions_key_hash')),
    )
    op.create_index(op.f('ix_signin_sessions_user_id'), 'signin_sessions', ['user_id'], unique=False)


def downgrade() -> None:
    schema = _schema()
    op.drop_index(op.f('ix_signin_sessions_user_id'), table_name='signin_sessions')
    op.drop_table('signin_sessions')
    op.drop_index(op.f('ix_recovery_codes_user_id'), table_name='recovery_codes')
    op.drop_table('recovery_codes')
    op.drop_column('api_tokens', 'expires_at', schema=schema)
    op.drop_column('api_tokens', 'scope', schema=schema)
    op.drop_column('users', 'totp_last_step', schema=schema)
    op.drop_column('users', 'totp_secret', schema=schema)
