"""Child process for the memory test: move SIZE bytes up and down, report peak RSS growth.

Run as `python transfer_probe.py BUCKET SIZE` with GIAMSAT_S3_* in the environment; prints
one JSON line. A separate process keeps the test runner's own memory out of the numbers.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import sys

from giamsat.core.storage import S3Config, new_key, storage_for

BLOCK = 64 * 1024


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
    # Warm up imports, connection pools and one small transfer before the baseline.
    warm = new_key("probe")
    storage.put(warm, io.BytesIO(b"warm"), 4)
    with storage.open(warm) as reader:
        reader.read()
    storage.delete(warm)
    before = peak_rss()

    expected = hashlib.sha256()
    for block in blocks(size):
        expected.update(block)
    unknown, known = new_key("probe"), new_key("probe")
    storage.put(unknown, blocks(size))  # length unknown: multipart by PART_SIZE
    storage.put(known, blocks(size), length=size)  # length known up front
    digests = []
    for key in (unknown, known):
        got = hashlib.sha256()
        with storage.open(key) as reader:
            for chunk in reader:
                got.update(chunk)
        digests.append(got.hexdigest())
        storage.delete(key)
    print(
        json.dumps(
            {
                "growth": peak_rss() - before,
                "expected": expected.hexdigest(),
                "digests": digests,
                "size": storage.stat(unknown).size if storage.exists(unknown) else 0,
            }
        )
    )


if __name__ == "__main__":
    main()
