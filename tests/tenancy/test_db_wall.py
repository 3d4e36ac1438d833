"""The second wall: inside tenant A's transactions PostgreSQL itself refuses tenant B's schema
and hides B's shared rows, whatever SQL is written by hand."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, ProgrammingError

from giamsat.core.db import Database, make_engine
from giamsat.tenancy.context import tenant_context
from giamsat.tenancy.models import Tenant
from giamsat.tenancy.roles import default_role_prefix, role_for


def _role_of(engine, slug: str) -> str:
    with engine.connect() as conn:
        return conn.scalar(text("SELECT db_role FROM shared.tenants WHERE slug = :s"), {"s": slug})


def test_each_tenant_has_its_own_role_named_after_the_deployment(engine, world):
    prefix = default_role_prefix(engine.url.database)
    assert _role_of(engine, "alpha") == role_for(prefix, "t_alpha")
    assert _role_of(engine, "beta") == role_for(prefix, "t_beta")
    assert _role_of(engine, "alpha").startswith(engine.url.database[:20])


def test_a_tenant_session_runs_as_its_role(tenant_session, engine):
    session = tenant_session("alpha")
    assert session.scalar(text("SELECT current_user")) == _role_of(engine, "alpha")
    # Its own schema, addressed by hand, works.
    assert session.scalar(text("SELECT count(*) FROM t_alpha.users")) >= 5


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM t_beta.cases",
        "SELECT * FROM t_beta.users",
        "SELECT * FROM t_beta.reporter_identities",
        "UPDATE t_beta.users SET full_name = 'x'",
        "SELECT * FROM shared.schedules",
        "DELETE FROM shared.tenants",
    ],
)
def test_hand_written_sql_cannot_reach_another_tenant(tenant_session, sql):
    session = tenant_session("alpha")
    with pytest.raises(ProgrammingError, match="permission denied"):
        session.execute(text(sql))


def test_shared_rows_of_the_other_tenant_are_invisible(engine, world):
    """Row-level security on the shared tables, keyed by the role (which SQL cannot forge)."""
    with engine.connect() as conn:
        conn.begin()
        for tenant_id in (world.alpha.tenant_id, world.beta.tenant_id):
            conn.execute(
                text(
                    "INSERT INTO shared.outbox (tenant_id, queue, job_name, args) "
                    "VALUES (:t, 'default', 'wall.probe', '{}')"
                ),
                {"t": tenant_id},
            )
        conn.execute(text("SELECT shared.enter_schema('t_alpha')"))
        assert conn.scalars(text("SELECT slug FROM shared.tenants")).all() == ["alpha"]
        seen = conn.scalars(
            text("SELECT tenant_id FROM shared.outbox WHERE job_name = 'wall.probe'")
        ).all()
        assert seen == [world.alpha.tenant_id]
        # Changing B's rows finds nothing to change; writing a row for B is refused.
        gone = conn.execute(
            text("UPDATE shared.outbox SET attempts = 9 WHERE tenant_id = :b"),
            {"b": world.beta.tenant_id},
        )
        assert gone.rowcount == 0
        conn.execute(text("SAVEPOINT probe"))
        with pytest.raises(ProgrammingError, match="row-level security"):
            conn.execute(
                text(
                    "INSERT INTO shared.outbox (tenant_id, queue, job_name, args) "
                    "VALUES (:t, 'default', 'wall.forged', '{}')"
                ),
                {"t": world.beta.tenant_id},
            )
        conn.execute(text("ROLLBACK TO SAVEPOINT probe"))
        # Nor can it step into B's role.
        with pytest.raises(DBAPIError, match="no tenant role"):
            conn.execute(text("SELECT shared.enter_schema('t_beta')"))
        conn.rollback()


def test_a_schema_without_a_role_cannot_be_entered(db):
    session = db.session("t_nowhere")
    with pytest.raises(DBAPIError, match="no tenant role"):
        session.execute(text("SELECT 1"))
    session.close()


def test_the_role_ends_with_the_transaction_on_a_pooled_connection(database_url, world):
    """SET LOCAL: a connection back in the pool is the login role again, whoever used it."""
    engine = make_engine(database_url, pool_size=1)
    db = Database(engine)
    try:
        with db.session() as shared:
            tenant = shared.get(Tenant, world.alpha.tenant_id)
            login = shared.scalar(text("SELECT current_user"))
        with tenant_context(db, tenant) as scope:
            first = scope.session.scalar(text("SELECT pg_backend_pid()"))
            assert scope.session.scalar(text("SELECT current_user")) == tenant.db_role
            scope.session.commit()
            # A new transaction of the same session enters the role again.
            assert scope.session.scalar(text("SELECT current_user")) == tenant.db_role
            scope.session.rollback()
        with db.session() as shared:
            assert shared.scalar(text("SELECT pg_backend_pid()")) == first
            assert shared.scalar(text("SELECT current_user")) == login
    finally:
        engine.dispose()
