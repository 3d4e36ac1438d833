"""Files of a case: type sniffed from the bytes, size-limited, streamed to the tenant's bucket.

Either both the object and its row exist, or neither: a failed upload leaves no object, a row
that can't be written deletes its object, and a rolled-back transaction deletes the objects it
uploaded."""

from __future__ import annotations

import hashlib
import os
import unicodedata

from sqlalchemy import event
from sqlalchemy.orm import Session

from giamsat.cases.models import Case, CaseAttachment
from giamsat.core.errors import Unavailable, ValidationFailed
from giamsat.core.storage import StorageError, new_key, storage_for

#: Under the app's 16 MB request cap (MAX_CONTENT_LENGTH), multipart overhead included.
MAX_SIZE = 15 * 1024 * 1024
MAX_SIZE_LABEL = "15 MB"
KEY_PREFIX = "cases/attachments"
PURPOSES = ("intake", "response", "evidence")
SNIFF_BYTES = 8192

#: ZIP/OLE containers are named by their extension (the bytes alone don't tell DOCX from XLSX).
_CONTAINER_TYPES = {
    "zip": {
        ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ".odt": "application/vnd.oasis.opendocument.text",
        ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    },
    "ole": {".doc": "application/msword", ".xls": "application/vnd.ms-excel"},
}
#: Every type `sniff_type` names: what a download can be served as (the OpenAPI lists them).
STORED_TYPES = (
    "application/pdf",
    "image/jpeg",
    "image/png",
    "image/tiff",
    "image/gif",
    "image/webp",
    "audio/wav",
    "audio/mpeg",
    "audio/mp4",
    "video/mp4",
    "application/zip",
    "application/x-ole-storage",
    "text/plain",
    *(t for group in _CONTAINER_TYPES.values() for t in group.values()),
)
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
_MARKUP_STARTS = (b"<!doctype html", b"<html", b"<svg", b"<script", b"<?xml", b"<head", b"<body")


class _TooLarge(Exception):
    pass


def _refuse(message: str) -> ValidationFailed:
    return ValidationFailed(message, field="file")


