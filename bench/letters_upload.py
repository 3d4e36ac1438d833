"""Benchmark: a 50 MB scan uploaded through the app vs a raw minio `put_object`; OCR of one page.

    . .venv/bin/activate && python bench/letters_upload.py [--size-mb 50] [--runs 3]

Starts its own SeaweedFS (giamsat.devstack.seaweed), a scratch database with one tenant, and
gunicorn (1 sync worker) serving the app on 127.0.0.1; everything is removed at the end.
Prints a Markdown table (copy it into bench/README.md). Not a test: figures depend on the machine.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psutil
import urllib3
from PIL import Image
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

import upload_runs  # the timed runs and the table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.plugins.world builds the tenant's small unit tree

SERVER_URL = os.environ.get(
    "GIAMSAT_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)

HTTP = upload_runs.HTTP


def call(method: str, url: str, headers: dict, *, json_body=None, fields=None):
    """JSON in, JSON out; raises on an HTTP error."""
    if fields is not None:
        response = HTTP.request(method, url, headers=headers, fields=fields)
    else:
        response = HTTP.request(
            method,
            url,
            headers=headers | {"Content-Type": "application/json"},
            body=json.dumps(json_body).encode(),
        )
    if response.status >= 400:
        raise RuntimeError(f"{method} {url}: {response.status} {response.data[:500]!r}")
    return json.loads(response.data)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def without_info(source: Path, target: Path) -> int:
    """The same scan with nothing to strip: the app stores it as sent (no rewrite)."""
    import pikepdf

    with pikepdf.open(source) as pdf:
        del pdf.trailer["/Info"]
        pdf.save(target, fix_metadata_version=False)
    return target.stat().st_size


def make_scan(path: Path, size_mb: int) -> int:
    """A multi-page PDF of noisy A4 pages at 300 dpi (JPEG inside), at least `size_mb` MB,
    with an information dictionary (dates) as scanners write one: the app blanks it in place."""
    rng = random.Random(5)
    pages = []
    width, height = 2480, 3508
    noise = Image.frombytes("L", (width, height), rng.randbytes(width * height))
    while True:
        pages.append(noise.rotate(len(pages) * 90 % 360))
        buffer = io.BytesIO()
        pages[0].save(
            buffer, format="PDF", save_all=True, append_images=pages[1:], resolution=300, quality=95
        )
        if buffer.tell() >= size_mb * 1024 * 1024:
            path.write_bytes(buffer.getvalue())
            return buffer.tell()


def setup_database(db_name: str, s3_config, migrations: Path):
    from giamsat.accounts.models import User
    from giamsat.accounts.operations import create_api_token
    from giamsat.core.storage import ensure_bucket
    from giamsat.tenancy.migrations import upgrade_shared
    from tests.plugins.world import build_tenant

    admin = create_engine(SERVER_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{db_name}"'))
    admin.dispose()
    url = SERVER_URL.rsplit("/", 1)[0] + "/" + db_name
    engine = create_engine(url)
    upgrade_shared(engine, migrations)
    tw = build_tenant(engine, migrations, "bench", "Bench", 99)
    ensure_bucket(s3_config, f"{s3_config.bucket_prefix}-bench")
    bind = engine.execution_options(schema_translate_map={None: tw.schema})
    with Session(bind) as session:
        _, token = create_api_token(session, session.get(User, tw.users["x-staff"]), "bench")
        session.commit()
    engine.dispose()
    return url, tw, token


def drop_database(db_name: str) -> None:
    admin = create_engine(SERVER_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)'))
    admin.dispose()


def start_web(env: dict, port: int, threads: int = 1) -> tuple[subprocess.Popen, int]:
    """gunicorn with one worker: sync, or gthread with `threads` threads (as the image runs)."""
    worker = ["--worker-class", "gthread"] if threads > 1 else []
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            "1",
            *worker,
            "--threads",
            str(threads),
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "300",
            "giamsat.wsgi:app",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            HTTP.request("GET", f"http://127.0.0.1:{port}/healthz", timeout=1)
            break
        except urllib3.exceptions.HTTPError:
            time.sleep(0.2)
    children = psutil.Process(process.pid).children()
    return process, (children[0].pid if children else process.pid)


def bench_ocr() -> dict:
    """OCR of one generated A4 page at 300 dpi, in a child process (its peak RSS alone)."""
    code = r"""
