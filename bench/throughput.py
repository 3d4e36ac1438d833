"""Throughput of the commune staff case list through gunicorn, beside a bare endpoint (not a
timed test).

    . .venv/bin/activate && python bench/throughput.py            # seeds 200,000 cases first
    python bench/throughput.py --reuse                            # the data of a last run
    python bench/throughput.py --reuse --profile 400              # + cProfile of both, in-process
    python bench/throughput.py --cases 20000 --activities 2000    # a quick smoke run
    python bench/throughput.py --database giamsat_bench_throughput_me  # a database of one's own

Data: `rollup_data.py`'s generator (one province, 170 communes × 25 areas, a year of cases)
in its own scratch database `giamsat_bench_throughput`, plus one staff user of the first
commune with an API token. Two servers run side by side, each gunicorn with the production
settings (`infra/entrypoint.sh`: 2 workers × 4 threads, access log):

- **product**: `giamsat.wsgi:app`, `GET /api/v1/t/bench/cases` with `Authorization: Bearer …`;
- **bare**: the Flask + SQLAlchemy app of `throughput_bare.py` (`create_bare`), serving the
  same page with the same auth: the token looked up with its owner and roles in one statement
  (revoked, expired, inactive refused), the list restricted to the units under the roles' paths
  (the subtree check), the capped count, the 20 rows with unit name and tags, the same JSON and
  `X-Pagination`.

Both are checked to return the same rows, then a client of 20 keep-alive connections (asyncio,
raw HTTP/1.1, cheap enough to leave the CPU to the servers) loads each in turn for `--seconds`,
`--rounds` times alternating, so both see the same machine. Prints req/s, p50, p95 and the
ratio product/bare per round and over all rounds.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import statistics
import subprocess
import sys
import time

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

sys.path.insert(0, os.path.dirname(__file__))
import rollup_data as rollup  # noqa: E402  (the one data generator)
from throughput_bare import PAGE, PATH, create_bare  # noqa: E402  (the bare endpoint)
from throughput_client import fetch_once, free_port, gunicorn, load, wait_up  # noqa: E402

rollup.DB_NAME = "giamsat_bench_throughput"
COMMUNE = 2  # the first commune of seed_tree
USERNAME = "bench-commune-staff"

# --- setup --------------------------------------------------------------------------------------


def seed(args) -> str:
    import psycopg

    from giamsat.core.db import make_engine

    db_url = f"{rollup.PG}/{rollup.DB_NAME}"
    if args.reuse:
        return db_url
    db_url = rollup.create_database(rollup.PG)
    engine = make_engine(db_url)
    rollup.build_tenant(engine, 170, 25)
    engine.dispose()
    raw_url = make_url(db_url).set(drivername="postgresql").render_as_string(False)
    with psycopg.connect(raw_url) as raw:
        tree = rollup.seed_tree(raw, 170, 25)
        rollup.seed_records(raw, tree, args.cases, args.activities, random.Random(124))
        raw.commit()
        raw.autocommit = True
        raw.execute("VACUUM ANALYZE")  # what autovacuum does on a live database
    rollup.log(f"seeded {args.cases:,} cases")
    return db_url


def staff_token(db_url: str) -> str:
    """A fresh API token of the first commune's staff user (created on first use)."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from giamsat.accounts.models import RoleAssignment, User
    from giamsat.accounts.operations import create_api_token
    from giamsat.domains import load_models
    from giamsat.identity import Role

    load_models()
    engine = create_engine(db_url)
    bind = engine.execution_options(schema_translate_map={None: rollup.SCHEMA})
    with Session(bind) as s:
        user = s.scalar(select(User).where(User.username == USERNAME))
        if user is None:
            user = User(username=USERNAME, full_name="Cán bộ xã", password_hash="!", locale="vi")
            s.add(user)
            s.flush()
            s.add(RoleAssignment(user_id=user.id, role=Role.staff, unit_id=COMMUNE))
            s.flush()
        _, token = create_api_token(s, user, "throughput")
        s.commit()
    engine.dispose()
    return token


