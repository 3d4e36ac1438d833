"""tenant roles: a database role per tenant, row-level security on the shared tables

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06 21:50:00+00:00
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The NOLOGIN role a tenant's transactions run as (SET LOCAL ROLE); filled in by
    # provisioning (`tenants apply`, `db upgrade`), which creates the role and its grants.
    op.add_column("tenants", sa.Column("db_role", sa.String(63), nullable=True), schema="shared")
    op.create_unique_constraint(op.f("uq_tenants_db_role"), "tenants", ["db_role"], schema="shared")
    # Entering a schema: look up its role and switch to it for the rest of the transaction.
    # Fails closed: a schema without a role cannot be entered. Not SECURITY DEFINER (SET ROLE
    # is refused there), so once inside a tenant role the lookup sees only that tenant's row.
    op.execute(
        "CREATE FUNCTION shared.enter_schema(target text) RETURNS text LANGUAGE plpgsql AS $$ "
        "DECLARE r text; BEGIN "
        "SELECT db_role INTO r FROM shared.tenants WHERE schema_name = target; "
        "IF r IS NULL THEN RAISE EXCEPTION 'schema % has no tenant role', target "
        "USING ERRCODE = '42501'; END IF; "
        "PERFORM set_config('role', r, true); RETURN r; END $$"
    )
    # Tenant roles see only their own shared rows; the owner (platform code) is not affected.
    op.execute("ALTER TABLE shared.tenants ENABLE ROW LEVEL SECURITY")
    op.execute(
        "CREATE POLICY tenant_own_row ON shared.tenants FOR SELECT USING (db_role = current_user)"
    )
    op.execute("ALTER TABLE shared.outbox ENABLE ROW LEVEL SECURITY")
    op.execute(
        "CREATE POLICY tenant_own_jobs ON shared.outbox "
        "USING (tenant_id IN (SELECT id FROM shared.tenants WHERE db_role = current_user)) "
        "WITH CHECK (tenant_id IN (SELECT id FROM shared.tenants WHERE db_role = current_user))"
    )
    # No policy: a tenant role reads no schedule (and has no grant on it either).
    op.execute("ALTER TABLE shared.schedules ENABLE ROW LEVEL SECURITY")


def downgrade() -> None:
    op.execute("ALTER TABLE shared.schedules DISABLE ROW LEVEL SECURITY")
    op.execute("DROP POLICY tenant_own_jobs ON shared.outbox")
    op.execute("ALTER TABLE shared.outbox DISABLE ROW LEVEL SECURITY")
    op.execute("DROP POLICY tenant_own_row ON shared.tenants")
    op.execute("ALTER TABLE shared.tenants DISABLE ROW LEVEL SECURITY")
    op.execute("DROP FUNCTION shared.enter_schema(text)")
    op.drop_constraint(op.f("uq_tenants_db_role"), "tenants", schema="shared")
    op.drop_column("tenants", "db_role", schema="shared")
