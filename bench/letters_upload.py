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
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import psutil
import urllib3
from PIL import Image
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.plugins.world builds the tenant's small unit tree

SERVER_URL = os.environ.get(
    "GIAMSAT_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


HTTP = urllib3.PoolManager(timeout=urllib3.Timeout(connect=5, read=600), retries=False)


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


def make_scan(path: Path, size_mb: int) -> int:
    """A multi-page PDF of noisy A4 pages at 300 dpi (JPEG inside), at least `size_mb` MB."""
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


class PeakRss(threading.Thread):
    """Samples a process's RSS every 20 ms; `.peak` after `stop()`."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.process = psutil.Process(pid)
        self.start_rss = self.process.memory_info().rss
        self.peak = self.start_rss
        self._halt = threading.Event()

    def run(self):
        while not self._halt.is_set():
            self.peak = max(self.peak, self.process.memory_info().rss)
            time.sleep(0.02)

    def stop(self) -> int:
        self._halt.set()
        self.join()
        return self.peak - self.start_rss


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


def start_web(env: dict, port: int) -> tuple[subprocess.Popen, int]:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            "1",
            "--threads",
            "1",
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
from giamsat.letters import ocr
page = letter_page(dpi=300)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.monotonic()
image, dpi = ocr._normalised(page, 300)
text = ocr.recognize(image)
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from giamsat.core.config import Settings
    from giamsat.core.storage.minio import _client
    from giamsat.devstack import seaweed

    migrations = Settings().migrations_dir
    db_name = f"giamsat_bench_{uuid.uuid4().hex[:8]}"
    work = Path(tempfile.mkdtemp(prefix="giamsat-bench-"))
    scan = work / "scan.pdf"
    size = make_scan(scan, args.size_mb)
    server = seaweed.start()
    web = None
    try:
        s3 = server.s3_config()
        url, tw, token = setup_database(db_name, s3, migrations)
        port = free_port()
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
        web, worker_pid = start_web(env, port)
        api = f"http://127.0.0.1:{port}/api/v1/t/bench"
        auth = {"Authorization": f"Bearer {token}"}
        box = call(
            "POST",
            f"{api}/suggestion-boxes",
            auth,
            json_body={
                "area_id": tw.area_x,
                "location": "Nhà văn hóa",
                "installed_on": "2026-01-05",
            },
        )
        opening = call(
            "POST",
            f"{api}/suggestion-boxes/{box['id']}/openings",
            auth,
            json_body={
                "opened_at": "2026-02-10T08:30:00",
                "seal_condition": "intact",
                "letters_found": args.runs,
                "witnesses": [{"name": "A"}, {"name": "B"}],
            },
        )
        upload_url = f"{api}/suggestion-boxes/openings/{opening['id']}/letters"
        body = scan.read_bytes()  # the client's copy; the server's memory is what is measured

        client = _client(s3)
        bucket = f"{s3.bucket_prefix}-bench"
        app_times, raw_times, rss_growth = [], [], []
        for run in range(args.runs):
            sampler = PeakRss(worker_pid)
            sampler.start()
            started = time.monotonic()
            call("POST", upload_url, auth, fields={"files": ("scan.pdf", body, "application/pdf")})
            app_times.append(time.monotonic() - started)
            rss_growth.append(sampler.stop())
            with open(scan, "rb") as handle:
                started = time.monotonic()
                client.put_object(
                    bucket, f"raw/run-{run}", handle, size, content_type="application/pdf"
                )
                raw_times.append(time.monotonic() - started)
        ocr_figures = bench_ocr()
    finally:
        if web is not None:
            web.terminate()
            web.wait(15)
        server.stop()
        drop_database(db_name)
        scan.unlink(missing_ok=True)
        work.rmdir()

    mb = size / 1024 / 1024
    app_s, raw_s = statistics.median(app_times), statistics.median(raw_times)
    print(f"| scan size | {mb:.1f} MB ({args.runs} runs, medians) |")
    print("|---|---|")
    print(
        f"| through the app (HTTP → gunicorn → checks → S3) | {app_s:.2f} s, "
        f"{mb / app_s:.1f} MB/s |"
    )
    print(
        f"| raw minio put_object, same bytes, same server | {raw_s:.2f} s, {mb / raw_s:.1f} MB/s |"
    )
    print(f"| throughput ratio app / raw | {raw_s / app_s:.2f} |")
    print(
        f"| peak RSS growth of the web worker during an upload | "
        f"{max(rss_growth) / 1024 / 1024:.1f} MB (max of runs) |"
    )
    print(
        f"| OCR of one A4 page at 300 dpi (vie) | {ocr_figures['seconds']:.1f} s, "
        f"{ocr_figures['words']} words |"
    )
    print(
        f"| OCR peak RSS: Python (page image) / tesseract | "
        f"{ocr_figures['python_peak_mb']:.0f} MB / {ocr_figures['tesseract_peak_mb']:.0f} MB |"
    )


if __name__ == "__main__":
    main()