def sniff_type(head: bytes, filename: str) -> str:
    """The content type the first bytes show; ValidationFailed for executables or unknown types."""
    ext = os.path.splitext(filename.lower())[1]
    if head.startswith(_EXECUTABLE_MAGIC):
        raise _refuse("Không nhận tệp chương trình hoặc mã lệnh (tệp chạy được).")
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "image/tiff"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "audio/wav"
    if head.startswith(b"ID3") or head[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"):
        return "audio/mpeg"
    if head[4:8] == b"ftyp":
        return "audio/mp4" if ext == ".m4a" else "video/mp4"
    if head.startswith(b"PK\x03\x04"):
        return _CONTAINER_TYPES["zip"].get(ext, "application/zip")
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return _CONTAINER_TYPES["ole"].get(ext, "application/x-ole-storage")
    if _looks_like_text(head):
        if head.lstrip(b"\xef\xbb\xbf \t\r\n").lower().startswith(_MARKUP_STARTS):
            raise _refuse("Không nhận tệp trang web (HTML, SVG, XML); hãy gửi PDF hoặc ảnh.")
        return "text/plain; charset=utf-8"
    raise _refuse(
        "Loại tệp này không được nhận. Hãy gửi PDF, ảnh (JPG, PNG, TIFF), văn bản "
        "Word/Excel, tệp ZIP, âm thanh hoặc văn bản thuần."
    )


def _looks_like_text(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return False
    try:
        # The cut may split a multi-byte character: ignore an incomplete tail only.
        text = head.decode("utf-8", errors="strict" if len(head) < SNIFF_BYTES else "ignore")
    except UnicodeDecodeError:
        return False
    controls = sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in "\t\r\n\f")
    return controls == 0


def clean_filename(filename: str | None) -> str:
    """The name people see and download with: no path, no control characters, at most 200."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip().strip(".")
    if not name:
        return "tep-dinh-kem"
    stem, ext = os.path.splitext(name)
    return stem[: 200 - len(ext[:20])] + ext[:20]


class _Counted:
    """Reads the head already taken, then the rest; hashes and enforces the size limit."""

    def __init__(self, head: bytes, stream, limit: int):
        self._head, self._stream, self._limit = head, stream, limit
        self.size = 0
        self.sha256 = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        if self._head:
            if size is None or size < 0:
                data, self._head = self._head + self._stream.read(), b""
            else:
                data, self._head = self._head[:size], self._head[size:]
        else:
            data = self._stream.read(size if size is not None else -1)
        self.size += len(data)
        if self.size > self._limit:
            raise _TooLarge()
        self.sha256.update(data)
        return data


def settings_for_storage():
    """The running app's settings (requests), else the environment's (CLI, jobs)."""
    from flask import current_app, has_app_context

    if has_app_context():
        return current_app.config["GIAMSAT"]
    from giamsat.core.config import Settings

    return Settings.from_env()


def tenant_storage():
    from giamsat.tenancy.context import current_tenant

    return storage_for(current_tenant(), settings_for_storage())


def _within(transaction, ancestor) -> bool:
    while transaction is not None:
        if transaction is ancestor:
            return True
        transaction = transaction.parent
    return False


def _track_for_rollback(session: Session, storage, key: str) -> None:
    """Delete the object if the transaction (or savepoint) that recorded it rolls back."""
    pending = session.info.setdefault("giamsat_uploaded_objects", [])
    if not session.info.get("giamsat_upload_hooks"):
        session.info["giamsat_upload_hooks"] = True

        @event.listens_for(session, "after_commit")
        def _forget(sess):
            sess.info.get("giamsat_uploaded_objects", []).clear()

        @event.listens_for(session, "after_soft_rollback")
        def _remove(sess, previous_transaction):
            objects = sess.info.get("giamsat_uploaded_objects", [])
            for entry in [e for e in objects if _within(e[0], previous_transaction)]:
                objects.remove(entry)
                try:
                    entry[1].delete(entry[2])
                except StorageError:
                    pass  # best effort: the key is random and unreferenced

    transaction = session.get_nested_transaction() or session.get_transaction()
    pending.append((transaction, storage, key))


def store_attachment(
    session: Session,
    case: Case,
    *,
    stream,
    filename: str,
    declared_type: str | None = None,
    purpose: str = "intake",
    uploaded_by_id: int | None = None,
    storage=None,
    max_size: int = MAX_SIZE,
) -> CaseAttachment:
    """Stream `stream` into the bucket and add its row (flushed). The declared type is ignored:
    only the bytes count."""
    if purpose not in PURPOSES:
        raise ValidationFailed(
            "Mục đích tệp phải là: " + ", ".join(PURPOSES) + ".", field="purpose"
        )
    name = clean_filename(filename)
    head = stream.read(SNIFF_BYTES)
    if not head:
        raise _refuse("Tệp rỗng; hãy chọn lại tệp.")
    content_type = sniff_type(head, name)
    storage = storage or tenant_storage()
    key = new_key(KEY_PREFIX)
    body = _Counted(head, stream, max_size)
    try:
        stat = storage.put(key, body, length=-1, content_type=content_type)
    except _TooLarge:
        storage.delete(key)  # the SDK aborted the upload; make sure nothing stays
        raise _refuse(f"Tệp quá lớn: tối đa {MAX_SIZE_LABEL} mỗi tệp.") from None
    except StorageError as exc:
        raise Unavailable(
            "Chưa lưu được tệp vì kho lưu trữ đang gặp sự cố; hồ sơ chưa thay đổi. "
            "Hãy thử lại sau ít phút."
        ) from exc
    attachment = CaseAttachment(
        case_id=case.id,
        object_key=key,
        original_name=name,
        content_type=content_type,
        size=stat.size,
        sha256=body.sha256.hexdigest(),
        purpose=purpose,
        uploaded_by_id=uploaded_by_id,
    )
    try:
        with session.begin_nested():
            session.add(attachment)
            session.flush()
    except BaseException:
        storage.delete(key)
        raise
    _track_for_rollback(session, storage, key)
    return attachment


def open_attachment(attachment: CaseAttachment, storage=None):
    """A streamed reader of the file; call only after the caller's authorization check."""
    storage = storage or tenant_storage()
    try:
        return storage.open(attachment.object_key)
    except StorageError as exc:
        raise Unavailable(
            "Chưa tải được tệp vì kho lưu trữ đang gặp sự cố; hãy thử lại sau."
        ) from exc
