"""Benchmark of the central committee's national view over many tenants (not a timed test).

    . .venv/bin/activate && python bench/national_view.py             # 34 provinces, ~2-3 min
    python bench/national_view.py --tenants 4 --communes 20 --runs 5  # a quick smoke run

Builds a scratch database (dropped first, kept afterwards unless --drop): N tenants migrated
to head, each a province with C communes × A residential areas, 6 organizations, the regular
periods of 2026, live figures for every (unit, organization) of Q1 and Q2 (so the figures
table holds every unit's rows, not just the province's), and a whole-unit report per commune
in a random state; then the province summary of each period. No cases: the national view
never reads them (the point of it). Measures, in the same run:

1. the national view of Q1 (product: one query per tenant, as the national role, and the
   assembly of totals and ranking) beside a baseline — one raw UNION ALL statement over the
   same two views of every schema, as the login role, rows fetched and nothing assembled;
2. refreshing one province summary (done on every submit / return / accept) beside a raw
   `GROUP BY` of the same period's reports.

Environment: GIAMSAT_BENCH_PG (server URL without database, default
postgresql+psycopg://postgres@127.0.0.1:5432).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import time

from sqlalchemy import create_engine, insert, select, text

PG = os.environ.get("GIAMSAT_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")
DB_NAME = "giamsat_bench_national"
ORG_CODES = ("mttq", "hlhpn", "hnd", "hccb", "doan", "congdoan")
STATUSES = ("draft", "submitted", "accepted", "returned")


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def median_ms(fn, runs: int) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def create_database() -> str:
    admin = create_engine(f"{PG}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{DB_NAME}"'))
    admin.dispose()
    return f"{PG}/{DB_NAME}"


def seed_tenant(db, tenant, communes: int, areas: int, rng: random.Random) -> None:
    from giamsat.reports.calendar import ensure_periods
    from giamsat.reports.models import Figure, PeriodKind, Report, ReportPeriod
    from giamsat.reports.province_summary import refresh_province_summary
    from giamsat.units.models import Organization, Unit, UnitLevel

    with db.session(tenant.schema_name) as s:
        for code, rank, is_area, holds in (
            ("province", 0, False, False),
            ("commune", 1, False, True),
            ("residential_area", 2, True, False),
        ):
            s.add(
                UnitLevel(
                    code=code,
                    rank=rank,
                    name_vi=code,
                    name_en=code,
                    is_residential_area=is_area,
                    holds_residential_areas=holds,
                )
            )
        orgs = [
            Organization(code=c, name=c.upper(), short_name=c, sort_order=i)
            for i, c in enumerate(ORG_CODES)
        ]
        s.add_all(orgs)
        root = Unit(level_code="province", name=tenant.name, path="/", kind="tỉnh")
        s.add(root)
        s.flush()
        root.path = f"/{root.id}/"
        commune_rows = [
            {
                "level_code": "commune",
                "name": f"Xã {i}",
                "parent_id": root.id,
                "path": "",
                "kind": "xã",
                "valid_from": dt.date(2025, 7, 1),
            }
            for i in range(communes)
        ]
        commune_ids = list(s.scalars(insert(Unit).returning(Unit.id), commune_rows))
        area_rows = [
            {
                "level_code": "residential_area",
                "name": f"Thôn {j}",
                "parent_id": cid,
                "path": "",
                "kind": "thôn",
                "valid_from": dt.date(2025, 7, 1),
            }
            for cid in commune_ids
            for j in range(areas)
        ]
        area_ids = list(s.scalars(insert(Unit).returning(Unit.id), area_rows))
        ensure_periods(s, [2026])
        periods = [
            s.scalar(
                select(ReportPeriod).where(
                    ReportPeriod.kind == PeriodKind.quarterly,
                    ReportPeriod.year == 2026,
                    ReportPeriod.number == n,
                )
            )
            for n in (1, 2)
        ]
        figures = []
        for period in periods:
            for unit_id in [root.id, *commune_ids, *area_ids]:
                for org in [None, *(o.id for o in orgs)]:
                    values = {"intake.received": rng.randint(0, 40), "activities.thematic": 1}
                    figures.append(
                        {
                            "period_id": period.id,
                            "unit_id": unit_id,
                            "organization_id": org,
                            "own": values,
                            "consolidated": values,
                        }
                    )
        s.connection().execute(Figure.__table__.insert(), figures)
        now = dt.datetime(2026, 3, 18, 3, 0, tzinfo=dt.UTC)
        reports = []
        for period in periods:
            for cid in commune_ids:
                status = rng.choice(STATUSES)
                sent = status != "draft"
                reports.append(
                    {
                        "period_id": period.id,
                        "unit_id": cid,
                        "organization_id": None,
                        "status": status,
                        "first_submitted_at": now if sent else None,
                        "is_late": rng.random() < 0.2 if sent else None,
                    }
                )
        s.execute(insert(Report), reports)
        for period in periods:
            refresh_province_summary(s, period)
        s.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tenants", type=int, default=34)
    parser.add_argument("--communes", type=int, default=98, help="per province (3,321 / 34)")
    parser.add_argument("--areas", type=int, default=25, help="residential areas per commune")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--drop", action="store_true", help="drop the scratch database after")
    args = parser.parse_args()

    from giamsat.core.config import Settings
    from giamsat.core.db import Database
    from giamsat.domains import load_models
    from giamsat.reports.models import PeriodKind, ReportPeriod
    from giamsat.reports.national.read import PeriodKey, national_role, national_view
    from giamsat.reports.province_summary import refresh_province_summary
    from giamsat.tenancy.migrations import upgrade_shared
    from giamsat.tenancy.provision import ensure_tenant
    from giamsat.tenancy.registry import list_tenants

    load_models()
    url = create_database()
    engine = create_engine(url, pool_size=5)
    migrations = Settings().migrations_dir
    upgrade_shared(engine, migrations)
    db = Database(engine)
    rng = random.Random(16)
    started = time.perf_counter()
    for n in range(args.tenants):
        tenant, _ = ensure_tenant(
            engine, migrations, slug=f"p{n:02d}", name=f"Tỉnh {n:02d}", province_code=900 + n
        )
        seed_tenant(db, tenant, args.communes, args.areas, rng)
    log(
        f"{args.tenants} tenants × {args.communes} communes × {args.areas} areas seeded in "
        f"{time.perf_counter() - started:.0f} s"
    )
    with db.session() as shared:
        tenants = list_tenants(shared)
    role = national_role(db)
    key = PeriodKey(PeriodKind.quarterly, 2026, 1)
    today = dt.date(2026, 4, 2)
    view = national_view(db, tenants, key, today=today, role=role)
    assert len(view.provinces) == args.tenants and view.totals

    union = " UNION ALL ".join(
        f"SELECT s.period_id, s.expected, s.not_submitted, f.organization_code, f.consolidated "
        f'FROM "{t.schema_name}".national_province_summaries s '
        f'LEFT JOIN "{t.schema_name}".national_province_figures f ON f.period_id = s.period_id '
        "WHERE s.kind = 'quarterly' AND s.year = 2026 AND s.number = 1"
        for t in tenants
    )

    def baseline():
        with engine.connect() as conn:
            conn.execute(text(union)).all()

    product = median_ms(lambda: national_view(db, tenants, key, today=today, role=role), args.runs)
    raw = median_ms(baseline, args.runs)
    log(f"national view of Q1 over {args.tenants} tenants: {product:.1f} ms (median)")
    log(f"  baseline, one UNION ALL over the same views: {raw:.1f} ms → ratio {product / raw:.1f}×")

    first = tenants[0]
    with db.session(first.schema_name) as s:
        period = s.scalar(
            select(ReportPeriod).where(
                ReportPeriod.kind == PeriodKind.quarterly,
                ReportPeriod.year == 2026,
                ReportPeriod.number == 1,
            )
        )
        refresh = median_ms(lambda: refresh_province_summary(s, period), args.runs)
        group_by = text(
            "SELECT status, is_late, count(*) FROM reports WHERE period_id = :p "
            "AND organization_id IS NULL GROUP BY status, is_late"
        )
        grouped = median_ms(
            lambda: (
                s.connection()
                .execution_options(schema_translate_map={None: first.schema_name})
                .execute(
                    text(
                        str(group_by).replace("FROM reports", f'FROM "{first.schema_name}".reports')
                    ),
                    {"p": period.id},
                )
                .all()
            ),
            args.runs,
        )
        s.rollback()
    units = 1 + args.communes * (1 + args.areas)
    log(f"refresh of one province summary ({units} units): {refresh:.1f} ms (median)")
    log(
        f"  baseline, raw GROUP BY of the period's reports: {grouped:.2f} ms → ratio {refresh / grouped:.0f}×"
    )
    engine.dispose()
    if args.drop:
        admin = create_engine(f"{PG}/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
