"""The storage interface: what a tenant's objects are and what an adapter must do."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO, Protocol, Self

from giamsat.core import clock

#: Server-generated keys only: lowercase segments of letters, digits, `_`, `-` (and `.` after
#: the first character), joined by `/`. No `..`, no leading `/`, nothing a user typed.
KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*(?:/[a-z0-9][a-z0-9._-]*)*$")
PREFIX_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*(?:/[a-z0-9][a-z0-9_-]*)*$")
MAX_KEY_LENGTH = 512
#: S3 bucket names as we create them: 3-63 lowercase letters, digits and single hyphens.
BUCKET_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$")
CONTENT_TYPE_PATTERN = re.compile(r"^[\w.+-]+/[\w.+-]+(?:\s*;\s*[\w.+-]+=[\w.+\"-]+)*$")
#: Read size when streaming an object out.
CHUNK_SIZE = 64 * 1024
DEFAULT_PRESIGN_EXPIRY = dt.timedelta(minutes=5)


class StorageError(Exception):
    """Object storage failed (unreachable, refused, broken mid-transfer).

    `message` is a plain Vietnamese sentence fit for a page; `str()` adds the technical
    detail for logs (operation, key, S3 error code) and never the credentials.
    """

    def __init__(self, message: str, *, operation: str = "", key: str = "", code: str = ""):
        self.message = message
        self.operation = operation
        self.key = key
        #: The S3 error code ("SignatureDoesNotMatch", "NoSuchKey", …) or the failing
        #: exception's class name when the server did not answer.
        self.code = code
        detail = ", ".join(
            f"{k}={v}" for k, v in (("operation", operation), ("key", key), ("code", code)) if v
        )
        super().__init__(f"{message} ({detail})" if detail else message)


class ObjectMissing(StorageError):
    """No object under that key in this tenant's bucket."""


@dataclass(frozen=True)
class S3Config:
    """The S3 settings, read from `Settings` (GIAMSAT_S3_*)."""

    url: str = "http://127.0.0.1:8333"
    access_key: str = ""
    secret_key: str = ""
    region: str = "us-east-1"
    bucket_prefix: str = "giamsat"
    #: Base URL browsers use for presigned links when it differs from `url` (e.g. the app
    #: talks to http://minio:9000 inside the cluster, people download from https://s3.example).
    public_url: str = ""

    def __repr__(self) -> str:  # keep the secret out of logs and tracebacks
        return f"S3Config(url={self.url!r}, access_key={self.access_key!r}, region={self.region!r})"

    @classmethod
    def from_settings(cls, settings) -> S3Config:
        if isinstance(settings, S3Config):
            return settings
        defaults = cls()
        return cls(
            **{
                name: getattr(settings, f"s3_{name}", getattr(defaults, name))
                for name in (
                    "url",
                    "access_key",
                    "secret_key",
                    "region",
                    "bucket_prefix",
                    "public_url",
                )
            }
        )


@dataclass(frozen=True)
class ObjectStat:
    key: str
    size: int
    content_type: str
    etag: str
    last_modified: dt.datetime | None


class ObjectReader:
    """A streamed object: iterate it for chunks, or `read(n)`; always close it (or use `with`).

    Hands straight to a Flask/werkzeug response, which closes it when the download ends.
    """

    def __init__(self, chunks: Iterator[bytes], close: Callable[[], None], stat: ObjectStat):
        self._chunks = chunks
        self._close = close
        self._buffer = b""
        self.stat = stat
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        if self._buffer:
            buffered, self._buffer = self._buffer, b""
            yield buffered
        yield from self._chunks

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            data, self._buffer = self._buffer + b"".join(self._chunks), b""
            return data
        parts, have = [self._buffer], len(self._buffer)
        while have < size:
            chunk = next(self._chunks, b"")
            if not chunk:
                break
            parts.append(chunk)
            have += len(chunk)
        data = b"".join(parts)
        self._buffer = data[size:]
        return data[:size]

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self._close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class IterStream:
    """A readable stream over an iterable of byte chunks (e.g. a generator), for `put`.

    `read(n)` returns exactly n bytes until the end, so the SDK fills a part in one go
    instead of concatenating many small reads.
    """

    def __init__(self, chunks: Iterable[bytes]):
        self._chunks = iter(chunks)
        self._rest = b""

    def read(self, size: int = -1) -> bytes:
        # Collect chunks and join once: a growing buffer would copy the part several times.
        parts, have, self._rest = [self._rest], len(self._rest), b""
        while size < 0 or have < size:
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            parts.append(chunk)
            have += len(chunk)
        if 0 <= size < have:  # split the last chunk, not the joined part (one copy less)
            last = parts.pop()
            cut = len(last) - (have - size)
            parts.append(last[:cut])
            self._rest = last[cut:]
        return b"".join(parts)


