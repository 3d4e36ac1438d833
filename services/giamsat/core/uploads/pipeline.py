"""The one door every uploaded file goes through: spool once (hashing and counting), sniff the
type from the bytes, verify and clean it per its type, then stream it to storage in one put of
known length. A refusal is raised before anything is stored."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import BinaryIO

from giamsat.core.uploads import refusals, sniff
from giamsat.core.uploads.overlap import OverlappedUpload
from giamsat.core.uploads.spool import SpoolFile, spooled


@dataclass(frozen=True)
class Policy:
    """What one kind of upload accepts and how big it may be."""

    accepted: frozenset[str]
    max_bytes: int
    #: The limit as people read it ("64 MB").
    max_label: str
    #: Said after "loại tệp này không được nhận." — what to send instead.
    accepted_sentence: str
    max_pages: int = 30
    #: About A3 at 400 dpi; above this an image is a possible decompression bomb.
    max_pixels: int = 40_000_000
    #: For uploads that are parsed as lists: an XLSX is guarded (uncompressed size, rows the
    #: sheet declares) before anything reads it. None: XLSX files are stored, never parsed.
    max_rows: int | None = None
    #: What a ZIP container (XLSX, DOCX, ZIP…) may inflate to, all members together.
    max_uncompressed: int = 200 * 1024 * 1024
    field: str = "file"
    #: The filename when none was sent.
    default_name: str = "tep-dinh-kem"

    def with_field(self, name: str) -> Policy:
        from dataclasses import replace

        return replace(self, field=name)


@dataclass
class CheckedFile:
    """A file that passed every check: `path` holds exactly the bytes to store."""

    path: str
    name: str
    content_type: str
    size: int
    pages: int
    #: Known when the stored bytes are the spooled ones; else computed while storing.
    sha256: str | None = None
    #: The spooled bytes already on their way to storage (see `overlap`); None once rewritten.
    overlap: OverlappedUpload | None = field(default=None, repr=False)
    _temporary: list[str] = field(default_factory=list, repr=False)


def clean_filename(filename: str | None, default: str = "tep-dinh-kem") -> str:
    """The name people see and download with: no path, no control characters, at most 200."""
    import unicodedata

    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip().strip(".")
    if not name:
        return default
    stem, ext = os.path.splitext(name)
    return stem[: 200 - len(ext[:20])] + ext[:20]


@contextmanager
def checked(stream: BinaryIO, filename: str | None, policy: Policy) -> Iterator[CheckedFile]:
    """The upload, checked and cleaned, on disk for the block; temporary files go after."""
    name = clean_filename(filename, policy.default_name)
    too_large = refusals.too_large(name, policy.field, policy.max_label)
    overlap = getattr(stream, "overlap", None)
    try:
        with spooled(stream, limit=policy.max_bytes, too_large=too_large) as spool:
            yield from _checked_spool(spool, name, policy)
    except BaseException:
        # Refused (or failed) before any check ended: no object, no parts left.
        if overlap is not None:
            overlap.cancel()
        raise


def _checked_spool(spool: SpoolFile, name: str, policy: Policy) -> Iterator[CheckedFile]:
    from giamsat.core.uploads.images import clean_image
    from giamsat.core.uploads.pdfs import clean_pdf
    from giamsat.core.uploads.sheets import guard_archive, guard_spreadsheet

    f = policy.field
    if spool.size == 0:
        raise refusals.empty(name, f)
    content_type = sniff.sniff(
        spool.path,
        name,
        field=f,
        accepted=policy.accepted,
        sentence=policy.accepted_sentence,
    )
    result = CheckedFile(spool.path, name, content_type, spool.size, 1, spool.sha256)
    result.overlap = getattr(spool, "overlap", None)
    try:
        if content_type in sniff.IMAGES:
            path, result.pages = clean_image(
                spool.path,
                content_type,
                name=name,
                field=f,
                max_pixels=policy.max_pixels,
                max_pages=policy.max_pages,
            )
            _replace(result, path)
        elif content_type == sniff.PDF:
            rewritten, result.pages, blanked = clean_pdf(
                spool.path, name=name, field=f, max_pages=policy.max_pages
            )
            if rewritten:
                _replace(result, rewritten)
            elif blanked:
                _patched(result, spool, blanked)
        elif content_type == sniff.XLSX and policy.max_rows is not None:
            guard_spreadsheet(
                spool.path,
                name=name,
                field=f,
                max_rows=policy.max_rows,
                max_uncompressed=policy.max_uncompressed,
            )
        elif content_type in sniff.ZIP_CONTAINERS:
            guard_archive(spool.path, name=name, field=f, max_uncompressed=policy.max_uncompressed)
        yield result
    finally:
        # Refused, rewritten or not stored by the block: no object, no parts left.
        if result.overlap is not None:
            result.overlap.cancel()
        for path in result._temporary:
            os.unlink(path)


def _patched(result: CheckedFile, spool: SpoolFile, changed: tuple[int, int]) -> None:
    """A few bytes of the spooled file were changed in place: hash it again (the spooled hash
    was of what arrived) from the block before the change, and send the parts holding them
    again if they had gone already."""
    result.sha256 = spool.rehash_from(changed[0])
    if result.overlap is not None:
        result.overlap.changed(*changed)


def _replace(result: CheckedFile, path: str) -> None:
    result._temporary.append(path)
    result.path, result.size, result.sha256 = path, os.path.getsize(path), None
    if result.overlap is not None:  # the sent bytes are not the ones to store
        result.overlap.cancel()
        result.overlap = None


class _Hashing:
    """Hands the file to the SDK and hashes what went by (one read of the bytes)."""

    def __init__(self, handle: BinaryIO):
        self._handle = handle
        self.sha256 = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self._handle.read(size)
        self.sha256.update(data)
        return data


def store_checked(storage, key: str, upload: CheckedFile) -> str:
    """Stream the checked file to `key` (StorageError on failure, nothing left); its sha256.

    An upload already being written to `key` while it arrived (`overlap`) is completed: only
    its last part is sent now."""
    overlap, upload.overlap = upload.overlap, None
    if overlap is not None and upload.sha256 is not None:
        if overlap.finish(storage, key, upload.size, upload.content_type):
            return upload.sha256
    elif overlap is not None:
        overlap.cancel()
    with open(upload.path, "rb") as handle:
        if upload.sha256 is not None:
            storage.put(key, handle, length=upload.size, content_type=upload.content_type)
            return upload.sha256
        reader = _Hashing(handle)
        storage.put(key, reader, length=upload.size, content_type=upload.content_type)
        upload.sha256 = reader.sha256.hexdigest()
        return upload.sha256
