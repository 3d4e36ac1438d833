"""One real S3 server for the whole test session: GIAMSAT_S3_URL's, or a SeaweedFS started here.

Both `tests/core/storage` and `tests/health` use the `s3_config` fixture; the server behind it is
shared and reference-counted, so a full run starts SeaweedFS once.
"""

from __future__ import annotations

import os
import secrets
import socket
from dataclasses import replace

import pytest

from giamsat.core.config import Settings
from giamsat.core.storage import S3Config
from giamsat.devstack import seaweed

_shared: dict = {"server": None, "config": None, "users": 0}


def _acquire() -> S3Config:
    if _shared["config"] is None:
        # A fresh bucket prefix per session: an external server may be shared with other runs.
        prefix = "gst-" + secrets.token_hex(4)
        url = os.environ.get("GIAMSAT_S3_URL")
        if url:
            _shared["config"] = S3Config(
                url=url,
                access_key=os.environ.get("GIAMSAT_S3_ACCESS_KEY", ""),
                secret_key=os.environ.get("GIAMSAT_S3_SECRET_KEY", ""),
                region=os.environ.get("GIAMSAT_S3_REGION", "us-east-1"),
                bucket_prefix=prefix,
            )
        else:
            _shared["server"] = seaweed.start()
            _shared["config"] = _shared["server"].s3_config(bucket_prefix=prefix)
    _shared["users"] += 1
    return _shared["config"]


def _release() -> None:
    _shared["users"] -= 1
    if _shared["users"] == 0:
        server, _shared["server"], _shared["config"] = _shared["server"], None, None
        if server is not None:
            server.stop()


@pytest.fixture(scope="session")
def s3_config() -> S3Config:
    config = _acquire()
    yield config
    _release()


def with_s3(settings: Settings, config: S3Config, **changes) -> Settings:
    """`settings` pointing at the S3 server in `config` (plus any other `changes`)."""
    values = {
        f"s3_{name}": getattr(config, name)
        for name in ("url", "access_key", "secret_key", "region", "bucket_prefix", "public_url")
    }
    values.update(changes)
    return replace(settings, **values)


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
