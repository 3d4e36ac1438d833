"""The one copy of an upload on disk: a named temporary file that hashes and counts what is
written into it.

Werkzeug's form parser writes each uploaded part into the file it gets from the request's
stream factory; the app hands it a `SpoolFile` (see `giamsat.app`), so the parser's own
spooling *is* the pipeline's copy and the body is read once. A stream from elsewhere (a job, a
test, a `BytesIO`) is copied into a `SpoolFile` in chunks.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO

from giamsat.core.uploads.overlap import OverlappedUpload, OverlapTarget, expected_type
from giamsat.core.uploads.refusals import Refusal

COPY_CHUNK = 1024 * 1024
#: Writes are gathered to this size before hashing and writing: each hash and write lets go
#: of the GIL, and with the overlap's sender threads in the process getting it back can take
#: up to the switch interval (5 ms); 64 KiB pieces (werkzeug's) would pay that 1,600 times
#: for a 50 MB scan, 1 MiB blocks 50 times.
WRITE_BLOCK = 1024 * 1024
#: A write this big (the parser's ~250 KB blocks) is hashed and written as it is, without the
#: gathering copy.
DIRECT_WRITE = 128 * 1024


class SpoolFile:
    """A temporary file on disk (`path`) that keeps `size` and `sha256` of what was written.

    Closing it removes the file (and aborts an `overlap` not completed). Only sequential writes
    count; after the writer is done it is read from the start like any file."""

    def __init__(self, prefix: str = "giamsat-upload-"):
        handle, self.path = tempfile.mkstemp(prefix=prefix)
        self._file = os.fdopen(handle, "w+b")
        self._sha256 = hashlib.sha256()
        self._pending = bytearray()
        #: (bytes hashed, the hash's state then) at each block: a change in place near the end
        #: of the file is hashed again from the block before it, not from the start.
        self._checkpoints: list[tuple[int, object]] = []
        self._hashed = 0
        self.size = 0
        #: Set by `request_file_stream` for a file worth storing while it arrives.
        self.overlap: OverlappedUpload | None = None
        self._next_part_at = 0

    @property
    def sha256(self) -> str:
        self._drain()
        return self._sha256.hexdigest()

    def rehash_from(self, offset: int) -> str:
        """The SHA-256 of the file now, after bytes from `offset` on were changed in place."""
        self._drain()
        self._file.flush()
        done, digest = 0, hashlib.sha256()
        for at, state in self._checkpoints:
            if at > offset:
                break
            done, digest = at, state  # type: ignore[assignment]
        digest = digest.copy()
        with open(self.path, "rb") as handle:
            handle.seek(done)
            while chunk := handle.read(COPY_CHUNK):
                digest.update(chunk)
        return digest.hexdigest()

    def arrived(self) -> None:
        """The writer is done: an overlapped upload sends its last part now."""
        if self.overlap is not None:
            self.flush()
            self.overlap.arrived(self.size)

    def _drain(self) -> None:
        if self._pending:
            self._block(self._pending)
            self._pending.clear()

    def _block(self, data: bytes | bytearray) -> None:
        self._checkpoints.append((self._hashed, self._sha256.copy()))
        self._hashed += len(data)
        self._sha256.update(data)
        self._file.write(data)

    # --- what werkzeug's parser and FileStorage use ---------------------------------------
    def write(self, data) -> int:
        if len(data) >= DIRECT_WRITE:
            self._drain()
            self._block(data)
        else:
            self._pending += data
            if len(self._pending) >= WRITE_BLOCK:
                self._drain()
        self.size += len(data)
        if self.overlap is not None and self.size >= self._next_part_at:
            self.flush()  # the uploading thread reads the file through its own handle
            self.overlap.grown(self.size)
            part = self.overlap.part_size
            self._next_part_at = (self.size // part + 1) * part
        return len(data)

    def read(self, size: int = -1) -> bytes:
        self._drain()
        return self._file.read(size)

    def readable(self) -> bool:
        return True

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = 0) -> int:
        self._drain()
        return self._file.seek(offset, whence)

    def tell(self) -> int:
        self._drain()
        return self._file.tell()

    def flush(self) -> None:
        self._drain()
        self._file.flush()

    def __iter__(self) -> Iterator[bytes]:
        self._drain()
        return iter(self._file)

    @property
    def closed(self) -> bool:
        return self._file.closed

    def close(self) -> None:
        if self.overlap is not None:
            self.overlap.cancel()
        if not self._file.closed:
            self._file.close()
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass

    def __enter__(self) -> SpoolFile:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self) -> None:  # a request that never closed its files
        try:
            self.close()
        except Exception:  # noqa: BLE001 — interpreter shutdown
            pass


def request_file_stream(
    target: OverlapTarget | None = None, filename: str | None = None
) -> SpoolFile:
    """Every uploaded part goes to a SpoolFile; with a `target` (the endpoint's storage), one
    that may be stored unchanged is sent there part by part while it arrives (`overlap`)."""
    spool = SpoolFile()
    content_type = expected_type(filename) if target is not None else None
    if target is not None and content_type is not None:
        spool.overlap = OverlappedUpload(target, spool.path, content_type)
        spool._next_part_at = spool.overlap.part_size
    return spool


def overlap_request_body(request, target: OverlapTarget) -> None:
    """Before the request's body is parsed: its big files go to `target` while they arrive
    (the app's request class reads `upload_target`; a body already parsed is not affected)."""
    request.upload_target = target


def reserved_key(stream) -> str | None:
    """The storage key an upload is already being written to, if any: store it under this key
    (`new_key` otherwise), or the overlapped write is aborted and the file put again."""
    overlap = getattr(stream, "overlap", None) if isinstance(stream, SpoolFile) else None
    return overlap.key if overlap is not None else None


@contextmanager
def spooled(stream: BinaryIO, *, limit: int, too_large: Refusal) -> Iterator[SpoolFile]:
    """The upload as a SpoolFile: the parser's own when it made one, else a chunked copy that
    stops at `limit` + one chunk. Oversize raises `too_large`; the file is removed on exit."""
    if isinstance(stream, SpoolFile) and not stream.closed:
        stream.flush()
        if stream.size > limit:
            raise too_large
        stream.arrived()
        yield stream
        return
    spool = SpoolFile()
    try:
        while chunk := stream.read(COPY_CHUNK):
            spool.write(chunk)
            if spool.size > limit:
                raise too_large
        spool.flush()
        yield spool
    finally:
        spool.close()


@contextmanager
def downloaded(storage, key: str) -> Iterator[str]:
    """A stored object copied to a temporary file in chunks (for readers that need a path)."""
    spool = SpoolFile(prefix="giamsat-obj-")
    try:
        with storage.open(key) as reader:
            while chunk := reader.read(COPY_CHUNK):
                spool.write(chunk)
        spool.flush()
        yield spool.path
    finally:
        spool.close()
