"""The scan upload pipeline: stream to a temporary file, sniff, check limits, strip image
metadata by re-encoding the pixels, then stream to the tenant's bucket.

Nothing is ever read whole into memory: uploads are copied in chunks to a temporary file on
disk (hashing and counting on the way), images are decoded once (bounded by the pixel guard) and
PDFs are only opened by pdfium to count their pages. The type comes from the bytes alone.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import BinaryIO

from PIL import Image, ImageOps, UnidentifiedImageError

from giamsat.core.errors import Unavailable, ValidationFailed
from giamsat.core.storage import StorageError

#: A scanner's PDF of a long letter may be big; photos and pages are far smaller.
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_FILE_LABEL = "64 MB"
MAX_PAGES = 30
#: About A3 at 400 dpi; above this an image is refused as a possible decompression bomb
#: (also the bound of the memory one decoded page may take).
MAX_PIXELS = 40_000_000
SNIFF_BYTES = 16
COPY_CHUNK = 1024 * 1024
KEY_PREFIX = "letters"

JPEG, PNG, TIFF, PDF = "image/jpeg", "image/png", "image/tiff", "application/pdf"
ACCEPTED = (JPEG, PNG, TIFF, PDF)
_EXECUTABLE_MAGIC = (
    b"MZ",
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
    b"#!",
)
_PIL_FORMAT = {JPEG: "JPEG", PNG: "PNG", TIFF: "TIFF"}

# Pillow's own guard warns at MAX_IMAGE_PIXELS and refuses at twice that; ours refuses above
# MAX_PIXELS before decoding anything (see _open_image).
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


def sniff(head: bytes) -> str:
    """JPEG, PNG, TIFF or PDF from the first bytes; anything else is refused."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return TIFF
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(_EXECUTABLE_MAGIC):
        raise refuse(
            "Không nhận tệp chương trình (tệp chạy được), dù tên tệp là gì. "
            "Hãy gửi ảnh chụp hoặc bản quét (JPG, PNG, TIFF, PDF)."
        )
    raise refuse(
        "Loại tệp này không được nhận. Chỉ nhận ảnh chụp hoặc bản quét: JPG, PNG, TIFF hoặc PDF."
    )


def clean_filename(filename: str | None) -> str:
    from giamsat.cases.attachments import clean_filename as clean

    name = clean(filename)
    return "ban-quet" if name == "tep-dinh-kem" else name


@contextmanager
def spooled(stream: BinaryIO, limit: int = MAX_FILE_BYTES) -> Iterator[tuple[str, int]]:
    """Copy `stream` to a temporary file chunk by chunk: (path, size). Refuses empty and
    oversize uploads while copying (at most limit + one chunk is ever written)."""
    handle, path = tempfile.mkstemp(prefix="giamsat-scan-")
    try:
        size = 0
        with os.fdopen(handle, "wb") as out:
            while chunk := stream.read(COPY_CHUNK):
                size += len(chunk)
                if size > limit:
                    raise refuse(
                        f"Tệp quá lớn: mỗi tệp tối đa {MAX_FILE_LABEL}. Hãy quét lại "
                        "với độ phân giải thấp hơn (300 dpi là đủ) hoặc chia nhỏ tệp."
                    )
                out.write(chunk)
        if size == 0:
            raise refuse("Tệp rỗng (0 byte); hãy chọn lại tệp.")
        yield path, size
    finally:
        os.unlink(path)