class _HasBucket(Protocol):
    bucket_name: str


class MultipartWrite(ABC):
    """One object written in numbered parts (S3 multipart upload): parts may be sent while the
    file is still being received; nothing exists under `key` until `complete`."""

    key: str

    @abstractmethod
    def put_part(self, number: int, stream: BinaryIO, length: int) -> None:
        """Send `length` bytes of `stream` as part `number` (1, 2, …), streamed, not gathered.
        Every part but the last must be at least 5 MiB. Raises StorageError."""

    @abstractmethod
    def complete(self) -> ObjectStat:
        """Join the parts sent so far into the object. Raises StorageError (nothing left)."""

    @abstractmethod
    def abort(self) -> None:
        """Drop the parts; no object is made. Raises StorageError when S3 can't be told."""


class Storage(ABC):
    """One tenant's objects. Callers pass keys from `new_key`, never bucket names."""

    @abstractmethod
    def put(
        self,
        key: str,
        stream: BinaryIO | Iterable[bytes],
        length: int = -1,
        content_type: str = "application/octet-stream",
    ) -> ObjectStat:
        """Stream `stream` up (multipart; at most one part in memory). `length=-1` if unknown.

        Raises StorageError; on failure no object is left under `key`."""

    @abstractmethod
    def open(self, key: str, offset: int = 0, length: int | None = None) -> ObjectReader:
        """Stream an object (or a byte range of it) down. Raises ObjectMissing, StorageError."""

    @abstractmethod
    def stat(self, key: str) -> ObjectStat:
        """Size, type and etag. Raises ObjectMissing, StorageError."""

    def begin_multipart(self, key: str, content_type: str) -> MultipartWrite | None:
        """Start writing `key` part by part; None when this storage can't (callers then `put`).
        Raises StorageError."""
        return None

    def is_same_bucket(self, other: Storage) -> bool:
        """Whether `other` writes to the same bucket of the same server as this one."""
        return other is self

    def abort_stale_multipart(self, older_than: dt.timedelta) -> int:
        """Abort multipart uploads begun longer ago than `older_than` (a crashed web worker's);
        returns how many. Raises StorageError."""
        return 0

    def exists(self, key: str) -> bool:
        try:
            self.stat(key)
        except ObjectMissing:
            return False
        return True

    @abstractmethod
    def keys(self) -> Iterator[str]:
        """Every key in the tenant's bucket, in key order (backups). Raises StorageError."""

    @abstractmethod
    def delete(self, key: str) -> None:
        """Remove the object; deleting a missing key is not an error."""

    @abstractmethod
    def presigned_get(
        self,
        key: str,
        expires: dt.timedelta = DEFAULT_PRESIGN_EXPIRY,
        *,
        download_name: str | None = None,
    ) -> str:
        """A URL that downloads this one object until `expires` passes.

        Call it only after the caller's authorization check: the URL itself is the permission.
        `download_name` (the original file name, from the database) is what the browser saves."""


def new_key(prefix: str) -> str:
    """A fresh, unguessable key under `prefix` ("letters", "cases/attachments"), by month."""
    if not PREFIX_PATTERN.match(prefix or ""):
        raise ValueError(f"invalid storage key prefix: {prefix!r}")
    today = clock.now()
    return f"{prefix}/{today:%Y/%m}/{uuid.uuid4().hex}"


def validate_key(key: str) -> str:
    if (
        not isinstance(key, str)
        or len(key) > MAX_KEY_LENGTH
        or ".." in key
        or not KEY_PATTERN.match(key)
    ):
        raise ValueError(f"invalid storage key: {key!r}")
    return key


def validate_bucket_name(name: str) -> str:
    if not isinstance(name, str) or not BUCKET_PATTERN.match(name):
        raise ValueError(f"invalid bucket name: {name!r}")
    return name


def validate_content_type(content_type: str) -> str:
    if (
        not isinstance(content_type, str)
        or len(content_type) > 200
        or not CONTENT_TYPE_PATTERN.match(content_type)
    ):
        raise ValueError(f"invalid content type: {content_type!r}")
    return content_type
