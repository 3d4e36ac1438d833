"""A 60 MB upload stored while it arrives (parts sent from the growing spool) costs the web
process at most 20 MB: two parts stream from the file in 1 MiB blocks, never gathered."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from giamsat.core.config import PROJECT_ROOT

SIZE = 60 * 1024 * 1024
PROBE = Path(__file__).with_name("overlap_probe.py")
#: The web worker's peak RSS growth allowed for one upload (issue 13, point 4).
MAX_GROWTH = 20 * 1024 * 1024


def test_sixty_megabytes_stored_while_arriving_with_bounded_memory(s3_config, buckets):
    env = {
        **os.environ,
        "GIAMSAT_S3_URL": s3_config.url,
        "GIAMSAT_S3_ACCESS_KEY": s3_config.access_key,
        "GIAMSAT_S3_SECRET_KEY": s3_config.secret_key,
        "GIAMSAT_S3_REGION": s3_config.region,
    }
    done = subprocess.run(
        [sys.executable, str(PROBE), buckets["alpha"], str(SIZE)],
        env=env,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["completed"] and report["stored"] == SIZE
    assert report["sha256"] == report["spooled_sha256"]
    assert report["growth"] <= MAX_GROWTH, report["growth"]
