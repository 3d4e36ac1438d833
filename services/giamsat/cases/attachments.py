"""Files of a case through the core upload door (`giamsat.core.uploads`): type from the bytes,
images without metadata, PDFs checked and cleaned, then streamed to the tenant's bucket.

Either both the object and its row exist, or neither: a failed upload leaves no object, a row
that can't be written deletes its object, and a rolled-back transaction deletes the objects it
uploaded."""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session

from giamsat.cases.models import Case, CaseAttachment
from giamsat.core import uploads
from giamsat.core.errors import Unavailable, ValidationFailed
from giamsat.core.storage import StorageError, new_key, storage_for

#: Under the app's 16 MB request cap (MAX_CONTENT_LENGTH), multipart overhead included.
MAX_SIZE = 15 * 1024 * 1024
MAX_SIZE_LABEL = "15 MB"
KEY_PREFIX = "cases/attachments"
PURPOSES = ("intake", "response", "evidence")
ACCEPTED = frozenset(
    {
        uploads.PDF,
        *uploads.IMAGES,
        uploads.DOCX,
        uploads.XLSX,
        uploads.PPTX,
        uploads.ODT,
        uploads.ODS,
        uploads.DOC,
        uploads.XLS,
        uploads.ZIP,
        uploads.TEXT,
        "audio/wav",
        "audio/mpeg",
        "audio/mp4",
        "video/mp4",
    }
)
#: What a download can be served as (the OpenAPI lists them), without parameters.
STORED_TYPES = tuple(sorted({t.split(";")[0] for t in ACCEPTED}))


def attachment_policy(max_size: int = MAX_SIZE) -> uploads.Policy:
    label = MAX_SIZE_LABEL if max_size == MAX_SIZE else f"{max_size / (1024 * 1024):.1f} MB"
    return uploads.Policy(
        accepted=ACCEPTED,
        max_bytes=max_size,
        max_label=label,
        accepted_sentence=(
            "Hãy gửi PDF, ảnh (JPG, PNG, TIFF), văn bản Word/Excel, tệp ZIP, âm thanh "
            "hoặc văn bản thuần."
        ),
        max_pages=500,
        field="file",
    )


def clean_filename(filename: str | None) -> str:
    """The name people see and download with: no path, no control characters, at most 200."""
    return uploads.clean_filename(filename)


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
    """Check `stream`, store it and add its row (flushed). The declared type is ignored: only
    the bytes count. A Refusal (422) or Unavailable leaves no object and no row."""
    if purpose not in PURPOSES:
        raise ValidationFailed(
            "Mục đích tệp phải là: " + ", ".join(PURPOSES) + ".", field="purpose"
        )
    storage = storage or tenant_storage()
    key = new_key(KEY_PREFIX)
    with uploads.checked(stream, filename, attachment_policy(max_size)) as upload:
        try:
            sha256 = uploads.store_checked(storage, key, upload)
        except StorageError as exc:
            raise Unavailable(
                "Chưa lưu được tệp vì kho lưu trữ đang gặp sự cố; hồ sơ chưa thay đổi. "
                "Hãy thử lại sau ít phút."
            ) from exc
    name, content_type, size = upload.name, upload.content_type, upload.size
    attachment = CaseAttachment(
        case_id=case.id,
        object_key=key,
        original_name=name,
        content_type=content_type,
        size=size,
        sha256=sha256,
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
