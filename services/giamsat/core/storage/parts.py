"""An S3 multipart upload written one part at a time, each part one streaming PUT of known
length to a presigned part URL (unsigned payload: the part goes from the file to the socket by
sendfile, never gathered in memory — the SDK's own part upload signs a payload it holds)."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import urllib3

from giamsat.core.storage import single_put
from giamsat.core.storage.interface import MultipartWrite, ObjectStat, StorageError

#: A presigned part URL lives this long: long enough for one part over a slow link.
PART_URL_EXPIRY = dt.timedelta(minutes=30)


@dataclass(frozen=True)
class _Part:
    """What the SDK's CompleteMultipartUpload reads of a part."""

    part_number: int
    etag: str


class S3MultipartWrite(MultipartWrite):
    """`s3` is the SDK client of the adapter; `translate` turns an SDK or network failure
    into a StorageError and `from_code` an S3 error code (both from the adapter)."""

    def __init__(
        self,
        s3: Any,
        http: urllib3.PoolManager,
        bucket: str,
        key: str,
        content_type: str,
        *,
        translate: Callable[[BaseException, str, str], StorageError],
        from_code: Callable[[str, str, str], StorageError],
        transport_errors: tuple[type[BaseException], ...],
    ):
        self._s3, self._http, self._bucket, self.key = s3, http, bucket, key
        self._content_type = content_type
        self._translate, self._from_code = translate, from_code
        self._errors = transport_errors
        self._parts: dict[int, tuple[str, int]] = {}
        self._lock = threading.Lock()  # parts may be sent from several threads
        try:
            self.upload_id: str = s3._create_multipart_upload(
                bucket, key, {"Content-Type": content_type}
            )
        except transport_errors as exc:
            raise translate(exc, "begin_multipart", key) from exc

    def put_part(self, number, stream, length):
        try:
            url = self._s3.get_presigned_url(
                "PUT",
                self._bucket,
                self.key,
                PART_URL_EXPIRY,
                extra_query_params={"partNumber": str(number), "uploadId": self.upload_id},
            )
            _, etag, code = single_put.put(
                self._http, url, stream, length, "application/octet-stream"
            )
        except single_put.ShortBody as exc:
            raise StorageError(
                "Tệp gửi lên ngắn hơn kích thước đã khai báo.",
                operation="put_part",
                key=self.key,
                code="IncompleteBody",
            ) from exc
        except self._errors as exc:
            raise self._translate(exc, "put_part", self.key) from exc
        if code:
            raise self._from_code(code, "put_part", self.key)
        with self._lock:
            self._parts[number] = (etag, length)

    def complete(self):
        with self._lock:
            parts = [_Part(n, etag) for n, (etag, _) in sorted(self._parts.items())]
            size = sum(length for _, length in self._parts.values())
        try:
            result = self._s3._complete_multipart_upload(
                self._bucket, self.key, self.upload_id, parts
            )
        except self._errors as exc:
            raise self._translate(exc, "complete_multipart", self.key) from exc
        return ObjectStat(
            key=self.key,
            size=size,
            content_type=self._content_type,
            etag=(result.etag or "").strip('"'),
            last_modified=None,
        )

    def abort(self):
        try:
            self._s3._abort_multipart_upload(self._bucket, self.key, self.upload_id)
        except self._errors as exc:
            error = self._translate(exc, "abort_multipart", self.key)
            if error.code != "NoSuchUpload":
                raise error from exc


def stale_uploads(s3: Any, bucket: str, cutoff: dt.datetime) -> list[tuple[str, str]]:
    """(key, upload id) of the bucket's multipart uploads initiated before `cutoff`."""
    found, key_marker, id_marker = [], None, None
    while True:
        result = s3._list_multipart_uploads(
            bucket, key_marker=key_marker, upload_id_marker=id_marker
        )
        for upload in result.uploads:
            initiated = upload.initiated_time
            if initiated is not None and initiated.tzinfo is None:
                initiated = initiated.replace(tzinfo=dt.UTC)
            if initiated is None or initiated < cutoff:
                found.append((upload.object_name, upload.upload_id))
        # The SDK (7.2) stores NextUploadIdMarker under a mangled name: read it where it is.
        next_id = getattr(result, "self._next_upload_id_marker", None)
        next_id = next_id or result.next_upload_id_marker
        if not result.is_truncated or (result.next_key_marker, next_id) == (key_marker, id_marker):
            return found
        key_marker, id_marker = result.next_key_marker, next_id