import resource, sys, time
sys.path.insert(0, ROOT)
from tests.letters.conftest import letter_page
from giamsat.letters.ocr import PageImage
from giamsat.letters.ocr_reading import read_page
page = letter_page(dpi=300)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.monotonic()
text = read_page(PageImage(1, page, 300.0)).reading.text
elapsed = time.monotonic() - started
me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
tess = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(elapsed, me, tess, len(text.split()), sep=",")
""".replace("ROOT", repr(str(ROOT)))
    out = (
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        .stdout.strip()
        .splitlines()[-1]
    )
    elapsed, me, tess, words = out.split(",")
    return {
        "seconds": float(elapsed),
        "python_peak_mb": int(me) / 1024,
        "tesseract_peak_mb": int(tess) / 1024,
        "words": int(words),
    }


def open_upload(api: str, auth: dict, area_id: int, letters: int) -> str:
    """A box and an opening through the API: the opening's letters upload URL."""
    box = call(
        "POST",
        f"{api}/suggestion-boxes",
        auth,
        json_body={
            "area_id": area_id,
            "location": "Nhà văn hóa",
            "installed_on": "2026-01-05",
            "keeper": "Ông Hà Văn Sơn",
        },
    )
    opening = call(
        "POST",
        f"{api}/suggestion-boxes/{box['id']}/openings",
        auth,
        json_body={
            "opened_at": "2026-02-10T08:30:00",
            "seal_condition": "intact",
            "letters_found": letters,
            "witnesses": [{"name": "A"}, {"name": "B"}],
        },
    )
    return f"{api}/suggestion-boxes/openings/{opening['id']}/letters"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=50)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-ocr", action="store_true", help="skip the OCR figure")
    parser.add_argument(
        "--before",
        type=Path,
        action="append",
        default=[],
        help="a folder holding another version's `services` (e.g. `git archive main services | "
        "tar -x -C DIR`): another server runs it, measured in the same runs (repeatable)",
    )
    parser.add_argument(
        "--spool-dir",
        type=Path,
        help="TMPDIR of the app servers, where uploads are spooled (e.g. /dev/shm, a tmpfs: no "
        "disk writeback under the spool); the S3 server's data stay where they are",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="threads of the app servers' one worker: 1 is a sync worker, more a gthread one "
        "(the image runs 4)",
    )
    parser.add_argument(
        "--name", default="letters", help="part of the scratch database's name (whose it is)"
    )
    args = parser.parse_args()

    from giamsat.core.config import Settings
    from giamsat.core.storage.minio import _client
    from giamsat.devstack import seaweed

    migrations = Settings().migrations_dir
    db_name = f"giamsat_bench_{args.name}_{uuid.uuid4().hex[:8]}"
    work = Path(tempfile.mkdtemp(prefix="giamsat-bench-"))
    scanner = "scanner PDF (information dictionary of dates: blanked in place)"
    scans = {scanner: work / "scan.pdf"}
    make_scan(scans[scanner], args.size_mb)
    scans["clean PDF (nothing to strip: stored as sent)"] = work / "clean.pdf"
    without_info(work / "scan.pdf", work / "clean.pdf")
    server = seaweed.start()  # its own ports and process: stop() ends only this one
    webs: list[subprocess.Popen] = []
    results = {}
    ocr_figures = None
    try:
        s3 = server.s3_config()
        url, tw, token = setup_database(db_name, s3, migrations)
        env = os.environ | {
            "GIAMSAT_DATABASE_URL": url,
            "GIAMSAT_S3_URL": s3.url,
            "GIAMSAT_S3_ACCESS_KEY": s3.access_key,
            "GIAMSAT_S3_SECRET_KEY": s3.secret_key,
            "GIAMSAT_S3_BUCKET_PREFIX": s3.bucket_prefix,
            "GIAMSAT_SECRET_KEY": "bench",
            "GIAMSAT_REDIS_URL": "redis://127.0.0.1:6379/9",
            "GIAMSAT_QUEUE_PREFIX": f"bench-{uuid.uuid4().hex[:6]}-",
        }
        spool = {"TMPDIR": str(args.spool_dir)} if args.spool_dir else {}
        codes = {"this code": env | spool}
        for before in args.before:
            services = str((before / "services").resolve())
            codes[f"--before {before.name}"] = env | spool | {"PYTHONPATH": services}
        auth = {"Authorization": f"Bearer {token}"}
        servers = {}
        for code, code_env in codes.items():
            port = free_port()
            web, worker_pid = start_web(code_env, port, args.threads)
            webs.append(web)
            api = f"http://127.0.0.1:{port}/api/v1/t/bench"
            letters = (args.runs + 1) * len(scans)
            servers[code] = (open_upload(api, auth, tw.area_x, letters), auth, worker_pid)
        client = _client(s3)
        bucket = f"{s3.bucket_prefix}-bench"
        # One warm-up upload per server (imports, connection pools) that is not counted.
        s3_pid = server.process.pid
        upload_runs.measure(servers, client, bucket, scans[scanner], 1, s3_pid)
        for label, scan in scans.items():
            figures = upload_runs.measure(servers, client, bucket, scan, args.runs, s3_pid)
            results[label] = (scan.stat().st_size, figures)
        if not args.no_ocr:
            ocr_figures = bench_ocr()
    finally:
        for web in webs:
            web.terminate()
            web.wait(15)
        server.stop()
        drop_database(db_name)
        for scan in scans.values():
            scan.unlink(missing_ok=True)
        work.rmdir()

    upload_runs.report(args.runs, results)
    if ocr_figures:
        print(
            f"\nOCR of one A4 page at 300 dpi (vie): {ocr_figures['seconds']:.1f} s, "
            f"{ocr_figures['words']} words; peak RSS Python {ocr_figures['python_peak_mb']:.0f} MB"
            f" / tesseract {ocr_figures['tesseract_peak_mb']:.0f} MB"
        )


if __name__ == "__main__":
    main()
