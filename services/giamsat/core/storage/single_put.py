"""One streaming PUT of known length: the body goes from the file to the socket in large
blocks, nothing is held in memory and there is no multipart bookkeeping (initiate, parts,
complete) — for a local file this is what the SDK's multipart put costs over the raw wire."""

from __future__ import annotations

import re
from typing import Any

import urllib3

#: Bytes handed to the socket per write; big blocks keep the Python overhead per MB small.
BLOCK_SIZE = 1024 * 1024
#: S3's limit for a single PUT; above it the adapter uses its multipart upload.
MAX_SINGLE_PUT = 5 * 1024**3


class ShortBody(Exception):
    """The stream ended before `length` bytes."""


class _Exact:
    """Reads the stream up to `length`; a stream that ends early raises instead of hanging
    the server on a body it will never get."""

    def __init__(self, stream: Any, length: int):
        self._stream, self._left = stream, length

    def read(self, size: int = -1) -> bytes:
        if self._left <= 0:
            return b""
        want = self._left if size is None or size < 0 else min(size, self._left)
        data = self._stream.read(want)
        if not data:
            raise ShortBody()
        self._left -= len(data)
        return bytes(data)


def http_pool(connect: float, read: float, ca_certs: str) -> urllib3.PoolManager:
    return urllib3.PoolManager(
        timeout=urllib3.Timeout(connect=connect, read=read),
        retries=False,  # the body is a stream: a retry would send a partial one
        maxsize=4,
        blocksize=BLOCK_SIZE,
        cert_reqs="CERT_REQUIRED",
        ca_certs=ca_certs,
    )


def put(
    http: urllib3.PoolManager, url: str, stream: Any, length: int, content_type: str
) -> tuple[int, str, str]:
    """`stream` has read(n); what it gives is sent as it comes, never gathered."""
    body = _Exact(stream, length)
    response = http.request(
        "PUT",
        url,
        body=body,  # type: ignore[arg-type]  # has read(), all http.client uses
        headers={"Content-Length": str(length), "Content-Type": content_type},
        chunked=False,
    )
    code = ""
    if response.status >= 300:
        match = re.search(rb"<Code>([^<]+)</Code>", response.data or b"")
        code = match.group(1).decode() if match else f"HTTP{response.status}"
    return response.status, (response.headers.get("ETag") or "").strip('"'), code
