"""Files added to a case: by staff (intake documents, answers) and through the public form."""

from __future__ import annotations

from sqlalchemy.orm import Session

from giamsat.cases.attachments import store_attachment
from giamsat.cases.models import Case, CaseStatus
from giamsat.cases.operations.common import PublicActor, record_event, require_handler
from giamsat.cases.queries import get_case
from giamsat.core import audit
from giamsat.core.errors import Conflict


def add_attachment(
    session: Session,
    principal,
    case_id: int,
    *,
    stream,
    filename: str,
    content_type: str | None = None,
    purpose: str = "intake",
    storage=None,
):
    """Stream a file into the tenant's bucket and record it (see `cases.attachments`)."""
    case = get_case(session, case_id, principal)
    require_handler(principal, case.unit)
    if case.status == CaseStatus.transferred:
        raise Conflict("Hồ sơ đã chuyển sang đơn vị khác; hãy đính kèm tệp ở hồ sơ nối tiếp.")
    attachment = store_attachment(
        session,
        case,
        stream=stream,
        filename=filename,
        declared_type=content_type,
        purpose=purpose,
        uploaded_by_id=principal.user_id,
        storage=storage,
    )
    record_event(
        session,
        case,
        principal,
        "attach",
        details={
            "attachment_id": attachment.id,
            "purpose": attachment.purpose,
            "content_type": attachment.content_type,
            "size": attachment.size,
        },
    )
    audit.record(
        session,
        principal,
        action="attach",
        object_type="case_attachment",
        object_id=attachment.id,
        changes=audit.diff({}, audit.snapshot(attachment)),
    )
    return attachment


def add_public_attachment(
    session: Session, case: Case, *, stream, filename: str, storage=None
) -> object:
    """For the public intake: a file sent with (or added later to) an online case."""
    actor = PublicActor()
    attachment = store_attachment(
        session,
        case,
        stream=stream,
        filename=filename,
        declared_type=None,
        purpose="intake",
        uploaded_by_id=None,
        storage=storage,
    )
    record_event(
        session,
        case,
        actor,
        "attach",
        details={"attachment_id": attachment.id, "purpose": attachment.purpose},
    )
    audit.record(
        session,
        actor,
        action="attach",
        object_type="case_attachment",
        object_id=attachment.id,
        changes=audit.diff({}, audit.snapshot(attachment)),
    )
    return attachment
