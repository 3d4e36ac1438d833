"""The second wall: one NOLOGIN database role per tenant, owning nothing, granted only its schema.

Every tenant transaction switches to its role (`core.db`: `SELECT shared.enter_schema(...)`, a
`SET LOCAL ROLE` that ends with the transaction, so pooled connections stay clean). A
hand-written `SELECT * FROM t_other.cases` inside it is refused by PostgreSQL itself; the shared
rows of other tenants are hidden by row-level security (shared migration 0004).

Roles are cluster-wide, so their names carry a per-deployment prefix (`GIAMSAT_DB_ROLE_PREFIX`,
by default derived from the database name): two deployments or test runs on one server never
share a role.
"""

from __future__ import annotations

import hashlib
import re

from sqlalchemy import text
from sqlalchemy.engine import Connection

from giamsat.tenancy.names import validate_schema_name

MAX_IDENTIFIER = 63
MAX_PREFIX = 24
_ROLE_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
#: What a tenant role may do in the shared schema: see its registry row, record and claim its jobs.
#: Advisory lock key serializing `ensure_tenant_role` across connections (any fixed number).
ROLE_GRANTS_LOCK = 0x67_69_61_6D  # "giam"

SHARED_GRANTS = (
    "GRANT USAGE ON SCHEMA shared TO {role}",
    "GRANT SELECT ON shared.tenants TO {role}",
    "GRANT SELECT, INSERT, UPDATE ON shared.outbox TO {role}",
    "GRANT USAGE ON SEQUENCE shared.outbox_id_seq TO {role}",
)
#: The only relations of a tenant schema the national reader may read (tenant migration 0013):
#: the province unit's figures and the province summary of each period — nothing below.
NATIONAL_RELATIONS = ("national_province_figures", "national_province_summaries")


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:8]


def default_role_prefix(database_name: str) -> str:
    """`giamsat` → `giamsat`; long or odd names are shortened with a hash, never truncated bare."""
    clean = re.sub(r"[^a-z0-9_]", "_", database_name.lower()) or "db"
    if not clean[0].isalpha():
        clean = "d" + clean
    if len(clean) > MAX_PREFIX:
        clean = f"{clean[: MAX_PREFIX - 9]}_{_digest(database_name)}"
    return clean


def validate_role_prefix(prefix: str) -> str:
    if len(prefix) > MAX_PREFIX or not re.fullmatch(r"[a-z][a-z0-9_]*", prefix):
        raise ValueError(
            f"invalid database role prefix {prefix!r}: 1-{MAX_PREFIX} lowercase letters, "
            "digits or '_', starting with a letter"
        )
    return prefix


def role_for(prefix: str, schema: str) -> str:
    """`<prefix>_<schema>`, hashed at the end when it would pass PostgreSQL's 63 bytes."""
    name = f"{validate_role_prefix(prefix)}_{validate_schema_name(schema)}"
    if len(name) > MAX_IDENTIFIER:
        name = f"{name[: MAX_IDENTIFIER - 9]}_{_digest(name)}"
    return name


def _quoted(connection: Connection, name: str) -> str:
    if not _ROLE_PATTERN.match(name):
        raise ValueError(f"invalid role name {name!r}")
    return connection.dialect.identifier_preparer.quote(name)


def current_prefix(connection: Connection, configured: str = "") -> str:
    if configured:
        return validate_role_prefix(configured)
    return default_role_prefix(connection.scalar(text("SELECT current_database()")))


def ensure_tenant_role(connection: Connection, schema: str, prefix: str = "") -> str:
    """Create the schema's role if needed, grant it exactly its schema and its shared rows, and
    record it in the registry. Idempotent; run after every migration of the schema (new tables
    get their grants). Returns the role name."""
    schema = validate_schema_name(schema)
    # Grants on the same shared tables from two transactions at once fail in PostgreSQL
    # ("tuple concurrently updated"): tenants applied in parallel take turns here.
    connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": ROLE_GRANTS_LOCK})
    role = connection.scalar(
        text("SELECT db_role FROM shared.tenants WHERE schema_name = :s"), {"s": schema}
    ) or role_for(current_prefix(connection, prefix), schema)
    q_role = _quoted(connection, role)
    q_schema = connection.dialect.identifier_preparer.quote_schema(schema)
    exists = connection.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role})
    statements = [] if exists else [f"CREATE ROLE {q_role} NOLOGIN"]
    statements += [
        # The app's login role must be able to SET ROLE to it (a no-op for a superuser).
        f"GRANT {q_role} TO CURRENT_USER",
        f"GRANT USAGE ON SCHEMA {q_schema} TO {q_role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {q_schema} TO {q_role}",
        f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {q_schema} TO {q_role}",
        f"REVOKE INSERT, UPDATE, DELETE ON {q_schema}.alembic_version FROM {q_role}",
        *(grant.format(role=q_role) for grant in SHARED_GRANTS),
    ]
    # One round trip (no parameters: names are validated and quoted): the lock above is held
    # meanwhile, so parallel applies wait on it the shorter.
    connection.exec_driver_sql(";\n".join(statements))
    connection.execute(
        text("UPDATE shared.tenants SET db_role = :r WHERE schema_name = :s"),
        {"r": role, "s": schema},
    )
    ensure_national_role(connection, schema, prefix)
    return role


def national_role_for(prefix: str) -> str:
    """`<prefix>_national`: never a tenant role's name (those are `<prefix>_t_<slug>`)."""
    return f"{validate_role_prefix(prefix)}_national"


def ensure_national_role(connection: Connection, schema: str, prefix: str = "") -> str:
    """The one NOLOGIN role the central committee's national view reads as, granted USAGE on
    the schema and SELECT on `NATIONAL_RELATIONS` only (when the schema has them). No table of
    the schema, and nothing of `shared`: a national read that strayed below the province
    figure would be refused by PostgreSQL. Idempotent."""
    schema = validate_schema_name(schema)
    role = national_role_for(current_prefix(connection, prefix))
    q_role = _quoted(connection, role)
    q_schema = connection.dialect.identifier_preparer.quote_schema(schema)
    # Tenants are migrated in parallel and all share this role: create and grant it in turn
    # (held until this transaction ends, so the next one sees the role committed).
    connection.execute(text("SELECT pg_advisory_xact_lock(hashtext(:r))"), {"r": role})
    if not connection.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}):
        connection.execute(text(f"CREATE ROLE {q_role} NOLOGIN"))
    connection.execute(text(f"GRANT {q_role} TO CURRENT_USER"))
    connection.execute(text(f"GRANT USAGE ON SCHEMA {q_schema} TO {q_role}"))
    for relation in NATIONAL_RELATIONS:
        exists = connection.scalar(
            text("SELECT to_regclass(:name)"), {"name": f"{schema}.{relation}"}
        )
        if exists is not None:
            connection.execute(text(f"GRANT SELECT ON {q_schema}.{relation} TO {q_role}"))
    return role


def drop_roles_with_prefix(connection: Connection, prefix: str) -> list[str]:
    """Drop every role of one deployment (tests and teardown of a whole deployment only)."""
    prefix = validate_role_prefix(prefix)
    names = list(
        connection.scalars(
            text("SELECT rolname FROM pg_roles WHERE starts_with(rolname, :p) ORDER BY rolname"),
            {"p": prefix + "_"},
        )
    )
    for name in names:
        connection.execute(text(f"DROP ROLE IF EXISTS {_quoted(connection, name)}"))
    return names
