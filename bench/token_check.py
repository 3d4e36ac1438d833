"""Benchmark of the API token check every request pays (not a timed test).

    . .venv/bin/activate && python bench/token_check.py [--runs 2000]

Builds a small tenant (tests.plugins.world) in a scratch database and measures, on one session:
the product's check (`accounts.operations.user_for_token`, then the request's principal), and
as baseline in the same run the three statements it sent before (token, owner, roles with their
units and organizations) executed directly on the raw connection, and the one joined statement
it sends now, also raw. Prints a Markdown table for bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.plugins.world builds the tenant

SERVER_URL = os.environ.get(
    "GIAMSAT_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)

OLD_STATEMENTS = (
    "SELECT * FROM api_tokens WHERE token_hash = %(h)s",
    "SELECT * FROM users WHERE id = %(u)s",
    "SELECT r.*, u.*, o.* FROM role_assignments r JOIN units u ON u.id = r.unit_id"
    " LEFT JOIN organizations o ON o.id = r.organization_id WHERE r.user_id = %(u)s",
)
NEW_STATEMENT = (
    "SELECT * FROM api_tokens t JOIN users us ON us.id = t.user_id"
    " LEFT JOIN role_assignments r ON r.user_id = us.id LEFT JOIN units u ON u.id = r.unit_id"
    " LEFT JOIN organizations o ON o.id = r.organization_id WHERE t.token_hash = %(h)s"
)


def per_call_us(fn, runs: int) -> float:
    """Median of 5 batches, microseconds per call."""
    batches = []
    for _ in range(5):
        started = time.perf_counter()
        for _ in range(runs // 5):
            fn()
        batches.append((time.perf_counter() - started) / (runs // 5) * 1e6)
    return statistics.median(batches)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000)
    args = parser.parse_args()

    from giamsat.accounts.models import User
    from giamsat.accounts.operations import create_api_token, user_for_token
    from giamsat.core.config import Settings
    from giamsat.core.passwords import hash_token
    from giamsat.identity import Principal
    from giamsat.tenancy.migrations import upgrade_shared
    from tests.plugins.world import build_tenant

    db_name = f"giamsat_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(SERVER_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{db_name}"'))
    engine = create_engine(SERVER_URL.rsplit("/", 1)[0] + "/" + db_name)
    try:
        migrations = Settings().migrations_dir
        upgrade_shared(engine, migrations)
        tw = build_tenant(engine, migrations, "bench", "Bench", 99)
        bind = engine.execution_options(schema_translate_map={None: tw.schema})
        with Session(bind) as session:
            _, token = create_api_token(session, session.get(User, tw.users["x-staff"]), "b")
            session.commit()
            user_id = tw.users["x-staff"]

            def product():
                session.expire_all()  # a request starts with nothing loaded
                user, _ = user_for_token(session, token)
                Principal.of(user)

            raw = session.connection().connection.driver_connection
            with raw.cursor() as cur:
                cur.execute(f'SET search_path TO "{tw.schema}"')
            params = {"h": hash_token(token), "u": user_id}

            def run(statements):
                def go():
                    with raw.cursor() as cur:
                        for sql in statements:
                            cur.execute(sql, params)
                            cur.fetchall()

                return go

            product()
            figures = {
                "product: user_for_token + Principal.of": per_call_us(product, args.runs),
                "raw: the three statements sent before": per_call_us(
                    run(OLD_STATEMENTS), args.runs
                ),
                "raw: the one joined statement sent now": per_call_us(
                    run((NEW_STATEMENT,)), args.runs
                ),
            }
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)'))
        admin.dispose()
    base = figures["raw: the three statements sent before"]
    print("| token check (median of 5 batches) | µs per call | ratio to the old three raw |")
    print("|---|---|---|")
    for label, us in figures.items():
        print(f"| {label} | {us:,.0f} | {us / base:.2f} |")


if __name__ == "__main__":
    main()
