"""The S3 adapter on the `minio` SDK — the only module that imports it."""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator
from urllib.parse import quote, urlsplit

import certifi
import urllib3
from minio import Minio
from minio.error import InvalidResponseError, MinioException, S3Error, ServerError

from giamsat.core import clock
from giamsat.core.storage import parts, single_put
from giamsat.core.storage.interface import (
    CHUNK_SIZE,
    DEFAULT_PRESIGN_EXPIRY,
    IterStream,
    ObjectMissing,
    ObjectReader,
    ObjectStat,
    S3Config,
    Storage,
    StorageError,
    validate_content_type,
    validate_key,
)

#: Size of each multipart part when the length is unknown; S3's minimum. One part at a time
#: is held in memory, so this bounds what an upload costs the web process.
PART_SIZE = 5 * 1024 * 1024
MISSING_CODES = {"NoSuchKey", "NoSuchObject"}
REFUSED_CODES = {
    "InvalidAccessKeyId",
    "SignatureDoesNotMatch",
    "AccessDenied",
    "InvalidToken",
    "ExpiredToken",
}
# Network failures from urllib3 and the socket layer, and what the SDK raises on odd answers.
_TRANSPORT_ERRORS = (urllib3.exceptions.HTTPError, OSError, MinioException)


def _http(connect: float, read: float, retries: int) -> urllib3.PoolManager:
    # Bounded timeouts: the SDK's defaults (5 minutes) would hang a request on a dead server.
    retry = (
        urllib3.Retry(total=retries, backoff_factor=0.2, status_forcelist=[500, 502, 503, 504])
        if retries
        else False
    )
    return urllib3.PoolManager(
        timeout=urllib3.Timeout(connect=connect, read=read),
        retries=retry,
        maxsize=10,
        cert_reqs="CERT_REQUIRED",
        ca_certs=os.environ.get("SSL_CERT_FILE") or certifi.where(),
    )


def _minio(base_url: str, config: S3Config, http: urllib3.PoolManager) -> Minio:
    url = urlsplit(base_url)
    if url.scheme not in ("http", "https") or not url.hostname or url.path not in ("", "/"):
        raise StorageError(
            "Địa chỉ máy chủ lưu trữ tệp (GIAMSAT_S3_URL) không hợp lệ.",
            operation="configure",
            code="InvalidURL",
        )
    # The region is fixed so presigning never needs a network round trip.
    return Minio(
        url.netloc,
        access_key=config.access_key,
        secret_key=config.secret_key,
        secure=url.scheme == "https",
        region=config.region,
        http_client=http,
    )


@functools.lru_cache(maxsize=16)
def _client(config: S3Config) -> Minio:
    return _minio(config.url, config, _http(connect=5, read=60, retries=3))


@functools.lru_cache(maxsize=1)
def _upload_http() -> urllib3.PoolManager:
    ca_certs = os.environ.get("SSL_CERT_FILE") or certifi.where()
    return single_put.http_pool(connect=5, read=120, ca_certs=ca_certs)


@functools.lru_cache(maxsize=16)
def _presign_client(config: S3Config) -> Minio:
    return _minio(config.public_url or config.url, config, _http(connect=5, read=60, retries=0))


def _translate(exc: BaseException, operation: str, key: str = "") -> StorageError:
    """Turn an SDK or network failure into a StorageError that says what went wrong."""
    if isinstance(exc, StorageError):
        return exc
    if isinstance(exc, S3Error):
        return _from_code(exc.code or "", operation, key)
    if isinstance(exc, (ServerError, InvalidResponseError)):
        return StorageError(
            "Máy chủ lưu trữ tệp đang gặp sự cố, vui lòng thử lại sau.",
            operation=operation,
            key=key,
            code=type(exc).__name__,
        )
    return StorageError(
        "Không kết nối được máy chủ lưu trữ tệp, vui lòng thử lại sau.",
        operation=operation,
        key=key,
        code=type(exc).__name__,
    )


def _from_code(code: str, operation: str, key: str) -> StorageError:
    """The StorageError of an S3 error code."""
    if code in MISSING_CODES:
        return ObjectMissing(
            "Không tìm thấy tệp trong kho lưu trữ.", operation=operation, key=key, code=code
        )
    if code in REFUSED_CODES:
        return StorageError(
            "Máy chủ lưu trữ tệp từ chối truy cập: kiểm tra khóa truy cập.",
            operation=operation,
            key=key,
            code=code,
        )
    if code == "NoSuchBucket":
        return StorageError(
            "Kho lưu trữ tệp của đơn vị chưa được tạo.", operation=operation, key=key, code=code
        )
    return StorageError(
        "Máy chủ lưu trữ tệp báo lỗi.", operation=operation, key=key, code=code or "S3Error"
    )


