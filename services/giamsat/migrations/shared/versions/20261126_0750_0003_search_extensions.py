"""search extensions: unaccent and pg_trgm, and an immutable unaccent for indexes

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 07:50:00+00:00
"""
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Extensions are per database; both are "trusted", so the database owner may create them.
    op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    # unaccent() is only STABLE (its dictionary could change), so expression indexes need an
    # IMMUTABLE wrapper that names its dictionary explicitly. Accent-insensitive search
    # ("nguyen van an" finds "Nguyễn Văn An") compares shared.fold(text) on both sides.
    op.execute(
        "CREATE FUNCTION shared.fold(value text) RETURNS text LANGUAGE sql IMMUTABLE "
        "PARALLEL SAFE STRICT AS $$ "
        "SELECT lower(public.unaccent('public.unaccent'::regdictionary, value)) $$"
    )


def downgrade() -> None:
    op.execute("DROP FUNCTION shared.fold(text)")
