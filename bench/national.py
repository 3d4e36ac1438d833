"""Benchmark of a generated country (not a timed test): 34 province tenants in one database.

    . .venv/bin/activate && python bench/national.py --scale 0.02   # a smoke run, ~3 min
    python bench/national.py                     # the country: 5,000,000 cases (~1 h here)
    python bench/national.py --reuse             # measure the country a last run built

Builds `giamsat_bench_country` (dropped first, kept afterwards unless --drop): 34 tenants (one
schema each) with 3,321 communes and 83,025 residential areas between them, 5,000,000 cases over
two years (2025 and 2026) and 500,000 supervision activities, spread over the communes (COPY,
with `rollup_data.py`'s generator). `--scale` multiplies the cases and activities (the unit
tree stays the country's). Then measures, each beside a baseline in the same run:

1. a province leader's case list, first page (capped count + 20 rows), plain and with a search,
   in three provinces, in-process — beside the raw SQL of the same statements;
2. the full recompute of a quarter of every province — beside a raw per-unit `GROUP BY` of the
   same cases; and the nightly job of one province (all its open periods);
3. the central committee's national view over the 34 provinces — beside one raw UNION ALL;
4. the case list through gunicorn (2 workers × 4 threads, the image's defaults) with 30
   concurrent clients of one province, and one client alone — p50/p95 and requests per second;
5. the database's size, the peak RSS of the web workers and of a worker process running a
   province's nightly job.

Environment: GIAMSAT_BENCH_PG (server URL without database, default
postgresql+psycopg://postgres@127.0.0.1:5432), GIAMSAT_BENCH_REDIS (default redis://…/8).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import statistics
import subprocess
import sys
import threading
import time
import uuid

import psutil
import urllib3
from sqlalchemy import create_engine, func, select, text

sys.path.insert(0, os.path.dirname(__file__))
import country  # noqa: E402  (the generated country)
import lists  # noqa: E402  (compiled(): the SQL the product sends)
import rollup_data as rollup  # noqa: E402  (the one data generator)
from reports_rollup import RAW_ALL_UNITS  # noqa: E402  (the raw per-unit GROUP BY)
from throughput_client import free_port  # noqa: E402  (the benches' one)

DB_NAME = "giamsat_bench_country"
CLIENTS = 30
log, median_ms, timed = rollup.log, rollup.median_ms, rollup.timed


def quarter(s, year: int, number: int):
    from giamsat.reports.models import PeriodKind, ReportPeriod

    return s.scalar(
        select(ReportPeriod).where(
            ReportPeriod.kind == PeriodKind.quarterly,
            ReportPeriod.year == year,
            ReportPeriod.number == number,
        )
    )


def measure_lists(database, tenants, runs: int) -> list[tuple[str, float, float]]:
    """1. First pages for a province leader in three provinces: product vs raw SQL."""
    from giamsat.cases.queries import case_queue_query
    from giamsat.http.counts import capped_count
    from giamsat.identity import Grant, Principal, Role

    rows = []
    today = dt.date(2026, 12, 1)
    for tenant in (tenants[0], tenants[len(tenants) // 2], tenants[-1]):
        province = Principal(1, "bench", "Bench", "vi", (Grant(Role.leader, 1, "/1/"),))
        with database.session(tenant.schema_name) as s:
            raw = s.connection().connection.driver_connection
            raw.execute(f"SET search_path TO {tenant.schema_name}, shared, public")
            for label, filters in (("list", {}), ("search q=nguyen", {"q": "nguyen"})):
                stmt = case_queue_query(province, today=today, **filters)

                def product(stmt=stmt, s=s):
                    capped_count(s, stmt)
                    list(s.scalars(stmt.limit(lists.PAGE)))
                    s.expunge_all()

                count_sql = lists.compiled(
                    select(func.count()).select_from(stmt.order_by(None).limit(10_001).subquery())
                )
                page_sql = lists.compiled(stmt.limit(lists.PAGE))

                def baseline(count_sql=count_sql, page_sql=page_sql, raw=raw):
                    raw.execute(count_sql).fetchall()
                    raw.execute(page_sql).fetchall()

                product()
                rows.append(
                    (f"{tenant.slug}: {label}", median_ms(product, runs), median_ms(baseline, runs))
                )
            s.rollback()
    return rows


def measure_recompute(database, tenants) -> tuple[list[float], list[float]]:
    """2. Full recompute of 2026 Q2 per province, beside the raw per-unit GROUP BY."""
    from giamsat.reports.aggregation import recompute_period

    product, raw = [], []
    for tenant in tenants:
        with database.session(tenant.schema_name) as s:
            period = quarter(s, 2026, 2)
            product.append(timed(recompute_period, s, period)[1])
            s.commit()
            sql = text(str(RAW_ALL_UNITS).replace("t_bench.", f"{tenant.schema_name}."))
            window = {"start": period.starts_on, "end": period.ends_on}
            raw.append(median_ms(lambda s=s, q=sql, w=window: s.execute(q, w).all(), 3))
    return product, raw


def nightly_in_worker(db_url: str, slug: str) -> tuple[float, float]:
    """(seconds, peak RSS MB) of one province's nightly job in a process of its own."""
    out = subprocess.run(
        [sys.executable, __file__, "--nightly", db_url, slug], capture_output=True, text=True
    )
    if out.returncode:
        raise SystemExit(f"the nightly job failed:\n{out.stderr[-3000:]}")
    seconds, rss = out.stdout.split()[-2:]
    return float(seconds), float(rss)