# --- profile ------------------------------------------------------------------------------------


#: Where a product request spends its CPU: (label, file suffix, function name) of pstats entries
#: whose cumulative time is shown. Nested: "token lookup" is inside "auth"; "ORM rows" and
#: "count" inside "page".
PHASES = (
    ("tenant lookup (registry + enter schema)", "tenancy/resolver.py", "_enter_tenant"),
    ("auth: token check + principal", "http/api.py", "_authenticate"),
    ("  token lookup, ORM (before issue 17)", "accounts/operations.py", "user_for_token"),
    ("  token lookup, one Core statement", "accounts/token_check.py", "principal_for_token"),
    ("  Principal.of", "giamsat/identity.py", "of"),
    ("capped count", "http/counts.py", "capped_count"),
    ("capped count, statement built once", "cases/queue_read.py", "total"),
    ("page rows (statement + rows + dump)", "http/api.py", "items"),
    ("  ORM rows → objects", "orm/loading.py", "chunks"),
    ("  tags (selectin)", "orm/strategies.py", "_load_for_path"),
    ("  tags + rows → dicts (plain read)", "cases/queue_read.py", "summaries"),
    ("serialisation (marshmallow)", "marshmallow/schema.py", "dump"),
    ("JSON encoding", "json/__init__.py", "dumps"),
    ("checkout + pre-ping", "pool/base.py", "_checkout"),
    ("commit + close", "orm/session.py", "commit"),
    ("statements sent (all)", "psycopg/cursor.py", "execute"),
)


def profile(app, token: str, requests: int, label: str) -> None:
    """CPU per request of `requests` requests through the app's WSGI callable in this process,
    then a CPU-time cProfile (waits for PostgreSQL do not count) and where it goes."""
    from werkzeug.test import EnvironBuilder

    def one():
        environ = EnvironBuilder(
            path=PATH, headers={"Authorization": f"Bearer {token}", "Accept": "application/json"}
        ).get_environ()
        out = app(environ, lambda status, headers, exc_info=None: None)
        b"".join(out)
        getattr(out, "close", lambda: None)()

    for _ in range(30):
        one()
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(requests):
        one()
    cpu = (time.process_time() - cpu) / requests * 1000
    wall = (time.perf_counter() - wall) / requests * 1000
    print(f"\n=== {label}: {cpu:.2f} ms CPU, {wall:.2f} ms wall per request ({requests} requests)")
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for _ in range(requests):
        one()
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = sum(entry[2] for entry in stats.stats.values()) / requests * 1000  # type: ignore[attr-defined]
    print(f"under cProfile (CPU time): {total:.2f} ms of own time per request")
    for name, suffix, function in PHASES:
        cumulative = sum(
            entry[3]
            for (filename, _, func), entry in stats.stats.items()  # type: ignore[attr-defined]
            if func == function and filename.endswith(suffix)
        )
        calls = sum(
            entry[1]
            for (filename, _, func), entry in stats.stats.items()  # type: ignore[attr-defined]
            if func == function and filename.endswith(suffix)
        )
        if calls:
            print(
                f"  {name:42} {cumulative / requests * 1000:6.2f} ms"
                f"  ({calls / requests:.1f} calls/request)"
            )
    stats.sort_stats(os.environ.get("BENCH_PROFILE_SORT", "tottime")).print_stats(30)


