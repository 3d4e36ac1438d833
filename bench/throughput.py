"""Throughput of the commune staff case list through gunicorn, beside a bare endpoint (not a
timed test).

    . .venv/bin/activate && python bench/throughput.py            # seeds 200,000 cases first
    python bench/throughput.py --reuse                            # the data of a last run
    python bench/throughput.py --reuse --profile 400              # + cProfile of both, in-process
    python bench/throughput.py --cases 20000 --activities 2000    # a quick smoke run

Data: `reports_rollup.py`'s generator (one province, 170 communes × 25 areas, a year of cases)
in its own scratch database `giamsat_bench_throughput`, plus one staff user of the first
commune with an API token. Two servers run side by side, each gunicorn with the production
settings (`infra/entrypoint.sh`: 2 workers × 4 threads, access log):

- **product**: `giamsat.wsgi:app`, `GET /api/v1/t/bench/cases` with `Authorization: Bearer …`;
- **bare**: the Flask + SQLAlchemy app below (`create_bare`), serving the same page with the
  same auth: the token looked up with its owner and roles in one statement (revoked, expired,
  inactive refused), the list restricted to the units under the roles' paths (the subtree
  check), the capped count, the 20 rows with unit name and tags, the same JSON and
  `X-Pagination`.

Both are checked to return the same rows, then a client of 20 keep-alive connections (asyncio,
raw HTTP/1.1, cheap enough to leave the CPU to the servers) loads each in turn for `--seconds`,
`--rounds` times alternating, so both see the same machine. Prints req/s, p50, p95 and the
ratio product/bare per round and over all rounds.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import datetime as dt
import hashlib
import json
import os
import pstats
import random
import socket
import statistics
import subprocess
import sys
import time

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

sys.path.insert(0, os.path.dirname(__file__))
import reports_rollup as rollup  # noqa: E402  (the one data generator)

rollup.DB_NAME = "giamsat_bench_throughput"
COMMUNE = 2  # the first commune of seed_tree
USERNAME = "bench-commune-staff"
PATH = f"/api/v1/t/{rollup.SLUG}/cases"
COUNT_CAP = 10_000
PAGE = 20

# --- the bare endpoint --------------------------------------------------------------------------

S = rollup.SCHEMA
TOKEN_SQL = text(
    f"SELECT t.user_id, t.revoked_at, t.expires_at, t.scope, us.is_active, u.path"
    f" FROM {S}.api_tokens t JOIN {S}.users us ON us.id = t.user_id"
    f" LEFT JOIN {S}.role_assignments r ON r.user_id = us.id"
    f" LEFT JOIN {S}.units u ON u.id = r.unit_id WHERE t.token_hash = :h"
)
VISIBLE = f"c.unit_id IN (SELECT id FROM {S}.units WHERE path LIKE ANY(:roots))"
COUNT_SQL = text(
    f"SELECT count(*) FROM (SELECT 1 FROM {S}.cases c WHERE {VISIBLE} LIMIT {COUNT_CAP + 1}) s"
)
PAGE_SQL = text(
    "SELECT c.id, c.seq, c.year, c.unit_id, u.name, c.received_on, c.channel, c.kind, c.title,"
    " c.status, c.due_on, c.reporter_mode, c.organization_id"
    f" FROM {S}.cases c JOIN {S}.units u ON u.id = c.unit_id WHERE {VISIBLE}"
    " ORDER BY c.received_on DESC, c.id DESC LIMIT :limit OFFSET :offset"
)
TAGS_SQL = text(
    f"SELECT ct.case_id, k.code FROM {S}.case_tags ct"
    f" JOIN {S}.classification_categories k ON k.id = ct.category_id"
    " WHERE ct.case_id = ANY(:ids) ORDER BY k.sort_order"
)
MASKS = {
    "anonymous": "Nặc danh",
    "confidential": "Đã ẩn danh tính (bảo mật)",
    "open": "Đã ẩn danh tính",
}


def create_bare():
    """The bare Flask + SQLAlchemy app (gunicorn: `throughput:create_bare()`)."""
    from flask import Flask, abort, request

    from giamsat.cases.workflow import STATUS_LABELS  # the labels only: plain strings

    labels = {status.value: label for status, label in STATUS_LABELS.items()}
    engine = create_engine(os.environ["BENCH_DATABASE_URL"], pool_size=5, max_overflow=5)
    app = Flask("bare")

    @app.get(PATH)
    def cases():
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            abort(401)
        page = max(1, request.args.get("page", 1, type=int))
        with engine.begin() as conn:
            rows = conn.execute(
                TOKEN_SQL, {"h": hashlib.sha256(token.strip().encode()).hexdigest()}
            ).all()
            now = dt.datetime.now(dt.UTC)
            if (
                not rows
                or rows[0].revoked_at is not None
                or not rows[0].is_active
                or (rows[0].expires_at is not None and rows[0].expires_at <= now)
            ):
                abort(401)
            roots = sorted({r.path for r in rows if r.path})
            roots = [p + "%" for p in roots if not any(p != q and p.startswith(q) for q in roots)]
            total = conn.scalar(COUNT_SQL, {"roots": roots})
            items = conn.execute(
                PAGE_SQL, {"roots": roots, "limit": PAGE, "offset": (page - 1) * PAGE}
            ).all()
            tags: dict[int, list[str]] = {}
            for case_id, code in conn.execute(TAGS_SQL, {"ids": [r.id for r in items]}):
                tags.setdefault(case_id, []).append(code)
        today = dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).date()
        body = [
            {
                "id": r.id,
                "number": f"{r.seq}/{r.year}",
                "unit_id": r.unit_id,
                "unit_name": r.name,
                "received_on": r.received_on.isoformat(),
                "channel": r.channel,
                "kind": r.kind,
                "title": r.title,
                "status": r.status,
                "status_label": labels[r.status],
                "due_on": r.due_on.isoformat() if r.due_on else None,
                "is_overdue": r.status == "awaiting_response"
                and r.due_on is not None
                and r.due_on < today,
                "reporter": MASKS[r.reporter_mode or "anonymous"],
                "tags": tags.get(r.id, []),
                "organization_id": r.organization_id,
            }
            for r in items
        ]
        exact = total <= COUNT_CAP
        meta = {"total": min(total, COUNT_CAP), "total_pages": -(-min(total, COUNT_CAP) // PAGE)}
        meta |= {"first_page": 1, "last_page": meta["total_pages"], "page": page}
        meta["total_is_exact"] = exact
        return app.json.response(body), 200, {"X-Pagination": json.dumps(meta)}

    return app


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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def gunicorn(app: str, port: int, env: dict) -> subprocess.Popen:
    """gunicorn as `infra/entrypoint.sh` runs it (workers, threads, timeout, access log)."""
    command = [sys.executable, "-m", "gunicorn", "--chdir", os.path.dirname(__file__)]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "4"]
    command += ["--timeout", "60", "--worker-tmp-dir", "/dev/shm", "--access-logfile", "-"]
    return subprocess.Popen(
        [*command, app], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


# --- the client ---------------------------------------------------------------------------------


async def _get(reader, writer, request: bytes) -> tuple[int, dict, bytes]:
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        if line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    body = await reader.readexactly(int(headers.get("content-length", 0)))
    return status, headers, body


def request_bytes(port: int, token: str) -> bytes:
    return (
        f"GET {PATH} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {token}\r\n"
        "Accept: application/json\r\nConnection: keep-alive\r\n\r\n"
    ).encode()


def fetch_once(port: int, token: str) -> tuple[int, dict, bytes]:
    async def go():
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            return await _get(reader, writer, request_bytes(port, token))
        finally:
            writer.close()

    return asyncio.run(go())


def load(port: int, token: str, clients: int, seconds: float) -> dict:
    """`clients` keep-alive connections, each sending the next request when its answer is in."""
    request = request_bytes(port, token)
    latencies: list[float] = []
    errors = 0

    async def client(stop_at: float):
        nonlocal errors
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        while time.perf_counter() < stop_at:
            started = time.perf_counter()
            try:
                status, headers, _ = await _get(reader, writer, request)
            except (asyncio.IncompleteReadError, ConnectionError):
                errors += 1  # gunicorn closed the keep-alive connection: open another
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                continue
            if status != 200:
                errors += 1
            latencies.append(time.perf_counter() - started)
            if headers.get("connection", "").lower() == "close":
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.close()

    async def run():
        stop_at = time.perf_counter() + seconds
        started = time.perf_counter()
        await asyncio.gather(*(client(stop_at) for _ in range(clients)))
        return time.perf_counter() - started

    elapsed = asyncio.run(run())
    latencies.sort()
    return {
        "rps": len(latencies) / elapsed,
        "p50": latencies[len(latencies) // 2] * 1000,
        "p95": latencies[int(len(latencies) * 0.95)] * 1000,
        "n": len(latencies),
        "errors": errors,
    }


def wait_up(port: int, token: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            fetch_once(port, token)
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"nothing answers on port {port}")


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
    ("page rows (statement + ORM objects)", "http/api.py", "items"),
    ("  ORM rows → objects", "orm/loading.py", "chunks"),
    ("  tags (selectin)", "orm/strategies.py", "_load_for_path"),
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
    stats.sort_stats("tottime").print_stats(30)


# --- main ---------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--activities", type=int, default=20_000)
    parser.add_argument("--reuse", action="store_true", help="measure the data of a last run")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="cProfile N requests")
    parser.add_argument(
        "--before", metavar="TREE", help="also serve another checkout's code (e.g. /work/main)"
    )
    args = parser.parse_args()

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
        gunicorn("throughput:create_bare()", ports["bare"], env),
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
        totals = {meta["total"] for _, meta in answers.values()}
        assert len(pages[0]) == PAGE and all(p == pages[0] for p in pages), "the pages differ"
        assert len(totals) == 1, answers
        rollup.log(f"same page from all: {PAGE} of {totals.pop():,} cases of the commune")
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
