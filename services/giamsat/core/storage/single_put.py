"""One streaming PUT of known length: the body goes from the file to the socket in large
blocks, nothing is held in memory and there is no multipart bookkeeping (initiate, parts,
complete) — for a local file this is what the SDK's multipart put costs over the raw wire."""

from __future__ import annotations

import io
import re
import socket
from typing import Any

import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

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


class FileRange:
    """`length` bytes of an open file from `offset`, as the one chunk of a request body: a
    connection of `http_pool` hands them to the kernel (`sendfile`) instead of reading them
    into Python and writing them out again."""

    def __init__(self, file: Any, offset: int, length: int):
        self.file, self.offset, self.length = file, offset, length

    def read(self, size: int = -1) -> bytes:  # the block-copy fallback (TLS)
        return _Exact(self.file, self.length).read(size) if self.length > 0 else b""


def kernel_sends(sock: Any) -> bool:
    """A plain TCP socket: TLS can't go through the kernel's sendfile, and socket.sendfile
    would copy it 8 KiB at a time."""
    return type(sock) is socket.socket


class _FileRangeMixin:
    def send(self, data):
        if not isinstance(data, FileRange):
            return super().send(data)  # type: ignore[misc]
        sock = self.sock  # type: ignore[attr-defined]
        if not kernel_sends(sock):
            data.file.seek(data.offset)
            return super().send(_Exact(data.file, data.length))  # type: ignore[misc]
        # One call for the whole range: the GIL is let go once per part, not per block.
        if sock.sendfile(data.file, data.offset, data.length) < data.length:
            raise ShortBody()
        return None


class _Connection(_FileRangeMixin, HTTPConnection):
    pass


class _TLSConnection(_FileRangeMixin, HTTPSConnection):
    pass


class _Pool(HTTPConnectionPool):
    ConnectionCls = _Connection


class _TLSPool(HTTPSConnectionPool):
    ConnectionCls = _TLSConnection


def http_pool(connect: float, read: float, ca_certs: str) -> urllib3.PoolManager:
    manager = urllib3.PoolManager(
        timeout=urllib3.Timeout(connect=connect, read=read),
        retries=False,  # the body is a stream: a retry would send a partial one
        maxsize=4,
        blocksize=BLOCK_SIZE,
        cert_reqs="CERT_REQUIRED",
        ca_certs=ca_certs,
    )
    manager.pool_classes_by_scheme = {"http": _Pool, "https": _TLSPool}
    return manager


def _file_range(stream: Any, length: int) -> FileRange | None:
    """A plain file on disk, positioned where the body starts: sent by `sendfile`."""
    if not isinstance(stream, io.BufferedReader | io.FileIO):
        return None
    return FileRange(stream, stream.tell(), length)


def put(
    http: urllib3.PoolManager, url: str, stream: Any, length: int, content_type: str
) -> tuple[int, str, str]:
    """`stream` has read(n); what it gives is sent as it comes, never gathered (a file on disk
    goes from its current position by `sendfile`)."""
    file_range = _file_range(stream, length)
    body = [file_range] if file_range is not None else _Exact(stream, length)
    response = http.request(
        "PUT",
        url,
        body=body,  # type: ignore[arg-type]  # has read() or is [FileRange]: see _Connection
        headers={"Content-Length": str(length), "Content-Type": content_type},
        chunked=False,
    )
    code = ""
    if response.status >= 300:
        match = re.search(rb"<Code>([^<]+)</Code>", response.data or b"")
        code = match.group(1).decode() if match else f"HTTP{response.status}"
    return response.status, (response.headers.get("ETag") or "").strip('"'), code