class _SourceReader:
    """Counts what the caller's stream gave and tells its failures apart from S3's."""

    def __init__(self, stream):
        self._stream = stream
        self.total = 0
        self.failed = False

    def read(self, size: int = -1) -> bytes:
        try:
            data = self._stream.read(size)
        except BaseException:
            self.failed = True
            raise
        if not isinstance(data, bytes):
            data = bytes(data)
        self.total += len(data)
        return data


def _stat_from_headers(key: str, headers) -> ObjectStat:
    size = int(headers.get("Content-Length") or 0)
    content_range = headers.get("Content-Range") or ""
    match = re.search(r"/(\d+)$", content_range)
    if match:  # a range read: report the whole object's size
        size = int(match.group(1))
    modified = headers.get("Last-Modified")
    return ObjectStat(
        key=key,
        size=size,
        content_type=headers.get("Content-Type") or "application/octet-stream",
        etag=(headers.get("ETag") or "").strip('"'),
        last_modified=dt.datetime.strptime(modified, "%a, %d %b %Y %H:%M:%S %Z").replace(
            tzinfo=dt.UTC
        )
        if modified
        else None,
    )


def _content_disposition(name: str) -> str:
    # RFC 6266: an ASCII fallback for old browsers and the exact UTF-8 name for the rest.
    # "Thư góp ý.pdf" → "Thu gop y.pdf" (đ has no decomposition, so it is mapped by hand).
    ascii_name = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    ascii_name = ascii_name.encode("ascii", "ignore").decode()
    fallback = re.sub(r"[^A-Za-z0-9._ -]", "_", ascii_name)[:150] or "tep"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


