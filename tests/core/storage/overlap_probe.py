"""Child process for the memory test of uploads stored while they arrive: write SIZE bytes
into a request spool in the form parser's 64 KiB pieces while its parts go to S3, complete it,
report peak RSS growth.

Run as `python overlap_probe.py BUCKET SIZE` with GIAMSAT_S3_* in the environment; prints one
JSON line. A separate process keeps the test runner's own memory out of the numbers.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys

from giamsat.core import uploads
from giamsat.core.storage import S3Config, storage_for

BLOCK = 64 * 1024  # what werkzeug's form parser writes at a time


def peak_rss() -> int:
    """VmHWM: the most resident memory this process has used so far, in bytes."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def blocks(size: int):
    """Deterministic, incompressible-looking data made on the fly, never held whole."""
    for i in range(0, size, BLOCK):
        yield hashlib.sha256(i.to_bytes(8, "big")).digest() * (min(BLOCK, size - i) // 32)


def main() -> None:
    bucket, size = sys.argv[1], int(sys.argv[2])
    config = S3Config(
        url=os.environ["GIAMSAT_S3_URL"],
        access_key=os.environ["GIAMSAT_S3_ACCESS_KEY"],
        secret_key=os.environ["GIAMSAT_S3_SECRET_KEY"],
        region=os.environ.get("GIAMSAT_S3_REGION", "us-east-1"),
    )
    storage = storage_for(bucket, config)
    target = uploads.OverlapTarget(storage, "probe")

    def arrive(total: int) -> uploads.SpoolFile:
        spool = uploads.request_file_stream(target, "ban-quet.pdf")
        for block in blocks(total):
            spool.write(block)
        return spool

    # Warm up imports, threads and connection pools with one small overlapped upload.
    warm = arrive(12 * 1024 * 1024)
    assert warm.overlap is not None
    assert warm.overlap.finish(storage, warm.overlap.key, warm.size, "application/pdf")
    storage.delete(warm.overlap.key)
    warm.close()
    before = peak_rss()

    spool = arrive(size)
    assert spool.overlap is not None
    key = spool.overlap.key
    completed = spool.overlap.finish(storage, key, spool.size, "application/pdf")
    got = hashlib.sha256()
    with storage.open(key) as reader:
        for chunk in reader:
            got.update(chunk)
    growth = peak_rss() - before
    stored = storage.stat(key).size
    storage.delete(key)
    print(
        json.dumps(
            {
                "growth": growth,
                "completed": completed,
                "stored": stored,
                "sha256": got.hexdigest(),
                "spooled_sha256": spool.sha256,
            }
        )
    )
    spool.close()


if __name__ == "__main__":
    main()
