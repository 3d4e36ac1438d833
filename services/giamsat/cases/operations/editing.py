"""Changes to the words of a case: corrections, classification tags, the public answer, and what
the sender adds later through the receipt code."""

from __future__ import annotations

from sqlalchemy.orm import Session

from giamsat.cases import workflow
from giamsat.cases.catalogue import categories_by_code
from giamsat.cases.models import Case, CaseEvent, CaseKind
from giamsat.cases.operations.common import (
    AUDITED_OBJECT,
    PublicActor,
    add_failure,
    audit_case,
    record_event,
    require_handler,
)
from giamsat.cases.operations.intake import check_words
from giamsat.cases.queries import get_case
from giamsat.core import audit
from giamsat.core.errors import Conflict, ValidationFailed
from giamsat.core.validation import Errors, check


def _editable_case(session: Session, principal, case_id: int) -> Case:
    case = get_case(session, case_id, principal)
    require_handler(principal, case.unit)
    if case.status not in workflow.EDITABLE:
        raise Conflict(
            f"Hồ sơ đang ở trạng thái “{workflow.status_label(case.status)}”, không "
            "sửa được nữa (hãy mở lại hồ sơ nếu cần)."
        )
    return case


def set_tags(session: Session, principal, case_id: int, tag_codes) -> Case:
    """Replace the classification tags of a case (several allowed)."""
    case = _editable_case(session, principal, case_id)
    return _apply_tags(session, principal, case, categories_by_code(session, tag_codes))


def _apply_tags(session: Session, principal, case: Case, tags) -> Case:
    old = [t.code for t in case.tags]
    new = [t.code for t in tags]
    if sorted(old) == sorted(new):
        return case
    case.tags = tags
    session.flush()
    record_event(session, case, principal, "tag", details={"from": old, "to": new})
    audit.record(
        session,
        principal,
        action="tag",
        object_type=AUDITED_OBJECT,
        object_id=case.id,
        changes={"tags": [old, new]},
    )
    return case


def update_case(
    session: Session,
    principal,
    case_id: int,
    *,
    title: str | None = None,
    content: str | None = None,
    concerned: str | None = None,
    kind=None,
    tag_codes=None,
) -> Case:
    """Correct the words, kind or tags of a case still being handled."""
    case = _editable_case(session, principal, case_id)
    errors = Errors()
    new_title, new_content = check_words(
        errors, case.title if title is None else title, case.content if content is None else content
    )
    new_kind = (
        case.kind
        if kind is None
        else errors.choice(CaseKind, kind, "kind", message="Loại thông tin không hợp lệ.")
    )
    if concerned is not None:
        concerned = errors.text(
            concerned, "concerned", label="Người bị phản ánh", single_line=False
        )
    tags = None
    if tag_codes is not None:
        try:
            tags = categories_by_code(session, tag_codes)
        except ValidationFailed as exc:
            add_failure(errors, exc)
    errors.raise_if_any()
    before = audit.snapshot(case)
    case.title, case.content, case.kind = new_title, new_content, new_kind
    if concerned is not None:
        case.concerned = concerned
    session.flush()
    changes = audit.diff(before, audit.snapshot(case))
    if changes:
        record_event(session, case, principal, "edit", details={"fields": sorted(changes)})
        audit_case(session, principal, "update", case, before)
    if tags is not None:
        _apply_tags(session, principal, case, tags)
    return case


def set_public_answer(session: Session, principal, case_id: int, text: str) -> Case:
    """What the sender sees through the receipt code (trả lời công khai)."""
    case = get_case(session, case_id, principal)
    require_handler(principal, case.unit)
    before = audit.snapshot(case)
    case.public_answer = (
        check(text, "public_answer", "text", label="Trả lời công khai", single_line=False) or None
    )
    session.flush()
    record_event(session, case, principal, "public_note")
    audit_case(session, principal, "public_answer", case, before)
    return case


def add_public_note(session: Session, case: Case, text: str) -> CaseEvent:
    """More information from the sender through the receipt code (bổ sung thông tin)."""
    text = check(text, "text", "text", label="Nội dung bổ sung", single_line=False)
    if not text:
        raise ValidationFailed("Hãy nhập nội dung bổ sung.", field="text")
    actor = PublicActor()
    event = record_event(session, case, actor, "public_addition", reason=text)
    session.flush()
    audit.record(
        session,
        actor,
        action="public_addition",
        object_type=AUDITED_OBJECT,
        object_id=case.id,
        changes={"event_id": [None, event.id]},
    )
    return event