def _open_image(path: str) -> Image.Image:
    """Open lazily and refuse before decoding: too many pixels, or not an image at all."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(path)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _bomb() from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise _broken() from None
    width, height = image.size
    if width * height > MAX_PIXELS or width <= 0 or height <= 0:
        image.close()
        raise _bomb()
    return image


def _bomb() -> ValidationFailed:
    return refuse(
        "Ảnh có kích thước điểm ảnh quá lớn (có thể là tệp độc hại); không nhận. "
        "Hãy quét lại ở 300 dpi."
    )


def _broken() -> ValidationFailed:
    return refuse(
        "Tệp ảnh bị hỏng hoặc không đầy đủ (có thể tải lên bị ngắt giữa chừng); "
        "hãy chụp hoặc quét lại."
    )


def _frames(image: Image.Image) -> Iterator[Image.Image]:
    for index in range(getattr(image, "n_frames", 1)):
        image.seek(index)
        yield image


def strip_image(path: str, content_type: str) -> tuple[str, int]:
    """Re-encode the pixels only — EXIF (GPS), XMP, ICC, comments are not carried over — into a
    new temporary file: (path, page count). The EXIF orientation is applied first, so photos
    stay upright without their metadata."""
    image = _open_image(path)
    pages = getattr(image, "n_frames", 1)
    if pages > MAX_PAGES:
        image.close()
        raise _too_many_pages(pages)
    handle, out_path = tempfile.mkstemp(prefix="giamsat-clean-")
    os.close(handle)
    try:
        with image, warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            dpi = _dpi_of(image)
            clean = [_pixels_only(frame) for frame in _frames(image)]
            fmt = _PIL_FORMAT[content_type]
            options: dict = {"dpi": dpi} if dpi else {}
            if fmt == "JPEG":
                options |= {"quality": 92, "optimize": True}
            elif fmt == "TIFF":
                options |= {"compression": "tiff_deflate"}
                if len(clean) > 1:
                    options |= {"save_all": True, "append_images": clean[1:]}
            clean[0].save(out_path, format=fmt, **options)
    except ValidationFailed:
        os.unlink(out_path)
        raise
    except (
        OSError,
        SyntaxError,
        ValueError,
        EOFError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ):
        os.unlink(out_path)
        raise _broken() from None
    except BaseException:
        os.unlink(out_path)
        raise
    return out_path, pages


def _dpi_of(image: Image.Image) -> tuple[int, int] | None:
    dpi = image.info.get("dpi")
    try:
        x, y = (round(float(v)) for v in dpi)
    except (TypeError, ValueError):
        return None
    return (x, y) if 30 <= x <= 2400 and 30 <= y <= 2400 else None


def _pixels_only(frame: Image.Image) -> Image.Image:
    """A new image holding the pixels only (info dict empty), upright per its EXIF."""
    upright = ImageOps.exif_transpose(frame) or frame
    upright.load()  # raises on truncated data
    mode = upright.mode
    if mode not in ("1", "L", "RGB", "RGBA", "I;16", "CMYK", "LA"):
        upright = upright.convert("RGB")
    fresh = Image.new(upright.mode, upright.size)
    fresh.paste(upright)
    return fresh


def count_pdf_pages(path: str) -> int:
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise refuse("Tệp PDF có mật khẩu; hãy gửi bản không đặt mật khẩu.") from None
        raise refuse("Tệp PDF bị hỏng hoặc không đọc được; hãy quét lại.") from None
    try:
        pages = len(document)
    finally:
        document.close()
    if pages == 0:
        raise refuse("Tệp PDF không có trang nào.")
    if pages > MAX_PAGES:
        raise _too_many_pages(pages)
    return pages


def _too_many_pages(pages: int) -> ValidationFailed:
    return refuse(
        f"Tệp có {pages} trang, quá giới hạn {MAX_PAGES} trang mỗi tệp; hãy chia thành nhiều tệp."
    )


class _Hashing:
    """A file reader that hashes what it hands to the SDK."""

    def __init__(self, handle: BinaryIO):
        self._handle = handle
        self.sha256 = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self._handle.read(size)
        self.sha256.update(data)
        return data


def store_scan(storage, key: str, incoming: IncomingFile) -> StoredScan:
    """Check one upload and stream it (cleaned) to `key`. ValidationFailed for a bad file,
    Unavailable when the storage fails; in both cases nothing is left under `key`."""
    name = clean_filename(incoming.filename)
    with spooled(incoming.stream) as (path, _):
        with open(path, "rb") as handle:
            content_type = sniff(handle.read(SNIFF_BYTES))
        if content_type == PDF:
            stored_path, pages, cleanup = path, count_pdf_pages(path), False
        else:
            stored_path, pages = strip_image(path, content_type)
            cleanup = True
        try:
            size = os.path.getsize(stored_path)
            with open(stored_path, "rb") as handle:
                reader = _Hashing(handle)
                put_object(storage, key, reader, size, content_type)
        finally:
            if cleanup:
                os.unlink(stored_path)
    return StoredScan(
        key=key,
        original_name=name,
        content_type=content_type,
        size=size,
        sha256=reader.sha256.hexdigest(),
        page_count=pages,
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


@contextmanager
def downloaded(storage, key: str) -> Iterator[str]:
    """The object copied to a temporary file (streamed), for pdfium/Pillow that need a path."""
    handle, path = tempfile.mkstemp(prefix="giamsat-obj-")
    try:
        with os.fdopen(handle, "wb") as out, storage.open(key) as reader:
            shutil.copyfileobj(_Chunks(reader), out, COPY_CHUNK)
        yield path
    finally:
        os.unlink(path)


class _Chunks:
    def __init__(self, reader):
        self._reader = reader

    def read(self, size: int = -1) -> bytes:
        return self._reader.read(size)