class MinioStorage(Storage):
    """The objects of one bucket (one tenant) on any S3 server."""

    def __init__(self, config: S3Config, bucket: str):
        self._config = config
        self._bucket = bucket

    def __repr__(self) -> str:
        return f"MinioStorage(url={self._config.url!r}, bucket={self._bucket!r})"

    @property
    def _s3(self) -> Minio:
        return _client(self._config)

    def put(self, key, stream, length=-1, content_type="application/octet-stream"):
        validate_key(key)
        validate_content_type(content_type)
        if not callable(getattr(stream, "read", None)):
            if isinstance(stream, (bytes, bytearray, str)) or not isinstance(stream, Iterable):
                raise TypeError("put() takes a readable binary stream or an iterable of chunks")
            stream = IterStream(stream)
        source = _SourceReader(stream)
        if 0 <= length <= single_put.MAX_SINGLE_PUT:
            return self._single_put(key, source, length, content_type)
        try:
            result = self._s3.put_object(
                self._bucket,
                key,
                source,  # type: ignore[arg-type]  # has read(), all the SDK uses
                length,
                content_type=content_type,
                part_size=0 if length >= 0 else PART_SIZE,
                num_parallel_uploads=1,
            )
        except BaseException as exc:
            # The SDK has already tried to abort the multipart upload, so no object is left.
            if source.failed or not isinstance(exc, _TRANSPORT_ERRORS):
                raise
            if (
                0 <= source.total < length
                and isinstance(exc, OSError)
                and "not enough data" in str(exc)
            ):
                raise StorageError(
                    "Tệp gửi lên ngắn hơn kích thước đã khai báo.",
                    operation="put",
                    key=key,
                    code="IncompleteBody",
                ) from exc
            raise _translate(exc, "put", key) from exc
        return ObjectStat(
            key=key,
            size=source.total,
            content_type=content_type,
            etag=(result.etag or "").strip('"'),
            last_modified=None,
        )

    def _single_put(self, key, source: _SourceReader, length: int, content_type: str):
        """Known length: one streaming PUT (see `single_put`); nothing is left on failure,
        as S3 stores an object only once its whole body has arrived."""
        url = self._s3.presigned_put_object(self._bucket, key, dt.timedelta(minutes=30))
        try:
            status, etag, code = single_put.put(_upload_http(), url, source, length, content_type)
        except single_put.ShortBody as exc:
            raise StorageError(
                "Tệp gửi lên ngắn hơn kích thước đã khai báo.",
                operation="put",
                key=key,
                code="IncompleteBody",
            ) from exc
        except BaseException as exc:
            if source.failed or not isinstance(exc, _TRANSPORT_ERRORS):
                raise
            raise _translate(exc, "put", key) from exc
        if code:
            raise _from_code(code, "put", key)
        return ObjectStat(
            key=key, size=source.total, content_type=content_type, etag=etag, last_modified=None
        )

    def begin_multipart(self, key, content_type):
        return parts.S3MultipartWrite(
            self._s3,
            _upload_http(),
            self._bucket,
            validate_key(key),
            validate_content_type(content_type),
            translate=_translate,
            from_code=_from_code,
            transport_errors=_TRANSPORT_ERRORS,
        )

    def is_same_bucket(self, other):
        return isinstance(other, MinioStorage) and (other._config, other._bucket) == (
            self._config,
            self._bucket,
        )

    def abort_stale_multipart(self, older_than):
        cutoff = clock.now() - older_than  # aware: compares with S3's UTC times
        try:
            stale = parts.stale_uploads(self._s3, self._bucket, cutoff)
            for key, upload_id in stale:
                self._s3._abort_multipart_upload(self._bucket, key, upload_id)
        except _TRANSPORT_ERRORS as exc:
            raise _translate(exc, "abort_stale_multipart") from exc
        return len(stale)

    def open(self, key, offset=0, length=None):
        validate_key(key)
        if offset < 0 or (length is not None and length <= 0):
            raise ValueError("offset must be >= 0 and length > 0")
        try:
            response = self._s3.get_object(self._bucket, key, offset=offset, length=length or 0)
        except _TRANSPORT_ERRORS as exc:
            raise _translate(exc, "open", key) from exc

        def chunks() -> Iterator[bytes]:
            try:
                yield from response.stream(CHUNK_SIZE)
            except _TRANSPORT_ERRORS as exc:
                # The server went away mid-download: the caller must not take a short body.
                raise _translate(exc, "read", key) from exc

        def close() -> None:
            response.close()
            response.release_conn()

        return ObjectReader(chunks(), close, _stat_from_headers(key, response.headers))

    def stat(self, key):
        validate_key(key)
        try:
            info = self._s3.stat_object(self._bucket, key)
        except _TRANSPORT_ERRORS as exc:
            raise _translate(exc, "stat", key) from exc
        return ObjectStat(
            key=key,
            size=info.size or 0,
            content_type=info.content_type or "application/octet-stream",
            etag=(info.etag or "").strip('"'),
            last_modified=info.last_modified,
        )

    def keys(self):
        try:
            for item in self._s3.list_objects(self._bucket, recursive=True):
                if item.object_name and not item.is_dir:
                    yield item.object_name
        except _TRANSPORT_ERRORS as exc:
            raise _translate(exc, "list") from exc

    def delete(self, key):
        validate_key(key)
        try:
            self._s3.remove_object(self._bucket, key)
        except _TRANSPORT_ERRORS as exc:
            error = _translate(exc, "delete", key)
            if not isinstance(error, ObjectMissing):
                raise error from exc

    def presigned_get(self, key, expires=DEFAULT_PRESIGN_EXPIRY, *, download_name=None):
        validate_key(key)
        headers: dict[str, str | list[str] | tuple[str]] | None = (
            {"response-content-disposition": _content_disposition(download_name)}
            if download_name
            else None
        )
        try:
            return _presign_client(self._config).presigned_get_object(
                self._bucket, key, expires=expires, response_headers=headers
            )
        except _TRANSPORT_ERRORS as exc:
            raise _translate(exc, "presign", key) from exc


def ensure_bucket(config: S3Config, bucket: str) -> bool:
    s3 = _client(config)
    try:
        if s3.bucket_exists(bucket):
            return False
        s3.make_bucket(bucket)
    except S3Error as exc:
        # Another process created it between our check and our request: that is fine.
        if exc.code in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
            return False
        raise _translate(exc, "ensure_bucket") from exc
    except _TRANSPORT_ERRORS as exc:
        raise _translate(exc, "ensure_bucket") from exc
    return True


def check_connection(config: S3Config, timeout: float) -> None:
    # No retries, short timeouts: a readiness probe must answer fast, even when S3 is down.
    http = _http(connect=timeout, read=timeout, retries=0)
    try:
        _minio(config.url, config, http).list_buckets()
    except _TRANSPORT_ERRORS as exc:
        raise _translate(exc, "check") from exc
    finally:
        http.clear()
