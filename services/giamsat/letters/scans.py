"""Scans of letters through the core upload door (`giamsat.core.uploads`): JPEG, PNG, TIFF or
PDF, up to 64 MB and 30 pages; images re-encoded without metadata, PDFs checked and cleaned by
pikepdf, then streamed to the tenant's bucket in one put. Nothing is read whole into memory.
"""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass
from typing import BinaryIO

from PIL import Image

from giamsat.core import uploads
from giamsat.core.errors import Unavailable, ValidationFailed
from giamsat.core.storage import StorageError

#: A scanner's PDF of a long letter may be big; photos and pages are far smaller.
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_FILE_LABEL = "64 MB"
MAX_PAGES = 30
#: About A3 at 400 dpi; above this an image is refused as a possible decompression bomb
#: (also the bound of the memory one decoded page may take).
MAX_PIXELS = 40_000_000
COPY_CHUNK = 1024 * 1024
KEY_PREFIX = "letters"

JPEG, PNG, TIFF, PDF = uploads.JPEG, uploads.PNG, uploads.TIFF, uploads.PDF
ACCEPTED = (JPEG, PNG, TIFF, PDF)

# Pillow's own guard warns at MAX_IMAGE_PIXELS and refuses at twice that; the upload door
# refuses above MAX_PIXELS before decoding anything.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


@dataclass
class IncomingFile:
    """An uploaded file as the shells hand it over (e.g. werkzeug FileStorage.stream)."""

    stream: BinaryIO
    filename: str


@dataclass(frozen=True)
class StoredScan:
    key: str
    original_name: str
    content_type: str
    size: int
    sha256: str
    page_count: int


def refuse(message: str, field: str = "files") -> ValidationFailed:
    return ValidationFailed(message, field=field)


def scan_policy() -> uploads.Policy:
    """Read at call time, so a test can lower a limit."""
    return uploads.Policy(
        accepted=frozenset(ACCEPTED),
        max_bytes=MAX_FILE_BYTES,
        max_label=MAX_FILE_LABEL,
        accepted_sentence="Chỉ nhận ảnh chụp hoặc bản quét: JPG, PNG, TIFF hoặc PDF.",
        max_pages=MAX_PAGES,
        max_pixels=MAX_PIXELS,
        field="files",
        default_name="ban-quet",
    )


def clean_filename(filename: str | None) -> str:
    return uploads.clean_filename(filename, "ban-quet")


def store_scan(storage, key: str, incoming: IncomingFile) -> StoredScan:
    """Check one upload and stream it (cleaned) to `key`. A Refusal (ValidationFailed) for a
    bad file, Unavailable when the storage fails; in both cases nothing is left under `key`."""
    with uploads.checked(incoming.stream, incoming.filename, scan_policy()) as upload:
        try:
            return _stored(key, upload, uploads.store_checked(storage, key, upload))
        except StorageError as exc:
            raise storage_unavailable() from exc


def _stored(key: str, upload: uploads.CheckedFile, sha256: str) -> StoredScan:
    return StoredScan(
        key=key,
        original_name=upload.name,
        content_type=upload.content_type,
        size=upload.size,
        sha256=sha256,
        page_count=upload.pages,
    )


class ScanBatch:
    """Checks and stores the scans of one operation, like `store_scan`, except that a scan
    already on its way to storage (written while it arrived) is completed only by `complete`:
    the caller writes its rows in between, while the last parts are still going up.

    Use inside the pending-upload journal's block (`guarded_objects`), so every key is
    journaled before any object is completed. Leaving the block without `complete` (a refusal,
    a failed row) aborts what was not completed: no object, no parts left."""

    def __init__(self, storage):
        self._storage = storage
        self._open = ExitStack()
        self._deferred: list[tuple[str, uploads.CheckedFile]] = []

    def __enter__(self) -> ScanBatch:
        return self

    def __exit__(self, *exc) -> None:
        self._deferred.clear()
        self._open.__exit__(*exc)

    def store(self, key: str, incoming: IncomingFile) -> StoredScan:
        with ExitStack() as stack:
            upload = stack.enter_context(
                uploads.checked(incoming.stream, incoming.filename, scan_policy())
            )
            if upload.overlap is not None and upload.sha256 is not None:
                # The stored bytes are the spooled ones: the row can be written before them.
                self._open.enter_context(stack.pop_all())
                self._deferred.append((key, upload))
                return _stored(key, upload, upload.sha256)
            try:
                return _stored(key, upload, uploads.store_checked(self._storage, key, upload))
            except StorageError as exc:
                raise storage_unavailable() from exc

    def complete(self) -> None:
        """Complete the deferred scans (their last parts), in order; Unavailable if one fails."""
        deferred, self._deferred = self._deferred, []
        for key, upload in deferred:
            try:
                uploads.store_checked(self._storage, key, upload)
            except StorageError as exc:
                raise storage_unavailable() from exc


def put_object(storage, key: str, stream, length: int, content_type: str) -> None:
    try:
        storage.put(key, stream, length=length, content_type=content_type)
    except StorageError as exc:
        raise storage_unavailable() from exc


def storage_unavailable() -> Unavailable:
    return Unavailable(
        "Chưa lưu được vì kho lưu trữ tệp đang gặp sự cố; chưa có gì được lưu. "
        "Hãy thử lại sau ít phút."
    )


#: A stored object copied to a temporary file (for pdfium/Pillow that need a path).
downloaded = uploads.downloaded