# --- main ---------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--activities", type=int, default=20_000)
    parser.add_argument("--reuse", action="store_true", help="measure the data of a last run")
    parser.add_argument(
        "--database", default=rollup.DB_NAME, help="scratch database (one per engineer)"
    )
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="cProfile N requests")
    parser.add_argument(
        "--before", metavar="TREE", help="also serve another checkout's code (e.g. /work/main)"
    )
    args = parser.parse_args()
    rollup.DB_NAME = args.database

    db_url = seed(args)
    token = staff_token(db_url)
    env = os.environ | {
        "GIAMSAT_DATABASE_URL": db_url,
        "GIAMSAT_SECRET_KEY": "bench",
        "GIAMSAT_REDIS_URL": rollup.REDIS,
        "BENCH_DATABASE_URL": db_url,
    }
    if args.profile:
        os.environ.update(env)
        from giamsat.app import create_app
        from giamsat.core.config import Settings

        profile(create_app(settings=Settings.from_env()), token, args.profile, "product")
        profile(create_bare(), token, args.profile, "bare")
        return

    ports = {"product": free_port(), "bare": free_port()}
    servers = [
        gunicorn("giamsat.wsgi:app", ports["product"], env),
        gunicorn("throughput_bare:create_bare()", ports["bare"], env),
    ]
    if args.before:
        # Another tree's code (e.g. main before a change) against the same data, in the same run.
        ports["before"] = free_port()
        tree = os.path.join(os.path.abspath(args.before), "services")
        before_env = env | {"PYTHONPATH": tree}
        servers.append(gunicorn("giamsat.wsgi:app", ports["before"], before_env))
    try:
        for port in ports.values():
            wait_up(port, token)
        answers = {}
        for name, port in ports.items():
            status, headers, body = fetch_once(port, token)
            assert status == 200, (name, status, body[:300])
            answers[name] = (json.loads(body), json.loads(headers["x-pagination"]))
        pages = [page for page, _ in answers.values()]
        # Another tree may count to another cap (main's was 10,000 before 1,000): product and
        # bare must agree, a --before tree's total is only shown.
        totals = {answers[name][1]["total"] for name in ("product", "bare")}
        assert len(pages[0]) == PAGE and all(p == pages[0] for p in pages), "the pages differ"
        assert len(totals) == 1, answers
        rollup.log(f"same page from all: {PAGE} of {totals.pop():,} cases of the commune")
        if "before" in answers:
            rollup.log(f"before's total: {answers['before'][1]['total']:,}")
        for port in ports.values():
            load(port, token, args.clients, 3)  # warm: pools full, code paths hot
        results: dict[str, list[dict]] = {name: [] for name in ports}
        for round_ in range(args.rounds):
            for name, port in ports.items():
                results[name].append(load(port, token, args.clients, args.seconds))
            bare = results["bare"][-1]["rps"]
            rollup.log(
                f"round {round_ + 1}: "
                + ", ".join(
                    f"{name} {rs[-1]['rps']:.0f} req/s p50 {rs[-1]['p50']:.0f} ms"
                    f" ({rs[-1]['rps'] / bare:.2f})"
                    for name, rs in results.items()
                )
            )
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:  # gthread waits for idle keep-alive sockets
                server.kill()
                server.wait()
    print(
        f"\n{args.clients} clients, {args.rounds} × {args.seconds:.0f} s each, load average"
        f" {os.getloadavg()[0]:.1f} at the end; ratio = req/s ÷ bare req/s of the same round"
    )
    print("| server | round | req/s | p50 ms | p95 ms | ratio to bare |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, rs in results.items():
        for i, r in enumerate(rs):
            bare = results["bare"][i]["rps"]
            print(
                f"| {name} | {i + 1} | {r['rps']:.0f} | {r['p50']:.0f} | {r['p95']:.0f} |"
                f" {r['rps'] / bare:.2f} |"
            )
    bare_median = statistics.median(r["rps"] for r in results["bare"])
    for name, rs in results.items():
        ratios = [r["rps"] / b["rps"] for r, b in zip(rs, results["bare"], strict=True)]
        print(
            f"| {name} | median | {statistics.median(r['rps'] for r in rs):.0f} | | |"
            f" **{statistics.median(ratios):.2f}** (bare {bare_median:.0f}) |"
        )
    errors = sum(r["errors"] for rs in results.values() for r in rs)
    if errors:
        print(f"({errors} non-200 answers or dropped connections)")


if __name__ == "__main__":
    main()
