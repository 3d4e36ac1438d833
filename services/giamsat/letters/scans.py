"""Scans of letters through the core upload door (`giamsat.core.uploads`): JPEG, PNG, TIFF or
PDF, up to 64 MB and 30 pages; images re-encoded without metadata, PDFs checked and cleaned by
pikepdf, then streamed to the tenant's bucket in one put. Nothing is read whole into memory.
"""

from __future__ import annotations

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
            sha256 = uploads.store_checked(storage, key, upload)
        except StorageError as exc:
            raise storage_unavailable() from exc
        return StoredScan(
            key=key,
            original_name=upload.name,
            content_type=upload.content_type,
            size=upload.size,
            sha256=sha256,
            page_count=upload.pages,
        )


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