def nightly_main(db_url: str, slug: str) -> None:
    """The worker process: one province's nightly job, then its time and peak RSS."""
    from giamsat.core.db import Database, make_engine
    from giamsat.domains import load_models
    from giamsat.reports.jobs import nightly
    from giamsat.tenancy.context import tenant_context
    from giamsat.tenancy.registry import get_tenant

    load_models()
    database = Database(make_engine(db_url))
    with database.session() as shared:
        tenant = get_tenant(shared, slug)
    started = time.perf_counter()
    with tenant_context(database, tenant) as scope:
        nightly.__wrapped__(scope.session, scope)  # the job's body, as a worker runs it
        scope.session.commit()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{time.perf_counter() - started:.3f} {peak:.1f}")


def leader_token(database, tenant) -> str:
    from giamsat.accounts.models import User
    from giamsat.accounts.operations import create_api_token, create_user
    from giamsat.identity import Role, SystemActor

    with database.session(tenant.schema_name) as s:
        user = s.scalar(select(User).where(User.username == "bench.leader"))
        if user is None:
            user = create_user(
                s,
                SystemActor(),
                username="bench.leader",
                full_name="Lãnh đạo tỉnh",
                password="Bench-Country-2026-x",
                password_hash="bench",  # never signs in: the API token is enough
                grants=[(Role.leader, 1, None)],
            )
        _, token = create_api_token(s, user, "bench")
        s.commit()
    return token


