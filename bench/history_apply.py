"""Benchmark of what `[history] pre_2025 = true` adds to a tenant apply (not a timed test).

    . .venv/bin/activate && python bench/history_apply.py [--drop]      # ~1 minute here

Scratch database `giamsat_bench_history` (dropped first). For Ninh Bình (3 old provinces, 423
old units) and Hà Nội (1 old province, 557 old units), in the same run: the units step
(`units.provisioning.apply_manifest`, one transaction) of the manifest without its `[history]`
table (the baseline) in a fresh schema, then with it in another fresh schema, then a no-op
re-apply of the latter, after one unmeasured warm-up apply. The domains' seed data and the bucket are left out: they do not
depend on the history. Figures in bench/README.md, as ratios to the baseline.

Environment: GIAMSAT_BENCH_PG (server URL without database, default
postgresql+psycopg://postgres@127.0.0.1:5432).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import time

from sqlalchemy import create_engine, func, select, text

PG = os.environ.get("GIAMSAT_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")
DB_NAME = "giamsat_bench_history"


def create_database(url: str) -> str:
    admin = create_engine(f"{url}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{DB_NAME}"'))
    admin.dispose()
    return f"{url}/{DB_NAME}"


def drop_database(url: str) -> None:
    admin = create_engine(f"{url}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)'))
    admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--drop", action="store_true", help="drop the scratch database after")
    args = parser.parse_args()

    from giamsat.core.config import PROJECT_ROOT, Settings
    from giamsat.core.db import Database, make_engine
    from giamsat.domains import load_models, rule_specs
    from giamsat.tenancy.context import tenant_context
    from giamsat.tenancy.manifest import History, load_manifest
    from giamsat.tenancy.migrations import upgrade_shared
    from giamsat.tenancy.provision import ensure_tenant
    from giamsat.units.models import Unit
    from giamsat.units.provisioning import apply_manifest

    load_models()
    url = create_database(PG)
    engine = make_engine(url)
    migrations = Settings().migrations_dir
    with engine.begin() as conn:
        for extension in ("unaccent", "pg_trgm"):
            conn.execute(text(f"CREATE EXTENSION IF NOT EXISTS {extension}"))
    upgrade_shared(engine, migrations)

    def timed_apply(manifest, slug: str, code: int) -> tuple[float, int, bool]:
        tenant, _ = ensure_tenant(
            engine, migrations, slug=slug, name=manifest.name, province_code=code
        )
        manifest = dataclasses.replace(manifest, slug=slug)
        with tenant_context(Database(engine), tenant) as scope:
            started = time.perf_counter()
            report = apply_manifest(scope.session, manifest)
            scope.session.commit()
            seconds = time.perf_counter() - started
            units = scope.session.scalar(select(func.count()).select_from(Unit))
        return seconds, units, report.changed

    # Warm-up (imports, the official data's caches, the catalog): not measured.
    warm = load_manifest(PROJECT_ROOT / "tenants" / "ninh-binh.toml", rules=rule_specs())
    timed_apply(warm, "b-warm-up", 899)
    print("| province | without history (baseline) | with history | ratio | no-op re-apply |")
    print("|---|---|---|---|---|")
    for number, file in enumerate(("ninh-binh.toml", "ha-noi.toml")):
        manifest = load_manifest(PROJECT_ROOT / "tenants" / file, rules=rule_specs())
        assert manifest.history.pre_2025, file
        plain = dataclasses.replace(manifest, history=History())
        # Province codes must differ per tenant: the bench's own, far from real ones.
        base_s, base_units, _ = timed_apply(plain, f"b{number}-plain", 900 + number * 3)
        hist_s, hist_units, _ = timed_apply(manifest, f"b{number}-history", 901 + number * 3)
        again_s, _, changed = timed_apply(manifest, f"b{number}-history", 901 + number * 3)
        assert not changed, "a re-apply must write nothing"
        print(
            f"| {manifest.name} | {base_s * 1000:,.0f} ms ({base_units} units) | "
            f"{hist_s * 1000:,.0f} ms ({hist_units} units) | {hist_s / base_s:.2f} | "
            f"{again_s * 1000:,.0f} ms (ratio {again_s / base_s:.2f}) |"
        )
    engine.dispose()
    if args.drop:
        drop_database(PG)


if __name__ == "__main__":
    main()
