"""The generated country of `national.py`: 34 province tenants in one scratch database, their
3,321 communes × 25 residential areas, and cases and activities spread over the communes (COPY,
with `rollup_data.py`'s generator, two calendar years)."""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import time

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

sys.path.insert(0, os.path.dirname(__file__))
import rollup_data as rollup  # noqa: E402  (the one data generator)

PROVINCES = 34
COMMUNES = 3_321
AREAS_PER_COMMUNE = 25
CASES = 5_000_000
ACTIVITIES = 500_000
YEARS = (2025, 2026)
log = rollup.log


def communes_of(n: int) -> int:
    """3,321 communes over 34 provinces: 97 each, one more for the first 23."""
    return COMMUNES // PROVINCES + (1 if n < COMMUNES % PROVINCES else 0)


def build_country(db_url: str, scale: float) -> None:
    import psycopg

    from giamsat.core.config import Settings
    from giamsat.core.db import Database, make_engine
    from giamsat.reports.provisioning import provision_tenant
    from giamsat.tenancy.migrations import upgrade_shared
    from giamsat.tenancy.provision import ensure_tenant

    engine = make_engine(db_url)
    migrations = Settings().migrations_dir
    with engine.begin() as conn:
        for extension in ("unaccent", "pg_trgm"):
            conn.execute(text(f"CREATE EXTENSION IF NOT EXISTS {extension}"))
    upgrade_shared(engine, migrations)
    raw_url = make_url(db_url).set(drivername="postgresql").render_as_string(False)
    rng = random.Random(34)
    started = time.perf_counter()
    for n in range(PROVINCES):
        tenant, _ = ensure_tenant(
            engine, migrations, slug=f"p{n:02d}", name=f"Tỉnh {n:02d}", province_code=900 + n
        )
        rollup.SCHEMA = tenant.schema_name
        communes = communes_of(n)
        share = communes / COMMUNES
        with psycopg.connect(raw_url) as raw:
            tree = rollup.seed_tree(raw, communes, AREAS_PER_COMMUNE)
            for year in YEARS:
                rollup.YEAR_START = dt.date(year, 1, 1)  # one calendar year: case numbers restart
                rollup.seed_records(
                    raw,
                    tree,
                    round(CASES * scale * share / len(YEARS)),
                    round(ACTIVITIES * scale * share / len(YEARS)),
                    rng,
                )
        with Database(engine).session(tenant.schema_name) as s:
            provision_tenant(s, today=dt.date(2025, 1, 10))
            s.commit()
        log(
            f"province {n + 1}/{PROVINCES}: {communes} communes ({time.perf_counter() - started:.0f} s)"
        )
    engine.dispose()


def upgrade_country(db_url: str) -> None:
    """A country kept from a last run, migrated to the code's head (new tables and indexes)."""
    from giamsat.core.config import Settings
    from giamsat.core.db import make_engine
    from giamsat.tenancy.migrations import upgrade_shared
    from giamsat.tenancy.provision import ensure_tenant
    from giamsat.tenancy.registry import list_tenants

    engine = make_engine(db_url)
    migrations = Settings().migrations_dir
    upgrade_shared(engine, migrations)
    with Session(engine) as shared:
        tenants = list_tenants(shared)
    for t in tenants:
        ensure_tenant(engine, migrations, slug=t.slug, name=t.name, province_code=t.province_code)
    engine.dispose()
    log(f"{len(tenants)} tenants migrated to head")
