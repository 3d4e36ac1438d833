"""Benchmark of `giamsat tenants apply --all` over the 34 province manifests (not a timed test).

    . .venv/bin/activate && python bench/tenants_apply.py                # ~3-4 minutes
    python bench/tenants_apply.py --jobs 2 --skip-sequential             # only the parallel path
    python bench/tenants_apply.py --skip-sequential --baseline-src /work/main --baseline-jobs 2

Runs the real command (a subprocess, as an operator would) against a scratch database (dropped
and created first, dropped at the end) and a SeaweedFS of its own, four times:

1. `--jobs N` from an empty database (the target: ≤ 60 s for all 34 on 2 cores);
2. `--jobs N` again: a no-op re-apply (target ≤ 10 s), checked to have written no audit row;
3. and 4. the same two with `--jobs 1` after dropping the database again: the sequential
   baseline of the same run, to which 1 and 2 are compared as ratios.

Environment: GIAMSAT_BENCH_PG (server URL without database, default
postgresql+psycopg://postgres@127.0.0.1:5432).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

PG = os.environ.get("GIAMSAT_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")
DB_NAME = "giamsat_bench_tenants"
ROOT = Path(__file__).resolve().parents[1]


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def reset_database(admin) -> None:
    from giamsat.tenancy.roles import default_role_prefix, drop_roles_with_prefix

    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)'))
        drop_roles_with_prefix(conn, default_role_prefix(DB_NAME))
        conn.execute(text(f'CREATE DATABASE "{DB_NAME}"'))


def audit_rows(url: str) -> int:
    """Audit entries over every tenant schema (a no-op re-apply must add none)."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            schemas = conn.scalars(text("SELECT schema_name FROM shared.tenants")).all()
            return sum(conn.scalar(text(f'SELECT count(*) FROM "{s}".audit_log')) for s in schemas)
    finally:
        engine.dispose()


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_apply(env: dict[str, str], jobs: int, directory: Path) -> float:
    """`jobs` 0: the files named one by one, as a release without --all takes them (sequential)."""
    argv = [str(Path(sys.executable).parent / "giamsat"), "tenants", "apply"]
    if jobs:
        argv += ["--all", "--dir", str(directory), "--jobs", str(jobs)]
    else:
        argv += [str(p) for p in sorted(directory.glob("*.toml"))]
    started, cpu_before = time.perf_counter(), _children_cpu()
    done = subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, text=True)
    elapsed, cpu = time.perf_counter() - started, _children_cpu() - cpu_before
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-3000:] + done.stderr[-3000:])
        raise SystemExit(f"apply --jobs {jobs} failed ({done.returncode})")
    last = ([""] + [line for line in done.stderr.splitlines() if line.strip()])[-1]
    # CPU of the command and its workers (not PostgreSQL's): what a loaded machine stretches.
    what = f"--jobs {jobs}" if jobs else "files"
    log(f"  {what}: {elapsed:.1f} s, {cpu:.1f} s CPU of the command ({last})")
    return elapsed


def measure(
    admin, env: dict[str, str], url: str, jobs: int, directory: Path
) -> tuple[float, float]:
    reset_database(admin)
    create = run_apply(env, jobs, directory)
    before = audit_rows(url)
    noop = run_apply(env, jobs, directory)
    after = audit_rows(url)
    if after != before:
        raise SystemExit(f"the no-op re-apply wrote {after - before} audit rows")
    return create, noop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--dir", type=Path, default=ROOT / "tenants")
    parser.add_argument("--skip-sequential", action="store_true")
    parser.add_argument(
        "--baseline-src",
        type=Path,
        help="Also measure another checkout's code (e.g. /work/main, before --all existed) "
        "applying the same files sequentially, imported through PYTHONPATH",
    )
    parser.add_argument(
        "--baseline-jobs",
        type=int,
        default=0,
        help="With --baseline-src: run that checkout with `--all --jobs N` (0: the files one by "
        "one, as before --all existed)",
    )
    args = parser.parse_args()

    from giamsat.devstack import seaweed

    manifests = sorted(args.dir.glob("*.toml"))
    log(f"{len(manifests)} manifests in {args.dir}; {os.cpu_count()} cores")
    admin = create_engine(make_url(PG).set(database="postgres"), isolation_level="AUTOCOMMIT")
    url = make_url(PG).set(database=DB_NAME).render_as_string(hide_password=False)
    server = seaweed.start()
    s3 = server.s3_config(bucket_prefix="bench-" + str(os.getpid()))
    env = {
        **os.environ,
        "GIAMSAT_DATABASE_URL": url,
        "GIAMSAT_S3_URL": s3.url,
        "GIAMSAT_S3_ACCESS_KEY": s3.access_key,
        "GIAMSAT_S3_SECRET_KEY": s3.secret_key,
        "GIAMSAT_S3_BUCKET_PREFIX": s3.bucket_prefix,
    }
    try:
        log(f"parallel, --jobs {args.jobs}: empty database, then no-op re-apply")
        par_create, par_noop = measure(admin, env, url, args.jobs, args.dir)
        if not args.skip_sequential:
            log("sequential baseline, --jobs 1: empty database, then no-op re-apply")
            seq_create, seq_noop = measure(admin, env, url, 1, args.dir)
        if args.baseline_src:
            how = f"--jobs {args.baseline_jobs}" if args.baseline_jobs else "the files in a row"
            log(f"baseline: {args.baseline_src}'s code, {how}")
            old_env = {**env, "PYTHONPATH": str(args.baseline_src.resolve() / "services")}
            old_create, old_noop = measure(admin, old_env, url, args.baseline_jobs, args.dir)
    finally:
        server.stop()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)'))
        admin.dispose()
    print()
    if args.baseline_src:
        print(
            f"baseline ({args.baseline_src}): {old_create:.1f} s from empty, {old_noop:.1f} s no-op"
        )
        print(
            f"ratios --jobs {args.jobs} / baseline: {par_create / old_create:.2f}, {par_noop / old_noop:.2f}"
        )
    print(
        f"| run | --jobs {args.jobs} | target |"
        + ("" if args.skip_sequential else " --jobs 1 | ratio |")
    )
    print("| --- | ---: | ---: |" + ("" if args.skip_sequential else " ---: | ---: |"))
    for name, par, target, seq in (
        ("34 from an empty database", par_create, 60, None if args.skip_sequential else seq_create),
        ("no-op re-apply of 34", par_noop, 10, None if args.skip_sequential else seq_noop),
    ):
        row = f"| {name} | {par:.1f} s | ≤ {target} s |"
        if seq is not None:
            row += f" {seq:.1f} s | {par / seq:.2f} |"
        print(row)


if __name__ == "__main__":
    main()