def measure_http(db_url: str, tenant, token: str, requests: int) -> dict:
    """4 and 5 (web): 30 concurrent clients vs one client alone, and the workers' peak RSS."""
    port = free_port()
    env = os.environ | {
        "GIAMSAT_DATABASE_URL": db_url,
        "GIAMSAT_REDIS_URL": os.environ.get("GIAMSAT_BENCH_REDIS", "redis://127.0.0.1:6379/8"),
        "GIAMSAT_QUEUE_PREFIX": f"bench-{uuid.uuid4().hex[:6]}-",
        "GIAMSAT_SECRET_KEY": "bench",
        "GIAMSAT_S3_URL": "http://127.0.0.1:9",  # the case list never reads files
    }
    web = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            "2",
            "--threads",
            "4",
            "--bind",
            f"127.0.0.1:{port}",
            "giamsat.wsgi:app",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    http = urllib3.PoolManager(maxsize=CLIENTS, retries=False)
    base = f"http://127.0.0.1:{port}/api/v1/t/{tenant.slug}/cases"
    auth = {"Authorization": f"Bearer {token}"}
    paths = ["?page_size=20", "?page_size=20&q=nguyen", "?page_size=20&status=received"]
    try:
        for _ in range(300):
            try:
                if http.request("GET", base + paths[0], headers=auth).status == 200:
                    break
            except urllib3.exceptions.HTTPError:
                pass
            time.sleep(0.2)
        else:
            raise SystemExit("gunicorn did not answer the case list")

        def run(clients: int, each: int) -> tuple[list[float], float]:
            latencies: list[float] = []
            lock = threading.Lock()

            def client(k: int) -> None:
                for i in range(each):
                    started = time.perf_counter()
                    response = http.request("GET", base + paths[(k + i) % 3], headers=auth)
                    assert response.status == 200, response.data[:200]
                    with lock:
                        latencies.append((time.perf_counter() - started) * 1000)

            threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            return latencies, len(latencies) / (time.perf_counter() - started)

        alone, alone_rps = run(1, max(requests // CLIENTS, 10))
        crowd, crowd_rps = run(CLIENTS, max(requests // CLIENTS, 10))
        workers = psutil.Process(web.pid).children()
        rss = [w.memory_info().rss / 2**20 for w in workers]
    finally:
        web.terminate()
        web.wait(timeout=30)
    q = statistics.quantiles
    return {
        "alone_p50": statistics.median(alone),
        "crowd_p50": statistics.median(crowd),
        "crowd_p95": q(crowd, n=20)[-1],
        "alone_rps": alone_rps,
        "crowd_rps": crowd_rps,
        "web_rss": rss,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="share of the 5M cases")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--requests", type=int, default=600, help="HTTP requests per phase")
    parser.add_argument("--reuse", action="store_true", help="measure the data of a last run")
    parser.add_argument("--drop", action="store_true", help="drop the scratch database after")
    parser.add_argument("--nightly", nargs=2, metavar=("DB", "SLUG"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.nightly:
        return nightly_main(*args.nightly)

    from giamsat.core.db import Database, make_engine
    from giamsat.domains import load_models
    from giamsat.reports.models import PeriodKind
    from giamsat.reports.national.read import PeriodKey, national_role, national_view
    from giamsat.reports.province_summary import refresh_province_summary
    from giamsat.tenancy.registry import list_tenants

    load_models()
    rollup.DB_NAME = DB_NAME
    db_url = f"{rollup.PG}/{DB_NAME}"
    if args.reuse:
        country.upgrade_country(db_url)
    else:
        db_url = rollup.create_database(rollup.PG)
        _, ms = timed(country.build_country, db_url, args.scale)
        log(f"country built in {ms / 1000:.0f} s")
    engine = make_engine(db_url)
    database = Database(engine)
    with database.session() as shared:
        tenants = list_tenants(shared)
    with engine.connect() as conn:
        cases = sum(
            conn.execute(text(f'SELECT count(*) FROM "{t.schema_name}".cases')).scalar_one()
            for t in tenants
        )
        areas = sum(
            conn.execute(
                text(
                    f'SELECT count(*) FROM "{t.schema_name}".units WHERE level_code = '
                    "'residential_area'"
                )
            ).scalar_one()
            for t in tenants
        )
        size = conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one()
    log(
        f"{len(tenants)} provinces, {areas:,} areas, {cases:,} cases; database {size / 2**30:.2f} GiB"
    )

    print("\n1. first pages, province leader (median ms)")
    print("| province: list | product | raw SQL of the same statements | ratio |")
    print("| --- | --- | --- | --- |")
    for name, p, b in measure_lists(database, tenants, args.runs):
        print(f"| {name} | {p:.1f} | {b:.1f} | {p / b:.2f} |")

    product, raw = measure_recompute(database, tenants)
    ratios = [p / r for p, r in zip(product, raw, strict=True)]
    print(
        f"\n2. full recompute of 2026 Q2, per province: median {statistics.median(product):,.0f} ms"
        f" (max {max(product):,.0f}); raw per-unit GROUP BY median {statistics.median(raw):,.0f}"
        f" ms; ratio median {statistics.median(ratios):.1f}× (max {max(ratios):.1f}×); all 34:"
        f" {sum(product) / 1000:.1f} s"
    )
    seconds, worker_rss = nightly_in_worker(db_url, tenants[0].slug)
    print(
        f"   nightly job of {tenants[0].slug} (all open periods) in a worker process: "
        f"{seconds:.1f} s, peak RSS {worker_rss:.0f} MB"
    )

    key = PeriodKey(PeriodKind.quarterly, 2026, 2)
    for tenant in tenants:
        with database.session(tenant.schema_name) as s:
            refresh_province_summary(s, quarter(s, 2026, 2))
            s.commit()
    role = national_role(database)
    today = dt.date(2026, 7, 2)
    union = " UNION ALL ".join(
        f"SELECT s.period_id, s.expected, s.not_submitted, f.organization_code, f.consolidated "
        f'FROM "{t.schema_name}".national_province_summaries s '
        f'LEFT JOIN "{t.schema_name}".national_province_figures f ON f.period_id = s.period_id '
        "WHERE s.kind = 'quarterly' AND s.year = 2026 AND s.number = 2"
        for t in tenants
    )
    with engine.connect() as conn:
        view_ms = median_ms(
            lambda: national_view(database, tenants, key, today=today, role=role), args.runs
        )
        union_ms = median_ms(lambda: conn.execute(text(union)).all(), args.runs)
    print(
        f"\n3. national view of 2026 Q2 over {len(tenants)} provinces: {view_ms:.1f} ms; one "
        f"raw UNION ALL of the same views: {union_ms:.1f} ms; ratio {view_ms / union_ms:.1f}×"
    )

    http = measure_http(db_url, tenants[0], leader_token(database, tenants[0]), args.requests)
    print(
        f"\n4. case list through gunicorn ({tenants[0].slug}): one client p50 "
        f"{http['alone_p50']:.0f} ms ({http['alone_rps']:.0f} req/s); {CLIENTS} clients p50 "
        f"{http['crowd_p50']:.0f} ms, p95 {http['crowd_p95']:.0f} ms, {http['crowd_rps']:.0f} "
        f"req/s; ratio of p50s {http['crowd_p50'] / http['alone_p50']:.1f}×"
    )
    print(
        f"\n5. database {size / 2**30:.2f} GiB for {cases:,} cases; web workers' RSS "
        + ", ".join(f"{r:.0f} MB" for r in http["web_rss"])
        + f"; worker process peak {worker_rss:.0f} MB; this process "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )
    engine.dispose()
    if args.drop:
        admin = create_engine(f"{rollup.PG}/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
